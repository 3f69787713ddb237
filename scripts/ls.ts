#!/usr/bin/env -S deno run -A
/**
 * Lists the account's containers, or the objects under `<container>[/<prefix>]`,
 * following every listing page.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/ls.ts                      # containers
 * deno run -A jsr:@zarrswift/store/scripts/ls.ts --long my-container/run-42
 * ```
 *
 * @module
 */

import { AUTH_HELP, AUTH_OPTIONS, bytes, location, openAccount, openStore, run } from "./_cli/mod.ts";

const HELP = `
Usage: ls.ts [--long] [--json] [<container>[/<prefix>]]

Without an argument, lists the account's containers; with one, the objects in the
container below <prefix> (full object names).

Options:
  -l, --long   sizes and dates too
  --json       one JSON object per line
  -h, --help   this help

${AUTH_HELP}`;

await run("ls.ts", {
  options: {
    ...AUTH_OPTIONS,
    long: { type: "boolean", short: "l" },
    json: { type: "boolean" },
  },
  help: HELP,
  positionals: { min: 0, max: 1 },
}, async ({ values, positionals }) => {
  if (positionals.length === 0) {
    const account = await openAccount(values);
    let total = 0;
    for await (const c of account.containers()) {
      total += c.bytes;
      if (values.json) console.log(JSON.stringify(c));
      else if (values.long) {
        console.log(
          `${String(c.count).padStart(10)} ${bytes(c.bytes).padStart(10)} ${c.last_modified ?? ""} ${c.name}`,
        );
      } else console.log(c.name);
    }
    if (values.long && !values.json) console.log(`${bytes(total)} in all`);
    return;
  }
  const loc = location(positionals[0]);
  const store = await openStore(loc, values);
  const prefix = loc.path === "" ? "" : `${loc.path}/`;
  for await (const e of store.scan("/")) {
    const name = prefix + e.key.slice(1);
    if (values.json) {
      console.log(
        JSON.stringify({
          name,
          bytes: e.bytes,
          hash: e.hash,
          content_type: e.contentType,
          last_modified: e.lastModified,
        }),
      );
    } else if (values.long) {
      console.log(`${String(e.bytes).padStart(12)} ${e.lastModified.slice(0, 19)} ${name}`);
    } else console.log(name);
  }
});

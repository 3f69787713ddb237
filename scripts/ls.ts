#!/usr/bin/env -S deno run -A
/**
 * Lists the account's containers, or the objects under `<container>[/<prefix>]`,
 * following every listing page; `--include`/`--exclude` select names (rclone's
 * rules, relative to the prefix).
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/ls.ts                      # containers
 * deno run -A jsr:@zarrswift/store/scripts/ls.ts --long my-container/run-42
 * ```
 *
 * @module
 */

import {
  AUTH_HELP,
  AUTH_OPTIONS,
  bytes,
  describeLocation,
  FILTER_HELP,
  FILTER_OPTIONS,
  hasFilters,
  location,
  openAccount,
  openStore,
  pathFilter,
  run,
  terminalSafe,
  UsageError,
} from "./_cli/mod.ts";

const HELP = `
Usage: ls.ts [--long] [--json] [filters] [<container>[/<prefix>]]

Without an argument, lists the account's containers; with one, the objects in the
container below <prefix>/ (full object names), or the object <prefix> names. A
prefix with nothing under it is an error (exit status 1). Control characters in
names are shown escaped (\\x1b, \\r, \\n); --json keeps them exact. A container's
counts and bytes are the account's, which Swift updates in the background: a recent
upload may not show yet (du.ts counts from a listing).

Options:
  -l, --long   sizes and dates too
  --json       one JSON object per line
  -h, --help   this help

${FILTER_HELP}
  (names relative to <prefix>; with a container only)

${AUTH_HELP}

Exit status: 0 when listed, 1 when nothing is under <prefix> or a request failed, 2 on bad usage.`;

await run("ls.ts", {
  options: {
    ...AUTH_OPTIONS,
    long: { type: "boolean", short: "l" },
    json: { type: "boolean" },
    ...FILTER_OPTIONS,
  },
  help: HELP,
  positionals: { min: 0, max: 1 },
}, async ({ values, positionals }) => {
  if (positionals.length === 0 && hasFilters(values)) {
    throw new UsageError("--include and --exclude select objects: give <container>[/<prefix>]");
  }
  const filter = await pathFilter(values);
  if (positionals.length === 0) {
    const account = await openAccount(values);
    let total = 0;
    for await (const c of account.containers()) {
      total += c.bytes;
      // Swift's own names and time, as for objects below; --long to the second, as for objects.
      const modified = c.modified?.toISOString().slice(0, 19);
      if (values.json) {
        console.log(
          JSON.stringify({ name: c.name, count: c.objects, bytes: c.bytes, last_modified: c.last_modified }),
        );
      } else if (values.long) {
        console.log(
          terminalSafe(
            `${String(c.objects).padStart(10)} ${bytes(c.bytes).padStart(10)} ${modified ?? ""} ${c.name}`,
          ),
        );
      } else console.log(terminalSafe(c.name));
    }
    if (values.long && !values.json) console.log(`${bytes(total)} in all`);
    return;
  }
  const loc = location(positionals[0]);
  const store = await openStore({ ...loc, path: "" }, values);
  const show = (e: { name: string; size: number; etag: string; contentType: string; modified: string }) => {
    if (values.json) {
      console.log(
        JSON.stringify({
          name: e.name,
          bytes: e.size,
          hash: e.etag,
          content_type: e.contentType,
          last_modified: e.modified,
        }),
      );
    } else if (values.long) {
      console.log(terminalSafe(`${String(e.size).padStart(12)} ${e.modified.slice(0, 19)} ${e.name}`));
    } else console.log(terminalSafe(e.name));
  };
  let found = 0;
  let excluded = 0;
  const root = loc.path === "" ? "" : `${loc.path}/`;
  for await (const e of store.swiftContainer.list(root)) {
    if (!("name" in e) || e.name.endsWith("/")) continue;
    found++;
    if (filter && !filter(e.name.slice(root.length))) {
      excluded++;
      continue;
    }
    show({ ...e, modified: e.lastModified });
  }
  if (found > 0 && excluded === found) {
    console.error(terminalSafe(`ls.ts: nothing under ${describeLocation(loc)}/ matches the filters`));
    return 1;
  }
  if (found > 0 || loc.path === "") return 0;
  // Nothing under <prefix>/: the object it names, if any, as `ls` shows a file.
  if (!loc.trailingSlash) {
    const info = await store.stat(`/${loc.path}`);
    if (info) {
      show({
        name: loc.path,
        size: info.size,
        etag: info.etag ?? "",
        contentType: info.contentType ?? "",
        modified: info.modified?.toISOString().replace("Z", "") ?? "",
      });
      return 0;
    }
  }
  const what = describeLocation(loc);
  console.error(terminalSafe(`ls.ts: nothing under ${what}/${await nearby(loc.path)}`));
  return 1;

  /** A hint when names start with `path` without the slash (a partial name was given). */
  async function nearby(path: string): Promise<string> {
    const close: string[] = [];
    for await (const e of store.swiftContainer.list(path, { delimiter: "/" })) {
      close.push("name" in e ? e.name : e.prefix);
      if (close.length === 3) break;
    }
    return close.length ? `; names that start with ${JSON.stringify(path)}: ${close.join(", ")}` : "";
  }
});

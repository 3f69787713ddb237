#!/usr/bin/env -S deno run -A
/**
 * Objects and bytes under `<container>[/<prefix>]`, and with `--depth N` per
 * sub-prefix down to N levels, as `du -d N` shows a directory tree: from one listing
 * (no request per object; the library's `UsageTally`). Without an argument, each
 * container of the account, from the account listing: Swift updates the figures there
 * in the background (the container updater), so they can lag behind recent writes,
 * as `swift stat` does; a container's own listing is exact. A large object counts at
 * its full size here, and its segments count again in the segment container.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/du.ts my-container/run-42
 * deno run -A jsr:@zarrswift/store/scripts/du.ts --depth 2 my-container
 * ```
 *
 * @module
 */

import { UsageTally } from "../mod.ts";
import {
  AUTH_HELP,
  AUTH_OPTIONS,
  bytes,
  describeLocation,
  intFlag,
  location,
  openAccount,
  openStore,
  Progress,
  run,
  terminalSafe,
} from "./_cli/mod.ts";

const HELP = `
Usage: du.ts [--depth N] [--json] [<container>[/<prefix>]]

Counts the objects and bytes under <prefix> (everything below it), from one listing;
with --depth N, also per sub-prefix down to N levels. Without an argument, each
container of the account, as the account listing reports it (Swift updates those
figures in the background: they can lag behind recent writes). A prefix with nothing
under it is an error (exit status 1).

Options:
  -d, --depth N   sub-prefixes down to N levels get a line of their own (default 0)
  --json          one JSON object: the totals and the rows
  -h, --help      this help

${AUTH_HELP}

Exit status: 0 when counted, 1 when nothing is under <prefix> or a request failed, 2 on bad usage.`;

await run("du.ts", {
  options: { ...AUTH_OPTIONS, depth: { type: "string", short: "d" }, json: { type: "boolean" } },
  help: HELP,
  positionals: { min: 0, max: 1 },
}, async ({ values, positionals }) => {
  const depth = intFlag(values.depth, "depth", 0);
  const line = (n: number, size: number, name: string) =>
    console.log(terminalSafe(`${bytes(size).padStart(10)} ${String(n).padStart(10)}  ${name}`));
  if (positionals.length === 0) {
    const account = await openAccount(values);
    const rows = [];
    for await (const c of account.containers()) {
      rows.push({ container: c.name, objects: c.count, bytes: c.bytes });
    }
    const objects = rows.reduce((n, r) => n + r.objects, 0);
    const total = rows.reduce((n, r) => n + r.bytes, 0);
    if (values.json) console.log(JSON.stringify({ objects, bytes: total, containers: rows }));
    else {
      for (const r of rows) line(r.objects, r.bytes, r.container);
      line(objects, total, "(account)");
    }
    return 0;
  }
  const loc = location(positionals[0]);
  const store = await openStore({ ...loc, path: "" }, values);
  const root = loc.path === "" ? "" : `${loc.path}/`;
  const tally = new UsageTally(depth);
  const progress = new Progress(!values.json);
  for await (const e of store.scan(`/${loc.path}`)) {
    tally.add(e.key.slice(1 + root.length), e.size);
    progress.add(e.size);
    progress.tick();
  }
  progress.done();
  const rows = tally.rows();
  const [all] = rows;
  const where = describeLocation(loc);
  if (all.objects === 0 && loc.path !== "") {
    const object = await store.stat(`/${loc.path}`);
    const hint = object ? ` (${where} is one object of ${bytes(object.size)}: stat.ts shows it)` : "";
    console.error(terminalSafe(`du.ts: nothing under ${where}/${hint}`));
    return 1;
  }
  if (values.json) {
    console.log(JSON.stringify({
      location: where,
      objects: all.objects,
      bytes: all.bytes,
      prefixes: rows.slice(1).map((r) => ({ prefix: root + r.prefix, objects: r.objects, bytes: r.bytes })),
    }));
  } else {
    for (const r of rows.slice(1)) line(r.objects, r.bytes, `${loc.container}/${root}${r.prefix}`);
    line(all.objects, all.bytes, where);
  }
  return 0;
});

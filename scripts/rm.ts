#!/usr/bin/env -S deno run -A
/**
 * Deletes one object, or (`--recursive`) everything under a prefix by bulk delete.
 * Asks for confirmation on a terminal unless `--yes`; `--dry-run` shows what would go.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/rm.ts my-container/run-42/notes.txt
 * deno run -A jsr:@zarrswift/store/scripts/rm.ts --recursive --yes my-container/run-42
 * ```
 *
 * @module
 */

import { SwiftStore } from "../mod.ts";
import { AUTH_HELP, AUTH_OPTIONS, bytes, connection, location, run, UsageError } from "./_cli/mod.ts";

const HELP = `
Usage: rm.ts [--yes] [--dry-run] <container>/<object>
       rm.ts --recursive [--yes] [--dry-run] <container>[/<prefix>]

Options:
  -r, --recursive   delete every object under the prefix (bulk delete)
  -y, --yes         do not ask for confirmation
  --dry-run         show what would be deleted, delete nothing
  --json            print one JSON summary as the last line
  -h, --help        this help

${AUTH_HELP}`;

await run("rm.ts", {
  options: {
    ...AUTH_OPTIONS,
    recursive: { type: "boolean", short: "r" },
    yes: { type: "boolean", short: "y" },
    "dry-run": { type: "boolean" },
    json: { type: "boolean" },
  },
  help: HELP,
  positionals: { min: 1, max: 1 },
}, async ({ values, positionals }) => {
  const loc = location(positionals[0]);
  if (!values.recursive && loc.path === "") {
    throw new UsageError("give <container>/<object>, or --recursive to delete everything in the container");
  }
  const started = performance.now();
  const dryRun = Boolean(values["dry-run"]);
  const store = await SwiftStore.open({
    container: loc.container,
    prefix: values.recursive ? loc.path : "",
    readOnly: dryRun,
    createContainer: false,
    ...connection(values),
  });
  const what = `${loc.container}${loc.path ? `/${loc.path}` : ""}`;
  // What would go: one listing (recursive) or one HEAD.
  let count = 0;
  let size = 0;
  const sample: string[] = [];
  if (values.recursive) {
    for await (const e of store.scan("/")) {
      count++;
      size += e.bytes;
      if (sample.length < 5) sample.push(e.key);
    }
  } else {
    const info = await store.stat(`/${loc.path}`);
    if (info) [count, size] = [1, info.size];
  }
  const summary = (deleted: number, skipped: number) => {
    const seconds = Math.round((performance.now() - started) / 10) / 100;
    if (values.json) {
      console.log(JSON.stringify({ deleted, skipped, failed: 0, bytes: deleted ? size : 0, seconds }));
    }
  };
  if (dryRun) {
    if (!values.json) {
      console.log(`would delete ${count} object${count === 1 ? "" : "s"} (${bytes(size)}) under ${what}`);
      for (const key of sample) console.log(`  ${key}`);
      if (count > sample.length) console.log(`  … and ${count - sample.length} more`);
    }
    summary(0, count);
    return;
  }
  if (count === 0) {
    if (!values.json) console.log(`nothing to delete under ${what}`);
    summary(0, 0);
    return;
  }
  if (!values.yes && Deno.stdin.isTerminal()) {
    const answer = prompt(
      `Delete ${count} object${count === 1 ? "" : "s"} (${bytes(size)}) under ${what}? [y/N]`,
    );
    if (!/^y(es)?$/i.test(answer ?? "")) {
      console.log("nothing deleted");
      summary(0, count);
      return;
    }
  }
  const deleted = values.recursive
    ? await store.deletePrefix("/")
    : (await store.delete(`/${loc.path}`) ? 1 : 0);
  if (!values.json) console.log(`deleted ${deleted} object${deleted === 1 ? "" : "s"} under ${what}`);
  summary(deleted, 0);
});

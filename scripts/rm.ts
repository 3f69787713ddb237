#!/usr/bin/env -S deno run -A
/**
 * Deletes one object, or (`--recursive`) everything under a prefix by bulk delete.
 * A large object goes with the segments it owns (in `<container>_segments`, under
 * its name) unless `--keep-segments`; segments its manifest points at anywhere else
 * are never deleted, only reported. Asks for confirmation on a terminal unless
 * `--yes`; `--dry-run` shows what would go. With `--recursive`, `--include` and
 * `--exclude` select the objects under the prefix (rclone's rules).
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/rm.ts my-container/run-42/notes.txt
 * deno run -A jsr:@zarrswift/store/scripts/rm.ts --recursive --yes my-container/run-42
 * deno run -A jsr:@zarrswift/store/scripts/rm.ts -r -y --include '*.tmp' my-container/run-42
 * ```
 *
 * @module
 */

import {
  type AbsolutePath,
  ConflictError,
  largeObjectSegments,
  type Segment,
  type SwiftAccount,
} from "../mod.ts";
import {
  AUTH_HELP,
  AUTH_OPTIONS,
  bytes,
  deleteListed,
  deleteOne,
  deleteUnder,
  describeLocation,
  FILTER_HELP,
  FILTER_OPTIONS,
  hasFilters,
  Job,
  location,
  openStore,
  pathFilter,
  run,
  secondsSince,
  segmentSample,
  terminalSafe,
  UsageError,
} from "./_cli/mod.ts";

const HELP = `
Usage: rm.ts [--yes] [--dry-run] [--keep-segments] <container>/<object>
       rm.ts --recursive [--yes] [--dry-run] [--keep-segments] <container>[/<prefix>]
       rm.ts --recursive --container [--yes] [--dry-run] <container>

A large object is deleted with the segments it owns (in <container>_segments, under
its name); segments its manifest points at elsewhere are kept and reported. A
location that names no object (or, with -r, a prefix with nothing under it) is an
error (exit status 1). With --container, the container itself goes too once it is
empty, and <container>_segments when nothing else is left in it.

Options:
  -r, --recursive   delete every object under the prefix (bulk delete)
  -y, --yes         do not ask for confirmation (asked only on a terminal)
  --dry-run         show what would be deleted, delete nothing
  --keep-segments   leave the segments of large objects in place
  --container       with -r on a whole container: then delete the container too
  --json            print one JSON summary as the last line
  -h, --help        this help

${FILTER_HELP}
  (with --recursive only; names relative to <prefix>)

${AUTH_HELP}

Exit status: 0 when deleted (or nothing to delete in an empty container), 1 when nothing
matched or a request failed, 2 on bad usage.`;

interface Summary {
  deleted: number;
  notFound: number;
  skipped: number;
  failed: number;
  bytes: number;
  kept: string[];
  /** Containers deleted (with --container). */
  containers?: string[];
}

await run("rm.ts", {
  options: {
    ...AUTH_OPTIONS,
    recursive: { type: "boolean", short: "r" },
    yes: { type: "boolean", short: "y" },
    "dry-run": { type: "boolean" },
    "keep-segments": { type: "boolean" },
    container: { type: "boolean" },
    json: { type: "boolean" },
    ...FILTER_OPTIONS,
  },
  help: HELP,
  positionals: { min: 1, max: 1 },
}, async ({ values, positionals }) => {
  const loc = location(positionals[0]);
  const dropContainer = Boolean(values.container);
  if (dropContainer && (!values.recursive || loc.path !== "" || hasFilters(values))) {
    throw new UsageError(
      "--container deletes a whole container: give --recursive and <container> alone, no filters",
    );
  }
  if (!values.recursive && loc.path === "") {
    throw new UsageError("give <container>/<object>, or --recursive to delete everything in the container");
  }
  if (!values.recursive && hasFilters(values)) {
    throw new UsageError(
      "--include, --exclude and --exclude-from select objects under a prefix: add --recursive",
    );
  }
  const filter = await pathFilter(values);
  /** The objects the filters select (with filters only: without, the whole prefix goes). */
  const selected: { name: string; largeObject: boolean }[] = [];
  const started = performance.now();
  const dryRun = Boolean(values["dry-run"]);
  const keepSegments = Boolean(values["keep-segments"]);
  const store = await openStore({ ...loc, path: "" }, values, { readOnly: dryRun });
  const what = describeLocation(loc);
  const report = (s: Summary) => {
    const seconds = secondsSince(started);
    if (values.json) {
      console.log(JSON.stringify({
        deleted: s.deleted,
        not_found: s.notFound,
        skipped: s.skipped,
        failed: s.failed,
        bytes: s.bytes,
        kept_segments: s.kept.length,
        ...(s.containers ? { containers_deleted: s.containers } : {}),
        ...(dryRun ? { dry_run: true } : {}),
        seconds,
      }));
    }
    if (s.kept.length && !values.json) {
      console.log(
        terminalSafe(
          `kept ${s.kept.length} segment(s) that large objects pointed at outside their own segment path: ${
            segmentSample(s.kept)
          }`,
        ),
      );
    }
  };
  const empty: Summary = { deleted: 0, notFound: 0, skipped: 0, failed: 0, bytes: 0, kept: [] };

  // What would go: one listing (recursive) or one HEAD.
  let count = 0;
  let excluded = 0;
  let size = 0;
  const sample: string[] = [];
  let segments: Segment[] | undefined;
  const key: AbsolutePath = `/${loc.path}`;
  if (values.recursive) {
    const root = loc.path === "" ? "" : `${loc.path}/`;
    for await (const e of store.scan(key)) {
      const name = e.key.slice(1);
      if (filter) {
        if (!filter(name.slice(root.length))) {
          excluded++;
          continue;
        }
        selected.push({ name, largeObject: e.largeObject });
      }
      count++;
      size += e.size;
      if (sample.length < 5) sample.push(e.key.slice(1));
    }
    if (count === 0) {
      if (filter) {
        console.error(
          terminalSafe(`rm.ts: nothing under ${what}/ matches the filters (${excluded} excluded)`),
        );
        report(empty);
        return 1;
      }
      if (loc.path !== "") {
        console.error(terminalSafe(`rm.ts: nothing under ${what}/`));
        report(empty);
        return 1;
      }
      if (!dropContainer) {
        if (!values.json) console.log(terminalSafe(`nothing to delete: ${what} is empty`));
        report(empty);
        return 0;
      }
    }
  } else {
    const info = await store.stat(key);
    if (!info) {
      for await (const _ of store.list(key)) {
        console.error(
          terminalSafe(
            `rm.ts: ${what} is not an object, but objects are under ${what}/: use --recursive (-r) to delete them`,
          ),
        );
        return 1;
      }
      console.error(terminalSafe(`rm.ts: no object ${what}`));
      return 1;
    }
    [count, size] = [1, info.size];
    sample.push(loc.path);
    if (info.largeObject && !keepSegments) segments = await largeObjectSegments(store, key);
  }
  const objects = `${count} object${count === 1 ? "" : "s"}`;
  const withSegments = segments ? ` with its ${segments.length} segment(s)` : "";
  const andContainer = dropContainer ? `, then the container ${loc.container}` : "";
  if (dryRun) {
    if (!values.json) {
      console.log(
        terminalSafe(`would delete ${objects}${withSegments} (${bytes(size)}) under ${what}${andContainer}`),
      );
      for (const name of sample) console.log(terminalSafe(`  ${name}`));
      if (count > sample.length) console.log(`  … and ${count - sample.length} more`);
    }
    report({ ...empty, skipped: count });
    return 0;
  }
  if (!values.yes && Deno.stdin.isTerminal()) {
    const answer = prompt(
      terminalSafe(
        values.recursive || filter
          ? `Delete ${objects}${withSegments} (${bytes(size)}) under ${what}${andContainer}? [y/N]`
          : `Delete ${what}${withSegments} (${bytes(size)})? [y/N]`,
      ),
    );
    if (!/^y(es)?$/i.test(answer ?? "")) {
      console.log("nothing deleted");
      report({ ...empty, skipped: count });
      return 0;
    }
  }
  const counts = { deleted: 0, notFound: 0, failed: 0 };
  const job = new Job(
    "rm.ts",
    counts,
    (c) =>
      `${c.deleted} of ${objects} under ${what} confirmed deleted (a delete was in flight: run the same command again to finish)`,
  );
  let result: Summary;
  if (filter) {
    const r = await deleteListed(store, selected, { keepSegments, signal: job.signal });
    result = { ...empty, deleted: r.deleted, notFound: r.notFound, kept: r.kept, bytes: size };
  } else if (values.recursive) {
    const prefix = loc.path === "" ? "" : `${loc.path}/`;
    const r = await deleteUnder(store, prefix, { keepSegments, signal: job.signal });
    result = { ...empty, deleted: r.deleted, notFound: r.notFound, kept: r.kept, bytes: size };
  } else {
    const r = await deleteOne(store, loc.path, { keepSegments, signal: job.signal });
    result = { ...empty, ...r, bytes: size };
  }
  job.finish();
  const dropped = dropContainer
    ? await dropContainers(store.swiftContainer.account, loc.container, keepSegments)
    : undefined;
  if (dropped) result.containers = dropped.deleted;
  if (!values.json) {
    const gone = result.notFound ? `, ${result.notFound} already gone` : "";
    // The counts take in the segments of large objects: said when there were any.
    const extra = result.deleted + result.notFound - count;
    const segmentsNote = extra > 0 ? ` (${extra} of them segments of large objects)` : "";
    const single = !values.recursive && !filter;
    // Its own segments only: those its manifest points at elsewhere are kept (and said below).
    const own = (segments?.length ?? 0) - result.kept.length;
    console.log(
      terminalSafe(
        single && result.deleted === 0
          ? `${what} was gone already`
          : single
          ? `deleted ${what}${own > 0 ? ` with its ${own} segment(s)` : ""}`
          : `deleted ${result.deleted} object${
            result.deleted === 1 ? "" : "s"
          }${gone} under ${what}${segmentsNote}`,
      ),
    );
    if (dropped?.deleted.length) {
      console.log(terminalSafe(`deleted container ${dropped.deleted.join(" and ")}`));
    }
  }
  if (dropped?.kept) {
    const why = dropped.kept === loc.container
      ? "its server still counted objects in it after 5 tries: run the same command again"
      : "segments that other containers' large objects use, or left by interrupted uploads";
    console.error(terminalSafe(
      `rm.ts: kept container ${dropped.kept}: objects are still in it (${why}; ls.ts ${dropped.kept} shows them)`,
    ));
  }
  report(result);
  return dropped?.kept === loc.container ? 1 : 0;
});

/**
 * Deletes `container` (a few tries: its server may still count objects deleted a
 * moment ago) and, unless segments are kept, `<container>_segments` when nothing else
 * is in it. Answers the containers deleted, and the one kept because objects are in it.
 */
async function dropContainers(
  account: SwiftAccount,
  container: string,
  keepSegments: boolean,
): Promise<{ deleted: string[]; kept?: string }> {
  const deleted: string[] = [];
  const drop = async (name: string, tries: number): Promise<boolean> => {
    for (let attempt = 1;; attempt++) {
      try {
        if (await account.deleteContainer(name)) deleted.push(name);
        return true;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        if (attempt === tries) return false;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };
  if (!await drop(container, 5)) return { deleted, kept: container };
  const segments = `${container}_segments`;
  if (!keepSegments && !await drop(segments, 1)) return { deleted, kept: segments };
  return { deleted };
}

#!/usr/bin/env -S deno run -A
/**
 * Downloads the object `<container>/<object>`, or every object under
 * `<container>[/<prefix>]`, into a local directory: objects below the prefix land
 * below the directory. Bodies are checked against their MD5; large objects
 * (SLO/DLO) arrive whole from the server, streamed to disk; `--changed` skips files
 * whose size and MD5 already match. A file is written as `<name>.part` and renamed
 * once complete; nothing is written through a symlink below the directory.
 * `--include`/`--exclude` select objects (rclone's rules, on names below the prefix);
 * `--dry-run` shows what would be downloaded and writes nothing.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/download.ts my-container/datasets/run-42 ./run-42.zarr
 * deno run -A jsr:@zarrswift/store/scripts/download.ts my-container/datasets/run-42/zarr.json .
 * deno run -A jsr:@zarrswift/store/scripts/download.ts --include '**.json' my-container/run-42 ./meta
 * ```
 *
 * @module
 */

import { type AbsolutePath, encodeObjectName, Limiter, type SwiftStore } from "../mod.ts";
import {
  AUTH_HELP,
  AUTH_OPTIONS,
  bytes,
  concurrencyFlag,
  describeLocation,
  downloadObject,
  fileMd5,
  FILTER_HELP,
  FILTER_OPTIONS,
  inMemoryLimit,
  Job,
  localPath,
  location,
  openStore,
  pathFilter,
  Progress,
  requireDir,
  run,
  sameAsLargeObject,
  secondsSince,
  TargetDirs,
  terminalSafe,
  TRANSFER_CONCURRENCY,
} from "./_cli/mod.ts";

const HELP = `
Usage: download.ts [options] <container>[/<prefix>] <local-dir>
       download.ts [options] <container>/<object> <local-dir>

Downloads every object under <prefix> into <local-dir> (created when missing), or,
when the location names an object, that object into <local-dir>. A location ending
in / is always a prefix. A prefix that matches nothing, or filters that leave nothing of
it, is an error (exit status 1).

Files are written as <name>.part and renamed when complete: an interrupted run
leaves only .part files, and --changed completes the tree. Nothing is written
through a symlink below <local-dir>: such an object fails, the rest goes on.

Options:
  --changed          skip files whose size and MD5 match the object
  --dry-run          show what would be downloaded; write nothing
  --concurrency N    requests in flight (default 128)
  --json             print one JSON summary as the last line; no progress bar
  -h, --help         this help

${FILTER_HELP}

${AUTH_HELP}

A job stops (exit status 1) when 5 requests in a row fail after all their retries
because the server does not answer; Ctrl-C prints what was done and exits 130.

Exit status: 0 when every object is downloaded or skipped, 1 on any failure, 2 on bad usage.`;

/** One object to download. */
interface Item {
  /** Its key in the store (over the whole container). */
  key: AbsolutePath;
  /** Where it goes, relative to the local directory. */
  rel: string;
  size: number;
  etag: string | undefined;
}

await run("download.ts", {
  options: {
    ...AUTH_OPTIONS,
    changed: { type: "boolean" },
    "dry-run": { type: "boolean" },
    ...FILTER_OPTIONS,
    concurrency: { type: "string" },
    json: { type: "boolean" },
  },
  help: HELP,
  positionals: { min: 2, max: 2 },
}, async ({ values, positionals }) => {
  const [source, dir] = positionals;
  const concurrency = concurrencyFlag(values, TRANSFER_CONCURRENCY);
  // Objects up to this size are read whole; larger ones are streamed.
  const inMemory = inMemoryLimit(concurrency);
  const loc = location(source);
  await requireDir(dir, "to download into", true);
  const store = await openStore({ ...loc, path: "" }, values, { concurrency });
  const started = performance.now();
  const counts = { downloaded: 0, skipped: 0, excluded: 0, failed: 0, bytes: 0 };
  const what = describeLocation(loc);
  const dryRun = Boolean(values["dry-run"]);
  const filter = await pathFilter(values);
  const progress = new Progress(!values.json && !dryRun);
  const job = new Job(
    "download.ts",
    counts,
    (c) =>
      `downloaded ${c.downloaded} (${bytes(c.bytes)}), skipped ${c.skipped}, failed ${c.failed} from ${what}`,
    {
      beforeExit: () => progress.done(),
      notes:
        () => ["files in flight are left as <name>.part: run it again with --changed to complete the tree"],
    },
  );

  // A location naming an object is that object; else (or with a trailing /) a prefix.
  const single = loc.path !== "" && !loc.trailingSlash
    ? await store.stat(`/${loc.path}`, { signal: job.signal })
    : undefined;
  const under = loc.path === "" ? "/" : `/${loc.path}`;
  const items = single
    ? (async function* (): AsyncGenerator<Item> {
      yield {
        key: `/${loc.path}`,
        rel: loc.path.slice(loc.path.lastIndexOf("/") + 1),
        size: single.size,
        etag: single.etag,
      };
    })
    : async function* (): AsyncGenerator<Item> {
      for await (const e of store.scan(under, { signal: job.signal })) {
        yield {
          key: e.key,
          rel: loc.path === "" ? e.key.slice(1) : e.key.slice(loc.path.length + 2),
          size: e.size,
          etag: e.etag,
        };
      }
    };
  // On a terminal, one listing pass gives the bar its totals and ETA.
  if (progress.shown) {
    let total = 0;
    let totalBytes = 0;
    for await (const item of items()) {
      if (filter && !filter(item.rel)) continue;
      [total, totalBytes] = [total + 1, totalBytes + item.size];
    }
    progress.setTotal(total, totalBytes);
  }
  // Made when the first object is written: a run that finds nothing leaves no empty directory.
  let made: Promise<void> | undefined;
  const targets = new TargetDirs(dir);
  let seen = 0;

  await new Limiter(concurrency * 2).each(job.until(items()), async (item) => {
    seen++;
    if (filter && !filter(item.rel)) {
      counts.excluded++;
      return;
    }
    const path = localPath(dir, item.rel);
    try {
      if (path === undefined) throw new TypeError(`the object name ${item.key} cannot be a local path`);
      if (dryRun) {
        if (!values.changed || !await sameContent(store, item, path, progress, job.signal)) {
          console.log(terminalSafe(`would download ${item.key.slice(1)} to ${path} (${bytes(item.size)})`));
          counts.downloaded++;
          counts.bytes += item.size;
        } else counts.skipped++;
        return;
      }
      await (made ??= Deno.mkdir(dir, { recursive: true }));
      await targets.prepare(path);
      if (values.changed && await sameContent(store, item, path, progress, job.signal)) {
        counts.skipped++;
        progress.add(item.size);
        progress.tick();
        job.ok();
        return;
      }
      const size = await downloadObject(store, item.key, item.size, path, progress, job.signal, inMemory);
      counts.downloaded++;
      counts.bytes += size;
      progress.tick();
      job.ok();
    } catch (err) {
      if (!job.isStop(err)) job.fail(item.key.slice(1), err);
    }
  });
  progress.done();
  job.finish();
  const seconds = secondsSince(started);
  const nothing = seen === 0 && loc.path !== "";
  // Filters that leave nothing of what is there make a run that did nothing: an error too.
  const allExcluded = seen > 0 && counts.excluded === seen;
  const { excluded, ...rest } = counts;
  if (values.json) {
    console.log(
      JSON.stringify({
        ...rest,
        ...(filter ? { excluded } : {}),
        ...(dryRun ? { dry_run: true } : {}),
        seconds,
      }),
    );
  } else if (!nothing) {
    console.log(
      `${dryRun ? "would download" : "downloaded"} ${counts.downloaded} (${
        bytes(counts.bytes)
      }), skipped ${counts.skipped}${
        filter ? `, excluded ${excluded}` : ""
      }, failed ${counts.failed} from ${store.url}/${encodeObjectName(loc.path)} in ${seconds} s${
        dryRun ? " (dry run: nothing written)" : ""
      }`,
    );
  }
  if (job.outage) {
    console.error(`download.ts: ${job.outage.message}`);
    return 1;
  }
  if (nothing) {
    console.error(terminalSafe(`download.ts: no object ${what} and nothing under ${what}/`));
    return 1;
  }
  if (allExcluded) {
    console.error(terminalSafe(`download.ts: nothing under ${what}/ matches the filters (${seen} excluded)`));
    return 1;
  }
  return counts.failed > 0 ? 1 : 0;
});

/** Whether the local file holds the object's bytes (large objects: segment by segment). */
async function sameContent(
  store: SwiftStore,
  item: Item,
  path: string,
  progress: Progress,
  signal: AbortSignal,
): Promise<boolean> {
  const local = await Deno.lstat(path).catch(() => undefined);
  if (!local?.isFile || local.size !== item.size) return false;
  const hashed = (n: number) => progress.hashed(n);
  if (await fileMd5(path, 0, local.size, hashed) === item.etag) return true;
  // A large object's listing hash is its manifest's (the listing does not say which are large).
  return await sameAsLargeObject(store, item.key, path, hashed, signal);
}

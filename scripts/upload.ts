#!/usr/bin/env -S deno run -A
/**
 * Uploads a local directory (a zarr store on disk, or any tree of files) to
 * `<container>[/<prefix>]`: paths below the directory become objects below the
 * prefix. Every upload carries its MD5, so Swift refuses corrupted bodies; files
 * larger than the segment size go up as Static Large Objects, streamed with bounded
 * memory, and an interrupted one resumes where it stopped; `--changed` skips files
 * whose size and MD5 already match, so a re-run transfers only what changed. Plain
 * upload never deletes: `--delete` also removes the objects under the prefix that
 * the directory no longer has (and refuses a directory with no file to upload, as
 * sync.ts does). `--consolidate` then writes the zarr hierarchy's consolidated
 * metadata (v3 `consolidated_metadata` in the root `zarr.json`, v2 `.zmetadata`)
 * with `consolidateMetadata`, so that readers open it in one request.
 * `--include`/`--exclude` select files (rclone's rules); `-H`, `-m`, `--delete-after`
 * and `--delete-at` set headers, metadata and expiry; `--dry-run` shows what would be
 * sent and deleted, and sends nothing.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/upload.ts ./data.zarr my-container/datasets/run-42
 * deno run -A jsr:@zarrswift/store/scripts/upload.ts --changed --delete ./data.zarr my-container/run-42
 * deno run -A jsr:@zarrswift/store/scripts/upload.ts --consolidate ./data.zarr my-container/run-42
 * deno run -A jsr:@zarrswift/store/scripts/upload.ts --exclude '*.tmp' -m project:ocean ./data.zarr my-container/run-42
 * ```
 *
 * @module
 */

import {
  type AbsolutePath,
  consolidateMetadata,
  ContainerNotFoundError,
  Limiter,
  MetadataError,
  SwiftStore,
} from "../mod.ts";
import {
  AUTH_HELP,
  AUTH_OPTIONS,
  bytes,
  cliMessage,
  concurrencyFlag,
  connection,
  deleteNames,
  deleteOne,
  describeLocation,
  fileMd5,
  FILTER_HELP,
  FILTER_OPTIONS,
  HEADER_HELP,
  HEADER_OPTIONS,
  inMemoryLimit,
  Job,
  type LocalFile,
  location,
  objectHeaders,
  type Passed,
  pathFilter,
  Progress,
  requireDir,
  run,
  sameAsLargeObject,
  secondsSince,
  sizeFlag,
  terminalSafe,
  TRANSFER_CONCURRENCY,
  uploadFile,
  UsageError,
  walk,
} from "./_cli/mod.ts";

const HELP = `
Usage: upload.ts [options] <local-dir> <container>[/<prefix>]

Uploads every file under <local-dir> to the container, below <prefix>. Plain upload
never deletes anything: objects whose files are gone stay, unless --delete.

Options:
  --changed              skip files whose size and MD5 match the object already there
  --delete               then delete the objects under <prefix> that <local-dir> no longer
                         has (only when every upload succeeded; bulk delete); refused,
                         exit status 1, when <local-dir> has no file to upload (or none
                         that the filters select)
  --consolidate          then write the zarr hierarchy's consolidated metadata (only when
                         every upload succeeded; refused, exit status 1, when a node
                         breaks the zarr specification or its metadata is not JSON: the
                         summary still comes first, with --json as "consolidate_error")
  --dry-run              show what would be uploaded and deleted; send nothing
  --segment-size SIZE    files larger than this go up as Static Large Objects (default 1G)
  --segment-container C  where segments go (default <container>_segments)
  --concurrency N        requests in flight (default 128)
  --json                 print one JSON summary as the last line; no progress bar
  -h, --help             this help

${FILTER_HELP}
  With --delete, objects the filters leave out are never deleted.

${HEADER_HELP}
  For a large object, the expiry applies to its segments too.

What is uploaded: regular files, and symlinks to regular files (their content,
under the link's name). Not followed: symlinks to directories (so loops cannot
happen). Skipped and reported (counted in "skipped"): symlinks to directories,
FIFOs, sockets, devices. Failed and reported (counted in "failed", exit status 1):
files that cannot be read, dangling or looping symlinks, unreadable directories.

An interrupted large-object upload leaves its segments in the segment container;
re-run with --changed to resume (segments already there are reused, checked by MD5).

${AUTH_HELP}

A job stops (exit status 1) when 5 requests in a row fail after all their retries
because the server does not answer; Ctrl-C prints what was done and exits 130.

Exit status: 0 when every file is uploaded or skipped, 1 on any failure, 2 on bad usage.`;

await run("upload.ts", {
  options: {
    ...AUTH_OPTIONS,
    changed: { type: "boolean" },
    delete: { type: "boolean" },
    consolidate: { type: "boolean" },
    "dry-run": { type: "boolean" },
    ...FILTER_OPTIONS,
    ...HEADER_OPTIONS,
    "segment-size": { type: "string" },
    "segment-container": { type: "string" },
    concurrency: { type: "string" },
    json: { type: "boolean" },
  },
  help: HELP,
  positionals: { min: 2, max: 2 },
}, async ({ values, positionals }) => {
  const [dir, target] = positionals;
  await requireDir(dir, "to upload", false, target);
  const loc = location(target);
  const concurrency = concurrencyFlag(values, TRANSFER_CONCURRENCY);
  const segmentSize = sizeFlag(values["segment-size"], "segment-size", 2 ** 30);
  const segmentContainer = (values["segment-container"] as string | undefined) ?? `${loc.container}_segments`;
  const dryRun = Boolean(values["dry-run"]);
  const filter = await pathFilter(values);
  const { headers, contentType } = objectHeaders(values);
  if (dryRun && values.consolidate) throw new UsageError("--consolidate writes: not with --dry-run");
  // An empty directory (or one the filters leave nothing of) is a mistake more often
  // than a wish to empty the prefix: --delete would delete everything there.
  const none = values.delete ? await nothingToUpload(dir, filter) : undefined;
  if (none) {
    console.error(terminalSafe(
      `upload.ts: --delete: expected files to upload in ${dir}, found ${none}; refusing to delete the objects under ${
        describeLocation(loc)
      }/ (nothing was changed; rm.ts -r deletes them if that is meant)`,
    ));
    return 1;
  }
  /**
   * Large objects being uploaded, or whose upload failed, with the bytes of their segments
   * sent or found in place so far: when there are any, those segments stay.
   */
  const partial = new Map<AbsolutePath, number>();
  const objectName = (key: AbsolutePath) => (loc.path === "" ? key.slice(1) : `${loc.path}${key}`);
  // A dry run writes nothing, not even the container: a missing one is an empty one.
  const store = await SwiftStore.open({
    container: loc.container,
    prefix: loc.path,
    readOnly: dryRun,
    ...connection(values, concurrency),
  }).catch((err) => {
    if (dryRun && err instanceof ContainerNotFoundError) return undefined;
    throw err;
  });
  const started = performance.now();
  const counts = { uploaded: 0, skipped: 0, excluded: 0, failed: 0, bytes: 0, deleted: 0 };
  const progress = new Progress(!values.json && !dryRun);
  // Only objects of which some segment went out (or was already there) are named.
  const leftHint = () =>
    [...partial].filter(([, sent]) => sent > 0).map(([key, sent]) =>
      `up to ${bytes(sent)} of segments of ${
        objectName(key)
      } may stay in ${segmentContainer}: re-run with --changed to resume, or remove them with rm.ts -r ${segmentContainer}/${
        objectName(key)
      }/`
    );
  const where = describeLocation(loc);
  // The same destination in every summary, interrupted or not.
  const destination = store?.url ?? where;
  const job = new Job(
    "upload.ts",
    counts,
    (c) =>
      `uploaded ${c.uploaded} (${
        bytes(c.bytes)
      }), skipped ${c.skipped}, failed ${c.failed} to ${destination}`,
    { beforeExit: () => progress.done(), notes: leftHint },
  );

  // What is there already: one listing, no request per object.
  const remote = new Map<string, { size: number; etag: string; largeObject: boolean }>();
  if ((values.changed || values.delete) && store) {
    for await (const e of store.scan("/", { signal: job.signal })) {
      remote.set(e.key, { size: e.size, etag: e.etag, largeObject: e.largeObject });
    }
  }
  // On a terminal, one quick pass (names and sizes only) gives the bar its totals and ETA.
  if (progress.shown) {
    let total = 0;
    let totalBytes = 0;
    for await (const file of walk(dir)) {
      if (filter && !filter(file.key.slice(1))) continue;
      [total, totalBytes] = [total + 1, totalBytes + file.size];
    }
    progress.setTotal(total, totalBytes);
  }
  /** Every key the directory has (uploaded or not), and prefixes not followed: never deleted. */
  const present = new Set<string>();
  const kept: string[] = [];
  const passed = (p: Passed) => {
    present.add(p.key);
    if (p.directory) kept.push(`${p.key}/`);
    if (p.failed) job.fail(p.path, new Error(p.reason));
    else {
      counts.skipped++;
      console.error(terminalSafe(`upload.ts: ${p.path}: skipped, ${p.reason}`));
    }
  };
  const unchanged = async (file: LocalFile): Promise<boolean> => {
    const there = remote.get(file.key);
    if (!there || there.size !== file.size) return false;
    const hashed = (n: number) => progress.hashed(n);
    if (await fileMd5(file.path, 0, file.size, hashed) === there.etag) return true;
    // A large object's listing hash is its manifest's: compare segment by segment.
    return store !== undefined && await sameAsLargeObject(store, file.key, file.path, hashed, job.signal);
  };
  // Files in flight are bounded too, so that 100,000 files never sit in memory at once.
  const settings = {
    segmentSize,
    segmentContainer,
    headers,
    contentType,
    signal: job.signal,
    inMemory: inMemoryLimit(concurrency),
    replacesLargeObject: (file: LocalFile) => remote.get(file.key)?.largeObject === true,
    onKept: (file: LocalFile, kept: string[]) =>
      console.error(
        terminalSafe(
          `upload.ts: ${file.path}: the object it replaced pointed at ${kept.length} segment(s) outside ${segmentContainer}/${
            objectName(file.key)
          }/, kept (not this object's to delete): ${kept.slice(0, 3).join(", ")}${
            kept.length > 3 ? ", …" : ""
          }`,
        ),
      ),
  };
  await new Limiter(concurrency * 2).each(job.until(walk(dir, passed)), async (file) => {
    present.add(file.key);
    if (filter && !filter(file.key.slice(1))) {
      counts.excluded++;
      return;
    }
    try {
      if (values.changed && await unchanged(file)) {
        counts.skipped++;
        progress.add(file.size);
        progress.tick();
        job.ok();
        return;
      }
      if (dryRun) {
        console.log(terminalSafe(`would upload ${objectName(file.key)} (${bytes(file.size)})`));
      } else {
        const track = progress.track();
        const large = file.size > segmentSize;
        if (large) partial.set(file.key, 0);
        await uploadFile(store!, file, settings, (soFar) => {
          track(soFar);
          if (large && partial.has(file.key)) partial.set(file.key, soFar);
        });
        partial.delete(file.key);
      }
      counts.uploaded++;
      counts.bytes += file.size;
      progress.tick();
      job.ok();
    } catch (err) {
      if (!job.isStop(err)) job.fail(file.path, err);
    }
  });
  progress.done();
  job.finish();
  // Delete only after a complete upload: a failed file must not lose its object too.
  let deleteNote = "";
  // Objects the filters leave out are never deleted (rclone's rule).
  const gone = [...remote.keys()].filter((key) =>
    !present.has(key) && !kept.some((k) => key.startsWith(k)) && (!filter || filter(key.slice(1)))
  );
  if (values.delete && counts.failed === 0 && !job.stopped) {
    if (dryRun) {
      for (const key of gone) console.log(terminalSafe(`would delete ${objectName(key as AbsolutePath)}`));
      counts.deleted = gone.length;
    } else counts.deleted = await deleteGone(store!, gone, job.signal);
  } else if (values.delete) deleteNote = "nothing deleted: some files failed";
  // Consolidate only a complete upload: a partial one would describe nodes that are not there.
  // A refusal is reported after the summary: the uploads happened all the same.
  let consolidated: Awaited<ReturnType<typeof consolidateMetadata>> | undefined;
  let consolidateError = "";
  let consolidateNote = "";
  if (values.consolidate && counts.failed === 0 && !job.stopped) {
    try {
      consolidated = await consolidateMetadata(store!);
    } catch (err) {
      consolidateError = objectsNamed(err, where);
    }
  } else if (values.consolidate) consolidateNote = "nothing consolidated: some files failed";
  const seconds = secondsSince(started);
  const { deleted, excluded, ...rest } = counts;
  const summary = { ...rest, ...(values.delete ? { deleted } : {}), ...(filter ? { excluded } : {}) };
  if (values.json) {
    const extra = consolidated
      ? { consolidated: { format: consolidated.format, nodes: consolidated.nodes } }
      : consolidateError
      ? { consolidate_error: consolidateError }
      : {};
    console.log(JSON.stringify({ ...summary, ...(dryRun ? { dry_run: true } : {}), seconds, ...extra }));
  } else {
    console.log(
      `${dryRun ? "would upload" : "uploaded"} ${counts.uploaded} (${
        bytes(counts.bytes)
      }), skipped ${counts.skipped}${filter ? `, excluded ${excluded}` : ""}, failed ${counts.failed}${
        values.delete ? `, ${dryRun ? "would delete" : "deleted"} ${deleted}` : ""
      } to ${destination} in ${seconds} s${dryRun ? " (dry run: nothing sent)" : ""}`,
    );
    if (consolidated) {
      console.log(
        `consolidated the metadata of ${consolidated.nodes} zarr v${consolidated.format} nodes into ${
          consolidated.key.slice(1)
        } (${bytes(consolidated.bytes)})`,
      );
    }
  }
  if (deleteNote) console.error(`upload.ts: --delete: ${deleteNote}`);
  if (consolidateNote) console.error(`upload.ts: --consolidate: ${consolidateNote}`);
  for (const note of leftHint()) console.error(terminalSafe(`upload.ts: ${note}`));
  if (consolidateError) console.error(terminalSafe(`upload.ts: ${consolidateError}`));
  if (job.outage) {
    console.error(`upload.ts: ${job.outage.message}`);
    return 1;
  }
  return counts.failed > 0 || consolidateError ? 1 : 0;
});

/**
 * Why `dir` has nothing to upload ("none", or how many files the filters left out),
 * or `undefined` when it has a file the filters select, or one that cannot be read
 * (a failure stops the delete anyway). Stops at the first such file.
 */
async function nothingToUpload(dir: string, filter?: (path: string) => boolean): Promise<string | undefined> {
  let failed = false;
  let excluded = 0;
  for await (const file of walk(dir, (p) => (failed ||= Boolean(p.failed)))) {
    if (failed || !filter || filter(file.key.slice(1))) return undefined;
    excluded++;
  }
  if (failed) return undefined;
  return excluded === 0 ? "none" : `none the filters select (${excluded} file(s) excluded)`;
}

/** An error's message, the store keys it names (below the prefix) as `<container>/<prefix>/<key>`. */
function objectsNamed(err: unknown, where: string): string {
  let message = cliMessage(err);
  if (!(err instanceof MetadataError)) return message;
  const keys = new Set([err.path, ...err.problems.map((p) => p.key)]);
  for (const key of keys) {
    if (!key?.startsWith("/")) continue;
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    message = message.replace(new RegExp(`(?<=^|[\\s(])${escaped}(?=[\\s,:;)]|$)`, "g"), `${where}${key}`);
  }
  return message;
}

/**
 * Deletes the objects `gone` (keys) that the directory no longer has: plain objects
 * by bulk delete, large objects (told apart by a HEAD each, as listings do not say it
 * on every Swift) one by one with their own segments. Answers how many were deleted.
 */
async function deleteGone(store: SwiftStore, gone: string[], signal: AbortSignal): Promise<number> {
  const name = (key: string) => (store.prefix === "" ? key.slice(1) : `${store.prefix}${key}`);
  const plain: string[] = [];
  const large: string[] = [];
  await new Limiter(16).each(gone, async (key) => {
    const info = await store.stat(key as AbsolutePath, { signal });
    if (info) (info.largeObject ? large : plain).push(name(key));
  });
  let deleted = await deleteNames(store, plain, signal);
  for (const object of large) deleted += (await deleteOne(store, object, { signal })).deleted > 0 ? 1 : 0;
  return deleted;
}

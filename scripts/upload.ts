#!/usr/bin/env -S deno run -A
/**
 * Uploads a local directory (a zarr store on disk, or any tree of files) to
 * `<container>[/<prefix>]`: paths below the directory become objects below the
 * prefix. Every upload carries its MD5, so Swift refuses corrupted bodies; files
 * larger than the segment size go up as Static Large Objects, streamed with bounded
 * memory; `--changed` skips files whose size and MD5 already match, so a re-run
 * transfers only what changed. `--consolidate` then writes the zarr hierarchy's
 * consolidated metadata (v3 `consolidated_metadata` in the root `zarr.json`, v2
 * `.zmetadata`) with `consolidateMetadata`, so that readers open it in one request.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/upload.ts ./data.zarr my-container/datasets/run-42
 * deno run -A jsr:@zarrswift/store/scripts/upload.ts --changed --json ./data.zarr my-container/run-42
 * deno run -A jsr:@zarrswift/store/scripts/upload.ts --consolidate ./data.zarr my-container/run-42
 * ```
 *
 * @module
 */

import { consolidateMetadata, largeObjectSegments, Limiter, SwiftStore, uploadLargeObject } from "../mod.ts";
import {
  AUTH_HELP,
  AUTH_OPTIONS,
  bytes,
  connection,
  intFlag,
  location,
  Progress,
  run,
  sizeFlag,
  UsageError,
} from "./_cli/mod.ts";
import { fileMd5, fileSource, type LocalFile, matchesSegments, rangeStream, walk } from "./_cli/mod.ts";

const HELP = `
Usage: upload.ts [options] <local-dir> <container>[/<prefix>]

Uploads every file under <local-dir> to the container, below <prefix>.

Options:
  --changed              skip files whose size and MD5 match the object already there
  --consolidate          then write the zarr hierarchy's consolidated metadata (refused,
                         exit status 1, when a node breaks the zarr specification)
  --segment-size SIZE    files larger than this go up as Static Large Objects (default 1G)
  --segment-container C  where segments go (default <container>_segments)
  --concurrency N        requests in flight (default 32)
  --json                 print one JSON summary as the last line; no progress bar
  -h, --help             this help

${AUTH_HELP}

Exit status: 0 when every file is uploaded or skipped, 1 on any failure, 2 on bad usage.`;

/** Files up to this size are read whole; larger ones are streamed. */
const IN_MEMORY = 4 << 20;
/** Objects from this size on may be large objects (whose listing hash is the manifest's). */
const MAYBE_LARGE = 1 << 20;

await run("upload.ts", {
  options: {
    ...AUTH_OPTIONS,
    changed: { type: "boolean" },
    consolidate: { type: "boolean" },
    "segment-size": { type: "string" },
    "segment-container": { type: "string" },
    concurrency: { type: "string" },
    json: { type: "boolean" },
  },
  help: HELP,
  positionals: { min: 2, max: 2 },
}, async ({ values, positionals }) => {
  const [dir, target] = positionals;
  const info = await Deno.stat(dir).catch(() => undefined);
  if (!info?.isDirectory) throw new UsageError(`${dir} is not a directory`);
  const loc = location(target);
  const concurrency = intFlag(values.concurrency, "concurrency", 32) || 1;
  const segmentSize = sizeFlag(values["segment-size"], "segment-size", 2 ** 30);
  const store = await SwiftStore.open({
    container: loc.container,
    prefix: loc.path,
    ...connection(values, concurrency),
  });
  const started = performance.now();

  // What is there already: one listing, no request per object.
  const remote = new Map<string, { bytes: number; hash: string }>();
  if (values.changed) {
    for await (const entry of store.scan("/")) {
      remote.set(entry.key, { bytes: entry.bytes, hash: entry.hash });
    }
  }

  const counts = { uploaded: 0, skipped: 0, failed: 0, bytes: 0 };
  const progress = new Progress(!values.json);
  // On a terminal, one quick pass (names and sizes only) gives the bar its total and ETA.
  if (progress.shown) {
    let total = 0;
    for await (const _ of walk(dir)) total++;
    progress.setTotal(total);
  }
  const unchanged = async (file: LocalFile): Promise<boolean> => {
    const there = remote.get(file.key);
    if (!there || there.bytes !== file.size) return false;
    if (await fileMd5(file.path) === there.hash) return true;
    // A large object's listing hash is its manifest's: compare segment by segment.
    const segments = file.size >= MAYBE_LARGE ? await largeObjectSegments(store, file.key) : undefined;
    return segments !== undefined && await matchesSegments(file.path, segments);
  };
  // Files in flight are bounded too, so that 100,000 files never sit in memory at once.
  await new Limiter(concurrency * 2).each(walk(dir), async (file) => {
    try {
      if (values.changed && await unchanged(file)) {
        counts.skipped++;
        progress.tick();
        return;
      }
      if (file.size > segmentSize) {
        await uploadLargeObject(store, file.key, fileSource(file.path, file.size), {
          segmentSize,
          segmentContainer: values["segment-container"] as string | undefined,
        });
      } else if (file.size > IN_MEMORY) {
        await store.setStream(file.key, () => rangeStream(file.path, 0, file.size), { size: file.size });
      } else {
        await store.set(file.key, await Deno.readFile(file.path));
      }
      counts.uploaded++;
      counts.bytes += file.size;
      progress.add(file.size);
      progress.tick();
    } catch (err) {
      counts.failed++;
      console.error(`upload.ts: ${file.path}: ${err instanceof Error ? err.message : err}`);
    }
  });
  progress.done();
  // Consolidate only a complete upload: a partial one would describe nodes that are not there.
  const consolidated = values.consolidate && counts.failed === 0
    ? await consolidateMetadata(store)
    : undefined;
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  if (values.json) {
    const extra = consolidated
      ? { consolidated: { format: consolidated.format, nodes: consolidated.nodes } }
      : {};
    console.log(JSON.stringify({ ...counts, seconds, ...extra }));
  } else {
    console.log(
      `uploaded ${counts.uploaded} (${
        bytes(counts.bytes)
      }), skipped ${counts.skipped}, failed ${counts.failed} to ${store.url} in ${seconds} s`,
    );
    if (consolidated) {
      console.log(
        `consolidated the metadata of ${consolidated.nodes} zarr v${consolidated.format} nodes into ${
          consolidated.key.slice(1)
        } (${bytes(consolidated.bytes)})`,
      );
    }
  }
  return counts.failed > 0 ? 1 : 0;
});

#!/usr/bin/env -S deno run -A
/**
 * Downloads every object under `<container>[/<prefix>]` into a local directory:
 * objects below the prefix land below the directory. Bodies are checked against
 * their MD5; large objects (SLO/DLO) arrive whole from the server, streamed to disk;
 * `--changed` skips files whose size and MD5 already match.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/download.ts my-container/datasets/run-42 ./run-42.zarr
 * ```
 *
 * @module
 */

import {
  createMd5,
  IntegrityError,
  largeObjectSegments,
  Limiter,
  type ObjectEntry,
  type SwiftStore,
} from "../mod.ts";
import { AUTH_HELP, AUTH_OPTIONS, bytes, intFlag, location, openStore, Progress, run } from "./_cli/mod.ts";
import { fileMd5, localPath, matchesSegments } from "./_cli/mod.ts";

const HELP = `
Usage: download.ts [options] <container>[/<prefix>] <local-dir>

Downloads every object under <prefix> into <local-dir> (created when missing).

Options:
  --changed          skip files whose size and MD5 match the object
  --concurrency N    requests in flight (default 32)
  --json             print one JSON summary as the last line; no progress bar
  -h, --help         this help

${AUTH_HELP}

Exit status: 0 when every object is downloaded or skipped, 1 on any failure, 2 on bad usage.`;

const IN_MEMORY = 4 << 20;
/** Objects from this size on may be large objects (whose listing hash is the manifest's). */
const MAYBE_LARGE = 1 << 20;

await run("download.ts", {
  options: {
    ...AUTH_OPTIONS,
    changed: { type: "boolean" },
    concurrency: { type: "string" },
    json: { type: "boolean" },
  },
  help: HELP,
  positionals: { min: 2, max: 2 },
}, async ({ values, positionals }) => {
  const [source, dir] = positionals;
  const concurrency = intFlag(values.concurrency, "concurrency", 32) || 1;
  const store = await openStore(location(source), values, { concurrency });
  const started = performance.now();
  const counts = { downloaded: 0, skipped: 0, failed: 0, bytes: 0 };
  const progress = new Progress(!values.json);
  // On a terminal, one listing pass gives the bar its total and ETA.
  if (progress.shown) {
    let total = 0;
    for await (const _ of store.scan("/")) total++;
    progress.setTotal(total);
  }
  await Deno.mkdir(dir, { recursive: true });
  const made = new Set<string>([dir]);

  await new Limiter(concurrency * 2).each(store.scan("/"), async (entry) => {
    const path = localPath(dir, entry.key);
    try {
      if (path === undefined) throw new TypeError(`the object name ${entry.key} cannot be a local path`);
      if (values.changed) {
        const local = await Deno.stat(path).catch(() => undefined);
        if (local?.isFile && local.size === entry.bytes && await sameContent(store, entry, path)) {
          counts.skipped++;
          progress.tick();
          return;
        }
      }
      const parent = path.slice(0, path.lastIndexOf("/"));
      if (!made.has(parent)) {
        await Deno.mkdir(parent, { recursive: true });
        made.add(parent);
      }
      let size: number;
      if (entry.bytes <= IN_MEMORY) {
        const body = await store.get(entry.key); // checked against its ETag
        if (body === undefined) throw new TypeError(`${entry.key} disappeared while downloading`);
        await Deno.writeFile(path, body);
        size = body.length;
      } else {
        size = await streamToFile(store, entry, path);
      }
      counts.downloaded++;
      counts.bytes += size;
      progress.add(size);
      progress.tick();
    } catch (err) {
      counts.failed++;
      console.error(`download.ts: ${entry.key}: ${err instanceof Error ? err.message : err}`);
    }
  });
  progress.done();
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  if (values.json) console.log(JSON.stringify({ ...counts, seconds }));
  else {
    console.log(
      `downloaded ${counts.downloaded} (${
        bytes(counts.bytes)
      }), skipped ${counts.skipped}, failed ${counts.failed} from ${store.url} in ${seconds} s`,
    );
  }
  return counts.failed > 0 ? 1 : 0;
});

/** Whether the local file holds the object's bytes (large objects: segment by segment). */
async function sameContent(store: SwiftStore, entry: ObjectEntry, path: string): Promise<boolean> {
  if (await fileMd5(path) === entry.hash) return true;
  // A large object's listing hash is its manifest's MD5.
  const segments = entry.bytes >= MAYBE_LARGE ? await largeObjectSegments(store, entry.key) : undefined;
  return segments !== undefined && await matchesSegments(path, segments);
}

/** Streams an object to `path` through a temporary file, checking its MD5; retries twice. */
async function streamToFile(
  store: SwiftStore,
  entry: ObjectEntry,
  path: string,
): Promise<number> {
  for (let attempt = 0;; attempt++) {
    const opened = await store.getStream(entry.key);
    if (opened === undefined) throw new TypeError(`${entry.key} disappeared while downloading`);
    const temp = `${path}.part`;
    const file = await Deno.open(temp, { write: true, create: true, truncate: true });
    const md5 = await createMd5();
    let size = 0;
    try {
      const writer = file.writable.getWriter();
      for await (const chunk of opened.body) {
        md5.update(chunk);
        size += chunk.length;
        await writer.write(chunk);
      }
      await writer.close();
    } catch (err) {
      await Deno.remove(temp).catch(() => {});
      if (attempt < 2) continue;
      throw err;
    }
    const actual = md5.digest();
    if (!opened.largeObject && opened.etag !== undefined && actual !== opened.etag) {
      await Deno.remove(temp).catch(() => {});
      if (attempt < 2) continue;
      throw new IntegrityError(`Expected ${entry.key} to have MD5 ${opened.etag}, found ${actual}`);
    }
    await Deno.rename(temp, path);
    return size;
  }
}

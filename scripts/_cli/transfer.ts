/**
 * Moving one file up or one object down, as upload, download and sync do: small
 * files in one PUT, larger ones streamed, files over the segment size as Static
 * Large Objects (resumable; a plain file over a large object deletes its segments); small objects read whole (checked against their MD5),
 * larger ones streamed to disk through a `.part` file with their MD5 checked.
 *
 * @module
 */

import {
  type AbsolutePath,
  createMd5,
  deleteOwnSegments,
  IntegrityError,
  largeObjectSegments,
  missingSegments,
  type SwiftStore,
  uploadLargeObject,
} from "../../mod.ts";
import { fileSource, type LocalFile, rangeStream } from "./files.ts";
import { writeThroughPart } from "./targets.ts";
import { counting, type Progress } from "./progress.ts";

/** Files and objects up to this size are moved whole in memory; larger ones are streamed. */
export const IN_MEMORY = 4 << 20;

/** How files go up. */
export interface UploadSettings {
  /** Files larger than this go up as Static Large Objects. */
  segmentSize: number;
  /** Where their segments go. */
  segmentContainer: string;
  /** More headers of every object (metadata, expiry). */
  headers?: Record<string, string>;
  /** The content type of every object (default: from the name). */
  contentType?: string;
  /** Aborts the transfer. */
  signal: AbortSignal;
  /** Files up to this size are read whole (default 4 MiB; see `inMemoryLimit`). */
  inMemory?: number;
  /** Told the segments an overwritten large object pointed at outside its own path (kept). */
  onKept?: (file: LocalFile, kept: string[]) => void;
  /**
   * Whether the file replaces a large object (as a listing says): going up as a plain
   * object, it then deletes the segments the large object owned.
   */
  replacesLargeObject?: (file: LocalFile) => boolean;
}

/**
 * Uploads one file to its key; `track` is told the bytes sent so far (a retry
 * starts again from 0).
 */
export async function uploadFile(
  store: SwiftStore,
  file: LocalFile,
  settings: UploadSettings,
  track: (soFar: number) => void,
): Promise<void> {
  const { signal, headers, contentType } = settings;
  if (file.size > settings.segmentSize) {
    await uploadLargeObject(store, file.key, fileSource(file), {
      segmentSize: settings.segmentSize,
      segmentContainer: settings.segmentContainer,
      onProgress: track,
      onCleanup: ({ kept }) => kept.length && settings.onKept?.(file, kept),
      headers,
      contentType,
      signal,
    });
    return;
  }
  // Read before the manifest is replaced: afterwards nothing says where its segments were.
  const old = settings.replacesLargeObject?.(file)
    ? await largeObjectSegments(store, file.key, signal)
    : undefined;
  if (file.size > (settings.inMemory ?? IN_MEMORY)) {
    await store.setStream(file.key, () => {
      track(0);
      return rangeStream(file.path, 0, file.size).pipeThrough(counting(track));
    }, { size: file.size, signal, headers, contentType });
  } else {
    await store.set(file.key, await Deno.readFile(file.path), { signal, headers, contentType });
    track(file.size);
  }
  if (old) {
    const { kept } = await deleteOwnSegments(store, file.key, old, signal);
    if (kept.length) settings.onKept?.(file, kept);
  }
}

/**
 * Downloads the object `key` (of `size` bytes, as listed) to `path` through a `.part`
 * file (objects up to `inMemory` bytes read whole); answers the bytes written.
 */
export async function downloadObject(
  store: SwiftStore,
  key: AbsolutePath,
  size: number,
  path: string,
  progress: Progress,
  signal: AbortSignal,
  inMemory: number = IN_MEMORY,
): Promise<number> {
  if (size > inMemory) return await streamToFile(store, key, path, progress, signal);
  const body = await store.get(key, { signal });
  if (body === undefined) throw new TypeError(`${key.slice(1)} disappeared while downloading`);
  await writeThroughPart(path, body);
  progress.add(body.length);
  return body.length;
}

/** Streams an object to `path` through a `.part` file, checking its MD5; retries twice. */
async function streamToFile(
  store: SwiftStore,
  key: AbsolutePath,
  path: string,
  progress: Progress,
  signal: AbortSignal,
): Promise<number> {
  const track = progress.track();
  for (let attempt = 0;; attempt++) {
    const opened = await store.getStream(key, { signal });
    if (opened === undefined) throw new TypeError(`${key.slice(1)} disappeared while downloading`);
    const md5 = await createMd5();
    let size = 0;
    try {
      await writeThroughPart(path, async (file) => {
        await opened.body
          .pipeThrough(counting(track))
          .pipeThrough(
            new TransformStream({
              transform(chunk, out) {
                md5.update(chunk);
                size += chunk.length;
                out.enqueue(chunk);
              },
            }),
          )
          .pipeTo(file.writable, { signal });
        const actual = md5.digest();
        if (!opened.largeObject && opened.etag !== undefined && actual !== opened.etag) {
          throw new IntegrityError(`Expected ${key.slice(1)} to have MD5 ${opened.etag}, found ${actual}`);
        }
      });
      return size;
    } catch (err) {
      track(0);
      if (signal.aborted) throw err;
      // Swift answered 200 and cut the body where a segment is gone: no retry mends that.
      if (opened.largeObject) throw await segmentsGone(store, key, signal) ?? err;
      if (attempt >= 2) throw err;
    }
  }
}

/**
 * The error for a large object that cannot be read whole because segments are gone,
 * when that is why its read failed (Swift answers 200 and cuts the body at the first
 * missing segment); `undefined` when every segment is in place.
 */
export async function segmentsGone(
  store: SwiftStore,
  key: AbsolutePath,
  signal?: AbortSignal,
): Promise<Error | undefined> {
  const segments = await largeObjectSegments(store, key, signal).catch(() => undefined);
  const missing = segments ? await missingSegments(store, segments, signal).catch(() => []) : [];
  if (!segments || missing.length === 0) return undefined;
  return new Error(
    `Expected every segment of the large object ${
      key.slice(1)
    }, found ${missing.length} of ${segments.length} missing or changed (the first: ${
      missing[0].path.slice(1)
    }): it cannot be read whole`,
  );
}

/**
 * Local files for upload and download: walking a directory lazily (with the rule
 * for links and special files), byte ranges as streams, MD5 of a file without
 * reading it into memory, and the mapping between relative paths and store keys
 * (writing a download is `targets.ts`).
 *
 * @module
 */

import {
  type AbsolutePath,
  createMd5,
  largeObjectSegments,
  missingSegments,
  type SegmentSource,
  type SwiftStore,
} from "../../mod.ts";
import { UsageError } from "./args.ts";

/** A file found under the upload root. */
export interface LocalFile {
  /** Path on disk. */
  path: string;
  /** The store key: `/` + the path relative to the root, with `/` separators. */
  key: AbsolutePath;
  /** Size in bytes. */
  size: number;
  /** Last modification, in ms since the epoch (names the segments of a large object). */
  mtime: number | undefined;
}

/** Something under the upload root that is not uploaded, and why. */
export interface Passed {
  /** Path on disk. */
  path: string;
  /** The key it would have had. */
  key: AbsolutePath;
  /** Why it is not uploaded. */
  reason: string;
  /** `true`: it should have been uploaded but cannot be read (a failure); `false`: not a file (skipped). */
  failed: boolean;
  /** Whether it is a directory (not followed or not readable): the keys below it are its. */
  directory?: boolean;
}

/** What kind of special file `info` describes. */
function kindOf(info: Deno.FileInfo): string {
  if (info.isFifo) return "a FIFO";
  if (info.isSocket) return "a socket";
  if (info.isCharDevice || info.isBlockDevice) return "a device";
  return "not a regular file";
}

/**
 * Every regular file under `root`, depth first, one directory read at a time. The
 * rule: regular files, and symlinks to regular files (their content, under the
 * link's name), are yielded. Symlinks to directories are not followed (so a loop
 * cannot happen), FIFOs, sockets and devices are not read: each is told to
 * `onPassed` as skipped. A dangling or looping symlink and an unreadable directory
 * are told as failed.
 */
export async function* walk(
  root: string,
  onPassed: (passed: Passed) => void = () => {},
  relative = "",
): AsyncGenerator<LocalFile> {
  const dir = relative === "" ? root : `${root}/${relative}`;
  const entries: Deno.DirEntry[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) entries.push(entry);
  } catch (err) {
    onPassed({
      path: dir,
      key: `/${relative}`,
      reason: `cannot read the directory: ${message(err)}`,
      failed: true,
      directory: true,
    });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const rel = relative === "" ? entry.name : `${relative}/${entry.name}`;
    const path = `${root}/${rel}`;
    const key: AbsolutePath = `/${rel}`;
    if (entry.isDirectory) {
      yield* walk(root, onPassed, rel);
      continue;
    }
    let info: Deno.FileInfo;
    try {
      info = entry.isSymlink ? await Deno.stat(path) : await Deno.lstat(path);
    } catch (err) {
      const reason = err instanceof Deno.errors.NotFound
        ? entry.isSymlink ? "a symlink to nothing (dangling)" : "gone before it was read"
        : `cannot read it: ${message(err)}`;
      onPassed({ path, key, reason, failed: true });
      continue;
    }
    if (info.isFile) yield { path, key, size: info.size, mtime: info.mtime?.getTime() };
    else if (info.isDirectory) {
      onPassed({
        path,
        key,
        reason: "a symlink to a directory: not followed",
        failed: false,
        directory: true,
      });
    } else {
      onPassed({
        path,
        key,
        reason: `${kindOf(info)}${entry.isSymlink ? " (through a symlink)" : ""}: not uploaded`,
        failed: false,
      });
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The bytes `[start, end)` of a file as a stream, read in 1 MiB pieces. */
export function rangeStream(path: string, start: number, end: number): ReadableStream<Uint8Array> {
  let file: Deno.FsFile | undefined;
  let position = start;
  return new ReadableStream<Uint8Array>({
    async start() {
      file = await Deno.open(path);
      await file.seek(start, Deno.SeekMode.Start);
    },
    async pull(controller) {
      const want = Math.min(1 << 20, end - position);
      if (want <= 0) {
        file?.close();
        controller.close();
        return;
      }
      const buffer = new Uint8Array(want);
      const n = await file!.read(buffer);
      if (n === null) {
        file?.close();
        controller.error(new Error(`${path} ended before byte ${end}: it changed while being read`));
        return;
      }
      position += n;
      controller.enqueue(n === want ? buffer : buffer.subarray(0, n));
    },
    cancel() {
      file?.close();
    },
  });
}

/**
 * A file as a {@link SegmentSource} for large-object uploads; its modification time
 * names the segments, so that a re-run of an interrupted upload reuses them.
 */
export function fileSource(file: LocalFile): SegmentSource {
  return {
    size: file.size,
    lastModified: file.mtime,
    slice: (start, end) => ({ stream: () => rangeStream(file.path, start, end) }),
  };
}

/** The MD5 of a file's bytes `[start, end)`, streamed; `onBytes` is told each piece's size. */
export async function fileMd5(
  path: string,
  start = 0,
  end?: number,
  onBytes: (n: number) => void = () => {},
): Promise<string> {
  const stop = end ?? (await Deno.stat(path)).size;
  const md5 = await createMd5();
  for await (const chunk of rangeStream(path, start, stop)) {
    md5.update(chunk);
    onBytes(chunk.length);
  }
  return md5.digest();
}

/**
 * Whether a local file holds exactly the large object at `key`: its bytes segment by
 * segment, and every segment in place (a manifest whose segments are gone cannot be
 * read, whatever its MD5s say). `false` when `key` is no large object.
 */
export async function sameAsLargeObject(
  store: SwiftStore,
  key: AbsolutePath,
  path: string,
  onBytes: (n: number) => void,
  signal?: AbortSignal,
): Promise<boolean> {
  const segments = await largeObjectSegments(store, key, signal);
  if (segments === undefined || !await matchesSegments(path, segments, onBytes)) return false;
  return (await missingSegments(store, segments, signal)).length === 0;
}

/** Whether a local file holds exactly the bytes of these large-object segments. */
export async function matchesSegments(
  path: string,
  segments: { etag: string; size: number }[],
  onBytes: (n: number) => void = () => {},
): Promise<boolean> {
  let start = 0;
  for (const segment of segments) {
    if (await fileMd5(path, start, start + segment.size, onBytes) !== segment.etag) return false;
    start += segment.size;
  }
  return start === (await Deno.stat(path)).size;
}

/**
 * The local path for a key under `root`, or `undefined` when the key could escape it
 * or name no file (`.`, `..` or empty segments).
 */
export function localPath(root: string, key: string): string | undefined {
  const segments = key.replace(/^\//, "").split("/");
  if (segments.some((s) => s === "" || s === "." || s === ".." || s.includes("\0"))) return undefined;
  return `${root}/${segments.join("/")}`;
}

/**
 * Requests in flight that upload and download use by default: a request holds its
 * slot for a whole round trip, so a WAN link needs many (measured: 128 was best or
 * tied on loopback, at 50 ms and at 100 ms; see BENCHMARKS.md).
 */
export const TRANSFER_CONCURRENCY = 128;

/** Bytes of whole files held in memory at once, at most, whatever the concurrency. */
const MEMORY_BUDGET = 256 << 20;

/**
 * Files up to this size are read (or received) whole; larger ones are streamed. With
 * `2 × concurrency` files in flight, the bytes held stay under 256 MiB.
 */
export function inMemoryLimit(concurrency: number): number {
  return Math.max(64 << 10, Math.min(4 << 20, Math.floor(MEMORY_BUDGET / (2 * concurrency))));
}

/**
 * Refuses (bad usage) a local directory argument that is missing or is no directory;
 * `role` says what it is for ("to upload", "to download into"). A missing one passes
 * when `missingOk` (a target that will be created). `other`, the other argument, is
 * named when it is a local directory (the two given the wrong way round).
 */
export async function requireDir(
  dir: string,
  role: string,
  missingOk = false,
  other?: string,
): Promise<void> {
  const info = await Deno.stat(dir).catch(() => undefined);
  if (info?.isDirectory || (info === undefined && missingOk)) return;
  // The arguments the wrong way round: the other one is the local directory.
  const swapped = other !== undefined && (await Deno.stat(other).catch(() => undefined))?.isDirectory;
  throw new UsageError(
    `expected a local directory ${role}, found ${info === undefined ? "nothing" : "a file"} at ${dir}${
      swapped ? `; ${other} is one: the local directory comes first` : ""
    }`,
  );
}

/**
 * Local files for upload and download: walking a directory lazily, byte ranges as
 * streams, MD5 of a file without reading it into memory, and the mapping between
 * relative paths and store keys.
 *
 * @module
 */

import { type AbsolutePath, createMd5, type SegmentSource } from "../../mod.ts";

/** A file found under the upload root. */
export interface LocalFile {
  /** Path on disk. */
  path: string;
  /** The store key: `/` + the path relative to the root, with `/` separators. */
  key: AbsolutePath;
  /** Size in bytes. */
  size: number;
}

/** Every regular file under `root`, depth first, one directory read at a time. */
export async function* walk(root: string, relative = ""): AsyncGenerator<LocalFile> {
  const dir = relative === "" ? root : `${root}/${relative}`;
  const entries: Deno.DirEntry[] = [];
  for await (const entry of Deno.readDir(dir)) entries.push(entry);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const rel = relative === "" ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory) {
      yield* walk(root, rel);
    } else if (entry.isFile || entry.isSymlink) {
      const info = await Deno.stat(`${root}/${rel}`);
      if (info.isFile) yield { path: `${root}/${rel}`, key: `/${rel}`, size: info.size };
    }
  }
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

/** A file as a {@link SegmentSource} for large-object uploads. */
export function fileSource(path: string, size: number): SegmentSource {
  return { size, slice: (start, end) => ({ stream: () => rangeStream(path, start, end) }) };
}

/** The MD5 of a file's bytes `[start, end)`, streamed. */
export async function fileMd5(path: string, start = 0, end?: number): Promise<string> {
  const stop = end ?? (await Deno.stat(path)).size;
  const md5 = await createMd5();
  for await (const chunk of rangeStream(path, start, stop)) md5.update(chunk);
  return md5.digest();
}

/** Whether a local file holds exactly the bytes of these large-object segments. */
export async function matchesSegments(
  path: string,
  segments: { etag: string; size: number }[],
): Promise<boolean> {
  let start = 0;
  for (const segment of segments) {
    if (await fileMd5(path, start, start + segment.size) !== segment.etag) return false;
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

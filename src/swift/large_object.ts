/**
 * Static Large Objects: files larger than one PUT allows (or than you want in one
 * request) go up as segments into a segments container, then a manifest ties them
 * together; Swift serves the whole object on GET. Segments are streamed from the
 * source, so memory stays bounded whatever the file size.
 *
 * Naming follows python-swiftclient (`swift upload --use-slo`): segments live in
 * `<container>_segments` as `<object>/slo/<mtime>/<size>/<segment size>/<index>`,
 * from the source's modification time, so the same file gets the same names: a
 * re-run after an interruption finds the segments already there (checked by MD5)
 * and sends only the missing ones. After the manifest is written, every other
 * segment under the object's own segment path (an interrupted or replaced upload's)
 * is deleted; segments a replaced manifest pointed at elsewhere are kept and reported.
 *
 * @module
 */

import { expectOk, headersOf } from "../http/response.ts";
import { createMd5 } from "../util/md5.ts";
import { checkContainerName } from "../util/names.ts";
import { type ContainerRef, objectRequest } from "./connection.ts";
import { deleteNames } from "./deleting.ts";
import { listContainerPages } from "./listing.ts";
import { ownSegments, readManifest, type Segment, segmentContainerOf } from "./manifest.ts";
import { ensureContainer } from "./metadata.ts";
import { putObjectStream } from "./objects.ts";

/**
 * What can be uploaded in segments: anything with a size that can stream a byte
 * range (a `Blob` or `File`, or a file opened by a script).
 *
 * @example A source over bytes in memory
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SegmentSource } from "@zarrswift/store";
 * const bytes = new TextEncoder().encode("hello, world");
 * const source: SegmentSource = { size: bytes.length, slice: (start, end) => new Blob([bytes.slice(start, end)]) };
 * assert.equal(await new Response(source.slice(7, 12).stream()).text(), "world");
 * ```
 */
export interface SegmentSource {
  /** Total bytes. */
  readonly size: number;
  /**
   * When the source last changed, in ms since the epoch (a `File` has it): segment
   * names derive from it, so that a re-run of the same upload reuses them.
   */
  readonly lastModified?: number;
  /**
   * A byte range of the source (called again on a retry).
   *
   * @param start The first byte.
   * @param end The byte after the last one.
   * @returns Something that opens a stream of the bytes in `[start, end)`.
   */
  slice(start: number, end: number): { stream(): ReadableStream<Uint8Array> };
}

/**
 * Options of {@link uploadLargeObject}.
 *
 * @example Segments next to the object, with progress
 * ```ts
 * import assert from "node:assert/strict";
 * import { type LargeObjectOptions, SwiftContainer } from "@zarrswift/store";
 * const container = await SwiftContainer.open({ container: "docs-examples" });
 * const dir = `${crypto.randomUUID()}/`;
 * const progress: number[] = [];
 * const options: LargeObjectOptions = {
 *   segmentSize: 5,
 *   segmentContainer: "docs-examples", // segments under `${dir}big.txt/slo/`
 *   onProgress: (bytes) => progress.push(bytes),
 * };
 * assert.equal(await container.uploadLargeObject(`${dir}big.txt`, new Blob(["hello, world"]), options), 3);
 * assert.equal(progress.at(-1), 12);
 * await container.deletePrefix(dir); // the object and its segments
 * ```
 */
export interface LargeObjectOptions {
  /** Bytes per segment (default 1 GiB). */
  segmentSize?: number;
  /** Where segments go (default `<container>_segments`). */
  segmentContainer?: string;
  /** The object's content type. */
  contentType?: string;
  /** More headers of the object (sent with its manifest): metadata, expiry. */
  headers?: Record<string, string>;
  /** Called as bytes go out (and for segments already there) with the bytes uploaded so far. */
  onProgress?: (bytes: number) => void;
  /**
   * Reuse segments already in place under the same names when their MD5 matches the
   * source's (default `true`): a re-run sends only what an interruption left out.
   */
  resume?: boolean;
  /** Told what was cleaned up after the manifest was written: stale own segments deleted, foreign ones kept. */
  onCleanup?: (report: { deleted: number; kept: string[] }) => void;
  /** Aborts the upload. */
  signal?: AbortSignal;
}

/** The MD5 of a source's bytes `[start, end)`. */
async function md5Of(source: SegmentSource, start: number, end: number): Promise<string> {
  const md5 = await createMd5();
  for await (const chunk of source.slice(start, end).stream()) md5.update(chunk);
  return md5.digest();
}

/** Segments already in place under `prefix` of the segment container, by name. */
async function existing(
  ref: ContainerRef,
  prefix: string,
  signal?: AbortSignal,
): Promise<Map<string, { size: number; etag: string }>> {
  const found = new Map<string, { size: number; etag: string }>();
  for await (const page of listContainerPages(ref.conn.client, ref.name, { prefix, signal })) {
    for (const e of page) if (e.name !== undefined) found.set(e.name, { size: e.bytes, etag: e.hash });
  }
  return found;
}

/**
 * The segments (from a manifest in `ref`'s account) that are not in place: missing, or
 * of another size or MD5. One listing per segment container, under the segments'
 * common prefix.
 */
export async function missingSegments(
  ref: ContainerRef,
  segments: readonly Segment[],
  signal?: AbortSignal,
): Promise<Segment[]> {
  const byContainer = new Map<string, { name: string; segment: Segment }[]>();
  for (const segment of segments) {
    const at = segment.path.indexOf("/", 1);
    const container = segment.path.slice(1, at);
    const list = byContainer.get(container) ?? byContainer.set(container, []).get(container)!;
    list.push({ name: segment.path.slice(at + 1), segment });
  }
  const missing: Segment[] = [];
  for (const [container, list] of byContainer) {
    let prefix = list[0].name;
    for (const { name } of list) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
    const found = await existing({ ...ref, name: container }, prefix, signal);
    for (const { name, segment } of list) {
      const there = found.get(name);
      if (there === undefined || there.size !== segment.size || there.etag !== segment.etag) {
        missing.push(segment);
      }
    }
  }
  return missing;
}

/**
 * Uploads `source` to the object `name` as a Static Large Object: segments streamed
 * and sent concurrently within the client's bound, each checked against its MD5
 * (segments already in place with the right MD5 are reused), then the manifest,
 * then the cleanup of the object's stale segments. Answers the number of segments.
 */
export async function uploadLargeObject(
  ref: ContainerRef,
  name: string,
  source: SegmentSource,
  options: LargeObjectOptions = {},
): Promise<number> {
  const { signal } = options;
  ref.conn.client.checkWritable({
    method: "PUT",
    what: "Writing large object",
    target: `${ref.name}/${name}`,
  });
  const segmentSize = options.segmentSize ?? 2 ** 30;
  if (!Number.isSafeInteger(segmentSize) || segmentSize < 1) {
    throw new RangeError(`Expected segmentSize to be a positive integer, found ${segmentSize}`);
  }
  const segments: ContainerRef = {
    ...ref,
    name: checkContainerName(segmentContainerOf(ref.name, options.segmentContainer)),
  };
  const count = Math.max(1, Math.ceil(source.size / segmentSize));
  const limit = ((await ref.conn.info(signal))?.slo as { max_manifest_segments?: number } | undefined)
    ?.max_manifest_segments ?? 1000;
  if (count > limit) {
    throw new RangeError(
      `Expected at most ${limit} segments (the cluster's limit), found ${count}: use a segment size of at least ${
        Math.ceil(source.size / limit)
      } bytes`,
    );
  }
  const old = ((await readManifest(ref, name, signal)) ?? []).map((s) => s.path);
  await ensureContainer(segments, { create: true, signal });

  const stamp = ((source.lastModified ?? Date.now()) / 1000).toFixed(6);
  const base = `${name}/slo/${stamp}/${source.size}/${segmentSize}/`;
  const there = options.resume === false ? new Map() : await existing(segments, base, signal);
  // Segments expire with their object: an expired manifest must not leave them behind.
  const expiry = Object.fromEntries(
    Object.entries(options.headers ?? {}).filter(([k]) => /^x-delete-(at|after)$/i.test(k)),
  );
  const sent = new Array<number>(count).fill(0);
  const progress = () => options.onProgress?.(sent.reduce((a, b) => a + b, 0));
  const written = await Promise.all(Array.from({ length: count }, async (_, index) => {
    const start = index * segmentSize;
    const end = Math.min(source.size, start + segmentSize);
    const segmentName = base + String(index).padStart(8, "0");
    const path = `/${segments.name}/${segmentName}`;
    const found = there.get(segmentName);
    if (found?.size === end - start && found.etag === await md5Of(source, start, end)) {
      sent[index] = end - start;
      progress();
      return { path, etag: found.etag, size_bytes: end - start };
    }
    const { etag } = await putObjectStream(segments, segmentName, () => {
      sent[index] = 0;
      return source.slice(start, end).stream().pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, out) {
            sent[index] += chunk.length;
            progress();
            out.enqueue(chunk);
          },
        }),
      );
    }, { size: end - start, what: "Writing segment", verify: true, signal, headers: expiry });
    return { path, etag, size_bytes: end - start };
  }));

  const manifest = objectRequest(ref, "PUT", name, "Writing the manifest of", signal);
  manifest.query = "?multipart-manifest=put";
  manifest.headers = {
    ...options.headers,
    "Content-Type": options.contentType ?? "application/octet-stream",
  };
  manifest.body = JSON.stringify(written);
  await ref.conn.client.request(manifest, expectOk(headersOf));

  // Every other segment under the object's own path is garbage now (a replaced or an
  // interrupted upload's); what a replaced manifest pointed at elsewhere is not ours.
  const fresh = new Set(written.map((s) => s.path));
  const ownPrefix = `${name}/`;
  const stale = [...(await existing(segments, ownPrefix, signal)).keys()]
    .filter((n) => !fresh.has(`/${segments.name}/${n}`));
  const { foreign } = ownSegments(old.filter((p) => !fresh.has(p)), name, segments.name);
  const { deleted } = await deleteNames(segments, stale, signal);
  options.onCleanup?.({ deleted, kept: foreign });
  return count;
}

/**
 * Static Large Objects: files larger than one PUT allows (or than you want in one
 * request) go up as segments into a segments container, then a manifest ties them
 * together; Swift serves the whole object on GET. Segments are streamed from the
 * source, so memory stays bounded whatever the file size.
 *
 * Naming follows python-swiftclient (`swift upload --use-slo`): segments live in
 * `<container>_segments` as `<object>/slo/<timestamp>/<size>/<segment size>/<index>`.
 *
 * @module
 */

import { expectOk, headersOf, okOr404 } from "../http/response.ts";
import { type ContainerRef, objectRequest } from "./connection.ts";
import { deleteNames } from "./deleting.ts";
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
  /** Called after each segment with the bytes uploaded so far. */
  onProgress?: (bytes: number) => void;
  /** Aborts the upload. */
  signal?: AbortSignal;
}

/**
 * Uploads `source` to the object `name` as a Static Large Object, segments streamed
 * and sent concurrently within the client's bound, each checked against its MD5;
 * then writes the manifest and removes the segments of the object it replaces, if
 * any. Answers the number of segments.
 */
export async function uploadLargeObject(
  ref: ContainerRef,
  name: string,
  source: SegmentSource,
  options: LargeObjectOptions = {},
): Promise<number> {
  const segmentSize = options.segmentSize ?? 2 ** 30;
  if (!Number.isSafeInteger(segmentSize) || segmentSize < 1) {
    throw new RangeError(`Expected segmentSize to be a positive integer, found ${segmentSize}`);
  }
  ref.conn.client.checkWritable({
    method: "PUT",
    what: "Writing large object",
    target: `${ref.name}/${name}`,
  });
  const segments: ContainerRef = { ...ref, name: options.segmentContainer ?? `${ref.name}_segments` };
  const count = Math.max(1, Math.ceil(source.size / segmentSize));
  const limit = ((await ref.conn.info(options.signal))?.slo as { max_manifest_segments?: number } | undefined)
    ?.max_manifest_segments ?? 1000;
  if (count > limit) {
    throw new RangeError(
      `Expected at most ${limit} segments (the cluster's limit), found ${count}: use a segment size of at least ${
        Math.ceil(source.size / limit)
      } bytes`,
    );
  }
  const old = ((await readManifest(ref, name, options.signal)) ?? []).map((s) => s.path);
  await ensureContainer(segments, { create: true, signal: options.signal });

  const stamp = (Date.now() / 1000).toFixed(6);
  let done = 0;
  const written = await Promise.all(Array.from({ length: count }, async (_, index) => {
    const start = index * segmentSize;
    const end = Math.min(source.size, start + segmentSize);
    const segmentName = `${name}/slo/${stamp}/${source.size}/${segmentSize}/${
      String(index).padStart(8, "0")
    }`;
    const { etag } = await putObjectStream(segments, segmentName, () => source.slice(start, end).stream(), {
      size: end - start,
      what: "Writing segment",
      verify: true,
      signal: options.signal,
    });
    done += end - start;
    options.onProgress?.(done);
    return { path: `/${segments.name}/${segmentName}`, etag, size_bytes: end - start };
  }));

  const manifest = objectRequest(ref, "PUT", name, "Writing the manifest of", options.signal);
  manifest.query = "?multipart-manifest=put";
  manifest.headers = { "Content-Type": options.contentType ?? "application/octet-stream" };
  manifest.body = JSON.stringify(written);
  await ref.conn.client.request(manifest, expectOk(headersOf));
  // The replaced object's segments are garbage now.
  const fresh = new Set(written.map((s) => s.path));
  const stale = old.filter((path) => !fresh.has(path));
  for (const [container, names] of groupByContainer(stale)) {
    await deleteNames({ ...ref, name: container }, names, options.signal);
  }
  return count;
}

/**
 * One segment of a Static Large Object, as its manifest lists it.
 *
 * @example The segments of a large object, from its manifest
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Segment, SwiftContainer } from "@zarrswift/store";
 * const container = await SwiftContainer.open({ container: "docs-examples" });
 * const dir = `${crypto.randomUUID()}/`;
 * await container.uploadLargeObject(`${dir}big.txt`, new Blob(["hello, world"]), {
 *   segmentSize: 5,
 *   segmentContainer: "docs-examples",
 * });
 * const segments: Segment[] | undefined = await container.largeObjectSegments(`${dir}big.txt`);
 * assert.deepEqual(segments?.map((s) => s.size), [5, 5, 2]);
 * assert.ok(segments?.every((s) => s.path.startsWith(`/docs-examples/${dir}big.txt/slo/`)));
 * await container.deletePrefix(dir);
 * ```
 */
export interface Segment {
  /** `/container/object` of the segment. */
  path: string;
  /** The segment's MD5. */
  etag: string;
  /** Its size in bytes. */
  size: number;
}

/**
 * The segments of the Static Large Object `name`, in order; `undefined` when there
 * is no object or it is not an SLO.
 */
export async function readManifest(
  ref: ContainerRef,
  name: string,
  signal?: AbortSignal,
): Promise<Segment[] | undefined> {
  const req = objectRequest(ref, "GET", name, "Reading the manifest of", signal);
  req.query = "?multipart-manifest=get&format=raw";
  return await ref.conn.client.request(
    req,
    okOr404(async (res) => {
      if (!res.headers.has("X-Static-Large-Object")) {
        await res.body?.cancel();
        return undefined;
      }
      const segments = await res.json() as { path: string; etag: string; size_bytes: number }[];
      return segments.map((s) => ({ path: s.path, etag: s.etag, size: s.size_bytes }));
    }, undefined),
  );
}

function groupByContainer(paths: string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const path of paths) {
    const [, container, ...rest] = path.split("/");
    const list = groups.get(container) ?? [];
    list.push(rest.join("/"));
    groups.set(container, list);
  }
  return groups;
}

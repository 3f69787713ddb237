/**
 * Static Large Objects: files larger than one PUT allows (or than you want in one
 * request) go up as segments into a segments container, then a manifest ties them
 * together; Swift serves the whole object on GET. Segments are streamed from the
 * source, so memory stays bounded whatever the file size.
 *
 * Naming follows python-swiftclient (`swift upload --use-slo`): segments live in
 * `<container>_segments` as `<object>/slo/<timestamp>/<size>/<segment size>/<index>`.
 *
 * @example
 * ```ts ignore
 * import { SwiftStore, uploadLargeObject } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "data" });
 * const file = new Blob([new Uint8Array(300 << 20)]);
 * await uploadLargeObject(store, "/big.bin", file, { segmentSize: 100 << 20 });
 * ```
 * @module
 */

import { encodeObjectName, objectNameForKey } from "./keys.ts";
import { type SwiftRequest, throwForStatus } from "./http.ts";
import { ensureContainer, internalsOf, putStream, type SwiftStore } from "./store.ts";
import { bulkDelete } from "./bulk_delete.ts";
import type { AbsolutePath } from "./keys.ts";

/**
 * What can be uploaded in segments: anything with a size that can stream a byte
 * range (a `Blob` or `File`, or a file opened by a script).
 *
 * @example
 * ```ts
 * import type { SegmentSource } from "@zarrswift/store";
 * const source: SegmentSource = new Blob(["hello"]);
 * ```
 */
export interface SegmentSource {
  /** Total bytes. */
  readonly size: number;
  /** The bytes in `[start, end)`, as something that can open a stream (called again on a retry). */
  slice(start: number, end: number): { stream(): ReadableStream<Uint8Array> };
}

/**
 * Options of {@link uploadLargeObject}.
 *
 * @example
 * ```ts
 * import type { LargeObjectOptions } from "@zarrswift/store";
 * const options: LargeObjectOptions = { segmentSize: 1 << 30 };
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
 * Uploads `source` to `key` as a Static Large Object, segments streamed and sent
 * concurrently within the store's bound, each checked against its MD5; then writes
 * the manifest and removes the segments of the object it replaces, if any. Answers
 * the number of segments.
 *
 * @example
 * ```ts ignore
 * const segments = await uploadLargeObject(store, "/big.bin", new Blob([bytes]), { segmentSize: 64 << 20 });
 * ```
 */
export async function uploadLargeObject(
  store: SwiftStore,
  key: AbsolutePath,
  source: SegmentSource,
  options: LargeObjectOptions = {},
): Promise<number> {
  if (store.readOnly) {
    throw new TypeError(`Expected a writable store for writing ${key}, found a read-only one`);
  }
  const segmentSize = options.segmentSize ?? 2 ** 30;
  if (!Number.isSafeInteger(segmentSize) || segmentSize < 1) {
    throw new RangeError(`Expected segmentSize to be a positive integer, found ${segmentSize}`);
  }
  const { client, info } = internalsOf(store);
  const name = objectNameForKey(store.prefix, key);
  const segmentContainer = options.segmentContainer ?? `${store.container}_segments`;
  const count = Math.max(1, Math.ceil(source.size / segmentSize));
  const limit = ((await info(options.signal))?.slo as { max_manifest_segments?: number } | undefined)
    ?.max_manifest_segments ?? 1000;
  if (count > limit) {
    throw new RangeError(
      `Expected at most ${limit} segments (the cluster's limit), found ${count}: use a segment size of at least ${
        Math.ceil(source.size / limit)
      } bytes`,
    );
  }
  const old = await oldSegments(store, name, options.signal);
  await ensureContainer(client, segmentContainer, { create: true, signal: options.signal });

  const stamp = (Date.now() / 1000).toFixed(6);
  let done = 0;
  const segments = await Promise.all(Array.from({ length: count }, async (_, index) => {
    const start = index * segmentSize;
    const end = Math.min(source.size, start + segmentSize);
    const segmentName = `${name}/slo/${stamp}/${source.size}/${segmentSize}/${
      String(index).padStart(8, "0")
    }`;
    const req: SwiftRequest = {
      method: "PUT",
      path: `/${encodeObjectName(segmentContainer)}/${encodeObjectName(segmentName)}`,
      target: `${segmentContainer}/${segmentName}`,
      what: "Writing segment",
      signal: options.signal,
    };
    const { etag } = await putStream(client, req, () => source.slice(start, end).stream(), {
      size: end - start,
      verify: true,
    });
    done += end - start;
    options.onProgress?.(done);
    return { path: `/${segmentContainer}/${segmentName}`, etag, size_bytes: end - start };
  }));

  const manifest: SwiftRequest = {
    method: "PUT",
    path: `/${encodeObjectName(store.container)}/${encodeObjectName(name)}`,
    query: "?multipart-manifest=put",
    target: `${store.container}/${name}`,
    what: "Writing the manifest of",
    headers: { "Content-Type": options.contentType ?? "application/octet-stream" },
    body: JSON.stringify(segments),
    signal: options.signal,
  };
  await client.request(manifest, async (res) => {
    if (!res.ok) return await throwForStatus(res, manifest);
    await res.body?.cancel();
  });
  // The replaced object's segments are garbage now.
  const fresh = new Set(segments.map((s) => s.path));
  const stale = old.filter((path) => !fresh.has(path));
  for (const [container, names] of groupByContainer(stale)) {
    await bulkDelete(client, container, names, options.signal);
  }
  return count;
}

/**
 * One segment of a Static Large Object, as its manifest lists it.
 *
 * @example
 * ```ts
 * import type { Segment } from "@zarrswift/store";
 * const s: Segment = { path: "/data_segments/big.bin/slo/1/2/3/00000000", etag: "…", size: 1024 };
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
 * The segments of the Static Large Object at `key`, in order; `undefined` when
 * there is no object or it is not an SLO. With them, a local file can be compared
 * with a large object exactly (one MD5 per segment range).
 *
 * @example
 * ```ts ignore
 * const segments = await largeObjectSegments(store, "/big.bin");
 * ```
 */
export async function largeObjectSegments(
  store: SwiftStore,
  key: AbsolutePath,
  signal?: AbortSignal,
): Promise<Segment[] | undefined> {
  return await readManifest(store, objectNameForKey(store.prefix, key), signal);
}

/** The segment paths (`/container/name`) of the SLO now at `name`, if it is one. */
async function oldSegments(store: SwiftStore, name: string, signal?: AbortSignal): Promise<string[]> {
  return ((await readManifest(store, name, signal)) ?? []).map((s) => s.path);
}

async function readManifest(
  store: SwiftStore,
  name: string,
  signal?: AbortSignal,
): Promise<Segment[] | undefined> {
  const { client } = internalsOf(store);
  const req: SwiftRequest = {
    method: "GET",
    path: `/${encodeObjectName(store.container)}/${encodeObjectName(name)}`,
    query: "?multipart-manifest=get&format=raw",
    target: `${store.container}/${name}`,
    what: "Reading the manifest of",
    signal,
  };
  return await client.request(req, async (res) => {
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    if (!res.ok) return await throwForStatus(res, req);
    if (!res.headers.has("X-Static-Large-Object")) {
      await res.body?.cancel();
      return undefined;
    }
    const segments = await res.json() as { path: string; etag: string; size_bytes: number }[];
    return segments.map((s) => ({ path: s.path, etag: s.etag, size: s.size_bytes }));
  });
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

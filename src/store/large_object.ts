/**
 * Static Large Objects at store keys: files larger than one PUT allows (or than you
 * want in one request) go up as segments into a segments container, then a manifest
 * ties them together; Swift serves the whole object on GET. Segments are streamed
 * from the source, so memory stays bounded whatever the file size.
 *
 * Naming follows python-swiftclient (`swift upload --use-slo`): segments live in
 * `<container>_segments` as `<object>/slo/<timestamp>/<size>/<segment size>/<index>`.
 *
 * @example Upload a file as a large object
 * ```ts ignore
 * import { SwiftStore, uploadLargeObject } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "data" });
 * const file = new Blob([new Uint8Array(300 << 20)]);
 * await uploadLargeObject(store, "/big.bin", file, { segmentSize: 100 << 20 });
 * ```
 * @module
 */

import type { LargeObjectOptions, SegmentSource } from "../swift/large_object.ts";
import type { Segment } from "../swift/manifest.ts";
import { type AbsolutePath, objectNameForKey } from "./keys.ts";
import type { SwiftStore } from "./store.ts";

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
  store.swiftContainer.checkWritable("Writing a large object to", "PUT");
  return await store.swiftContainer.uploadLargeObject(objectNameForKey(store.prefix, key), source, options);
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
  return await store.swiftContainer.largeObjectSegments(objectNameForKey(store.prefix, key), signal);
}

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
 * ```ts
 * import assert from "node:assert/strict";
 * import { SwiftContainer, SwiftStore, uploadLargeObject } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
 * const file = new Blob([new Uint8Array(3 << 20).fill(7)]); // 3 MiB; real files: segments of 1 GiB
 * assert.equal(await uploadLargeObject(store, "/big.bin", file, { segmentSize: 1 << 20 }), 3);
 * assert.equal((await store.stat("/big.bin"))?.size, file.size);
 * await store.deletePrefix(); // the manifest; its segments are in "docs-examples_segments"
 * await (await SwiftContainer.open({ container: "docs-examples_segments" })).deletePrefix(`${store.prefix}/`);
 * ```
 * @module
 */

import { containerRef } from "../swift/container.ts";
import {
  type LargeObjectOptions,
  missingSegments as missingSegmentsIn,
  type SegmentSource,
} from "../swift/large_object.ts";
import { ownSegments, type Segment, segmentContainerOf } from "../swift/manifest.ts";
import { deleteNames } from "../swift/deleting.ts";
import { type AbsolutePath, objectNameForKey } from "./keys.ts";
import type { SwiftStore } from "./store.ts";

/**
 * Uploads `source` to `key` as a Static Large Object, segments streamed and sent
 * concurrently within the store's bound, each checked against its MD5; then writes
 * the manifest and removes the segments of the object it replaces, if any. Answers
 * the number of segments.
 *
 * @param store The store to write in.
 * @param key The store key of the large object.
 * @param source The content: a `Blob`, or anything that can stream a byte range.
 * @param options Segment size and container, content type, progress, signal.
 * @returns The number of segments.
 *
 * @example Upload in segments, read back whole
 * ```ts
 * import assert from "node:assert/strict";
 * import { SwiftContainer, SwiftStore, uploadLargeObject } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
 * assert.equal(await uploadLargeObject(store, "/big.txt", new Blob(["hello, world"]), { segmentSize: 5 }), 3);
 * assert.equal(new TextDecoder().decode(await store.get("/big.txt")), "hello, world");
 * await store.deletePrefix();
 * await (await SwiftContainer.open({ container: "docs-examples_segments" })).deletePrefix(`${store.prefix}/`);
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
 * @param store The store to read in.
 * @param key The store key of the large object.
 * @param signal Aborts the request.
 * @returns The segments, or `undefined` when `key` is no large object.
 *
 * @example The segments of a large object
 * ```ts
 * import assert from "node:assert/strict";
 * import { largeObjectSegments, SwiftContainer, SwiftStore, uploadLargeObject } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
 * await uploadLargeObject(store, "/big.txt", new Blob(["hello, world"]), { segmentSize: 5 });
 * assert.deepEqual((await largeObjectSegments(store, "/big.txt"))?.map((s) => s.size), [5, 5, 2]);
 * await store.set("/small.txt", new TextEncoder().encode("hi"));
 * assert.equal(await largeObjectSegments(store, "/small.txt"), undefined);
 * await store.deletePrefix();
 * await (await SwiftContainer.open({ container: "docs-examples_segments" })).deletePrefix(`${store.prefix}/`);
 * ```
 */
export async function largeObjectSegments(
  store: SwiftStore,
  key: AbsolutePath,
  signal?: AbortSignal,
): Promise<Segment[] | undefined> {
  return await store.swiftContainer.largeObjectSegments(objectNameForKey(store.prefix, key), signal);
}

/**
 * The segments among `segments` (a large object's, from {@link largeObjectSegments})
 * that are not in place: deleted, or of another size or MD5. A manifest whose segments
 * are gone still answers a HEAD, but a read fails (409): a comparison by MD5 alone
 * would call such an object identical to the file it came from.
 *
 * @param store A store in the account of the segments.
 * @param segments The segments to look for.
 * @param signal Aborts the requests.
 * @returns The segments that are missing or differ (none when all are in place).
 *
 * @example A large object whose segment is deleted
 * ```ts
 * import assert from "node:assert/strict";
 * import { largeObjectSegments, missingSegments, SwiftContainer, SwiftStore, uploadLargeObject } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
 * await uploadLargeObject(store, "/big.txt", new Blob(["hello, world"]), { segmentSize: 5 });
 * const segments = (await largeObjectSegments(store, "/big.txt"))!;
 * assert.deepEqual(await missingSegments(store, segments), []);
 * const container = await SwiftContainer.open({ container: "docs-examples_segments" });
 * await container.delete(segments[1].path.slice("/docs-examples_segments/".length));
 * assert.deepEqual(await missingSegments(store, segments), [segments[1]]);
 * await store.deletePrefix();
 * await container.deletePrefix(`${store.prefix}/`);
 * ```
 */
export async function missingSegments(
  store: SwiftStore,
  segments: readonly Segment[],
  signal?: AbortSignal,
): Promise<Segment[]> {
  return await missingSegmentsIn(containerRef(store.swiftContainer), segments, signal);
}

/**
 * Deletes the segments a large object owned (in `<container>_segments` under its own
 * name, where this library and python-swiftclient put them) once it was replaced by a
 * plain object or deleted with `keepSegments`; segments elsewhere are kept and listed.
 * Read `segments` with {@link largeObjectSegments} before replacing the object.
 *
 * @param store The store of the object.
 * @param key The object's store key.
 * @param segments Its segments as they were.
 * @param signal Aborts the requests.
 * @returns How many were deleted, and the paths kept.
 *
 * @example A large object replaced by a plain one leaves no segment behind
 * ```ts
 * import assert from "node:assert/strict";
 * import { deleteOwnSegments, largeObjectSegments, missingSegments, SwiftContainer, SwiftStore, uploadLargeObject } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
 * await uploadLargeObject(store, "/big.txt", new Blob(["hello, world"]), { segmentSize: 5 });
 * const old = (await largeObjectSegments(store, "/big.txt"))!;
 * await store.set("/big.txt", new TextEncoder().encode("small now"));
 * assert.deepEqual(await deleteOwnSegments(store, "/big.txt", old), { deleted: 3, kept: [] });
 * assert.equal((await missingSegments(store, old)).length, 3);
 * await store.deletePrefix();
 * ```
 */
export async function deleteOwnSegments(
  store: SwiftStore,
  key: AbsolutePath,
  segments: readonly Segment[],
  signal?: AbortSignal,
): Promise<{ deleted: number; kept: string[] }> {
  const ref = containerRef(store.swiftContainer);
  const segmentContainer = segmentContainerOf(ref.name);
  const name = objectNameForKey(store.prefix, key);
  const { own, foreign } = ownSegments(segments.map((s) => s.path), name, segmentContainer);
  const { deleted } = await deleteNames({ ...ref, name: segmentContainer }, own, signal);
  return { deleted, kept: foreign };
}

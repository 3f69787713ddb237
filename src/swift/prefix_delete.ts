/**
 * Deleting everything under a prefix: one listing page at a time, bulk deletes of
 * one page running while the next is listed. Large objects (a listing marks their
 * manifests with `slo_etag`) go with the segments they own, unless asked to keep them.
 *
 * @module
 */

import type { ContainerRef } from "./connection.ts";
import { bulkLimit, type DeleteCounts, deleteNames } from "./deleting.ts";
import { listContainerPages } from "./listing.ts";
import { ownSegments, readManifest, segmentContainerOf } from "./manifest.ts";

/**
 * Options of deleting an object or a prefix.
 *
 * @example Delete a large object but keep its segments
 * ```ts
 * import assert from "node:assert/strict";
 * import { type DeleteOptions, SwiftContainer } from "@zarrswift/store";
 * const container = await SwiftContainer.open({ container: "docs-examples" });
 * const name = `${crypto.randomUUID()}/big`;
 * await container.uploadLargeObject(name, new Blob(["0123456789"]), { segmentSize: 4 });
 * const options: DeleteOptions = { keepSegments: true };
 * assert.equal(await container.delete(name, options), true);
 * const left = await container.deletePrefix(name.split("/")[0]);
 * assert.equal(left.deleted, 0);
 * ```
 */
export interface DeleteOptions {
  /** Leave the segments of large objects in place (default: delete those each one owns). */
  keepSegments?: boolean;
  /** Where the segments of large objects are (default `<container>_segments`). */
  segmentContainer?: string;
  /** Aborts the deletes. */
  signal?: AbortSignal;
  /**
   * Told what deleting one object did (`SwiftContainer.delete`): the object and the
   * segments it owned, counted, and the segments kept.
   */
  onResult?: (result: PrefixDeleteResult) => void;
}

/**
 * What deleting a prefix did: counts, and the segments large objects pointed at
 * outside their own segment path (kept).
 *
 * @example Delete a prefix with a large object in it
 * ```ts
 * import assert from "node:assert/strict";
 * import { type PrefixDeleteResult, SwiftContainer } from "@zarrswift/store";
 * const container = await SwiftContainer.open({ container: "docs-examples" });
 * const dir = crypto.randomUUID();
 * await container.put(`${dir}/small`, new Uint8Array(3));
 * await container.uploadLargeObject(`${dir}/big`, new Blob(["0123456789"]), { segmentSize: 4 });
 * const result: PrefixDeleteResult = await container.deletePrefix(`${dir}/`);
 * assert.deepEqual(result, { deleted: 5, notFound: 0, kept: [] }); // 2 objects, 3 segments
 * ```
 */
export interface PrefixDeleteResult extends DeleteCounts {
  /** Segment paths outside the objects' own segment paths, left in place. */
  kept: string[];
}

/**
 * Deletes every object whose name starts with `prefix` (marker objects included),
 * and the segments its large objects own.
 */
export async function deletePrefix(
  ref: ContainerRef,
  prefix: string,
  options: DeleteOptions = {},
): Promise<PrefixDeleteResult> {
  const { signal } = options;
  ref.conn.client.checkWritable({ method: "DELETE", what: "Deleting", target: `${ref.name}/${prefix}*` });
  const max = await bulkLimit(ref, signal);
  const segmentContainer = segmentContainerOf(ref.name, options.segmentContainer);
  const result: PrefixDeleteResult = { deleted: 0, notFound: 0, kept: [] };
  const add = (r: DeleteCounts) => {
    result.deleted += r.deleted;
    result.notFound += r.notFound;
  };
  let previous: Promise<unknown> = Promise.resolve();
  for await (const page of listContainerPages(ref.conn.client, ref.name, { prefix, signal })) {
    const names: string[] = [];
    const large: string[] = [];
    for (const entry of page) {
      if (entry.name === undefined) continue;
      names.push(entry.name);
      // A manifest: `slo_etag` in the listing (older Swift: `swift_bytes` in its type).
      const manifest = entry.slo_etag !== undefined || /;\s*swift_bytes=/.test(entry.content_type ?? "");
      if (!options.keepSegments && manifest) large.push(entry.name);
    }
    const work = (async () => {
      // The segments first: once a manifest is gone, nothing says which segments were its.
      for (const name of large) {
        const segments = await readManifest(ref, name, signal);
        if (!segments) continue;
        const { own, foreign } = ownSegments(segments.map((s) => s.path), name, segmentContainer);
        result.kept.push(...foreign);
        add(await deleteNames({ ...ref, name: segmentContainer }, own, signal, max));
      }
      add(await deleteNames(ref, names, signal, max));
    })();
    // Keep one page of deletes running while the next page is listed, no more.
    await previous;
    previous = work;
    work.catch(() => {});
  }
  await previous;
  return result;
}

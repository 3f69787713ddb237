/**
 * Deleting everything under a prefix: one listing page at a time, bulk deletes of
 * one page running while the next is listed. Large objects (a listing marks their
 * manifests with `swift_bytes`) go with the segments they own, unless asked to
 * keep them.
 *
 * @module
 */

import type { ContainerRef } from "./connection.ts";
import { bulkLimit, type DeleteCounts, deleteNames } from "./deleting.ts";
import { listContainerPages } from "./listing.ts";
import { ownSegments, readManifest, segmentContainerOf } from "./manifest.ts";

/** Options of {@link deletePrefix}. */
export interface DeletePrefixOptions {
  /** Leave the segments of large objects in place (default: delete those each one owns). */
  keepSegments?: boolean;
  /** Where the segments of large objects are (default `<container>_segments`). */
  segmentContainer?: string;
  /** Aborts the deletes. */
  signal?: AbortSignal;
}

/** What {@link deletePrefix} did: counts, and the segments large objects pointed at elsewhere (kept). */
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
  options: DeletePrefixOptions = {},
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
      if (!options.keepSegments && /;\s*swift_bytes=/.test(entry.content_type)) large.push(entry.name);
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

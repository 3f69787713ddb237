/**
 * Deleting for the scripts: everything under a prefix, one object with the segments
 * it owns (with counts), and many named objects. The one file that calls the
 * library's delete methods, so that a change of their signatures is made here.
 *
 * @module
 */

import { type PrefixDeleteResult, type Segment, SwiftContainer, type SwiftStore } from "../../mod.ts";
import type { Values } from "./args.ts";
import { connection } from "./auth.ts";

/** Options of the deletes here. */
export interface DeleteOptions {
  /** Leave the segments of large objects in place. */
  keepSegments?: boolean;
  /** Aborts the requests. */
  signal?: AbortSignal;
}

/** Deletes every object of the store's container whose name starts with `prefix`, large objects with their own segments. */
export function deleteUnder(
  store: SwiftStore,
  prefix: string,
  options: DeleteOptions = {},
): Promise<PrefixDeleteResult> {
  return store.swiftContainer.deletePrefix(prefix, options.signal, { keepSegments: options.keepSegments });
}

/** Deletes one object (large: with its own segments); answers whether it existed. */
export function deleteObject(store: SwiftStore, name: string, options: DeleteOptions = {}): Promise<boolean> {
  return store.swiftContainer.delete(name, options.signal, { keepSegments: options.keepSegments });
}

/** Deletes objects by name (bulk delete); answers how many were deleted. */
export async function deleteNames(store: SwiftStore, names: string[], signal?: AbortSignal): Promise<number> {
  return names.length ? (await store.swiftContainer.deleteMany(names, signal)).deleted : 0;
}

/**
 * Deletes the large object `name` whose manifest lists `segments`, and the segments
 * it owns (in `<container>_segments`, under `name/`, where this library and
 * python-swiftclient put them); the others are kept and listed. Counts what was
 * deleted and what was already gone, segments included (the segment container is
 * opened with the credentials of `values`).
 */
export async function deleteLargeObject(
  store: SwiftStore,
  name: string,
  segments: Segment[],
  values: Values,
  signal?: AbortSignal,
): Promise<{ deleted: number; notFound: number; kept: string[] }> {
  const existed = await deleteObject(store, name, { keepSegments: true, signal });
  const result = { deleted: existed ? 1 : 0, notFound: existed ? 0 : 1, kept: [] as string[] };
  const segmentContainer = `${store.container}_segments`;
  const own: string[] = [];
  for (const path of segments.map((s) => s.path)) {
    const [, container, ...rest] = path.split("/");
    const object = rest.join("/");
    if (container === segmentContainer && object.startsWith(`${name}/`)) own.push(object);
    else result.kept.push(path);
  }
  if (own.length) {
    const container = await SwiftContainer.open({
      ...connection(values),
      container: segmentContainer,
      createContainer: false,
      signal,
    });
    const counts = await container.deleteMany(own, signal);
    result.deleted += counts.deleted;
    result.notFound += counts.notFound;
  }
  return result;
}

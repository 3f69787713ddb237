/**
 * Deleting for the scripts: everything under a prefix, one object with the segments
 * it owns (with counts), many named objects, and listed objects (large ones with
 * their segments): the library's delete methods, in the shapes the scripts use.
 *
 * @module
 */

import type { DeleteOptions, PrefixDeleteResult, SwiftStore } from "../../mod.ts";

/** Deletes every object of the store's container whose name starts with `prefix`, large objects with their own segments. */
export function deleteUnder(
  store: SwiftStore,
  prefix: string,
  options: DeleteOptions = {},
): Promise<PrefixDeleteResult> {
  return store.swiftContainer.deletePrefix(prefix, options);
}

/** Deletes one object (large: with the segments it owns) and answers what was deleted and kept. */
export async function deleteOne(
  store: SwiftStore,
  name: string,
  options: DeleteOptions = {},
): Promise<PrefixDeleteResult> {
  let result: PrefixDeleteResult = { deleted: 0, notFound: 1, kept: [] };
  await store.swiftContainer.delete(name, { ...options, onResult: (r) => void (result = r) });
  return result;
}

/** Deletes objects by name (bulk delete); answers how many were deleted. */
export async function deleteNames(store: SwiftStore, names: string[], signal?: AbortSignal): Promise<number> {
  return names.length ? (await store.swiftContainer.deleteMany(names, signal)).deleted : 0;
}

/**
 * Deletes listed objects by name: plain ones by bulk delete, large ones one by one
 * with the segments they own (unless `keepSegments`). Answers what was deleted (as
 * `deletePrefix` counts: segments included) and the foreign segments kept.
 */
export async function deleteListed(
  store: SwiftStore,
  objects: readonly { name: string; largeObject: boolean }[],
  options: DeleteOptions = {},
): Promise<PrefixDeleteResult> {
  const plain = objects.filter((o) => !o.largeObject || options.keepSegments).map((o) => o.name);
  const result: PrefixDeleteResult = { deleted: 0, notFound: 0, kept: [] };
  if (plain.length) {
    const counts = await store.swiftContainer.deleteMany(plain, options.signal);
    result.deleted += counts.deleted;
    result.notFound += counts.notFound;
  }
  for (const o of objects) {
    if (!o.largeObject || options.keepSegments) continue;
    const r = await deleteOne(store, o.name, options);
    // As deletePrefix counts: the manifest and the segments deleted.
    result.deleted += r.deleted;
    result.notFound += r.notFound;
    result.kept.push(...r.kept);
  }
  return result;
}

/**
 * Deleting for the scripts: everything under a prefix, one object with the segments
 * it owns (with counts), and many named objects: the library's delete methods, in
 * the shapes the scripts use.
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

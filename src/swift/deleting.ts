/**
 * Deleting many objects by name ({@link deleteNames}), with bulk delete when the
 * cluster offers it (batches of 100 to 1,000 names, sent concurrently), else one
 * DELETE per object. Everything under a prefix: `prefix_delete.ts`.
 *
 * @module
 */

import { bulkDelete } from "./bulk_delete.ts";
import type { ContainerRef } from "./connection.ts";
import { deleteObject } from "./objects.ts";

/**
 * What a delete of many objects did.
 *
 * @example Delete two names, one of them missing
 * ```ts
 * import assert from "node:assert/strict";
 * import { type DeleteCounts, SwiftContainer } from "@zarrswift/store";
 * const container = await SwiftContainer.open({ container: "docs-examples" });
 * const name = `${crypto.randomUUID()}/a`;
 * await container.put(name, new Uint8Array(1));
 * const counts: DeleteCounts = await container.deleteMany([name, `${name}-missing`]);
 * assert.deepEqual(counts, { deleted: 1, notFound: 1 });
 * ```
 */
export interface DeleteCounts {
  /** Objects this call deleted. */
  deleted: number;
  /** Objects that were already gone (deleted by someone else, or by a replayed request of ours). */
  notFound: number;
}

/**
 * Names in one bulk-delete request: at most 1,000, at least 100, and small enough that
 * a listing page keeps every request slot busy. The server deletes one object after
 * another within a request, so concurrent batches finish sooner (measured: 4,000
 * objects at 590/s in batches of 1,000, 690/s in batches of 250).
 */
function bulkBatch(names: number, concurrency: number, serverMax: number): number {
  return Math.min(serverMax, 1000, Math.max(100, Math.ceil(names / concurrency)));
}

/** The most names one bulk request may carry on this cluster, or 0 when it has no bulk delete. */
export async function bulkLimit(ref: ContainerRef, signal?: AbortSignal): Promise<number> {
  const info = await ref.conn.info(signal);
  return info?.bulk_delete ? info.bulk_delete.max_deletes_per_request ?? 10_000 : 0;
}

/** Deletes `names` in `ref`, concurrently within the client's bound. */
export async function deleteNames(
  ref: ContainerRef,
  names: readonly string[],
  signal?: AbortSignal,
  max?: number,
): Promise<DeleteCounts> {
  const counts = { deleted: 0, notFound: 0 };
  const limit = max ?? await bulkLimit(ref, signal);
  const batch = limit > 0 ? bulkBatch(names.length, ref.conn.client.limiter.limit, limit) : 0;
  const work: Promise<void>[] = [];
  if (batch > 0) {
    for (let i = 0; i < names.length; i += batch) {
      work.push(
        bulkDelete(ref.conn.client, ref.name, names.slice(i, i + batch), signal).then((r) => {
          // After a lost answer, what the replay finds gone is what the first attempt deleted.
          counts.deleted += r.deleted + (r.replayed ? r.notFound : 0);
          counts.notFound += r.replayed ? 0 : r.notFound;
        }),
      );
    }
  } else {
    for (const name of names) {
      work.push(
        deleteObject(ref, name, signal).then((existed) => void counts[existed ? "deleted" : "notFound"]++),
      );
    }
  }
  await Promise.all(work);
  return counts;
}

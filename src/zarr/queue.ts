/**
 * A bounded chunk queue for zarrita's `createQueue` option. zarrita's own queue
 * starts every chunk's task at once: `zarr.set` of a whole array allocates and fills
 * a buffer for every chunk before the first one is written (its memory doubles the
 * array's), and every request waits in the store's queue. {@link boundedQueue} runs
 * at most `limit` chunk tasks at a time, so what a write holds is about `limit`
 * chunks whatever the array's size.
 *
 * @module
 */

import { Limiter } from "./_deps.ts";

/**
 * The queue zarrita's `get` and `set` take from `createQueue` (its `ChunkQueue`).
 *
 * @example A queue of at most two tasks at once
 * ```ts
 * import assert from "node:assert/strict";
 * import { boundedQueue, type ChunkQueue } from "@zarrswift/store";
 * const queue: ChunkQueue = boundedQueue(2)();
 * const done: number[] = [];
 * for (const i of [1, 2, 3]) queue.add(() => Promise.resolve(void done.push(i)));
 * await queue.onIdle();
 * assert.deepEqual(done, [1, 2, 3]);
 * ```
 */
export interface ChunkQueue {
  /**
   * Queues one chunk's task.
   *
   * @param fn The task: started when the queue has room.
   */
  add(fn: () => Promise<void>): void;
  /**
   * Waits for every queued task.
   *
   * @returns Settles when every task has: rejects with the first failure.
   */
  onIdle(): Promise<void[]>;
}

/**
 * A `createQueue` for zarrita's `zarr.get` and `zarr.set` that runs at most `limit`
 * chunk tasks at once, in the order zarrita adds them. After a task fails no further
 * task starts; `onIdle` rejects with that first failure once the running ones have
 * settled, so nothing is still writing when the call returns.
 *
 * Pick `limit` at or above the store's `concurrency` (64 by default) so that chunks
 * are encoded while others are on the wire: what a write holds is then about
 * `limit` chunks, encoded and not.
 *
 * @example Write a large array holding about 128 chunks at a time
 * ```ts
 * import assert from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import { boundedQueue, SwiftStore } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
 * const arr = await zarr.create(zarr.root(store).resolve("big"), {
 *   shape: [4096],
 *   chunkShape: [64],
 *   dtype: "float32",
 *   fillValue: 0,
 *   codecs: [{ name: "bytes", configuration: { endian: "little" } }],
 * });
 * const data = Float32Array.from({ length: 4096 }, (_, i) => i);
 * await zarr.set(arr, null, { data, shape: [4096], stride: [1] }, { createQueue: boundedQueue(128) });
 * const back = await zarr.get(arr, [zarr.slice(4000, 4003)], { createQueue: boundedQueue(128) });
 * assert.deepEqual(Array.from(back.data as Float32Array), [4000, 4001, 4002]);
 * await store.deletePrefix("/");
 * ```
 *
 * @param limit The most chunk tasks running at once: a positive integer (default 128).
 * @returns A `createQueue` function: each call makes a new queue.
 */
export function boundedQueue(limit = 128): () => ChunkQueue {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`Expected the queue's limit to be a positive integer, found ${limit}`);
  }
  return () => {
    const limiter = new Limiter(limit);
    const running = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    return {
      add(fn) {
        const done: Promise<void> = limiter.run(async () => {
          // Once a task failed, the ones still queued get their slot and return without running;
          // the failure is recorded before this slot passes on.
          if (failure) return;
          try {
            await fn();
          } catch (error) {
            failure ??= { error };
          }
        }).finally(() => running.delete(done));
        running.add(done);
      },
      async onIdle() {
        while (running.size > 0) await Promise.all(running);
        if (failure) throw failure.error;
        return [];
      },
    };
  };
}

/**
 * Reading a quick look's plan: the sampled elements, chunk by chunk, a few chunks at a
 * time.
 *
 * @module
 */

import type { QuickLookArray, QuickLookPlan } from "./plan.ts";

/**
 * Reads the sampled elements of a plan, chunk by chunk with at most `concurrency`
 * chunks in flight, as numbers (bools as 0 and 1, 64-bit integers rounded to the
 * nearest double), row by row.
 *
 * @param array The array the plan was made for.
 * @param plan The plan from {@link planQuickLook}.
 * @param options `concurrency` (default 8) and an abort `signal`.
 * @returns `rows × cols` values.
 *
 * @example Read every other element of a 4 × 4 array
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import { planQuickLook } from "./plan.ts";
 * import { readPlan } from "./read.ts";
 * const array = await zarr.create(new Map(), { shape: [4, 4], chunkShape: [3, 3], dtype: "int32" });
 * await zarr.set(array, null, { data: Int32Array.from({ length: 16 }, (_, i) => i), shape: [4, 4], stride: [4, 1] });
 * const values = await readPlan(array, planQuickLook(array, null, { maxSize: 2 }));
 * assertEquals(Array.from(values), [0, 2, 8, 10]);
 * ```
 */
export async function readPlan(
  array: QuickLookArray,
  plan: QuickLookPlan,
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<Float64Array> {
  const [ra, ca] = plan.axes;
  const chunkShape = plan.chunkShape;
  const width = plan.cols.length;
  const out = new Float64Array(plan.rows.length * width);
  // Sampled positions grouped by the chunk that holds them: [output index, offset in chunk].
  const group = (indices: number[], c: number) => {
    const groups = new Map<number, [number, number][]>();
    indices.forEach((i, k) => {
      const key = Math.floor(i / c);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push([k, i - key * c]);
    });
    return [...groups];
  };
  const rowGroups = group(plan.rows, chunkShape[ra]);
  const colGroups = group(plan.cols, chunkShape[ca]);
  const tasks: (() => Promise<void>)[] = [];
  for (const [rc, rs] of rowGroups) {
    for (const [cc, cs] of colGroups) {
      tasks.push(async () => {
        const coords = plan.fixed.map((i, d) =>
          d === ra ? rc : d === ca ? cc : Math.floor((i as number) / chunkShape[d])
        );
        const chunk = await array.getChunk(coords, { signal: options.signal });
        const at = valueReader(chunk.data);
        let base = 0;
        plan.fixed.forEach((i, d) => {
          if (i !== null) base += (i % chunkShape[d]) * chunk.stride[d];
        });
        for (const [kr, or] of rs) {
          const rowBase = base + or * chunk.stride[ra];
          for (const [kc, oc] of cs) out[kr * width + kc] = at(rowBase + oc * chunk.stride[ca]);
        }
      });
    }
  }
  await runBounded(tasks, options.concurrency ?? 8, options.signal);
  return out;
}

function valueReader(data: unknown): (i: number) => number {
  if (ArrayBuffer.isView(data)) {
    const typed = data as unknown as ArrayLike<number | bigint>;
    return (i) => Number(typed[i]);
  }
  const bools = data as { get(i: number): boolean };
  if (typeof bools?.get === "function") return (i) => bools.get(i) ? 1 : 0;
  throw new TypeError("Expected a chunk of numbers or bools");
}

/**
 * Runs tasks with at most `limit` at once; the first failure stops starting new ones
 * and is thrown once the running ones settle.
 *
 * @param tasks The tasks.
 * @param limit The most running at once.
 * @param signal Stops starting tasks when aborted.
 * @returns When every task has finished.
 *
 * @example Two at a time
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { runBounded } from "./read.ts";
 * let running = 0, most = 0;
 * const task = async () => { most = Math.max(most, ++running); await new Promise((r) => setTimeout(r, 1)); running--; };
 * await runBounded([task, task, task, task, task], 2);
 * assertEquals(most, 2);
 * ```
 */
export async function runBounded(
  tasks: (() => Promise<void>)[],
  limit: number,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < tasks.length && !failure) {
      if (signal?.aborted) {
        failure = { error: signal.reason };
        break;
      }
      const task = tasks[next++];
      try {
        await task();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  if (failure) throw failure.error;
}

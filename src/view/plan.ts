/**
 * What a quick look reads: a 2-D slice of a zarr array, decimated by a stride so that
 * its longer side has at most `maxSize` samples (nearest neighbour: every `stride`-th
 * row and column, no averaging), planned before any request and read chunk by chunk.
 *
 * A chunk is read only when it holds a sampled element, and it is read whole (zarr
 * compresses chunks whole): along an axis whose chunks are larger than the stride,
 * every chunk the slice crosses is read; along an axis whose chunks are smaller than
 * the stride, only one chunk in about `stride / chunk` is. A 10,000 × 10,000 array in
 * 100 × 100 chunks shown at 500 × 500 (stride 20) reads all 10,000 chunks; in 10 × 10
 * chunks, 250,000 of its 1,000,000 chunks (both refused by default). {@link planQuickLook}
 * tells the count and decoded bytes before reading, and a quick look refuses a plan over
 * `maxBytes` or `maxChunks`.
 * Sharded arrays are planned and read by inner chunk (zarrita reads each through the
 * shard's index with range requests).
 *
 * @module
 */

import { SIZES } from "../zarr/rules_codecs.ts";

/**
 * A slice of one dimension, as `zarr.slice(start, stop, step)` makes it (`null`: the default).
 *
 * @example zarr.slice makes one
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import type { SliceLike } from "@zarrswift/store";
 * const rows: SliceLike = zarr.slice(10, 20, 2);
 * assertEquals([rows.start, rows.stop, rows.step], [10, 20, 2]);
 * ```
 */
export interface SliceLike {
  /** First index (default 0; negative counts from the end). */
  start: number | null;
  /** Index after the last (default: the dimension's length). */
  stop: number | null;
  /** Step (default 1). */
  step: number | null;
}

/**
 * One entry per dimension: an index, `null` (the whole dimension) or a slice (`zarr.slice`).
 *
 * @example The first time step of (time, lat, lon), every other latitude
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import type { QuickLookSelection } from "@zarrswift/store";
 * const selection: QuickLookSelection = [0, zarr.slice(null, null, 2), null];
 * assertEquals(selection.length, 3);
 * ```
 */
export type QuickLookSelection = (number | null | SliceLike)[];

/**
 * What a quick look needs of an array: a zarrita `Array` (from `zarr.open` or
 * `zarr.create`) has all of it. Only numbers and bools can be drawn.
 *
 * @example A zarrita array is one
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import type { QuickLookArray } from "@zarrswift/store";
 * const array: QuickLookArray = await zarr.create(new Map(), { shape: [2, 3], chunkShape: [2, 3], dtype: "int8" });
 * assertEquals(array.chunks, [2, 3]);
 * ```
 */
export interface QuickLookArray {
  /** The array's path in its store. */
  readonly path: string;
  /** The shape. */
  readonly shape: number[];
  /** The chunk shape reads are made in (zarrita: the inner chunks of a sharded array). */
  readonly chunks: number[];
  /** The data type (`float32`, `bool`, …). */
  readonly dtype: string;
  /** The attributes (CF's `_FillValue`, `missing_value`, `scale_factor`, `add_offset` are used). */
  readonly attrs: Record<string, unknown>;
  /** The fill value. */
  readonly fillValue: unknown;
  /**
   * Reads one chunk.
   *
   * @param coords The chunk's coordinates in the chunk grid.
   * @param options A signal.
   * @returns The chunk decoded: its values, shape and strides.
   */
  getChunk(
    coords: number[],
    options?: { signal?: AbortSignal },
  ): Promise<{ data: unknown; shape: number[]; stride: number[] }>;
}

/**
 * Options of {@link planQuickLook}.
 *
 * @example At most 100 samples a side
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import type { PlanOptions } from "@zarrswift/store";
 * const options: PlanOptions = { maxSize: 100 };
 * assertEquals(options.maxSize, 100);
 * ```
 */
export interface PlanOptions {
  /** Most samples along the longer side of the image (default 512, at most 4,096). */
  maxSize?: number;
}

/**
 * The read a quick look makes, worked out before any request.
 *
 * @example The plan of a small array
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import { planQuickLook, type QuickLookPlan } from "@zarrswift/store";
 * const array = await zarr.create(new Map(), { shape: [40, 60], chunkShape: [10, 10], dtype: "float32" });
 * const plan: QuickLookPlan = planQuickLook(array, null, { maxSize: 30 });
 * assertEquals([plan.stride, plan.shape, plan.chunks, plan.bytes], [2, [20, 30], 24, 24 * 400]);
 * ```
 */
export interface QuickLookPlan {
  /** The array's shape. */
  arrayShape: number[];
  /** The chunk shape reads are made in (the inner chunks of a sharded array). */
  chunkShape: number[];
  /** The array's data type. */
  dtype: string;
  /** The two dimensions drawn: rows (top to bottom) and columns (left to right). */
  axes: [number, number];
  /** The index taken along every other dimension (`null` for the two drawn). */
  fixed: (number | null)[];
  /** Every sampled row index, along `axes[0]`. */
  rows: number[];
  /** Every sampled column index, along `axes[1]`. */
  cols: number[];
  /** The decimation: every `stride`-th element of the selection along both drawn axes (1: all). */
  stride: number;
  /** The sampled image's shape, `[rows.length, cols.length]`. */
  shape: [number, number];
  /** How many chunks are read. */
  chunks: number;
  /** Of the array's chunks that the selection touches at full resolution, how many there are. */
  chunksInSelection: number;
  /** Decoded bytes of all chunks read (what must pass through memory, a few chunks at a time). */
  bytes: number;
}

/**
 * The largest `maxSize` a quick look accepts.
 *
 * @example The limit
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { MAX_QUICKLOOK_SIZE } from "./plan.ts";
 * assertEquals(MAX_QUICKLOOK_SIZE, 4096);
 * ```
 */
export const MAX_QUICKLOOK_SIZE = 4096;

/**
 * Works out what a quick look of `array` reads, without any request: the two drawn
 * dimensions, the index along the others, the stride, the sampled rows and columns,
 * and the count and decoded bytes of the chunks read.
 *
 * Without a selection, the last two dimensions are drawn and every other one takes
 * index 0. A selection has one entry per dimension; exactly two may be `null` or a
 * slice (a slice's step multiplies the stride). Negative indices count from the end.
 *
 * @param array A zarrita array.
 * @param selection One entry per dimension (default: index 0 along all but the last two).
 * @param options `maxSize`, the most samples along the longer side.
 * @returns The plan.
 * @throws {TypeError} When `array` is not a zarrita array, or its data type cannot be drawn (strings, objects).
 * @throws {RangeError} When the selection does not leave exactly two dimensions, an index or slice is outside the
 *   array or empty, or `maxSize` is not an integer from 1 to 4,096.
 *
 * @example Plan a quick look of a 10,000 × 10,000 array in 100 × 100 chunks
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import { planQuickLook } from "@zarrswift/store";
 * const array = await zarr.create(new Map(), { shape: [10_000, 10_000], chunkShape: [100, 100], dtype: "float32" });
 * const plan = planQuickLook(array, undefined, { maxSize: 500 });
 * assertEquals(plan.stride, 20);
 * assertEquals(plan.shape, [500, 500]);
 * assertEquals(plan.chunks, 10_000); // every chunk holds sampled rows and columns
 * assertEquals(planQuickLook(array, undefined, { maxSize: 50 }).chunks, 2_500); // stride 200: every other chunk
 * ```
 */
export function planQuickLook(
  array: QuickLookArray,
  selection?: QuickLookSelection | null,
  options: PlanOptions = {},
): QuickLookPlan {
  if (!array || typeof array.getChunk !== "function" || !Array.isArray(array.shape)) {
    throw new TypeError("Expected a zarrita array (from zarr.open or zarr.create) for a quick look");
  }
  const dtype = String(array.dtype);
  // Numbers and bools only: a complex value has no place on a color scale.
  const itemSize = dtype.startsWith("complex") ? undefined : SIZES[dtype];
  if (itemSize === undefined) {
    throw new TypeError(
      `Expected an array of numbers or bools for a quick look, found data type ${dtype} at ${array.path}`,
    );
  }
  const maxSize = options.maxSize ?? 512;
  if (!Number.isInteger(maxSize) || maxSize < 1 || maxSize > MAX_QUICKLOOK_SIZE) {
    throw new RangeError(
      `Expected maxSize to be an integer from 1 to ${MAX_QUICKLOOK_SIZE}, found ${maxSize}`,
    );
  }
  const shape = array.shape;
  const chunkShape = array.chunks;
  const ranges = normalize(shape, selection, array.path);
  const axes = ranges.flatMap((r, d) => typeof r === "number" ? [] : [d]) as [number, number];
  const [rowRange, colRange] = axes.map((d) => ranges[d] as [number, number, number]);
  const count = ([start, stop, step]: number[]) => Math.ceil((stop - start) / step);
  const stride = Math.max(1, Math.ceil(Math.max(count(rowRange), count(colRange)) / maxSize));
  const sample = ([start, stop, step]: number[]) =>
    Array.from({ length: Math.ceil((stop - start) / (step * stride)) }, (_, k) => start + k * step * stride);
  const rows = sample(rowRange);
  const cols = sample(colRange);
  const fixed = ranges.map((r) => typeof r === "number" ? r : null);
  const distinct = (indices: number[], c: number) => new Set(indices.map((i) => Math.floor(i / c))).size;
  const touched = ([start, stop]: number[], c: number) =>
    Math.floor((stop - 1) / c) - Math.floor(start / c) + 1;
  const chunks = distinct(rows, chunkShape[axes[0]]) * distinct(cols, chunkShape[axes[1]]);
  const chunksInSelection = touched(rowRange, chunkShape[axes[0]]) * touched(colRange, chunkShape[axes[1]]);
  const chunkBytes = chunkShape.reduce((a, b) => a * b, 1) * itemSize;
  return {
    arrayShape: [...shape],
    chunkShape: [...chunkShape],
    dtype,
    axes,
    fixed,
    rows,
    cols,
    stride,
    shape: [rows.length, cols.length],
    chunks,
    chunksInSelection,
    bytes: chunks * chunkBytes,
  };
}

/** Each dimension as an index or `[start, stop, step]`, checked. */
function normalize(
  shape: number[],
  selection: QuickLookSelection | null | undefined,
  path: string,
): (number | [number, number, number])[] {
  if (shape.length < 2) {
    throw new RangeError(
      `Expected an array with at least 2 dimensions for a quick look, found ${shape.length} (shape [${
        shape.join(", ")
      }] at ${path})`,
    );
  }
  const sel = selection ?? shape.map((_, d) => d < shape.length - 2 ? 0 : null);
  if (!Array.isArray(sel) || sel.length !== shape.length) {
    throw new RangeError(
      `Expected a selection with one entry per dimension (${shape.length}), found ${
        Array.isArray(sel) ? sel.length : typeof sel
      }`,
    );
  }
  const out = sel.map((s, d): number | [number, number, number] => {
    const n = shape[d];
    if (typeof s === "number") {
      const i = s < 0 ? s + n : s;
      if (!Number.isInteger(s) || i < 0 || i >= n) {
        throw new RangeError(`Expected an index from ${-n} to ${n - 1} along dimension ${d}, found ${s}`);
      }
      return i;
    }
    if (s !== null && (typeof s !== "object" || !("start" in s))) {
      throw new TypeError(`Expected an index, null or zarr.slice along dimension ${d}, found ${String(s)}`);
    }
    const step = s?.step ?? 1;
    if (!Number.isInteger(step) || step < 1) {
      throw new RangeError(`Expected a positive integer step along dimension ${d}, found ${step}`);
    }
    const clamp = (v: number | null | undefined, dflt: number) =>
      v === null || v === undefined ? dflt : Math.min(n, Math.max(0, v < 0 ? v + n : v));
    const start = clamp(s?.start, 0);
    const stop = clamp(s?.stop, n);
    if (stop <= start) {
      throw new RangeError(`Expected a non-empty slice along dimension ${d}, found ${start} to ${stop}`);
    }
    return [start, stop, step];
  });
  const kept = out.filter((r) => typeof r !== "number").length;
  if (kept !== 2) {
    throw new RangeError(
      `Expected a selection that leaves 2 dimensions to draw, found ${kept}: give an index for every other dimension`,
    );
  }
  return out;
}

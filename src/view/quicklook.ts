/**
 * Quick looks: a 2-D slice of a zarr array as a PNG, scaled between its minimum and
 * maximum (or given bounds), mapped through a colormap, with a colorbar and the value
 * range written beside it. Missing values (NaN, ±Infinity, the fill value, CF's
 * `_FillValue` and `missing_value`) are transparent. The PNG shows itself in Jupyter.
 *
 * What it draws for unusual data:
 * - bool arrays: 0 and 1, false the colormap's first colour and true its last;
 * - strings and objects: refused with a `TypeError`;
 * - a slice without one valid value: a transparent image and "no data" beside the colorbar;
 * - a constant slice: every valid pixel the colormap's middle colour, both labels the value
 *   (no division by zero);
 * - 64-bit integers: rounded to the nearest double.
 *
 * @module
 */

import { planQuickLook, type QuickLookArray, type QuickLookSelection } from "./plan.ts";
import { readPlan } from "./read.ts";
import { type QuickLookImage, type RenderOptions, renderQuickLook } from "./render.ts";

/**
 * Options of {@link quickLook}.
 *
 * @example A small, robust map
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import type { QuickLookOptions } from "@zarrswift/store";
 * const options: QuickLookOptions = { maxSize: 256, robust: true, origin: "lower", maxBytes: 64 * 2 ** 20 };
 * assertEquals(options.origin, "lower");
 * ```
 */
export interface QuickLookOptions extends RenderOptions {
  /** Most samples along the longer side before enlargement (default 512, at most 4,096). */
  maxSize?: number;
  /** Refuse to read more decoded chunk bytes than this (default 256 MiB). */
  maxBytes?: number;
  /** Refuse to read more chunks than this (default 10,000). */
  maxChunks?: number;
  /** Draw the fill value, `_FillValue` and `missing_value` transparent (default true; never for bools). */
  maskFill?: boolean;
  /** Apply CF's `scale_factor` and `add_offset` attributes (default true). */
  decode?: boolean;
  /** Chunks read at once (default 8; the store bounds its own requests too). */
  concurrency?: number;
  /** Aborts the reads. */
  signal?: AbortSignal;
}

/**
 * Reads a 2-D slice of a zarr array, decimated to at most `maxSize` samples along its
 * longer side (see {@link planQuickLook} for exactly which chunks that reads), and draws
 * it as a PNG with a colorbar and the value range. The result is the PNG's bytes (write
 * them to a file, or put them in an `<img>`); in a Jupyter notebook it shows as an image.
 *
 * @param array A zarrita array (numbers or bools).
 * @param selection One entry per dimension, exactly two of them `null` or a `zarr.slice` (default: index 0
 *   along all but the last two dimensions).
 * @param options Size, read limits, bounds, colormap, masking and decoding.
 * @returns The PNG, with `info` (bounds, layout, and the read `plan`).
 * @throws {TypeError} When `array` is not a zarrita array or holds strings or objects.
 * @throws {RangeError} When the selection does not leave two dimensions, an index is out of range, a size is
 *   out of bounds, or the read would pass `maxBytes` or `maxChunks` (the message gives the plan).
 *
 * @example The first time step of a (time, y, x) array
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import { quickLook } from "@zarrswift/store";
 * const array = await zarr.create(new Map(), { shape: [2, 30, 40], chunkShape: [1, 10, 10], dtype: "float32" });
 * await zarr.set(array, [0, null, null], { data: Float32Array.from({ length: 1200 }, (_, i) => i), shape: [30, 40], stride: [40, 1] });
 * const png = await quickLook(array, null, { minSize: 1 });
 * assertEquals([png.info.image.width, png.info.image.height], [40, 30]);
 * assertEquals([png.info.vmin, png.info.vmax], [0, 1199]);
 * assertEquals(png.info.plan?.fixed, [0, null, null]);
 * ```
 */
export async function quickLook(
  array: QuickLookArray,
  selection?: QuickLookSelection | null,
  options: QuickLookOptions = {},
): Promise<QuickLookImage> {
  const plan = planQuickLook(array, selection, { maxSize: options.maxSize });
  const maxBytes = options.maxBytes ?? 256 * 2 ** 20;
  const maxChunks = options.maxChunks ?? 10_000;
  if (plan.bytes > maxBytes || plan.chunks > maxChunks) {
    throw new RangeError(
      `Expected a quick look to read at most ${maxChunks} chunks and ${
        mib(maxBytes)
      }, found ${plan.chunks} chunks of [${plan.chunkShape.join(", ")}] ${plan.dtype} (${
        mib(plan.bytes)
      } decoded) for a ${plan.shape.join(" × ")} image of ${array.path}: ` +
        `pass a smaller selection, a smaller maxSize (a stride above the chunk size skips chunks), or raise maxBytes/maxChunks`,
    );
  }
  const raw = await readPlan(array, plan, { concurrency: options.concurrency, signal: options.signal });
  const isBool = plan.dtype === "bool";
  const attrs = (array.attrs ?? {}) as Record<string, unknown>;
  const missing = new Set<number>();
  if (options.maskFill !== false && !isBool) {
    const fill = array.fillValue;
    if (typeof fill === "number" || typeof fill === "bigint") missing.add(Number(fill));
    for (const v of [attrs._FillValue, attrs.missing_value].flat()) if (typeof v === "number") missing.add(v);
  }
  const decode = options.decode !== false && !isBool;
  const factor = decode && typeof attrs.scale_factor === "number" ? attrs.scale_factor : 1;
  const offset = decode && typeof attrs.add_offset === "number" ? attrs.add_offset : 0;
  for (let i = 0; i < raw.length; i++) raw[i] = missing.has(raw[i]) ? NaN : raw[i] * factor + offset;
  const png = await renderQuickLook({ data: raw, shape: plan.shape }, {
    ...options,
    ...(isBool ? { vmin: options.vmin ?? 0, vmax: options.vmax ?? 1 } : {}),
  });
  png.info.plan = plan;
  return png;
}

function mib(bytes: number): string {
  return `${Math.round((bytes / 2 ** 20) * 10) / 10} MiB`;
}

/**
 * Drawing a quick look: values in memory to a PNG with a colorbar and the value range
 * (see `quicklook.ts` for what is drawn for unusual data).
 *
 * @module
 */

import { colormap, type ColormapName } from "./colormap.ts";
import { drawText, GLYPH_HEIGHT, textWidth } from "./font.ts";
import type { QuickLookPlan } from "./plan.ts";
import { MAX_QUICKLOOK_SIZE } from "./plan.ts";
import { base64, encodePng } from "./png.ts";

/**
 * Options of {@link renderQuickLook}.
 *
 * @example Fixed bounds, a diverging map
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { renderQuickLook, type RenderOptions } from "@zarrswift/store";
 * const options: RenderOptions = { vmin: -1, vmax: 1, colormap: "RdBu_r", colorbar: false, minSize: 1 };
 * const png = await renderQuickLook({ data: [-2, 0, 2, 0.5], shape: [2, 2] }, options);
 * assertEquals([png.info.vmin, png.info.vmax], [-1, 1]);
 * ```
 */
export interface RenderOptions {
  /** The value drawn in the colormap's first colour (default: the smallest valid value). */
  vmin?: number;
  /** The value drawn in the colormap's last colour (default: the largest valid value). */
  vmax?: number;
  /** Default bounds at the 2nd and 98th percentiles instead of the extremes (as xarray's `robust`). */
  robust?: boolean;
  /** The colormap (default `viridis`). */
  colormap?: ColormapName;
  /** Draw the colorbar and the value range beside the image (default true). */
  colorbar?: boolean;
  /** Enlarge small images by a whole factor until the longer side reaches this many pixels (default 256). */
  minSize?: number;
  /** Where row 0 goes: `upper` (default, as an image) or `lower` (as a map with latitudes ascending). */
  origin?: "upper" | "lower";
}

/**
 * What a quick look drew, and where.
 *
 * @example Where the image and colorbar are
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { renderQuickLook, type QuickLookInfo } from "@zarrswift/store";
 * const { info } = await renderQuickLook({ data: [1, 2, 3, 4, 5, 6], shape: [2, 3] }, { minSize: 30 });
 * const described: QuickLookInfo = info;
 * assertEquals(described.image, { x: 0, y: 0, width: 30, height: 20, scale: 10 });
 * assertEquals(described.colorbar!.x > 30, true);
 * ```
 */
export interface QuickLookInfo {
  /** Width of the PNG. */
  width: number;
  /** Height of the PNG. */
  height: number;
  /** The data's place in the PNG (top left), and the pixels per sample. */
  image: { x: number; y: number; width: number; height: number; scale: number };
  /** The colorbar's gradient in the PNG (its top row is the last colour), when drawn. */
  colorbar?: { x: number; y: number; width: number; height: number };
  /** The value of the first colour (`undefined` when no value is valid). */
  vmin?: number;
  /** The value of the last colour. */
  vmax?: number;
  /** How many samples are valid (not transparent). */
  valid: number;
  /** The colormap used. */
  colormap: ColormapName;
  /** What was read (quickLook only). */
  plan?: QuickLookPlan;
}

/**
 * PNG bytes that say what they show (`info`) and display themselves in Jupyter.
 *
 * @example Bytes, and what they show
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { renderQuickLook, type QuickLookImage } from "@zarrswift/store";
 * const png: QuickLookImage = await renderQuickLook({ data: [0, 1], shape: [1, 2] }, { colorbar: false, minSize: 1 });
 * assertEquals([png instanceof Uint8Array, png.info.width, png.info.height], [true, 2, 1]);
 * ```
 */
export type QuickLookImage = Uint8Array<ArrayBuffer> & { readonly info: QuickLookInfo };

const WHITE = [255, 255, 255, 255] as const;
const INK = [34, 34, 34, 255] as const;

/**
 * Draws values already in memory as a quick look: row-major `shape[0] × shape[1]`
 * numbers, NaN and ±Infinity transparent.
 *
 * @param values The values and their 2-D shape.
 * @param options Bounds, colormap, colorbar, enlargement and orientation.
 * @returns The PNG, with `info` saying where the image and colorbar are and which bounds were used.
 * @throws {RangeError} When the shape does not match the values, `vmin` is not below `vmax`, or
 *   `minSize` is not an integer from 1 to 4,096.
 *
 * @example A 2 × 2 image with one missing value, no colorbar
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { renderQuickLook } from "@zarrswift/store";
 * const png = await renderQuickLook({ data: [0, 1, NaN, 3], shape: [2, 2] }, { colorbar: false, minSize: 1 });
 * assertEquals([png.info.width, png.info.height], [2, 2]);
 * assertEquals([png.info.vmin, png.info.vmax, png.info.valid], [0, 3, 3]);
 * ```
 */
export async function renderQuickLook(
  values: { data: ArrayLike<number>; shape: [number, number] },
  options: RenderOptions = {},
): Promise<QuickLookImage> {
  const [h, w] = values.shape;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1 || values.data.length !== h * w) {
    throw new RangeError(
      `Expected ${values.shape?.join(" × ")} values for a quick look, found ${values.data?.length}`,
    );
  }
  const minSize = options.minSize ?? 256;
  if (!Number.isInteger(minSize) || minSize < 1 || minSize > MAX_QUICKLOOK_SIZE) {
    throw new RangeError(
      `Expected minSize to be an integer from 1 to ${MAX_QUICKLOOK_SIZE}, found ${minSize}`,
    );
  }
  const name = options.colormap ?? "viridis";
  const table = colormap(name);
  const { vmin, vmax, valid } = bounds(values.data, options);
  const scale = Math.max(1, Math.floor(minSize / Math.max(h, w)));
  const iw = w * scale;
  const ih = h * scale;

  // Layout: the image, a gap, then a white panel with the gradient and the labels.
  const fs = ih >= 192 ? 2 : 1;
  const pad = 4 * fs;
  const barW = 10 * fs;
  const labels = vmin === undefined ? ["no data"] : [formatValue(vmax!), formatValue(vmin)];
  const labelW = Math.max(...labels.map((t) => textWidth(t, fs)));
  const drawBar = options.colorbar ?? true;
  const panelX = iw + 8;
  const width = drawBar ? panelX + pad + barW + pad + labelW + pad : iw;
  const height = drawBar ? Math.max(ih, 2 * GLYPH_HEIGHT * fs + 4 * pad) : ih;
  const rgba = new Uint8Array(width * height * 4);

  const span = vmax! - vmin!;
  for (let r = 0; r < h; r++) {
    const y0 = (options.origin === "lower" ? h - 1 - r : r) * scale;
    for (let c = 0; c < w; c++) {
      const v = values.data[r * w + c];
      if (!Number.isFinite(v)) continue;
      const index = span > 0 ? Math.min(255, Math.max(0, Math.floor(((v - vmin!) / span) * 256))) : 128;
      const color = [table[3 * index], table[3 * index + 1], table[3 * index + 2], 255];
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) rgba.set(color, ((y0 + dy) * width + c * scale + dx) * 4);
      }
    }
  }
  let colorbar: QuickLookInfo["colorbar"];
  if (drawBar) {
    for (let y = 0; y < height; y++) {
      for (let x = panelX; x < width; x++) rgba.set(WHITE, (y * width + x) * 4);
    }
    colorbar = { x: panelX + pad, y: pad, width: barW, height: height - 2 * pad };
    for (let y = 0; y < colorbar.height; y++) {
      const index = Math.round(((colorbar.height - 1 - y) / Math.max(1, colorbar.height - 1)) * 255);
      const color = [table[3 * index], table[3 * index + 1], table[3 * index + 2], 255];
      for (let x = 0; x < barW; x++) rgba.set(color, ((colorbar.y + y) * width + colorbar.x + x) * 4);
    }
    const lx = colorbar.x + barW + pad;
    if (labels.length === 2) {
      drawText(rgba, width, labels[0], lx, pad, INK, fs);
      drawText(rgba, width, labels[1], lx, height - pad - GLYPH_HEIGHT * fs, INK, fs);
    } else drawText(rgba, width, labels[0], lx, (height - GLYPH_HEIGHT * fs) >> 1, INK, fs);
  }
  const png = await encodePng(rgba, width, height);
  const info: QuickLookInfo = {
    width,
    height,
    image: { x: 0, y: 0, width: iw, height: ih, scale },
    colorbar,
    vmin,
    vmax,
    valid,
    colormap: name,
  };
  return withInfo(png, info);
}

function bounds(
  data: ArrayLike<number>,
  options: RenderOptions,
): { vmin?: number; vmax?: number; valid: number } {
  for (const [name, v] of [["vmin", options.vmin], ["vmax", options.vmax]] as const) {
    if (v !== undefined && !Number.isFinite(v)) {
      throw new RangeError(`Expected ${name} to be finite, found ${v}`);
    }
  }
  let valid = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    valid++;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (options.robust && valid > 0) {
    const sorted = Float64Array.from(data).filter(Number.isFinite).sort();
    lo = sorted[Math.floor(0.02 * (valid - 1))];
    hi = sorted[Math.ceil(0.98 * (valid - 1))];
  }
  const vmin = options.vmin ?? (valid ? lo : undefined);
  const vmax = options.vmax ?? (valid ? hi : undefined);
  if (vmin !== undefined && vmax !== undefined && vmin > vmax) {
    throw new RangeError(`Expected vmin to be at most vmax, found ${vmin} and ${vmax}`);
  }
  if (options.vmin !== undefined && options.vmax !== undefined && vmin === vmax) {
    throw new RangeError(`Expected vmin below vmax, found both ${vmin}`);
  }
  // Nothing valid and a bound missing: no range to draw ("no data").
  return vmin === undefined || vmax === undefined ? { valid } : { vmin, vmax, valid };
}

/** A label: integers as they are, other values with 4 significant digits. */
function formatValue(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return String(v);
  return String(Number(v.toPrecision(4)));
}

function withInfo(png: Uint8Array<ArrayBuffer>, info: QuickLookInfo): QuickLookImage {
  const describe = () => {
    const range = info.vmin === undefined
      ? "no valid values"
      : `values ${Number(info.vmin.toPrecision(6))} to ${Number(info.vmax!.toPrecision(6))}`;
    const read = info.plan
      ? `, ${
        info.plan.shape.join(" × ")
      } samples (stride ${info.plan.stride}) from ${info.plan.chunks} chunks`
      : "";
    return `quick look: ${info.width} × ${info.height} PNG, ${range} (${info.colormap})${read}`;
  };
  Object.defineProperty(png, "info", { value: info, enumerable: false });
  Object.defineProperty(png, Symbol.for("Jupyter.display"), {
    value: () => ({ "image/png": base64(png), "text/plain": describe() }),
    enumerable: false,
  });
  return png as QuickLookImage;
}

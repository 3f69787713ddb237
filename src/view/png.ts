/**
 * A PNG encoder on Web standards only: 8-bit RGBA, one IDAT chunk compressed by
 * `CompressionStream("deflate")` (the zlib format PNG requires), each row filtered
 * with the filter that minimises the sum of absolute differences (the heuristic the
 * PNG specification suggests), and the chunks' CRC-32 computed here. No dependency:
 * it runs in Deno, Node 20, Bun and browsers.
 *
 * @module
 */

const CRC_TABLE = /* @__PURE__ */ (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 (ISO 3309, as PNG and zlib's `crc32` compute it) of `bytes`, continuing
 * from `crc` when given (the CRC of the bytes before them).
 *
 * @param bytes The bytes.
 * @param crc The CRC of the bytes before these, to continue a running CRC (default: none).
 * @returns The CRC-32 as an unsigned 32-bit integer.
 *
 * @example The CRC of "123456789"
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { crc32 } from "./png.ts";
 * assertEquals(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
 * assertEquals(crc32(new TextEncoder().encode("6789"), crc32(new TextEncoder().encode("12345"))), 0xcbf43926);
 * ```
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** PNG's limit on either side; far above what this module is meant for. */
const MAX_SIDE = 0x7fffffff;

/**
 * Encodes an RGBA image (8 bits per channel, rows top to bottom, no padding) as a PNG.
 *
 * @param rgba The pixels: `width × height × 4` bytes (red, green, blue, alpha).
 * @param width The image's width in pixels (a positive integer).
 * @param height The image's height in pixels (a positive integer).
 * @returns The PNG file's bytes.
 * @throws {RangeError} When a side is not a positive integer or `rgba` has the wrong length.
 *
 * @example A 2 × 1 image: one red pixel, one transparent
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { encodePng } from "@zarrswift/store";
 * const png = await encodePng(new Uint8Array([255, 0, 0, 255, 0, 0, 0, 0]), 2, 1);
 * assertEquals(Array.from(png.subarray(1, 4)), [0x50, 0x4e, 0x47]); // "PNG"
 * assertEquals(new DataView(png.buffer).getUint32(16), 2); // IHDR width
 * ```
 */
export async function encodePng(
  rgba: Uint8Array,
  width: number,
  height: number,
): Promise<Uint8Array<ArrayBuffer>> {
  for (const [name, side] of [["width", width], ["height", height]] as const) {
    if (!Number.isInteger(side) || side < 1 || side > MAX_SIDE) {
      throw new RangeError(`Expected the image ${name} to be a positive integer, found ${side}`);
    }
  }
  if (!(rgba instanceof Uint8Array) || rgba.length !== width * height * 4) {
    throw new RangeError(
      `Expected ${width} × ${height} × 4 = ${width * height * 4} RGBA bytes, found ${
        rgba instanceof Uint8Array ? rgba.length : typeof rgba
      }`,
    );
  }
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, adaptive filtering, no interlace
  const idat = await deflate(filterRows(rgba, width, height));
  const parts = [Uint8Array.from(SIGNATURE), chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND")];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function chunk(type: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

async function deflate(raw: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Each row prefixed with its filter type, filtered with the cheapest of the five filters. */
function filterRows(rgba: Uint8Array, width: number, height: number): Uint8Array<ArrayBuffer> {
  const stride = width * 4;
  const out = new Uint8Array((stride + 1) * height);
  const candidates = Array.from({ length: 5 }, () => new Uint8Array(stride));
  const zero = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = rgba.subarray(y * stride, (y + 1) * stride);
    const up = y === 0 ? zero : rgba.subarray((y - 1) * stride, y * stride);
    let best = 0;
    let bestCost = Infinity;
    for (let type = 0; type < 5; type++) {
      const line = candidates[type];
      let cost = 0;
      for (let i = 0; i < stride; i++) {
        const a = i >= 4 ? row[i - 4] : 0;
        const b = up[i];
        const c = i >= 4 ? up[i - 4] : 0;
        const predictor = type === 0
          ? 0
          : type === 1
          ? a
          : type === 2
          ? b
          : type === 3
          ? (a + b) >> 1
          : paeth(a, b, c);
        const v = (row[i] - predictor) & 0xff;
        line[i] = v;
        cost += v < 128 ? v : 256 - v;
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = type;
      }
    }
    out[y * (stride + 1)] = best;
    out.set(candidates[best], y * (stride + 1) + 1);
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Base64 of bytes (for `data:` URLs and Jupyter's `image/png`), without a dependency.
 *
 * @param bytes The bytes.
 * @returns Their standard base64 encoding, padded.
 *
 * @example Three bytes
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { base64 } from "./png.ts";
 * assertEquals(base64(new TextEncoder().encode("PNG")), "UE5H");
 * ```
 */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * A 5 × 7 pixel font, drawn here, for the numbers a quick look writes beside its
 * colorbar: digits, `.`, `-`, `+`, `e` (exponents), a space and the letters of
 * "no data" and "NaN".
 *
 * @module
 */

/** Each glyph: 7 rows of 5 pixels, `#` set. */
const GLYPHS: Record<string, string> = {
  "0": ".###. #...# #..## #.#.# ##..# #...# .###.",
  "1": "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
  "2": ".###. #...# ....# ...#. ..#.. .#... #####",
  "3": "##### ...#. ..#.. ...#. ....# #...# .###.",
  "4": "...#. ..##. .#.#. #..#. ##### ...#. ...#.",
  "5": "##### #.... ####. ....# ....# #...# .###.",
  "6": "..##. .#... #.... ####. #...# #...# .###.",
  "7": "##### ....# ...#. ..#.. .#... .#... .#...",
  "8": ".###. #...# #...# .###. #...# #...# .###.",
  "9": ".###. #...# #...# .#### ....# ...#. .##..",
  ".": "..... ..... ..... ..... ..... .##.. .##..",
  "-": "..... ..... ..... .###. ..... ..... .....",
  "+": "..... ..#.. ..#.. ##### ..#.. ..#.. .....",
  "e": "..... ..... .###. #...# ##### #.... .###.",
  " ": "..... ..... ..... ..... ..... ..... .....",
  n: "..... ..... #.##. ##..# #...# #...# #...#",
  o: "..... ..... .###. #...# #...# #...# .###.",
  d: "....# ....# .##.# #..## #...# #...# .####",
  a: "..... ..... .###. ....# .#### #...# .####",
  t: ".#... .#... ###.. .#... .#... .#..# ..##.",
  N: "#...# #...# ##..# #.#.# #..## #...# #...#",
};

/**
 * Width of a glyph plus the space after it, in font pixels.
 *
 * @example Text width
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { GLYPH_ADVANCE, textWidth } from "./font.ts";
 * assertEquals(textWidth("12"), 2 * GLYPH_ADVANCE);
 * ```
 */
export const GLYPH_ADVANCE = 6;

/**
 * Height of a glyph, in font pixels.
 *
 * @example Glyph height
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { GLYPH_HEIGHT } from "./font.ts";
 * assertEquals(GLYPH_HEIGHT, 7);
 * ```
 */
export const GLYPH_HEIGHT = 7;

/**
 * Draws text into an RGBA image, each font pixel a `scale × scale` square; characters
 * the font lacks are drawn as a space. Pixels outside the image are skipped.
 *
 * @param rgba The image's pixels (`width × height × 4` bytes).
 * @param width The image's width.
 * @param text The text.
 * @param x Left edge of the text.
 * @param y Top edge of the text.
 * @param color The colour, `[r, g, b, a]`.
 * @param scale Size of a font pixel in image pixels (default 1).
 * @returns The width drawn, in image pixels.
 *
 * @example Draw "1.5" in black
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { drawText } from "./font.ts";
 * const rgba = new Uint8Array(20 * 7 * 4);
 * assertEquals(drawText(rgba, 20, "1.5", 0, 0, [0, 0, 0, 255]), 18);
 * assertEquals(rgba[(0 * 20 + 2) * 4 + 3], 255); // the top of the "1"
 * ```
 */
export function drawText(
  rgba: Uint8Array,
  width: number,
  text: string,
  x: number,
  y: number,
  color: readonly [number, number, number, number],
  scale = 1,
): number {
  const height = rgba.length / 4 / width;
  let left = x;
  for (const ch of text) {
    const rows = (GLYPHS[ch] ?? GLYPHS[" "]).split(" ");
    for (let r = 0; r < GLYPH_HEIGHT; r++) {
      for (let c = 0; c < 5; c++) {
        if (rows[r][c] !== "#") continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const px = left + c * scale + dx;
            const py = y + r * scale + dy;
            if (px < 0 || py < 0 || px >= width || py >= height) continue;
            rgba.set(color, (py * width + px) * 4);
          }
        }
      }
    }
    left += GLYPH_ADVANCE * scale;
  }
  return left - x;
}

/**
 * The width of `text` drawn by {@link drawText}, in image pixels.
 *
 * @param text The text.
 * @param scale Size of a font pixel (default 1).
 * @returns The width.
 *
 * @example Three characters
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { textWidth } from "./font.ts";
 * assertEquals(textWidth("1.5", 2), 36);
 * ```
 */
export function textWidth(text: string, scale = 1): number {
  return [...text].length * GLYPH_ADVANCE * scale;
}

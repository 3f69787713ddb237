/**
 * The PNG encoder and the colormaps, checked by an independent decoder (fast-png, a
 * test-only npm package) and an independent CRC-32 (node:zlib).
 */
import assert from "node:assert/strict";
import { crc32 as zlibCrc32 } from "node:zlib";
import { decode } from "./_png_decode.ts";
import { colormap, COLORMAPS, encodePng } from "../src/view/mod.ts";
import { crc32 } from "../src/view/png.ts";
import { randomBytes } from "./_swift.ts";

Deno.test("crc32 matches zlib's for empty, short and long inputs, and continues a running CRC", () => {
  for (const n of [0, 1, 7, 1000, 65537]) {
    const bytes = randomBytes(n);
    assert.equal(crc32(bytes), zlibCrc32(bytes), `length ${n}`);
  }
  const bytes = randomBytes(5000);
  assert.equal(crc32(bytes.subarray(1234), crc32(bytes.subarray(0, 1234))), zlibCrc32(bytes));
});

Deno.test("encodePng: an independent decoder reads back every pixel, at odd and large sizes", async () => {
  const cases: [number, number, (i: number) => number][] = [
    [1, 1, () => 200],
    [37, 23, () => Math.floor(Math.random() * 256)], // noise: no filter helps
    [1024, 700, (i) => ((i >> 2) % 1024 + (i & 3) * 40) & 0xff], // gradients: Sub/Up/Paeth pay
  ];
  for (const [width, height, value] of cases) {
    const rgba = Uint8Array.from({ length: width * height * 4 }, (_, i) => value(i));
    const png = await encodePng(rgba, width, height);
    const image = decode(png);
    assert.deepEqual(
      [image.width, image.height, image.channels, image.depth],
      [width, height, 4, 8],
      `${width} × ${height}`,
    );
    assert.ok(Buffer.from(image.data as Uint8Array).equals(Buffer.from(rgba)), `${width} × ${height} pixels`);
  }
});

Deno.test("encodePng refuses sides that are not positive integers and pixels of the wrong length", async () => {
  await assert.rejects(encodePng(new Uint8Array(0), 0, 1), RangeError);
  await assert.rejects(encodePng(new Uint8Array(8), 1.5, 1), /positive integer/);
  await assert.rejects(encodePng(new Uint8Array(7), 2, 1), /Expected 2 × 1 × 4 = 8 RGBA bytes, found 7/);
});

Deno.test("colormaps: 256 colours each; published ends of viridis, magma and cividis; _r reverses", () => {
  // Ends as matplotlib's documentation and the colormaps' papers give them in hex.
  const ends: Record<string, [string, string]> = {
    viridis: ["440154", "fde725"],
    magma: ["000004", "fcfdbf"],
    cividis: ["00224e", "fee838"],
    gray: ["000000", "ffffff"],
    RdBu: ["67001f", "053061"], // ColorBrewer RdBu 11: first and last class
  };
  const hex = (t: Uint8Array, i: number) =>
    Array.from(t.subarray(3 * i, 3 * i + 3), (b) => b.toString(16).padStart(2, "0")).join("");
  for (const name of COLORMAPS) {
    const table = colormap(name);
    assert.equal(table.length, 768, name);
    assert.deepEqual([hex(table, 0), hex(table, 255)], ends[name], name);
    const reversed = colormap(`${name}_r` as typeof name);
    for (let i = 0; i < 256; i++) assert.equal(hex(reversed, i), hex(table, 255 - i));
  }
  // RdBu's entries 51, 102, 153 and 204 fall exactly on ColorBrewer's classes 3, 5, 7 and 9.
  const rdbu = colormap("RdBu");
  assert.deepEqual([51, 102, 153, 204].map((i) => hex(rdbu, i)), ["d6604d", "fddbc7", "d1e5f0", "4393c3"]);
  assert.throws(() => colormap("jet" as "gray"), /Expected a colormap name .*found "jet"/);
});

/**
 * Quick looks: PNGs decoded back by an independent decoder (fast-png, test-only), their
 * sizes, transparent missing values, colours at the minimum and maximum equal to the
 * colormap's ends, strided reads (what is read, counted at the store), and every bad
 * input a typed error or the documented picture, each within a deadline.
 */
import assert from "node:assert/strict";
import { decode } from "./_png_decode.ts";
import * as zarr from "zarrita";
import { colormap, planQuickLook, quickLook, renderQuickLook } from "../src/view/mod.ts";
import { readPlan } from "../src/view/read.ts";
import { withStore } from "./_swift.ts";

type Rgba = [number, number, number, number];

function pixels(png: Uint8Array): { width: number; height: number; at(x: number, y: number): Rgba } {
  const image = decode(png);
  assert.equal(image.channels, 4);
  assert.equal(image.depth, 8);
  const data = image.data as Uint8Array;
  return {
    width: image.width,
    height: image.height,
    at: (x, y) => Array.from(data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4)) as Rgba,
  };
}

function color(name: Parameters<typeof colormap>[0], index: number): Rgba {
  const t = colormap(name);
  return [t[3 * index], t[3 * index + 1], t[3 * index + 2], 255];
}

/** Fails instead of hanging. */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function memoryArray(
  shape: number[],
  chunkShape: number[],
  values: (index: number[]) => number,
  extra: { fillValue?: number } = {},
) {
  const array = await zarr.create(new Map(), { shape, chunkShape, dtype: "float32", ...extra });
  const size = shape.reduce((a, b) => a * b, 1);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const data = Float32Array.from(
    { length: size },
    (_, i) => values(strides.map((s, d) => Math.floor(i / s) % shape[d])),
  );
  await zarr.set(array, null, { data, shape, stride: strides });
  return array;
}

Deno.test("a quick look is a valid PNG: min and max in the colormap's ends, NaN and fill values transparent", async () => {
  const fill = -999;
  const array = await memoryArray([60, 80], [16, 16], ([y, x]) => {
    if (y === 3 && x === 5) return NaN;
    if (y === 7 && x === 10) return fill;
    return x + 100 * y;
  }, { fillValue: fill });
  for (const name of ["viridis", "magma", "RdBu_r"] as const) {
    const png = await within(10_000, quickLook(array, null, { minSize: 1, colormap: name }));
    const image = pixels(png);
    assert.deepEqual([image.width, image.height], [png.info.width, png.info.height]);
    assert.deepEqual(png.info.image, { x: 0, y: 0, width: 80, height: 60, scale: 1 });
    assert.equal(png.info.vmin, 0);
    assert.equal(png.info.vmax, 79 + 100 * 59);
    assert.equal(png.info.valid, 60 * 80 - 2);
    assert.deepEqual(image.at(0, 0), color(name, 0), `${name}: the minimum`);
    assert.deepEqual(image.at(79, 59), color(name, 255), `${name}: the maximum`);
    assert.equal(image.at(5, 3)[3], 0, "NaN is transparent");
    assert.equal(image.at(10, 7)[3], 0, "the fill value is transparent");
    let opaque = 0;
    for (let y = 0; y < 60; y++) for (let x = 0; x < 80; x++) if (image.at(x, y)[3] === 255) opaque++;
    assert.equal(opaque, png.info.valid);
    const bar = png.info.colorbar!;
    assert.ok(bar.x >= 80 && bar.x + bar.width <= image.width);
    assert.deepEqual(image.at(bar.x, bar.y), color(name, 255), "the colorbar's top is the last colour");
    assert.deepEqual(image.at(bar.x, bar.y + bar.height - 1), color(name, 0), "its bottom the first");
  }
  const plain = pixels(await quickLook(array, null, { minSize: 1, colorbar: false }));
  assert.deepEqual([plain.width, plain.height], [80, 60]);
  const kept = await quickLook(array, null, { minSize: 1, colorbar: false, maskFill: false });
  assert.deepEqual(
    pixels(kept).at(10, 7),
    color("viridis", 0),
    "maskFill: false draws the fill value (the minimum)",
  );
});

Deno.test("decimation: every stride-th row and column, the size it promises, and small images enlarged", async () => {
  const array = await memoryArray([300, 400], [64, 48], ([y, x]) => y * 1000 + x);
  const plan = planQuickLook(array, null, { maxSize: 100 });
  const stride = Math.ceil(400 / 100);
  assert.equal(plan.stride, stride);
  assert.deepEqual(plan.rows, Array.from({ length: Math.ceil(300 / stride) }, (_, k) => k * stride));
  assert.deepEqual(plan.cols, Array.from({ length: 100 }, (_, k) => k * stride));
  const values = await readPlan(array, plan);
  assert.deepEqual(Array.from(values), plan.rows.flatMap((y) => plan.cols.map((x) => y * 1000 + x)));
  const png = pixels(await quickLook(array, null, { maxSize: 100, minSize: 1, colorbar: false }));
  assert.deepEqual([png.width, png.height], [100, 75]);

  // A user slice with a step: the steps multiply.
  const sliced = planQuickLook(array, [zarr.slice(10, 290, 2), zarr.slice(null, null, 3)], { maxSize: 50 });
  assert.equal(sliced.stride, Math.ceil(Math.ceil(400 / 3) / 50));
  assert.deepEqual(sliced.rows.slice(0, 3), [10, 10 + 2 * sliced.stride, 10 + 4 * sliced.stride]);

  const tiny = await memoryArray([6, 8], [6, 8], ([y, x]) => y * 8 + x);
  const big = await quickLook(tiny, null, { colorbar: false });
  const scale = Math.floor(256 / 8);
  assert.deepEqual(big.info.image, { x: 0, y: 0, width: 8 * scale, height: 6 * scale, scale });
  const image = pixels(big);
  assert.deepEqual([image.width, image.height], [8 * scale, 6 * scale]);
  assert.deepEqual(
    image.at(scale - 1, scale - 1),
    color("viridis", 0),
    "sample (0, 0) fills its whole block",
  );
  assert.deepEqual(image.at(8 * scale - 1, 6 * scale - 1), color("viridis", 255));
  const lower = pixels(await quickLook(tiny, null, { colorbar: false, minSize: 1, origin: "lower" }));
  assert.deepEqual(lower.at(0, 5), color("viridis", 0), "origin lower puts row 0 at the bottom");
});

Deno.test("zarr v2 in Fortran order, edge chunks and a sampled read agree with the values written", async () => {
  const map = new Map<string, Uint8Array>();
  const [ny, nx, cy, cx] = [5, 6, 3, 4];
  const value = (y: number, x: number) => y * 10 + x;
  map.set(
    "/f/.zarray",
    new TextEncoder().encode(JSON.stringify({
      zarr_format: 2,
      shape: [ny, nx],
      chunks: [cy, cx],
      dtype: "<f8",
      compressor: null,
      fill_value: "NaN",
      order: "F",
      filters: null,
    })),
  );
  for (let i = 0; i * cy < ny; i++) {
    for (let j = 0; j * cx < nx; j++) {
      const chunk = new Float64Array(cy * cx); // Fortran order: (a, b) at a + b * cy
      for (let a = 0; a < cy; a++) {
        for (let b = 0; b < cx; b++) {
          const [y, x] = [i * cy + a, j * cx + b];
          chunk[a + b * cy] = y < ny && x < nx ? value(y, x) : NaN;
        }
      }
      map.set(`/f/${i}.${j}`, new Uint8Array(chunk.buffer));
    }
  }
  const array = await zarr.open.v2(zarr.root(map).resolve("f"), { kind: "array" });
  const all = planQuickLook(array, null);
  assert.deepEqual(
    Array.from(await readPlan(array, all)),
    Array.from({ length: ny * nx }, (_, k) => value(Math.floor(k / nx), k % nx)),
  );
  const sampled = planQuickLook(array, [zarr.slice(1, null), null], { maxSize: 3 });
  assert.deepEqual([sampled.rows, sampled.cols], [[1, 3], [0, 2, 4]]);
  assert.deepEqual(Array.from(await readPlan(array, sampled)), [10, 12, 14, 30, 32, 34]);
});

Deno.test("extra dimensions: index 0 by default, any index or pair of dimensions by selection", async () => {
  const array = await memoryArray([3, 5, 7], [2, 5, 4], ([t, y, x]) => t * 100 + y * 10 + x);
  const first = await quickLook(array, null, { minSize: 1 });
  assert.deepEqual([first.info.vmin, first.info.vmax, first.info.plan?.fixed], [0, 46, [0, null, null]]);
  const last = await quickLook(array, [-1, null, null], { minSize: 1 });
  assert.deepEqual([last.info.vmin, last.info.vmax], [200, 246]);
  const section = await quickLook(array, [null, 4, null], { minSize: 1, colorbar: false });
  assert.deepEqual([section.info.image.height, section.info.image.width, section.info.vmin], [3, 7, 40]);
});

Deno.test("bools, CF packing, all-missing and constant slices draw the documented pictures", async () => {
  const bools = await zarr.create(new Map(), { shape: [2, 2], chunkShape: [2, 2], dtype: "bool" });
  await zarr.set(bools, null, {
    data: new zarr.BoolArray([true, false, false, false]),
    shape: [2, 2],
    stride: [2, 1],
  });
  const b = await quickLook(bools, null, { minSize: 1, colorbar: false });
  assert.deepEqual([b.info.vmin, b.info.vmax], [0, 1]);
  assert.deepEqual(pixels(b).at(0, 0), color("viridis", 255), "true is the last colour");
  assert.deepEqual(pixels(b).at(1, 1), color("viridis", 0), "false the first, not transparent");

  const packed = await zarr.create(new Map(), {
    shape: [2, 2],
    chunkShape: [2, 2],
    dtype: "int16",
    attributes: { scale_factor: 0.5, add_offset: 10, _FillValue: -32768 },
  });
  await zarr.set(packed, null, { data: Int16Array.from([0, 4, -32768, 2]), shape: [2, 2], stride: [2, 1] });
  const p = await quickLook(packed, null, { minSize: 1 });
  assert.deepEqual([p.info.vmin, p.info.vmax, p.info.valid], [10, 12, 3]);
  assert.equal(pixels(p).at(0, 1)[3], 0, "_FillValue is transparent");
  const raw = await quickLook(packed, null, { minSize: 1, decode: false, maskFill: false });
  assert.deepEqual([raw.info.vmin, raw.info.vmax], [-32768, 4]);

  const empty = await memoryArray([4, 4], [2, 2], () => NaN);
  const e = await within(10_000, quickLook(empty, null, { minSize: 1 }));
  assert.deepEqual([e.info.vmin, e.info.vmax, e.info.valid], [undefined, undefined, 0]);
  const ei = pixels(e);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) assert.equal(ei.at(x, y)[3], 0);
  assert.ok(e.info.colorbar, "the colorbar is still drawn, labelled no data");
  const half = await within(10_000, quickLook(empty, null, { minSize: 1, vmin: 0 }));
  assert.deepEqual(
    [half.info.vmin, half.info.vmax, half.info.valid],
    [undefined, undefined, 0],
    "one bound alone",
  );
  const both = await quickLook(empty, null, { minSize: 1, vmin: 0, vmax: 1 });
  assert.deepEqual([both.info.vmin, both.info.vmax, both.info.valid], [0, 1, 0], "both bounds are drawn");

  const flat = await memoryArray([4, 4], [2, 2], () => 7.5);
  const f = await within(10_000, quickLook(flat, null, { minSize: 1 }));
  assert.deepEqual([f.info.vmin, f.info.vmax], [7.5, 7.5]);
  const fi = pixels(f);
  for (let y = 0; y < 4; y++) {
    for (let x = 0; x < 4; x++) assert.deepEqual(fi.at(x, y), color("viridis", 128));
  }
});

Deno.test("bad input: each a TypeError or RangeError naming what was expected, before any chunk is read", async () => {
  const map = new Map<string, Uint8Array>();
  let chunkReads = 0;
  const store = {
    get(key: string) {
      if (!key.endsWith(".json") && !/\.z(array|attrs|group)$/.test(key)) chunkReads++;
      return Promise.resolve(map.get(key));
    },
  };
  const line = await zarr.create(map, { shape: [10], chunkShape: [5], dtype: "float64" });
  const cube = await zarr.create(zarr.root(map).resolve("cube"), {
    shape: [3, 4, 5],
    chunkShape: [1, 4, 5],
    dtype: "float32",
  });
  const huge = await zarr.create(zarr.root(map).resolve("huge"), {
    shape: [10_000, 10_000],
    chunkShape: [100, 100],
    dtype: "float32",
  });
  const words = "abc";
  map.set(
    "/words/.zarray",
    new TextEncoder().encode(JSON.stringify({
      zarr_format: 2,
      shape: [2, 2],
      chunks: [2, 2],
      dtype: "<U5",
      compressor: null,
      fill_value: words,
      order: "C",
      filters: null,
    })),
  );
  const open = (path: string) => zarr.open(zarr.root(store).resolve(path), { kind: "array" });
  const cases: [string, () => Promise<unknown>, RegExp, ErrorConstructor][] = [
    [
      "1-D",
      () => quickLook(line),
      /at least 2 dimensions for a quick look, found 1 \(shape \[10\]/,
      RangeError,
    ],
    [
      "3 left",
      async () => quickLook(await open("cube"), [null, null, null]),
      /leaves 2 dimensions.*found 3/,
      RangeError,
    ],
    ["1 left", () => quickLook(cube, [0, 1, null]), /leaves 2 dimensions.*found 1/, RangeError],
    [
      "wrong length",
      () => quickLook(cube, [null, null]),
      /one entry per dimension \(3\), found 2/,
      RangeError,
    ],
    [
      "index past the end",
      () => quickLook(cube, [3, null, null]),
      /index from -3 to 2 along dimension 0, found 3/,
      RangeError,
    ],
    ["empty slice", () => quickLook(cube, [0, zarr.slice(2, 2), null]), /non-empty slice/, RangeError],
    ["strings", async () => quickLook(await open("words")), /numbers or bools.*v2:U5/, TypeError],
    ["not an array", () => quickLook({} as never), /Expected a zarrita array/, TypeError],
    [
      "huge maxSize",
      () => quickLook(cube, null, { maxSize: 100_000 }),
      /maxSize.*1 to 4096, found 100000/,
      RangeError,
    ],
    ["zero minSize", () => quickLook(cube, null, { minSize: 0 }), /minSize.*found 0/, RangeError],
    [
      "vmin above vmax",
      () => quickLook(cube, null, { vmin: 2, vmax: 1 }),
      /vmin to be at most vmax/,
      RangeError,
    ],
    ["vmin equal vmax", () => quickLook(cube, null, { vmin: 1, vmax: 1 }), /vmin below vmax/, RangeError],
    ["vmin NaN", () => quickLook(cube, null, { vmin: NaN }), /vmin to be finite/, RangeError],
    [
      "10,000 × 10,000",
      async () => quickLook(await open("huge")),
      /at most 10000 chunks and 256 MiB, found 10000 chunks of \[100, 100\] float32/,
      RangeError,
    ],
    [
      "render shape",
      () => renderQuickLook({ data: [1, 2, 3], shape: [2, 2] }),
      /Expected 2 × 2 values/,
      RangeError,
    ],
  ];
  for (const [name, run, message, type] of cases) {
    await assert.rejects(within(10_000, run()), (e: Error) => {
      assert.ok(e instanceof type, `${name}: ${e.constructor.name} ${e.message}`);
      assert.match(e.message, message, name);
      return true;
    });
  }
  assert.equal(chunkReads, 0, "no chunk was read for a refused quick look");
  assert.equal(huge.shape[0], 10_000);
});

Deno.test("a 10,000 × 10,000 array in Swift: refused at full resolution; at 16 × 16 it reads only the chunks it plans", async () => {
  let chunkGets = 0;
  const counting: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if ((init?.method ?? "GET") === "GET" && /\/big\/c\//.test(url)) chunkGets++;
    return fetch(input, init);
  };
  await withStore(async (store) => {
    const big = await zarr.create(zarr.root(store).resolve("big"), {
      shape: [10_000, 10_000],
      chunkShape: [500, 500],
      dtype: "float32",
      fillValue: NaN,
    });
    // Two chunks written; the other 398 were never written (read as the fill value, NaN).
    await zarr.set(big, [zarr.slice(0, 500), zarr.slice(0, 500)], 1);
    await zarr.set(big, [zarr.slice(500, 1000), zarr.slice(0, 500)], 2);
    chunkGets = 0;
    await assert.rejects(
      within(30_000, quickLook(big)),
      /found 400 chunks of \[500, 500\] float32 \(381\.5 MiB/,
    );
    assert.equal(chunkGets, 0, "refused before reading");

    const plan = planQuickLook(big, null, { maxSize: 16 });
    const stride = Math.ceil(10_000 / 16);
    const perAxis = new Set(Array.from({ length: 16 }, (_, k) => Math.floor((k * stride) / 500))).size;
    assert.deepEqual([plan.stride, plan.chunks, plan.chunksInSelection], [stride, perAxis ** 2, 400]);
    const png = await within(60_000, quickLook(big, null, { maxSize: 16, minSize: 1, colorbar: false }));
    assert.equal(chunkGets, perAxis ** 2, "one GET per planned chunk, no more");
    assert.deepEqual([png.info.vmin, png.info.vmax, png.info.valid], [1, 2, 2]);
    const image = pixels(png);
    assert.deepEqual([image.width, image.height], [16, 16]);
    assert.deepEqual(image.at(0, 0), color("viridis", 0));
    assert.deepEqual(image.at(0, 1), color("viridis", 255), "row 625 lies in the second chunk row");
    assert.equal(image.at(1, 0)[3], 0, "never-written chunks are transparent");
  }, { label: "ql", fetch: counting });
});

/**
 * Datasets for the view tests, the notebook and the render benchmark: a CF-style
 * climate dataset written with zarrita (v3, spec-valid codecs, NaN fill, packed
 * int16, a bool mask in a subgroup), a hierarchy of exactly 1,000 nodes, and inline
 * consolidated metadata as zarr-python 3 writes it (for tests; the library's own
 * writer is another piece of work).
 */
import * as zarr from "zarrita";
import type { AbsolutePath, SwiftStore } from "../mod.ts";
import { utf8 } from "./_swift.ts";

const CODECS = [
  { name: "bytes", configuration: { endian: "little" } },
  { name: "zstd", configuration: { level: 3, checksum: false } },
];

/** The CF-style dataset's arrays and groups, by path. */
export const CF_NODES = ["/", "/ancillary", "/ancillary/land_mask", "/lat", "/lon", "/pr", "/tas", "/time"];

/** Near-surface air temperature in K: a smooth field with a missing patch (NaN) at time 0. */
export function tasValue(t: number, y: number, x: number): number {
  if (t === 0 && y >= 10 && y < 16 && x >= 20 && x < 32) return NaN;
  const lat = -88 + 4 * y;
  const lon = 4 * x;
  return Math.round(
    (273.15 + 30 * Math.cos((lat * Math.PI) / 180) - 15 + 5 * Math.sin((lon * Math.PI) / 90 + t / 3)) * 100,
  ) / 100;
}

/**
 * Writes the CF-style dataset: `time` (10 days), `lat` (45), `lon` (90), `tas`
 * (time, lat, lon) float32 in 18 chunks, `pr` int16 with `scale_factor` and
 * `_FillValue`, and `ancillary/land_mask` (bool).
 */
export async function writeCfDataset(store: SwiftStore): Promise<undefined> {
  const root = await zarr.create(store, {
    attributes: {
      Conventions: "CF-1.8",
      title: "CF-style example: near-surface air temperature",
      institution: "zarrswift tests",
      history: "written by tests/_view_fixtures.ts",
    },
  });
  const [nt, ny, nx] = [10, 45, 90];
  const coord = async (
    name: string,
    n: number,
    dtype: "int32" | "float32",
    f: (i: number) => number,
    attrs = {},
  ) => {
    const a = await zarr.create(root.resolve(name), {
      shape: [n],
      chunkShape: [n],
      dtype,
      codecs: CODECS,
      fillValue: 0,
      dimensionNames: [name],
      attributes: attrs,
    });
    const data = dtype === "int32"
      ? Int32Array.from({ length: n }, (_, i) => f(i))
      : Float32Array.from({ length: n }, (_, i) => f(i));
    await zarr.set(a, null, { data, shape: [n], stride: [1] } as never);
  };
  await coord("time", nt, "int32", (i) => i, {
    units: "days since 2000-01-01",
    calendar: "standard",
    standard_name: "time",
  });
  await coord("lat", ny, "float32", (i) => -88 + 4 * i, {
    units: "degrees_north",
    standard_name: "latitude",
  });
  await coord("lon", nx, "float32", (i) => 4 * i, { units: "degrees_east", standard_name: "longitude" });
  const tas = await zarr.create(root.resolve("tas"), {
    shape: [nt, ny, nx],
    chunkShape: [5, 15, 30],
    dtype: "float32",
    codecs: CODECS,
    fillValue: NaN,
    dimensionNames: ["time", "lat", "lon"],
    attributes: { units: "K", standard_name: "air_temperature", long_name: "Near-surface air temperature" },
  });
  const tasData = Float32Array.from(
    { length: nt * ny * nx },
    (_, i) => tasValue(Math.floor(i / (ny * nx)), Math.floor(i / nx) % ny, i % nx),
  );
  await zarr.set(tas, null, { data: tasData, shape: [nt, ny, nx], stride: [ny * nx, nx, 1] });
  const pr = await zarr.create(root.resolve("pr"), {
    shape: [nt, ny, nx],
    chunkShape: [nt, ny, nx],
    dtype: "int16",
    codecs: CODECS,
    fillValue: -32768,
    dimensionNames: ["time", "lat", "lon"],
    attributes: { units: "kg m-2 s-1", scale_factor: 1e-6, add_offset: 0, _FillValue: -32768 },
  });
  const prData = Int16Array.from(
    { length: nt * ny * nx },
    (_, i) => (i % 7 === 0 ? -32768 : (i * 37) % 3000),
  );
  await zarr.set(pr, null, { data: prData, shape: [nt, ny, nx], stride: [ny * nx, nx, 1] });
  const ancillary = await zarr.create(root.resolve("ancillary"), { attributes: { comment: "masks" } });
  const mask = await zarr.create(ancillary.resolve("land_mask"), {
    shape: [ny, nx],
    chunkShape: [ny, nx],
    dtype: "bool",
    codecs: [{ name: "bytes", configuration: {} }],
    fillValue: false,
    dimensionNames: ["lat", "lon"],
  });
  const land = new zarr.BoolArray(Array.from({ length: ny * nx }, (_, i) => (i % nx) > 30 && (i % nx) < 60));
  await zarr.set(mask, null, { data: land, shape: [ny, nx], stride: [nx, 1] });
}

/**
 * Writes a hierarchy of exactly 1,000 nodes (the root, 9 groups of 110 arrays; every
 * 10th array has its one chunk) as zarr v3 documents, and answers them by path
 * relative to the root (for {@link consolidateForTest}).
 */
export async function writeThousandNodes(store: SwiftStore): Promise<Record<string, unknown>> {
  const docs: Record<string, unknown> = {};
  const writes: Promise<void>[] = [];
  const put = (path: string, doc: unknown) => {
    if (path !== "") docs[path] = doc;
    writes.push(store.set(`/${path ? `${path}/` : ""}zarr.json` as AbsolutePath, utf8(JSON.stringify(doc))));
  };
  put("", { zarr_format: 3, node_type: "group", attributes: { title: "1,000 nodes" } });
  for (let g = 0; g < 9; g++) {
    put(`g${g}`, { zarr_format: 3, node_type: "group", attributes: { index: g } });
    for (let a = 0; a < 110; a++) {
      const path = `g${g}/a${String(a).padStart(3, "0")}`;
      put(path, {
        zarr_format: 3,
        node_type: "array",
        shape: [4, 6],
        data_type: "float32",
        chunk_grid: { name: "regular", configuration: { chunk_shape: [4, 6] } },
        chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
        codecs: [{ name: "bytes", configuration: { endian: "little" } }],
        fill_value: 0,
        dimension_names: ["y", "x"],
        attributes: { long_name: `array ${a} of group ${g}`, units: "1" },
      });
      if (a % 10 === 0) {
        const chunk = new Uint8Array(Float32Array.from({ length: 24 }, () => g + a).buffer);
        writes.push(store.set(`/${path}/c/0/0`, chunk));
      }
    }
  }
  await Promise.all(writes);
  return docs;
}

/**
 * Writes inline consolidated metadata into the root's `zarr.json`, in zarr-python 3's
 * format: `{"kind": "inline", "must_understand": false, "metadata": {path: node}}`;
 * reads every node's `zarr.json` unless their documents are given. Answers the count.
 */
export async function consolidateForTest(store: SwiftStore, docs?: Record<string, unknown>): Promise<number> {
  let metadata = docs;
  if (!metadata) {
    const found: Record<string, unknown> = {};
    const keys: AbsolutePath[] = [];
    for await (const key of store.list("/")) {
      if (key.endsWith("/zarr.json") && key !== "/zarr.json") keys.push(key);
    }
    await Promise.all(keys.map(async (key) => {
      found[key.slice(1, -"/zarr.json".length)] = JSON.parse(new TextDecoder().decode(await store.get(key)));
    }));
    metadata = found;
  }
  const root = JSON.parse(new TextDecoder().decode(await store.get("/zarr.json")));
  root.consolidated_metadata = { kind: "inline", must_understand: false, metadata };
  await store.set("/zarr.json", utf8(JSON.stringify(root)));
  return Object.keys(metadata).length;
}

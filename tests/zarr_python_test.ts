/**
 * Interop with the Python zarr ecosystem (Debian's xarray 2023.01, zarr 2.13,
 * numcodecs; `bash dev/python.sh` installs them) through the real Swift:
 * datasets Python wrote and `swift upload` stored, read here value for value;
 * copies made here, read by Python; consolidated metadata written here, read by
 * zarr.open_consolidated; a v3 hierarchy written here, checked by Python.
 */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { consolidateMetadata, validateHierarchy } from "../src/zarr/mod.ts";
import { SwiftStore } from "../mod.ts";
import { assertSameAsDumped, python, readDump, swiftCli } from "./_python.ts";
import { AUTH_URL, dropContainer, tempAuth, uniqueName, USERS } from "./_swift.ts";
import { countedStore, gets, validArray } from "./_zarr.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** Writes the CF dataset with Python into a temp dir; answers the dir and the dump. */
async function pythonDataset(consolidate: boolean) {
  const dir = await Deno.makeTempDir({ prefix: "zs-py-" });
  const out = `${dir}/cf.zarr`;
  const args = consolidate ? [] : ["--no-consolidate"];
  const written = JSON.parse(await python("write_cf.py", out, `${dir}/dump.json`, ...args));
  return { dir, out, dump: await readDump(`${dir}/dump.json`), arrays: written.arrays as string[] };
}

Deno.test("Python → Swift → zarrita: an xarray/zarr 2.13 dataset uploaded by `swift upload` reads back value for value", async () => {
  const container = uniqueName("pyread");
  const { dir, out, dump, arrays } = await pythonDataset(true);
  try {
    assert.equal(arrays.length, 9);
    await swiftCli("upload", container, out, "--object-name", "cf.zarr");
    const plain = await countedStore(container, "cf.zarr", { readOnly: true });
    const report = await validateHierarchy(plain.store);
    assert.equal(report.format, 2);
    assert.equal(report.nodes, 12);
    assert.deepEqual(report.problems, []);

    // Consolidated: the whole hierarchy's metadata in one GET (.zmetadata), then chunks only.
    plain.reset();
    const consolidated = await zarr.withConsolidatedMetadata(plain.store, { format: "v2" });
    const contents = consolidated.contents().filter((c) => c.kind === "array").map((c) => c.path.slice(1))
      .sort();
    assert.deepEqual(contents, arrays);
    for (const path of arrays) {
      const arr = await zarr.open.v2(zarr.root(consolidated).resolve(path), { kind: "array" });
      assertSameAsDumped(path, await zarr.get(arr), dump[path]);
    }
    const metadataReads = gets(plain.sent).filter((s) => /\/\.z\w+$/.test(s.object));
    assert.deepEqual(metadataReads.map((s) => s.object), ["cf.zarr/.zmetadata"]);

    // Node by node, without the consolidated document.
    const fresh = await SwiftStore.open({ container, prefix: "cf.zarr", auth: tempAuth(), readOnly: true });
    for (const path of arrays) {
      const arr = await zarr.open.v2(zarr.root(fresh).resolve(path), { kind: "array" });
      assertSameAsDumped(path, await zarr.get(arr), dump[path]);
    }
    // What makes this dataset a real one: F order, "/" separators, chunks never written, NaN and -1 fills.
    const counts = await zarr.open.v2(zarr.root(fresh).resolve("nested/deeper/counts"), { kind: "array" });
    assert.equal((await zarr.get(counts)).stride.join(","), "1,6");
    assert.ok(dump["nested/deeper/big"].values.includes("9223372036854775807"));
    assert.equal(dump["nested/deeper/field"].values.filter((v) => v === "NaN").length, 4 * 6);
    assert.ok(dump["nested/small"].values.slice(7).every((v) => v === -1));
    assert.deepEqual(dump.station.values, ["ham", "bergn", "lind", "hohen"]);
  } finally {
    await dropContainer(container);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Swift → download.ts → Python: xr.open_zarr(consolidated=True) sees the identical dataset", async () => {
  const container = uniqueName("pydl");
  const { dir, out } = await pythonDataset(true);
  try {
    await swiftCli("upload", container, out, "--object-name", "cf.zarr");
    const copy = `${dir}/copy.zarr`;
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}scripts/download.ts`, "--json", `${container}/cf.zarr`, copy],
      env: { ST_AUTH: AUTH_URL, ST_USER: USERS.tester.user, ST_KEY: USERS.tester.key, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(run.success, new TextDecoder().decode(run.stderr));
    const summary = JSON.parse(new TextDecoder().decode(run.stdout).trim().split("\n").at(-1)!);
    assert.equal(summary.failed, 0);
    const result = JSON.parse(await python("compare_xr.py", out, copy));
    assert.ok(result.identical.includes("/temperature") && result.identical.includes("nested/deeper/big"));
    assert.equal(result.arrays, 9);
    assert.equal(result.time, "2000-01-01");
    assert.equal(result.pressure_fill_is_nan, true);
  } finally {
    await dropContainer(container);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("consolidateMetadata (v2) → swift download → Python zarr.open_consolidated: identical metadata and values", async () => {
  const container = uniqueName("pycons");
  const { dir, out } = await pythonDataset(false);
  try {
    await swiftCli("upload", container, out, "--object-name", "cf.zarr");
    const store = await SwiftStore.open({ container, prefix: "cf.zarr", auth: tempAuth() });
    assert.equal(await store.get("/.zmetadata"), undefined);
    const result = await consolidateMetadata(store);
    assert.deepEqual({ ...result, bytes: 0 }, { format: 2, nodes: 12, bytes: 0, key: "/.zmetadata" });
    const copy = `${dir}/downloaded`;
    await swiftCli("download", container, "--prefix", "cf.zarr/", "--remove-prefix", "-D", copy);
    const check = JSON.parse(await python("check_v2_consolidated.py", copy, out));
    assert.equal(check.nodes.length, 11); // every node but the root
    assert.equal(check.entries, 12 + 11); // a .zgroup or .zarray per node, and the 11 .zattrs written
    assert.equal(check.same_json, true);
    assert.equal(check.same_bytes, true, "byte for byte what zarr.consolidate_metadata writes");
  } finally {
    await dropContainer(container);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("zarrita (v3) → consolidateMetadata → one metadata request to open; Python reads the structure and every chunk", async () => {
  const container = uniqueName("pyv3");
  const dir = await Deno.makeTempDir({ prefix: "zs-v3-" });
  try {
    const store = await SwiftStore.open({ container, prefix: "v3.zarr", auth: tempAuth() });
    const root = await zarr.create(store, { attributes: { title: "written by zarrita" } });
    const expected: Record<string, (number | string)[]> = {};
    const write = async (
      path: string,
      shape: number[],
      chunks: number[],
      dtype: "float32" | "float64" | "int16",
      dims: string[],
    ) => {
      const arr = await zarr.create(root.resolve(path), validArray(shape, chunks, dtype, dims));
      const n = shape.reduce((a, b) => a * b, 1);
      const values = Array.from(
        { length: n },
        (_, i) => (dtype === "int16" ? (i * 7) % 300 - 150 : i % 11 === 0 ? NaN : i / 4),
      );
      const data = dtype === "int16"
        ? Int16Array.from(values)
        : dtype === "float32"
        ? Float32Array.from(values)
        : Float64Array.from(values);
      const stride = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
      await zarr.set(arr, null, { data, shape, stride } as never);
      expected[path] = [...data].map((v) => (Number.isNaN(v) ? "NaN" : v));
    };
    await zarr.create(root.resolve("obs"), { attributes: { source: "stations" } });
    await write("obs/temperature", [5, 3], [2, 2], "float32", ["time", "station"]);
    await write("obs/level", [7], [3], "int16", ["time"]);
    await zarr.create(root.resolve("model"));
    await zarr.create(root.resolve("model/run1"));
    await write("model/run1/field", [4, 6], [4, 4], "float64", ["y", "x"]);
    assert.deepEqual((await validateHierarchy(store)).problems, []);
    const result = await consolidateMetadata(store);
    assert.equal(result.nodes, 7);

    const { store: reader, sent } = await countedStore(container, "v3.zarr", { readOnly: true });
    const consolidated = await zarr.withConsolidatedMetadata(reader, { format: "v3" });
    const group = await zarr.open.v3(consolidated, { kind: "group" });
    const arrays = await Promise.all(
      Object.keys(expected).map((p) => zarr.open.v3(group.resolve(p), { kind: "array" })),
    );
    assert.deepEqual(gets(sent).map((s) => s.object), ["v3.zarr/zarr.json"], "one metadata request");
    for (const arr of arrays) {
      const got = await zarr.get(arr);
      assert.deepEqual(
        [...got.data as Float32Array].map((v) => (Number.isNaN(v) ? "NaN" : v)),
        expected[arr.path.slice(1)],
      );
    }

    await Deno.writeTextFile(`${dir}/expected.json`, JSON.stringify(expected));
    await swiftCli("download", container, "--prefix", "v3.zarr/", "--remove-prefix", "-D", `${dir}/v3`);
    const check = JSON.parse(await python("check_v3.py", `${dir}/v3`, `${dir}/expected.json`));
    assert.deepEqual(check.entries, [
      "model",
      "model/run1",
      "model/run1/field",
      "obs",
      "obs/level",
      "obs/temperature",
    ]);
    assert.deepEqual(check.decoded, { "obs/temperature": 15, "obs/level": 7, "model/run1/field": 24 });
  } finally {
    await dropContainer(container);
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * validateHierarchy: each rule, on documents built by hand from the v3 specification's
 * text (in memory), and on what zarrita writes by default and with spec-valid options.
 */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { validateHierarchy } from "../src/zarr/mod.ts";
import { arrayDoc, groupDoc, MemoryStore, validArray } from "./_zarr.ts";

/** The (key, rule, severity) of every problem of a root group plus `docs`. */
async function problemsOf(docs: Record<string, unknown>, root: unknown = groupDoc()) {
  const store = new MemoryStore();
  if (root !== null) store.put("/zarr.json", root);
  for (const [key, doc] of Object.entries(docs)) store.put(key, doc);
  const report = await validateHierarchy(store);
  return report.problems.map((p) => `${p.key} ${p.rule}${p.severity === "warning" ? " (warning)" : ""}`);
}

const a = (extra: Record<string, unknown>) => ({ "/a/zarr.json": arrayDoc(extra) });
const codecs = (...list: unknown[]) => a({ codecs: list });
const bytes = { name: "bytes", configuration: { endian: "little" } };

const CASES: [string, Record<string, unknown>, string[]][] = [
  ["a valid array", a({}), []],
  ["zarrita's defaults: codecs [] and fill_value null", a({ codecs: [], fill_value: null }), [
    "/a/zarr.json array-bytes-codec",
    "/a/zarr.json fill-value",
  ]],
  ["no fill_value at all", { "/a/zarr.json": { ...arrayDoc(), fill_value: undefined } }, [
    "/a/zarr.json fill-value",
  ]],
  ["two array-to-bytes codecs", codecs(bytes, bytes), ["/a/zarr.json array-bytes-codec"]],
  ["only a compressor", codecs({ name: "zstd", configuration: { level: 1, checksum: false } }), [
    "/a/zarr.json array-bytes-codec",
  ]],
  ["bytes without endian for float32", codecs({ name: "bytes" }), ["/a/zarr.json codec-configuration"]],
  [
    "bytes without endian for uint8 (one byte: allowed)",
    a({ data_type: "uint8", fill_value: 0, codecs: [{ name: "bytes" }] }),
    [],
  ],
  ["endian that is neither little nor big", codecs({ name: "bytes", configuration: { endian: "middle" } }), [
    "/a/zarr.json codec-configuration",
  ]],
  ["a compressor before bytes", codecs({ name: "gzip", configuration: { level: 5 } }, bytes), [
    "/a/zarr.json codec-order",
  ]],
  ["transpose after bytes", codecs(bytes, { name: "transpose", configuration: { order: [1, 0] } }), [
    "/a/zarr.json codec-order",
  ]],
  [
    "transpose whose order is no permutation",
    codecs({ name: "transpose", configuration: { order: [0, 0] } }, bytes),
    [
      "/a/zarr.json codec-configuration",
    ],
  ],
  ["zarrita's zlib, unknown to zarr-python 3", codecs(bytes, { name: "zlib", configuration: { level: 1 } }), [
    "/a/zarr.json codec-unknown",
  ]],
  [
    "numcodecs.zlib, read by zarr-python 3 through numcodecs",
    codecs(bytes, { name: "numcodecs.zlib", configuration: { level: 1 } }),
    [],
  ],
  [
    "blosc with numcodecs' integer shuffle",
    codecs(bytes, {
      name: "blosc",
      configuration: { cname: "zstd", clevel: 5, shuffle: 1, typesize: 4, blocksize: 0 },
    }),
    [
      "/a/zarr.json codec-configuration",
    ],
  ],
  [
    "blosc as the v3 spec writes it",
    codecs(bytes, {
      name: "blosc",
      configuration: { cname: "zstd", clevel: 5, shuffle: "shuffle", typesize: 4, blocksize: 0 },
    }),
    [],
  ],
  ["gzip level 10", codecs(bytes, { name: "gzip", configuration: { level: 10 } }), [
    "/a/zarr.json codec-configuration",
  ]],
  ["a codec by short-hand name", codecs(bytes, "crc32c"), ["/a/zarr.json codec-shorthand (warning)"]],
  [
    "sharding whose inner chunks do not divide the chunk",
    codecs({
      name: "sharding_indexed",
      configuration: { chunk_shape: [3, 1], codecs: [bytes], index_codecs: [bytes, { name: "crc32c" }] },
    }),
    ["/a/zarr.json codec-configuration"],
  ],
  [
    "sharding with a compressed index",
    codecs({
      name: "sharding_indexed",
      configuration: {
        chunk_shape: [1, 1],
        codecs: [bytes],
        index_codecs: [bytes, { name: "gzip", configuration: { level: 1 } }],
      },
    }),
    ["/a/zarr.json codec-configuration"],
  ],
  [
    "sharding without an array-to-bytes codec inside",
    codecs({
      name: "sharding_indexed",
      configuration: { chunk_shape: [1, 1], codecs: [], index_codecs: [bytes], index_location: "end" },
    }),
    ["/a/zarr.json array-bytes-codec"],
  ],
  ["uint8 fill value 256", a({ data_type: "uint8", fill_value: 256 }), ["/a/zarr.json fill-value"]],
  ["int8 fill value -129", a({ data_type: "int8", fill_value: -129 }), ["/a/zarr.json fill-value"]],
  ["float fill value as hex bits", a({ fill_value: "0x7fc00000" }), []],
  ["float fill value as hex of the wrong width", a({ fill_value: "0x7ff8000000000000" }), [
    "/a/zarr.json fill-value",
  ]],
  ["bool fill value 0", a({ data_type: "bool", fill_value: 0 }), ["/a/zarr.json fill-value"]],
  ["complex fill value", a({ data_type: "complex64", fill_value: ["NaN", 0] }), []],
  ["r16 fill value", a({ data_type: "r16", fill_value: [0, 255] }), []],
  ["an unknown data type", a({ data_type: "float128" }), ["/a/zarr.json data-type"]],
  [
    "shape and chunk shape of different lengths",
    a({ chunk_grid: { name: "regular", configuration: { chunk_shape: [2] } } }),
    [
      "/a/zarr.json chunk-grid",
    ],
  ],
  ["a rectilinear grid", a({ chunk_grid: { name: "rectilinear", configuration: {} } }), [
    "/a/zarr.json chunk-grid",
  ]],
  ["separator |", a({ chunk_key_encoding: { name: "default", configuration: { separator: "|" } } }), [
    "/a/zarr.json chunk-key-encoding",
  ]],
  ["dimension_names of the wrong length", a({ dimension_names: ["x"] }), ["/a/zarr.json dimension-names"]],
  ["no dimension_names", a({ dimension_names: undefined }), ["/a/zarr.json dimension-names (warning)"]],
  ["a storage transformer", a({ storage_transformers: [{ name: "x" }] }), [
    "/a/zarr.json storage-transformers",
  ]],
  ["an unknown field", a({ color: "red" }), ["/a/zarr.json unknown-field"]],
  ["an unknown field that need not be understood", a({ color: { must_understand: false } }), [
    "/a/zarr.json unknown-field (warning)",
  ]],
  ["zarr_format 2 in zarr.json", a({ zarr_format: 2 }), ["/a/zarr.json zarr-format"]],
  ["node_type dataset", a({ node_type: "dataset" }), ["/a/zarr.json node-type"]],
  ["a reserved name", { "/__meta/zarr.json": groupDoc() }, ["/__meta/zarr.json node-name"]],
  ["a name zarrita cannot open", { "/50%/zarr.json": groupDoc() }, ["/50%/zarr.json node-name (warning)"]],
  ["a node without its parent group", { "/x/y/zarr.json": groupDoc() }, ["/x/y/zarr.json parent-group"]],
  ["a node inside an array", { ...a({}), "/a/b/zarr.json": groupDoc() }, ["/a/b/zarr.json parent-group"]],
  ["a document that is no JSON", { "/a/zarr.json": "{" }, ["/a/zarr.json json"]],
  ["a document that is a list", { "/a/zarr.json": [] }, ["/a/zarr.json json"]],
  ["a bare NaN", { "/a/zarr.json": JSON.stringify(arrayDoc()).replace('"NaN"', "NaN") }, [
    "/a/zarr.json json-nan",
  ]],
  ["v2 metadata in a v3 hierarchy", { "/old/.zgroup": { zarr_format: 2 } }, ["/old/.zgroup mixed-formats"]],
];

for (const [name, docs, expected] of CASES) {
  Deno.test(`validateHierarchy: ${name}`, async () => {
    assert.deepEqual(await problemsOf(docs), expected);
  });
}

Deno.test("validateHierarchy: the root group's consolidated_metadata must be zarr-python's inline form", async () => {
  const bad = { ...groupDoc(), consolidated_metadata: { kind: "external", metadata: {} } };
  assert.deepEqual(await problemsOf({}, bad), ["/zarr.json consolidated-metadata"]);
  const none = { ...groupDoc(), consolidated_metadata: null };
  assert.deepEqual(await problemsOf({}, none), []);
});

Deno.test("validateHierarchy: v2 rules, and what xarray needs", async () => {
  const zarray = {
    zarr_format: 2,
    shape: [4],
    chunks: [2],
    dtype: "<f8",
    compressor: null,
    fill_value: "NaN",
    order: "C",
    filters: null,
  };
  const v2 = { zarr_format: 2 };
  assert.deepEqual(
    await problemsOf(
      { "/.zgroup": v2, "/a/.zarray": zarray, "/a/.zattrs": { _ARRAY_DIMENSIONS: ["x"] } },
      null,
    ),
    [],
  );
  assert.deepEqual(
    await problemsOf({
      "/.zgroup": v2,
      "/a/.zarray": { ...zarray, order: "K", chunks: [2, 2] },
      "/b/.zarray": zarray,
      "/c/.zattrs": {},
      "/d/.zarray": zarray,
      "/d/.zattrs": { units: "m" },
    }, null),
    [
      "/a/.zarray dimension-names (warning)",
      "/a/.zarray v2-array",
      "/a/.zarray v2-array",
      "/b/.zarray dimension-names (warning)",
      "/c/.zattrs v2-node (warning)",
      "/d/.zattrs dimension-names (warning)",
    ],
  );
  // A stale .zmetadata.
  assert.deepEqual(
    await problemsOf({
      "/.zgroup": v2,
      "/.zmetadata": { zarr_consolidated_format: 1, metadata: { ".zgroup": v2, "gone/.zgroup": v2 } },
    }, null),
    ["/.zmetadata consolidated-stale"],
  );
});

Deno.test("validateHierarchy: zarrita's defaults are reported, the options this project documents pass", async () => {
  const store = new MemoryStore();
  const root = await zarr.create(store, { attributes: { title: "t" } });
  await zarr.create(root.resolve("default"), { shape: [4], chunkShape: [2], dtype: "float32" });
  await zarr.create(root.resolve("valid"), validArray([4, 2], [2, 2], "float32", ["time", "station"]));
  const report = await validateHierarchy(store);
  assert.equal(report.format, 3);
  assert.equal(report.nodes, 3);
  assert.equal(report.valid, false);
  assert.deepEqual(report.problems.map((p) => `${p.key} ${p.rule} ${p.severity}`), [
    "/default/zarr.json array-bytes-codec error",
    "/default/zarr.json dimension-names warning",
    "/default/zarr.json fill-value error",
  ]);
  for (const p of report.problems) assert.match(p.message, /^Expected .+, found /);
  assert.deepEqual(await validateHierarchy(new MemoryStore()), {
    format: undefined,
    nodes: 0,
    valid: true,
    problems: [],
  });
  await assert.rejects(validateHierarchy(store, { root: "/" } as never), TypeError);
});

/** consolidateMetadata against the real Swift: v3 and v2 formats, what it writes, what it refuses. */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { consolidateMetadata, MetadataError, validateHierarchy } from "../src/zarr/mod.ts";
import { type AbsolutePath, ReadOnlyError, type SwiftStore } from "../mod.ts";
import { withStore } from "./_swift.ts";
import { arrayDoc, countedStore, gets, groupDoc, listings, validArray } from "./_zarr.ts";

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const json = async (store: SwiftStore, key: AbsolutePath) => JSON.parse(text(await store.get(key)));
const putJson = (store: SwiftStore, key: AbsolutePath, doc: unknown) =>
  store.set(key, new TextEncoder().encode(typeof doc === "string" ? doc : JSON.stringify(doc)));

/** Every object's key and MD5, to show what a call changed. */
async function snapshot(store: SwiftStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const e of store.scan("/")) out.set(e.key, e.hash);
  return out;
}

/** A v3 hierarchy written with zarrita: two groups deep, three arrays, one empty group. */
async function writeV3(store: SwiftStore): Promise<void> {
  const root = await zarr.create(store, { attributes: { title: "nested", "é": "ü" } });
  const t = await zarr.create(root.resolve("t"), validArray([6], [3], "float32", ["time"]));
  await zarr.set(t, null, { data: Float32Array.of(1, 2, 3, 4, 5, 6), shape: [6], stride: [1] });
  const obs = await zarr.create(root.resolve("obs"), { attributes: { kind: "station" } });
  const p = await zarr.create(obs.resolve("p"), validArray([2, 3], [1, 3], "int32", ["station", "level"]));
  await zarr.set(p, null, { data: Int32Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3], stride: [3, 1] });
  const deep = await zarr.create(obs.resolve("deep"));
  await zarr.create(deep.resolve("q"), validArray([2], [2], "float64", ["x"]));
  await zarr.create(root.resolve("empty"));
}

Deno.test("consolidateMetadata v3: the root zarr.json gains zarr-python 3's inline consolidated_metadata, in one PUT", async () => {
  await withStore(async (store) => {
    await writeV3(store);
    const docs: Record<string, unknown> = {};
    for (const path of ["t", "obs", "obs/p", "obs/deep", "obs/deep/q", "empty"]) {
      docs[path] = await json(store, `/${path}/zarr.json`);
    }
    const before = await snapshot(store);
    const { store: counted, sent } = await countedStore(store.container, store.prefix);

    const result = await consolidateMetadata(counted);
    assert.deepEqual(result, { format: 3, nodes: 7, bytes: result.bytes, key: "/zarr.json" });
    // One listing, one GET per zarr.json, one PUT: nothing else written.
    assert.deepEqual(sent.filter((s) => s.method !== "GET").map((s) => [s.method, s.object]), [[
      "PUT",
      "ds/zarr.json",
    ]]);
    assert.equal(gets(sent).length, 7);
    // One listing: its page, and the empty page that ends it.
    assert.ok(listings(sent).length <= 2, `${listings(sent).length} listing requests`);
    const after = await snapshot(store);
    assert.deepEqual([...after.keys()], [...before.keys()]);
    assert.deepEqual([...after].filter(([k, h]) => before.get(k) !== h).map(([k]) => k), ["/zarr.json"]);

    const raw = await store.get("/zarr.json");
    assert.equal(raw?.length, result.bytes);
    const rootDoc = JSON.parse(text(raw));
    // The structure zarr-python 3 writes: GroupMetadata.to_dict() with ConsolidatedMetadata.to_dict().
    assert.deepEqual(Object.keys(rootDoc), [
      "attributes",
      "zarr_format",
      "consolidated_metadata",
      "node_type",
    ]);
    assert.deepEqual(rootDoc.attributes, { title: "nested", "é": "ü" });
    assert.equal(rootDoc.zarr_format, 3);
    assert.equal(rootDoc.node_type, "group");
    const cm = rootDoc.consolidated_metadata;
    assert.deepEqual(Object.keys(cm), ["kind", "must_understand", "metadata"]);
    assert.equal(cm.kind, "inline");
    assert.equal(cm.must_understand, false);
    assert.deepEqual(Object.keys(cm.metadata).sort(), Object.keys(docs).sort());
    const emptyInline = { kind: "inline", must_understand: false, metadata: {} };
    for (const [path, doc] of Object.entries(docs) as [string, Record<string, unknown>][]) {
      const expected = doc.node_type === "group"
        ? {
          attributes: doc.attributes,
          zarr_format: 3,
          consolidated_metadata: emptyInline,
          node_type: "group",
        }
        : doc;
      assert.deepEqual(cm.metadata[path], expected, path);
    }
    // json.dumps(ensure_ascii=True), as zarr-python writes it.
    assert.ok(raw!.every((b) => b < 0x80), "ASCII only");
    assert.match(text(raw), /"\\u00e9": "\\u00fc"/);
    // zarr-python's flattened order: depth first.
    assert.deepEqual(Object.keys(cm.metadata), ["empty", "obs", "obs/deep", "obs/deep/q", "obs/p", "t"]);

    // zarrita opens every node from that one document.
    const { store: reader, sent: read } = await countedStore(store.container, store.prefix, {
      readOnly: true,
    });
    const consolidated = await zarr.withConsolidatedMetadata(reader, { format: "v3" });
    const group = await zarr.open.v3(consolidated, { kind: "group" });
    const arrays = await Promise.all(
      ["t", "obs/p", "obs/deep/q"].map((p) => zarr.open.v3(group.resolve(p), { kind: "array" })),
    );
    await Promise.all(
      ["obs", "obs/deep", "empty"].map((p) => zarr.open.v3(group.resolve(p), { kind: "group" })),
    );
    assert.deepEqual(gets(read).map((s) => s.object), ["ds/zarr.json"]);
    assert.deepEqual(group.attrs, { title: "nested", "é": "ü" });
    assert.deepEqual(arrays.map((a) => a.shape), [[6], [2, 3], [2]]);
    assert.deepEqual([...(await zarr.get(arrays[1])).data as Int32Array], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(
      consolidated.contents().map((c) => `${c.kind} ${c.path}`).sort(),
      [
        "array /obs/deep/q",
        "array /obs/p",
        "array /t",
        "group /",
        "group /empty",
        "group /obs",
        "group /obs/deep",
      ],
    );
    assert.equal((await validateHierarchy(store)).valid, true);
  }, { prefix: "ds", label: "cons3" });
});

Deno.test("consolidateMetadata v3: a sub-group, a re-run, a stale document, numbers kept as written", async () => {
  await withStore(async (store) => {
    await writeV3(store);
    const sub = await consolidateMetadata(store, { path: "/obs" });
    assert.deepEqual(sub, { format: 3, nodes: 4, bytes: sub.bytes, key: "/obs/zarr.json" });
    const obs = await json(store, "/obs/zarr.json");
    assert.deepEqual(Object.keys(obs.consolidated_metadata.metadata), ["deep", "deep/q", "p"]);
    assert.equal((await json(store, "/zarr.json")).consolidated_metadata, undefined);

    await consolidateMetadata(store);
    // A node added afterwards makes the consolidated document stale: reported, then fixed by re-running.
    const uint64Max = "18446744073709551615";
    await putJson(
      store,
      "/big/zarr.json",
      JSON.stringify(arrayDoc({ data_type: "uint64", fill_value: 0, shape: [2], dimension_names: ["x"] }))
        .replace('"fill_value":0', `"fill_value":${uint64Max}`)
        .replace('"chunk_shape":[2,2]', '"chunk_shape":[2]'),
    );
    const stale = await validateHierarchy(store);
    assert.deepEqual(stale.problems.map((p) => [p.key, p.rule]), [["/zarr.json", "consolidated-stale"]]);
    const again = await consolidateMetadata(store);
    assert.equal(again.nodes, 8);
    assert.deepEqual((await validateHierarchy(store)).problems, []);
    // The uint64 fill value keeps every digit (JSON.parse would round it).
    assert.match(text(await store.get("/zarr.json")), new RegExp(`"fill_value": ${uint64Max}\\b`));
    // The sub-group's own consolidated metadata appears as an empty inline one, as zarr-python flattens it.
    const root = await json(store, "/zarr.json");
    assert.deepEqual(root.consolidated_metadata.metadata.obs.consolidated_metadata, {
      kind: "inline",
      must_understand: false,
      metadata: {},
    });
  }, { label: "cons3b" });
});

Deno.test("consolidateMetadata v2: .zmetadata as zarr 2 writes it, read by zarrita", async () => {
  await withStore(async (store) => {
    const zarray = {
      chunks: [2],
      compressor: null,
      dtype: "<i2",
      fill_value: -1,
      filters: null,
      order: "C",
      shape: [4],
      zarr_format: 2,
    };
    await putJson(store, "/.zgroup", { zarr_format: 2 });
    await putJson(store, "/.zattrs", { title: "v2", note: "naïve" });
    await putJson(store, "/g/.zgroup", { zarr_format: 2 });
    await putJson(store, "/g/a/.zarray", zarray);
    await putJson(store, "/g/a/.zattrs", { _ARRAY_DIMENSIONS: ["x"], units: "m" });
    await store.set("/g/a/0", new Uint8Array(Int16Array.of(7, -8).buffer));
    const before = await snapshot(store);

    const result = await consolidateMetadata(store);
    assert.deepEqual(result, { format: 2, nodes: 3, bytes: result.bytes, key: "/.zmetadata" });
    const after = await snapshot(store);
    assert.deepEqual([...after.keys()].filter((k) => !before.has(k)), ["/.zmetadata"]);
    assert.ok([...before].every(([k, h]) => after.get(k) === h));

    const written = text(await store.get("/.zmetadata"));
    assert.equal(written.length, result.bytes);
    const doc = JSON.parse(written);
    assert.deepEqual(doc, {
      metadata: {
        ".zattrs": { title: "v2", note: "naïve" },
        ".zgroup": { zarr_format: 2 },
        "g/.zgroup": { zarr_format: 2 },
        "g/a/.zarray": zarray,
        "g/a/.zattrs": { _ARRAY_DIMENSIONS: ["x"], units: "m" },
      },
      zarr_consolidated_format: 1,
    });
    // zarr 2's json_dumps: sorted keys, 4-space indent, ASCII only.
    assert.ok(
      written.startsWith('{\n    "metadata": {\n        ".zattrs": {\n            "note": "na\\u00efve",'),
    );

    const { store: reader, sent } = await countedStore(store.container, store.prefix, { readOnly: true });
    const consolidated = await zarr.withConsolidatedMetadata(reader, { format: "v2" });
    const a = await zarr.open.v2(zarr.root(consolidated).resolve("g/a"), { kind: "array" });
    assert.deepEqual(a.attrs, { _ARRAY_DIMENSIONS: ["x"], units: "m" });
    assert.deepEqual([...(await zarr.get(a)).data as Int16Array], [7, -8, -1, -1]);
    assert.deepEqual(gets(sent).map((s) => s.object), [".zmetadata", "g/a/0", "g/a/1"]);
  }, { label: "cons2" });
});

Deno.test("consolidateMetadata refuses bad input with a typed error naming the key, and writes nothing", async () => {
  await withStore(async (store) => {
    await putJson(store, "/zarr.json", groupDoc());
    await putJson(store, "/arr/zarr.json", arrayDoc());
    const refused = async (
      options: Parameters<typeof consolidateMetadata>[1],
      key: string,
      pattern: RegExp,
    ) => {
      const before = await snapshot(store);
      const { store: counted, sent } = await countedStore(store.container, store.prefix);
      await assert.rejects(consolidateMetadata(counted, options), (err) => {
        assert.ok(err instanceof MetadataError, String(err));
        assert.equal(err.path, key);
        assert.match(err.message, pattern);
        return true;
      });
      assert.deepEqual(sent.filter((s) => s.method !== "GET"), [], "nothing written");
      assert.deepEqual(await snapshot(store), before);
    };
    // A path that is an array, or holds nothing.
    await refused(
      { path: "/arr" },
      "/arr/zarr.json",
      /Expected a group at \/arr to consolidate, found an array/,
    );
    await refused({ path: "/nothing" }, "/nothing/zarr.json", /found no zarr metadata/);
    // Metadata that is not JSON.
    await putJson(store, "/bad/zarr.json", '{"zarr_format": 3, "node_type": "group",}');
    await refused(
      {},
      "/bad/zarr.json",
      /^Expected JSON metadata in \/bad\/zarr.json, found "}" at line 1, column 41$/,
    );
    await store.set("/bad/zarr.json", Uint8Array.of(0x7b, 0xff, 0x7d));
    await refused(
      {},
      "/bad/zarr.json",
      /^Expected JSON metadata in \/bad\/zarr.json, found bytes that are not UTF-8 text$/,
    );
    await store.delete("/bad/zarr.json");
    // v2 and v3 nodes mixed.
    await putJson(store, "/old/.zarray", { zarr_format: 2 });
    await refused(
      {},
      "/old/.zarray",
      /Expected only zarr v3 metadata in this hierarchy, found .zarray \(zarr v2\)/,
    );
    await refused({ force: true }, "/old/.zarray", /mixed|zarr v2/);
    await store.delete("/old/.zarray");
    // A node zarr-python 3 refuses: zarrita's defaults.
    await zarr.create(zarr.root(store).resolve("plain"), { shape: [2], chunkShape: [2], dtype: "int8" });
    await refused(
      {},
      "/plain/zarr.json",
      /2 problems: \/plain\/zarr.json: Expected codecs to hold an array-to-bytes codec such as bytes, found \[\].*force: true/,
    );
    const err = await consolidateMetadata(store).catch((e) => e);
    assert.deepEqual(err.problems.map((p: { rule: string }) => p.rule), ["array-bytes-codec", "fill-value"]);
    const forced = await consolidateMetadata(store, { force: true });
    assert.equal(forced.nodes, 3);
  }, { label: "consbad" });
});

Deno.test("consolidateMetadata on a read-only store: ReadOnlyError before any request", async () => {
  await withStore(async (store) => {
    await putJson(store, "/zarr.json", groupDoc());
    const { store: reader, sent } = await countedStore(store.container, store.prefix, { readOnly: true });
    await assert.rejects(consolidateMetadata(reader), (err) => {
      assert.ok(err instanceof ReadOnlyError);
      assert.match(
        err.message,
        /Expected a writable store to consolidate metadata into, found one opened with readOnly: true/,
      );
      return true;
    });
    assert.deepEqual(sent, []);
    await assert.rejects(consolidateMetadata(store, { paht: "/" } as never), TypeError);
  }, { label: "consro" });
});

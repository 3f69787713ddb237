/**
 * zarrita's store extensions over SwiftStore, v2 and v3: withMaybeConsolidatedMetadata,
 * withByteCaching, withRangeCoalescing and extendStore pipelines, with the requests
 * each one sends.
 */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { consolidateMetadata } from "../src/zarr/mod.ts";
import type { AbsolutePath, SwiftStore } from "../mod.ts";
import { withStore } from "./_swift.ts";
import { countedStore, gets, validArray } from "./_zarr.ts";

const utf8 = (doc: unknown) => new TextEncoder().encode(JSON.stringify(doc));

/** v3: a group with a 4 × 4 float32 array in chunks of 2 × 2, values 0…15. */
async function writeV3(store: SwiftStore): Promise<void> {
  const root = await zarr.create(store, { attributes: { v: 3 } });
  const a = await zarr.create(root.resolve("a"), validArray([4, 4], [2, 2], "float32", ["y", "x"]));
  await zarr.set(a, null, {
    data: Float32Array.from({ length: 16 }, (_, i) => i),
    shape: [4, 4],
    stride: [4, 1],
  });
}

/** v2 (as zarr 2 lays it out): the same array, uncompressed little-endian chunks. */
async function writeV2(store: SwiftStore): Promise<void> {
  await store.set("/.zgroup", utf8({ zarr_format: 2 }));
  await store.set("/.zattrs", utf8({ v: 2 }));
  await store.set(
    "/a/.zarray",
    utf8({
      zarr_format: 2,
      shape: [4, 4],
      chunks: [2, 2],
      dtype: "<f4",
      compressor: null,
      fill_value: "NaN",
      order: "C",
      filters: null,
    }),
  );
  await store.set("/a/.zattrs", utf8({ _ARRAY_DIMENSIONS: ["y", "x"] }));
  for (const [ci, cj] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
    const chunk = new Float32Array(4);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) chunk[y * 2 + x] = (ci * 2 + y) * 4 + cj * 2 + x;
    await store.set(`/a/${ci}.${cj}` as AbsolutePath, new Uint8Array(chunk.buffer));
  }
}

const EXPECTED = Array.from({ length: 16 }, (_, i) => i);

for (const version of ["v2", "v3"] as const) {
  const write = version === "v2" ? writeV2 : writeV3;
  const open = version === "v2" ? zarr.open.v2 : zarr.open.v3;
  const metaKey = version === "v2" ? "ds/.zmetadata" : "ds/zarr.json";

  Deno.test(`zarrita extensions (${version}): withMaybeConsolidatedMetadata falls back, then uses the document`, async () => {
    await withStore(async (store) => {
      await write(store);
      const before = await countedStore(store.container, store.prefix, { readOnly: true });
      const maybe = await zarr.withMaybeConsolidatedMetadata(before.store, { format: version });
      assert.equal(maybe, before.store, "no consolidated metadata: the store itself");
      const a = await open(zarr.root(maybe).resolve("a"), { kind: "array" });
      assert.deepEqual([...(await zarr.get(a)).data as Float32Array], EXPECTED);

      await consolidateMetadata(store);
      const after = await countedStore(store.container, store.prefix, { readOnly: true });
      const consolidated = await zarr.withMaybeConsolidatedMetadata(after.store, { format: version });
      assert.ok("contents" in consolidated);
      const b = await open(zarr.root(consolidated).resolve("a"), { kind: "array" });
      assert.deepEqual(gets(after.sent).map((s) => s.object), [metaKey]);
      assert.deepEqual([...(await zarr.get(b)).data as Float32Array], EXPECTED);
      assert.equal(gets(after.sent).length, 1 + 4);
    }, { prefix: "ds", label: `maybe${version}` });
  });

  Deno.test(`zarrita extensions (${version}): withByteCaching serves repeated reads, keyFor narrows it to metadata`, async () => {
    await withStore(async (store) => {
      await write(store);
      const { store: base, sent, reset } = await countedStore(store.container, store.prefix, {
        readOnly: true,
      });
      const cache = new Map<string, Uint8Array | undefined>();
      const cached = zarr.withByteCaching(base, { cache });
      const a = await open(zarr.root(cached).resolve("a"), { kind: "array" });
      await zarr.get(a);
      const first = gets(sent).length;
      reset();
      const again = await open(zarr.root(cached).resolve("a"), { kind: "array" });
      assert.deepEqual([...(await zarr.get(again)).data as Float32Array], EXPECTED);
      assert.deepEqual(gets(sent), [], "everything from the cache");
      assert.ok(first >= 5 && cache.size === first, `${first} requests, ${cache.size} cached`);

      const metaOnly = zarr.withByteCaching(base, {
        keyFor: (path, range) =>
          range === undefined && /(zarr\.json|\.zarray|\.zattrs|\.zgroup)$/.test(path) ? path : undefined,
      });
      const m = await open(zarr.root(metaOnly).resolve("a"), { kind: "array" });
      await zarr.get(m);
      reset();
      await zarr.get(await open(zarr.root(metaOnly).resolve("a"), { kind: "array" }));
      assert.equal(gets(sent).length, 4, "chunks read again, metadata not");
      assert.ok(gets(sent).every((s) => !/zarr\.json|\.z/.test(s.object)));
    }, { prefix: "ds", label: `cache${version}` });
  });

  Deno.test(`zarrita extensions (${version}): an extendStore pipeline of consolidation, coalescing and caching`, async () => {
    await withStore(async (store) => {
      await write(store);
      await consolidateMetadata(store);
      const { store: base, sent, reset } = await countedStore(store.container, store.prefix, {
        readOnly: true,
      });
      const reports: number[] = [];
      const pipeline = await zarr.extendStore(
        base,
        (s) => zarr.withConsolidatedMetadata(s, { format: version }),
        (s) => zarr.withRangeCoalescing(s, { onFlush: (r) => void reports.push(r.groupCount) }),
        (s) => zarr.withByteCaching(s),
      );
      assert.deepEqual(pipeline.contents().map((c) => c.path).sort(), ["/", "/a"]);
      const a = await open(zarr.root(pipeline).resolve("a"), { kind: "array" });
      assert.deepEqual(
        [...(await zarr.get(a, [zarr.slice(0, 2), null])).data as Float32Array],
        EXPECTED.slice(0, 8),
      );
      assert.deepEqual(
        gets(sent).map((s) => s.object).sort(),
        [metaKey, ...(version === "v2" ? ["ds/a/0.0", "ds/a/0.1"] : ["ds/a/c/0/0", "ds/a/c/0/1"])].sort(),
      );
      reset();
      assert.deepEqual([...(await zarr.get(a)).data as Float32Array], EXPECTED);
      assert.equal(gets(sent).length, 2, "only the two chunks not read before");

      // Ranges of one object requested together go out as one request.
      const key = (version === "v2" ? "/a/1.1" : "/a/c/1/1") as AbsolutePath;
      const whole = (await store.get(key))!;
      reset();
      const ranges = [0, 4, 8, 12].map((offset) => ({ offset, length: Math.min(4, whole.length - offset) }));
      const parts = await Promise.all(ranges.map((range) => pipeline.getRange(key, range)));
      assert.deepEqual(
        parts.map((p) => [...p!]),
        ranges.map((r) => [...whole.subarray(r.offset, r.offset + r.length)]),
      );
      assert.equal(gets(sent).length, 1);
      assert.deepEqual(reports.at(-1), 1);
    }, { prefix: "ds", label: `pipe${version}` });
  });
}

/**
 * What consolidated metadata and range coalescing save, on the local Swift: requests
 * (asserted) and milliseconds (printed, never asserted) to open a 50-array v3
 * hierarchy and read one value from each, and to read one shard of 64 inner chunks.
 * "+50 ms" runs add 50 ms before each request in the store's fetch, a stand-in for a
 * 50 ms round trip (requests still overlap up to the store's concurrency).
 */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { consolidateMetadata } from "../src/zarr/mod.ts";
import { type AbsolutePath, SwiftStore } from "../mod.ts";
import { shardedInt32 } from "./_shard.ts";
import { tempAuth, withStore } from "./_swift.ts";
import { countingFetch, gets, validArray } from "./_zarr.ts";

const ARRAYS = 50;

async function reader(container: string, prefix: string, delay: number) {
  const counter = countingFetch();
  const slow: typeof fetch = async (input, init) => {
    if (delay) await new Promise((r) => setTimeout(r, delay));
    return counter.fetch(input, init);
  };
  const store = await SwiftStore.open({ container, prefix, auth: tempAuth(), readOnly: true, fetch: slow });
  counter.reset();
  return { store, sent: counter.sent };
}

/** Opens the hierarchy and reads element 0 of every array; answers requests and ms. */
async function openAndRead(container: string, mode: "auto" | "v3" | "consolidated", delay: number) {
  const { store, sent } = await reader(container, "h", delay);
  const started = performance.now();
  const base = mode === "consolidated" ? await zarr.withConsolidatedMetadata(store, { format: "v3" }) : store;
  const open = (mode === "auto" ? zarr.open : zarr.open.v3) as typeof zarr.open;
  const root = await open(base, { kind: "group" });
  const values = await Promise.all(
    Array.from({ length: ARRAYS }, async (_, i) => {
      const arr = await open(root.resolve(`a${i}`), { kind: "array" });
      return await zarr.get(arr, [0]);
    }),
  );
  const ms = performance.now() - started;
  assert.deepEqual(values, Array.from({ length: ARRAYS }, (_, i) => i));
  return { requests: gets(sent).length, ms };
}

Deno.test(`opening a ${ARRAYS}-array v3 hierarchy and reading one value from each: requests and time`, async () => {
  await withStore(async (store) => {
    const root = await zarr.create(store, { attributes: { arrays: ARRAYS } });
    await Promise.all(Array.from({ length: ARRAYS }, async (_, i) => {
      const arr = await zarr.create(root.resolve(`a${i}`), validArray([100], [100], "float32", ["x"]));
      await zarr.set(arr, null, {
        data: Float32Array.from({ length: 100 }, (_, j) => i + j),
        shape: [100],
        stride: [1],
      });
    }));
    await consolidateMetadata(store);

    const lines: string[] = [];
    for (const delay of [0, 50]) {
      const runs = { auto: [] as number[], v3: [] as number[], consolidated: [] as number[] };
      const counts: Record<string, number> = {};
      for (let round = 0; round < 3; round++) {
        for (const mode of ["auto", "v3", "consolidated"] as const) {
          const { requests, ms } = await openAndRead(store.container, mode, delay);
          runs[mode].push(ms);
          counts[mode] = requests;
        }
      }
      // zarrita's open() tries v2 first on a fresh store (.zattrs and .zgroup for a group), then zarr.json.
      assert.equal(counts.auto, 3 + ARRAYS + ARRAYS);
      assert.equal(counts.v3, 1 + ARRAYS + ARRAYS);
      assert.equal(counts.consolidated, 1 + ARRAYS);
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[1].toFixed(0);
      for (const mode of ["auto", "v3", "consolidated"] as const) {
        lines.push(
          `${delay ? "+50 ms" : "local "}  ${mode.padEnd(12)} ${String(counts[mode]).padStart(4)} requests  ${
            median(runs[mode]).padStart(5)
          } ms`,
        );
      }
    }
    console.log(`open + one value from each of ${ARRAYS} arrays (median of 3):\n${lines.join("\n")}`);
  }, { prefix: "h", label: "cost" });
});

Deno.test("reading one shard of 64 inner chunks: requests and time, with and without withRangeCoalescing", async () => {
  const fixture = shardedInt32([32, 32], [32, 32], [4, 4]);
  await withStore(async (store) => {
    await store.set("/s/zarr.json", new TextEncoder().encode(JSON.stringify(fixture.metadata)));
    for (const [key, bytes] of fixture.objects) await store.set(`/s/${key}` as AbsolutePath, bytes);
    const lines: string[] = [];
    for (const delay of [0, 50]) {
      for (const coalesce of [false, true]) {
        const times: number[] = [];
        let requests = 0;
        for (let round = 0; round < 3; round++) {
          const { store: base, sent } = await reader(store.container, "h", delay);
          const s = coalesce ? zarr.withRangeCoalescing(base) : base;
          const arr = await zarr.open.v3(zarr.root(s).resolve("s"), { kind: "array" });
          sent.splice(0);
          const started = performance.now();
          const { data } = await zarr.get(arr);
          times.push(performance.now() - started);
          assert.deepEqual([...data as Int32Array], [...fixture.values]);
          requests = gets(sent).length;
        }
        assert.equal(requests, coalesce ? 2 : 65);
        const median = times.sort((a, b) => a - b)[1].toFixed(0);
        lines.push(
          `${delay ? "+50 ms" : "local "}  ${coalesce ? "coalesced" : "plain    "} ${
            String(requests).padStart(3)
          } requests  ${median.padStart(5)} ms`,
        );
      }
    }
    console.log(`one shard, 64 inner chunks of 4 × 4 int32 (median of 3):\n${lines.join("\n")}`);
  }, { prefix: "h", label: "shardcost" });
});

/**
 * What consolidated metadata and range coalescing save, on the local Swift: requests
 * (asserted) and milliseconds (printed, never asserted; medians of 5 interleaved rounds) to open a 50-array v3
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
    await openAndRead(store.container, "consolidated", 0); // warm-up: codecs loaded, caches filled
    const modes = ["auto", "v3", "consolidated"] as const;
    const runs = new Map<string, number[]>();
    const counts = new Map<string, number>();
    // Rounds interleave every case, so that background work on the server spreads over all of them.
    for (let round = 0; round < 5; round++) {
      for (const delay of [0, 50]) {
        for (const mode of modes) {
          const { requests, ms } = await openAndRead(store.container, mode, delay);
          runs.set(`${delay} ${mode}`, [...runs.get(`${delay} ${mode}`) ?? [], ms]);
          counts.set(`${delay} ${mode}`, requests);
        }
      }
    }
    for (const delay of [0, 50]) {
      // zarrita's open() tries v2 first on a fresh store (.zattrs and .zgroup for a group), then zarr.json.
      assert.equal(counts.get(`${delay} auto`), 3 + ARRAYS + ARRAYS);
      assert.equal(counts.get(`${delay} v3`), 1 + ARRAYS + ARRAYS);
      assert.equal(counts.get(`${delay} consolidated`), 1 + ARRAYS);
      for (const mode of modes) {
        const median = runs.get(`${delay} ${mode}`)!.sort((a, b) => a - b)[2].toFixed(0);
        lines.push(
          `${delay ? "+50 ms" : "local "}  ${mode.padEnd(12)} ${
            String(counts.get(`${delay} ${mode}`)).padStart(4)
          } requests  ${median.padStart(5)} ms`,
        );
      }
    }
    console.log(`open + one value from each of ${ARRAYS} arrays (median of 5):\n${lines.join("\n")}`);
  }, { prefix: "h", label: "cost" });
});

Deno.test("reading one shard of 64 inner chunks: requests and time, with and without withRangeCoalescing", async () => {
  const fixture = shardedInt32([32, 32], [32, 32], [4, 4]);
  await withStore(async (store) => {
    await store.set("/s/zarr.json", new TextEncoder().encode(JSON.stringify(fixture.metadata)));
    for (const [key, bytes] of fixture.objects) await store.set(`/s/${key}` as AbsolutePath, bytes);
    const lines: string[] = [];
    const cases = [[0, false], [0, true], [50, false], [50, true]] as const;
    const times = new Map<string, number[]>();
    const counts = new Map<string, number>();
    for (let round = 0; round < 5; round++) {
      for (const [delay, coalesce] of cases) {
        const { store: base, sent } = await reader(store.container, "h", delay);
        const s = coalesce ? zarr.withRangeCoalescing(base) : base;
        const arr = await zarr.open.v3(zarr.root(s).resolve("s"), { kind: "array" });
        sent.splice(0);
        const started = performance.now();
        const { data } = await zarr.get(arr);
        const key = `${delay} ${coalesce}`;
        times.set(key, [...times.get(key) ?? [], performance.now() - started]);
        assert.deepEqual([...data as Int32Array], [...fixture.values]);
        counts.set(key, gets(sent).length);
      }
    }
    for (const [delay, coalesce] of cases) {
      const key = `${delay} ${coalesce}`;
      assert.equal(counts.get(key), coalesce ? 2 : 65);
      const median = times.get(key)!.sort((a, b) => a - b)[2].toFixed(0);
      lines.push(
        `${delay ? "+50 ms" : "local "}  ${coalesce ? "coalesced" : "plain    "} ${
          String(counts.get(key)).padStart(3)
        } requests  ${median.padStart(5)} ms`,
      );
    }
    console.log(`one shard, 64 inner chunks of 4 × 4 int32 (median of 5):\n${lines.join("\n")}`);
  }, { prefix: "h", label: "shardcost" });
});

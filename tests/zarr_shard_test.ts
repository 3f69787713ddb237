/**
 * Sharded v3 arrays (`sharding_indexed`) read through SwiftStore.getRange: the index
 * by a suffix read, then the inner chunks by ranges; with and without zarrita's
 * withRangeCoalescing. The shards are built by tests/_shard.ts from the sharding spec.
 */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { validateHierarchy } from "../src/zarr/mod.ts";
import type { AbsolutePath, SwiftStore } from "../mod.ts";
import { crc32c, encodeShard, MISSING, shardedInt32 } from "./_shard.ts";
import { withStore } from "./_swift.ts";
import { countedStore, gets } from "./_zarr.ts";

Deno.test("shard fixture: CRC-32C check value, index layout as the sharding spec gives it", () => {
  // The CRC-32C (Castagnoli) check value of "123456789" (RFC 3720, appendix B.4).
  assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
  const shard = encodeShard([Uint8Array.of(1, 2, 3), undefined, Uint8Array.of(4)]);
  assert.equal(shard.length, 4 + 3 * 16 + 4);
  const view = new DataView(shard.buffer);
  const entry = (i: number) => [view.getBigUint64(4 + i * 16, true), view.getBigUint64(4 + i * 16 + 8, true)];
  assert.deepEqual([entry(0), entry(1), entry(2)], [[0n, 3n], [MISSING, MISSING], [3n, 1n]]);
  assert.deepEqual([...shard.subarray(0, 4)], [1, 2, 3, 4]);
  assert.equal(view.getUint32(4 + 48, true), crc32c(shard.subarray(4, 52)));
});

async function upload(store: SwiftStore, fixture: ReturnType<typeof shardedInt32>): Promise<void> {
  await store.set(
    "/zarr.json",
    new TextEncoder().encode(JSON.stringify({ zarr_format: 3, node_type: "group" })),
  );
  await store.set("/s/zarr.json", new TextEncoder().encode(JSON.stringify(fixture.metadata)));
  for (const [key, bytes] of fixture.objects) await store.set(`/s/${key}` as AbsolutePath, bytes);
}

Deno.test("sharded array: a whole shard of 64 inner chunks in 2 requests with withRangeCoalescing, 65 without", async () => {
  // 64 × 32 int32 in shards of 32 × 32, inner chunks of 4 × 4: two shards of 8 × 8 = 64 inner chunks.
  // In the second shard every fifth inner chunk is absent (read as the fill value).
  const fixture = shardedInt32([64, 32], [32, 32], [4, 4], {
    fillValue: -1,
    absent: ([si], [ci, cj]) => si === 1 && (ci * 8 + cj) % 5 === 0,
  });
  await withStore(async (store) => {
    await upload(store, fixture);
    assert.deepEqual((await validateHierarchy(store)).problems, []);

    const plain = await countedStore(store.container, store.prefix, { readOnly: true });
    const arr = await zarr.open.v3(zarr.root(plain.store).resolve("s"), { kind: "array" });
    plain.reset();
    const shard0 = await zarr.get(arr, [zarr.slice(0, 32), null]);
    const without = gets(plain.sent);
    assert.deepEqual([...shard0.data as Int32Array], [...fixture.values.subarray(0, 32 * 32)]);
    // The index by a suffix read (64 × 16 bytes + 4 of CRC), then one range per inner chunk.
    assert.equal(without.length, 65);
    assert.deepEqual(without[0], { method: "GET", object: "ds/s/c/0/0", range: `bytes=-${64 * 16 + 4}` });
    assert.ok(without.slice(1).every((s) => /^bytes=\d+-\d+$/.test(s.range ?? "")));

    const coalesced = await countedStore(store.container, store.prefix, { readOnly: true });
    const flushes: { groupCount: number; requestCount: number }[] = [];
    const fast = zarr.withRangeCoalescing(coalesced.store, { onFlush: (r) => void flushes.push(r) });
    const arr2 = await zarr.open.v3(zarr.root(fast).resolve("s"), { kind: "array" });
    coalesced.reset();
    const again = await zarr.get(arr2, [zarr.slice(0, 32), null]);
    const withCoalescing = gets(coalesced.sent);
    assert.deepEqual([...again.data as Int32Array], [...shard0.data as Int32Array]);
    assert.ok(withCoalescing.length <= 3, `${withCoalescing.length} requests`);
    assert.equal(withCoalescing.length, 2);
    assert.deepEqual(flushes.map((f) => [f.groupCount, f.requestCount]), [[1, 64]]);

    // The shard with absent inner chunks: fewer ranges, fill value where they are absent.
    coalesced.reset();
    const shard1 = await zarr.get(arr2, [zarr.slice(32, 64), null]);
    assert.deepEqual([...shard1.data as Int32Array], [...fixture.values.subarray(32 * 32)]);
    assert.equal([...shard1.data as Int32Array].filter((v) => v === -1).length, 13 * 16);
    assert.equal(gets(coalesced.sent).length, 2);
    plain.reset();
    await zarr.get(arr, [zarr.slice(32, 64), null]);
    assert.equal(gets(plain.sent).length, 1 + 64 - 13);

    // One element: the index is cached by zarrita for this array; one range of 16 int32 (inner chunk 9).
    plain.reset();
    const one = await zarr.get(arr, [5, 7]);
    assert.equal(one, 5 * 1000 + 7);
    assert.deepEqual(gets(plain.sent).map((s) => s.range), ["bytes=576-639"]);
    console.log(
      `sharded read, one shard of 64 inner chunks: ${without.length} requests without coalescing, ${withCoalescing.length} with withRangeCoalescing`,
    );
  }, { prefix: "ds", label: "shard" });
});

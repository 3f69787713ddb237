/**
 * `boundedQueue`, zarrita's `createQueue` that runs at most `limit` chunk tasks at
 * once: the bound, the order, failures (nothing new starts, `onIdle` waits for the
 * running ones), and a zarrita write and read of 400 chunks on the real Swift that
 * never has more than `limit` chunks in hand (zarrita's own queue has all of them).
 */

import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { boundedQueue } from "../mod.ts";
import { withStore } from "./_swift.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("boundedQueue runs at most `limit` tasks at once, in the order they were added", async () => {
  const queue = boundedQueue(3)();
  let running = 0, most = 0;
  const started: number[] = [];
  for (let i = 0; i < 25; i++) {
    queue.add(async () => {
      started.push(i);
      most = Math.max(most, ++running);
      for (let t = 0; t <= i % 4; t++) await tick();
      running--;
    });
  }
  assert.deepEqual(await queue.onIdle(), []);
  assert.equal(most, 3);
  assert.equal(running, 0);
  assert.deepEqual(started, Array.from({ length: 25 }, (_, i) => i));
  // An idle queue answers at once, and takes more work afterwards.
  await queue.onIdle();
  queue.add(() => Promise.resolve(void started.push(25)));
  await queue.onIdle();
  assert.equal(started.length, 26);
});

Deno.test("boundedQueue after a failure: no new task starts, onIdle rejects with it once the running ones settled", async () => {
  const queue = boundedQueue(2)();
  const started: number[] = [];
  const finished: number[] = [];
  const first = new Error("chunk 3 failed");
  for (let i = 0; i < 10; i++) {
    queue.add(async () => {
      started.push(i);
      await tick();
      if (i === 3) throw first;
      for (let t = 0; t < 5; t++) await tick(); // chunk 2 runs on after 3 failed
      finished.push(i);
    });
  }
  await assert.rejects(queue.onIdle(), (err) => err === first);
  assert.deepEqual(started, [0, 1, 2, 3]);
  // onIdle waited for chunk 2, still running when 3 failed.
  assert.deepEqual(finished, [0, 1, 2]);
  // A task that throws before its first await counts as a failure too.
  const sync = boundedQueue(1)();
  sync.add(() => {
    throw new TypeError("at once");
  });
  await assert.rejects(sync.onIdle(), TypeError);
  assert.throws(() => boundedQueue(0), RangeError);
  assert.throws(() => boundedQueue(1.5), RangeError);
});

Deno.test("zarr.set and zarr.get of 400 chunks on Swift with boundedQueue(16): at most 16 chunks in hand, every value back", async () => {
  await withStore(async (swift) => {
    let inHand = 0, most = 0;
    // What zarrita hands the store, counted: a chunk is in hand from its set() to its answer.
    const store = {
      get: (key: `/${string}`) => swift.get(key),
      set: async (key: `/${string}`, value: Uint8Array) => {
        most = Math.max(most, ++inHand);
        try {
          await swift.set(key, value);
        } finally {
          inHand--;
        }
      },
    };
    const arr = await zarr.create(zarr.root(store).resolve("a"), {
      shape: [400 * 256],
      chunkShape: [256],
      dtype: "int32",
      fillValue: 0,
      codecs: [{ name: "bytes", configuration: { endian: "little" } }],
    });
    const data = Int32Array.from({ length: 400 * 256 }, (_, i) => i * 7);
    await zarr.set(arr, null, { data, shape: [data.length], stride: [1] }, { createQueue: boundedQueue(16) });
    assert.ok(most <= 16 && most >= 8, `${most} chunks in hand at once`);
    const back = await zarr.get(arr, null, { createQueue: boundedQueue(16) });
    assert.deepEqual(back.data, data);
    // zarrita's own queue hands the store every chunk at once.
    most = 0;
    await zarr.set(arr, [zarr.slice(0, 100 * 256)], 1);
    assert.equal(most, 100);
  }, { concurrency: 64 });
});

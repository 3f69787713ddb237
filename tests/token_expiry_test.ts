/** Long jobs outlive their tokens: nothing may be lost when tokens vanish or expire. */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { SwiftStore, TempAuth } from "../mod.ts";
import { AUTH_URL, restartMemcached, tempAuth, withStore } from "./_swift.ts";

/** A fetch that counts TempAuth logins (requests to /auth/). */
function countingLogins() {
  const counter = {
    logins: 0,
    fetch: ((input, init) => {
      if (String(input).includes("/auth/v1.0")) counter.logins++;
      return fetch(input, init);
    }) as typeof fetch,
  };
  return counter;
}

async function readBack(container: string, path: string): Promise<Int32Array> {
  const store = await SwiftStore.open({ container, auth: tempAuth(), readOnly: true });
  const { data } = await zarr.get(await zarr.open(zarr.root(store).resolve(path), { kind: "array" }));
  return data as Int32Array;
}

Deno.test("memcached restarted while a zarr write runs: every chunk lands", async () => {
  const counter = countingLogins();
  const chunks = 800;
  const values = Int32Array.from({ length: chunks * 16 }, (_, i) => i ^ 0x5a5a);
  await withStore(async (store) => {
    const arr = await zarr.create(zarr.root(store).resolve("a"), {
      shape: [values.length],
      chunkShape: [16],
      dtype: "int32",
    });
    // Settle into a value (not a rejection) so that nothing is left unhandled while the
    // restart runs.
    const writing = zarr.set(arr, null, { data: values, shape: [values.length], stride: [1] }).then(
      () => undefined,
      (err: unknown) => err,
    );
    await new Promise((r) => setTimeout(r, 300));
    await restartMemcached(); // every token is gone, mid-write
    assert.equal(await writing, undefined, "the write finished without error");
    console.log(`${counter.logins} logins`);
    assert.ok(counter.logins >= 2, "the token was lost and renewed");
    assert.deepEqual(await readBack(store.container, "a"), values);
  }, {
    auth: new TempAuth({
      authUrl: AUTH_URL,
      user: "test:tester",
      key: "testing",
      fetch: counter.fetch,
      retry: { retries: 8, initialDelay: 100, maxDelay: 2000 },
    }),
    retries: 8,
    backoff: { initialDelay: 100, maxDelay: 2000 },
  });
});

Deno.test("tokens that live 3 seconds: a job of several token lifetimes loses nothing", async () => {
  const counter = countingLogins();
  const port = Number(new URL(AUTH_URL).port) + 10; // dev/swift.sh's short-token proxy
  const auth = new TempAuth({
    authUrl: `http://127.0.0.1:${port}/auth/v1.0`,
    user: "test:tester",
    key: "testing",
    fetch: counter.fetch,
  });
  const first = await auth.credentials();
  assert.ok(first.token);
  const rows = 40;
  const width = 64;
  const values = Int32Array.from({ length: rows * width }, (_, i) => i * 7);
  await withStore(async (store) => {
    const arr = await zarr.create(zarr.root(store).resolve("a"), {
      shape: [rows, width],
      chunkShape: [1, 16],
      dtype: "int32",
    });
    const started = performance.now();
    // One row every 200 ms: the job spans about three token lifetimes.
    for (let r = 0; r < rows; r++) {
      await zarr.set(arr, [r, null], {
        data: values.subarray(r * width, (r + 1) * width),
        shape: [width],
        stride: [1],
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`${counter.logins} logins over ${seconds.toFixed(1)} s with 3 s tokens`);
    assert.ok(counter.logins >= 3, "tokens expired during the job and were renewed");
    const { data } = await zarr.get(await zarr.open(zarr.root(store).resolve("a"), { kind: "array" }));
    assert.deepEqual(data, values);
  }, { auth });
});

/**
 * Resilience against a flaky cluster: a fault-injecting proxy in front of the real
 * Swift answers 503 and 429, resets connections, stalls, truncates and corrupts.
 */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import {
  IntegrityError,
  NetworkError,
  PreAuth,
  RateLimitError,
  type RetryEvent,
  ServerError,
  SwiftStore,
  TempAuth,
  TimeoutError,
} from "../mod.ts";
import { FaultProxy, type FaultRates } from "./_fault_proxy.ts";
import { AUTH_URL, dropContainer, login, tempAuth, uniqueName, utf8 } from "./_swift.ts";

const UPSTREAM = new URL(AUTH_URL).origin;
const FAST = { initialDelay: 10, maxDelay: 200 };

/** A store through a fresh proxy with the given faults; both closed after `fn`. */
async function throughProxy(
  rates: FaultRates,
  fn: (store: SwiftStore, proxy: FaultProxy) => Promise<void>,
  options: { retries?: number; timeout?: number; verify?: boolean; onRetry?: (e: RetryEvent) => void } = {},
): Promise<void> {
  const proxy = await FaultProxy.start(UPSTREAM, {});
  const container = uniqueName("fault");
  try {
    const auth = new TempAuth({
      authUrl: `${proxy.url}/auth/v1.0`,
      user: "test:tester",
      key: "testing",
      retry: { ...FAST, retries: 12, timeout: 2000 },
    });
    const store = await SwiftStore.open({ container, auth, backoff: FAST, ...options });
    proxy.rates = rates;
    await fn(store, proxy);
  } finally {
    await proxy.close();
    await dropContainer(container);
  }
}

Deno.test("2,000 zarr chunks written and read through 20 % injected faults: every chunk correct", async () => {
  const rates: FaultRates = {
    status503: 0.04,
    status429: 0.03,
    reset: 0.03,
    resetAfter: 0.02,
    stall: 0.02,
    truncate: 0.03,
    corrupt: 0.03,
  };
  let retries = 0;
  const chunks = 2000;
  const chunk = 32;
  const values = Int32Array.from({ length: chunks * chunk }, (_, i) => (i * 2654435761) | 0);
  await throughProxy(rates, async (store, proxy) => {
    const arr = await zarr.create(zarr.root(store).resolve("a"), {
      shape: [chunks * chunk],
      chunkShape: [chunk],
      dtype: "int32",
    });
    await zarr.set(arr, null, { data: values, shape: [values.length], stride: [1] });
    const viaProxy = await zarr.get(await zarr.open(zarr.root(store).resolve("a"), { kind: "array" }));
    assert.deepEqual(viaProxy.data, values);
    const faultCounts = { ...proxy.counts };
    console.log(
      `${proxy.requests} requests, ${proxy.faults} faults injected and survived (${
        (100 * proxy.faults / proxy.requests).toFixed(1)
      } %), ${retries} retries: ${JSON.stringify(faultCounts)}`,
    );
    assert.ok(proxy.faults >= 0.15 * proxy.requests, "the fault rate was really about 20 %");
    for (const [kind, n] of Object.entries(faultCounts)) assert.ok(n > 0, `${kind} was injected`);

    // Read back directly from Swift, without the proxy: every chunk as written.
    const direct = await SwiftStore.open({ container: store.container, auth: tempAuth(), readOnly: true });
    const keys = [];
    for await (const key of direct.list("/a/c")) keys.push(key);
    assert.equal(keys.length, chunks);
    const { data } = await zarr.get(await zarr.open(zarr.root(direct).resolve("a"), { kind: "array" }));
    assert.deepEqual(data, values);
  }, { retries: 12, timeout: 2000, onRetry: () => retries++ });
});

Deno.test("persistent failures end in the typed error after the retries, each retry reported", async () => {
  const events: RetryEvent[] = [];
  await throughProxy({}, async (store, proxy) => {
    await store.set("/k", utf8("value"));
    proxy.rates = { status503: 1 };
    await assert.rejects(store.get("/k"), (err: unknown) => {
      assert.ok(err instanceof ServerError);
      assert.equal(err.status, 503);
      assert.equal(err.path, `${store.container}/k`);
      return true;
    });
    assert.equal(events.length, 3);
    assert.deepEqual(events.map((e) => e.attempt), [1, 2, 3]);

    proxy.rates = { stall: 1 };
    await assert.rejects(store.get("/k"), (err: unknown) => {
      assert.ok(err instanceof TimeoutError);
      assert.match(err.message, /timed out after 300 ms/);
      return true;
    });

    proxy.rates = { reset: 1 };
    await assert.rejects(store.has("/k"), NetworkError);

    proxy.rates = { corrupt: 1 };
    // A corrupted download is caught by the MD5 check, a corrupted upload by Swift (422).
    await assert.rejects(store.get("/k"), (err: unknown) => {
      assert.ok(err instanceof IntegrityError);
      assert.match(err.message, /corrupted in transit/);
      return true;
    });
    await assert.rejects(store.set("/k2", utf8("other value")), (err: unknown) => {
      assert.ok(err instanceof IntegrityError);
      assert.equal(err.status, 422);
      return true;
    });
    proxy.rates = {};
    assert.equal(await store.has("/k2"), false, "no corrupted object was stored");
  }, { retries: 3, timeout: 300, onRetry: (e) => events.push(e) });
});

Deno.test("verify: false skips the MD5 checks (which is what catches corruption)", async () => {
  await throughProxy({}, async (store, proxy) => {
    const bytes = utf8("some bytes that will be corrupted");
    await store.set("/k", bytes);
    proxy.rates = { corrupt: 1 };
    const got = await store.get("/k");
    assert.ok(got && got.length === bytes.length);
    assert.notDeepEqual(got, bytes);
  }, { verify: false, retries: 0 });
});

Deno.test("Retry-After is honoured, and one longer than maxRetryAfter ends the retries", async () => {
  const proxy = await FaultProxy.start(UPSTREAM, {}, { retryAfter: "1" });
  const container = uniqueName("ra");
  try {
    const { storageUrl, token } = await login();
    const base = storageUrl.replace(UPSTREAM, proxy.url);
    const events: RetryEvent[] = [];
    const store = await SwiftStore.open({
      container,
      auth: new PreAuth({ storageUrl: base, token }),
      backoff: { ...FAST, maxRetryAfter: 5000 },
      onRetry: (e) => events.push(e),
    });
    await store.set("/k", utf8("v"));
    proxy.rates = { status429: 1 };
    let calls = 0;
    setTimeout(() => proxy.rates = {}, 1500);
    const started = performance.now();
    assert.deepEqual(await store.get("/k"), utf8("v"));
    calls = events.length;
    assert.ok(calls >= 1);
    assert.ok(
      events.every((e) => e.delay === 1000 && e.error instanceof RateLimitError),
      "waited what the server asked",
    );
    assert.ok(performance.now() - started >= 1000);

    const impatient = await SwiftStore.open({
      container,
      auth: new PreAuth({ storageUrl: base, token }),
      backoff: { maxRetryAfter: 500 },
    });
    proxy.rates = { status429: 1 };
    await assert.rejects(impatient.get("/k"), (err: unknown) => {
      assert.ok(err instanceof RateLimitError);
      assert.equal(err.retryAfter, 1000);
      return true;
    });
  } finally {
    await proxy.close();
    await dropContainer(container);
  }
});

Deno.test("replays after a lost answer count right: bulk delete and single deletes", async () => {
  await throughProxy({}, async (store, proxy) => {
    await Promise.all(Array.from({ length: 300 }, (_, i) => store.set(`/d/${i}`, utf8("x"))));
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`/s/${i}`, utf8("x"))));
    // Every first bulk request is carried out by Swift, but its answer is lost.
    let bulkSeen = 0;
    proxy.filter = (method, url) => method === "POST" && url.includes("bulk-delete") && bulkSeen++ % 2 === 0;
    proxy.rates = { resetAfter: 1 };
    assert.equal(await store.deletePrefix("/d"), 300);
    assert.ok(proxy.counts.resetAfter >= 1);
    assert.equal(await store.deletePrefix("/d"), 0);
    // Single deletes whose answers are lost: replayed (by us, or by the runtime's
    // fetch on a dropped keep-alive connection), no error, everything gone.
    let deleteSeen = 0;
    proxy.filter = (method) => method === "DELETE" && deleteSeen++ % 2 === 0;
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.delete(`/s/${i}`)));
    proxy.rates = {};
    for (let i = 0; i < 20; i++) assert.equal(await store.has(`/s/${i}`), false);
    assert.equal(await store.delete("/s/0"), false);
  }, { retries: 3 });
});

Deno.test("a server that is down fails fast with NetworkError after the retries", async () => {
  let attempts = 0;
  const counting: typeof fetch = (input, init) => {
    attempts++;
    return fetch(input, init);
  };
  const auth = new PreAuth({ storageUrl: "http://127.0.0.1:9/v1/AUTH_test", token: "tok" });
  // 5 retries, backoff ceilings 250+500+1000+2000+4000 ms (the defaults before issue 14
  // made riding out an outage the default: see hostile_outage_test.ts).
  let started = performance.now();
  await assert.rejects(
    SwiftStore.open({ container: "c", auth, fetch: counting, retries: 5 }),
    (err: unknown) => {
      assert.ok(err instanceof NetworkError);
      assert.equal(err.method, "HEAD");
      assert.match(err.message, /no response from the server/);
      return true;
    },
  );
  let elapsed = performance.now() - started;
  assert.equal(attempts, 6);
  assert.ok(elapsed < 7750 + 2000, `gave up after ${elapsed.toFixed(0)} ms`);
  attempts = 0;
  started = performance.now();
  await assert.rejects(
    SwiftStore.open({ container: "c", auth, fetch: counting, retries: 2, backoff: { initialDelay: 100 } }),
    NetworkError,
  );
  elapsed = performance.now() - started;
  assert.equal(attempts, 3);
  assert.ok(elapsed < 300 + 2000, `gave up after ${elapsed.toFixed(0)} ms`);
});

/**
 * Outages (issue 14, item 5): by default a request rides out a proxy restart (a
 * wall-time budget of at least 30 s, `maxRetryTime`), concurrent requests do not
 * multiply the load on a recovering server, a request waiting out its backoff does
 * not hold a concurrency slot, failures that cannot heal fail at once, a read-only
 * open survives a container server that answers 5xx, and `deletePrefix` tells
 * deleted from already gone. Outages are played by the fake Swift, and for the real
 * Swift by a proxy in front of it that goes down (the shared Swift is never touched).
 */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import {
  DEFAULT_RETRY_POLICY,
  type FromUrlOptions,
  PreAuth,
  type RetryEvent,
  SwiftStore,
  type SwiftStoreOptions,
  TempAuth,
} from "../mod.ts";
import {
  ACCOUNT,
  assertErrorName,
  failed,
  type FakeSwift,
  forwardTo,
  type HostileServer,
  hostileTest,
  outcome,
  type Scope,
} from "./_hostile.ts";
import { AUTH_URL, dropContainer, login, uniqueName } from "./_swift.ts";

const FAST = { initialDelay: 5, maxDelay: 50 };
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => b && new TextDecoder().decode(b);

/** A store over the fake's container `c`, logged in with TempAuth, default options unless given. */
async function tempAuthStore(t: Scope, fake: FakeSwift, options: Partial<SwiftStoreOptions> = {}) {
  fake.container("c");
  const auth = new TempAuth({ authUrl: fake.authUrl, ...fake.user });
  return await SwiftStore.open({ container: "c", auth, signal: t.signal, ...options });
}

Deno.test("the default retry budget is a wall time of at least 30 s (maxRetryTime)", () => {
  const budget = (DEFAULT_RETRY_POLICY as unknown as Record<string, unknown>).maxRetryTime;
  assert.equal(typeof budget, "number", `Expected DEFAULT_RETRY_POLICY.maxRetryTime, found ${budget}`);
  assert.ok((budget as number) >= 30_000, `Expected at least 30,000 ms, found ${budget}`);
});

/** Reads and writes 20 objects each while `outage` plays; every one must succeed and be right. */
async function rideOut(t: Scope, outage: (fake: FakeSwift) => Promise<void> | void) {
  const fake = await t.fake();
  const store = await tempAuthStore(t, fake);
  for (let i = 0; i < 20; i++) fake.put("c", `old/${i}`, `old ${i}`);
  const down = outage(fake);
  const { signal } = t;
  const results = await Promise.allSettled([
    ...Array.from({ length: 20 }, (_, i) => store.get(`/old/${i}`, { signal })),
    ...Array.from({ length: 20 }, (_, i) => store.set(`/new/${i}`, bytes(`new ${i}`), { signal })),
    // A login that starts during the outage.
    tempAuthStore(t, fake).then((s) => s.get("/old/0", { signal })),
  ]);
  await down;
  const failures = results.flatMap((r) =>
    r.status === "rejected" ? [`${r.reason.name}: ${r.reason.message}`] : []
  );
  assert.deepEqual(failures.slice(0, 3), [], `${failures.length} of ${results.length} requests failed`);
  for (let i = 0; i < 20; i++) {
    assert.equal(text((results[i] as PromiseFulfilledResult<Uint8Array>).value), `old ${i}`);
    assert.equal(text(fake.containers.get("c")!.objects.get(`new/${i}`)?.body), `new ${i}`);
  }
}

hostileTest(
  "connections refused for 10 s (a proxy restart): ridden out with the default options",
  async (t) => {
    await rideOut(t, (fake) => fake.server.outage(10_000));
  },
  60_000,
);

hostileTest("503 for 10 s: ridden out with the default options", async (t) => {
  await rideOut(t, (fake) => fake.server.unavailable(10_000));
}, 60_000);

hostileTest("a server that stays down: a typed error once maxRetryTime is spent", async (t) => {
  const fake = await t.fake();
  fake.container("pub", { "x-container-read": ".r:*" });
  const options = { maxRetryTime: 2000, backoff: FAST } as FromUrlOptions;
  const store = SwiftStore.fromUrl(`${fake.storageUrl}/pub`, options);
  fake.server.unavailable(3_600_000);
  const busy = failed(await outcome(() => store.get("/k", { signal: t.signal })), "503 for an hour");
  assertErrorName(busy, "ServerError");
  assert.ok(fake.server.unavailableServed >= 2, "it retried within the budget");
  fake.server.down();
  const gone = failed(await outcome(() => store.get("/k", { signal: t.signal })), "refused for an hour");
  assertErrorName(gone, "NetworkError");
}, 20_000);

hostileTest("failures that cannot heal fail at once: 403, 404 on a write, 413, 416", async (t) => {
  const fake = await t.fake();
  fake.put("c", "k", "0123456789");
  const store = await tempAuthStore(t, fake, { backoff: FAST });
  const cases: [number, string, () => Promise<unknown>][] = [
    [403, "PermissionError", () => store.get("/k", { signal: t.signal })],
    [404, "ContainerNotFoundError", () => store.set("/k", bytes("x"), { signal: t.signal })],
    [413, "PayloadTooLargeError", () => store.set("/k", bytes("x"), { signal: t.signal })],
    [
      416,
      "RangeNotSatisfiableError",
      () => store.getRange("/k", { offset: 100, length: 1 }, { signal: t.signal }),
    ],
  ];
  for (const [status, name, call] of cases) {
    fake.script = (req) => req.path.endsWith("/c/k") ? { status, body: "no" } : undefined;
    const from = fake.requests.length;
    assertErrorName(failed(await outcome(call), `${status}`), name, `${status}`);
    assert.equal(
      fake.requests.length - from,
      1,
      `${status}: expected one request, found ${fake.since(from)}`,
    );
  }
});

hostileTest("a 401 right after a fresh login fails at once (no retries with backoff)", async (t) => {
  const fake = await t.fake();
  fake.put("c", "k", "x");
  const store = await tempAuthStore(t, fake, { backoff: FAST });
  fake.script = (req) => req.path.endsWith("/c/k") ? { status: 401, body: "Unauthorized" } : undefined;
  const from = fake.requests.length;
  assertErrorName(failed(await outcome(() => store.get("/k", { signal: t.signal }))), "AuthError");
  const sent = fake.since(from);
  // A request, a login, a replay; then one more login and replay after half a second:
  // a token store that restarted (memcached) may have lost the first fresh token, and
  // token_expiry_test.ts requires a job to ride that out. No retries with backoff.
  assert.ok(
    sent.length <= 5,
    `Expected a request, two logins and two replays at most, found ${sent.length}: ${sent.join(", ")}`,
  );
});

hostileTest("concurrent requests hitting an outage do not multiply the load on the server", async (t) => {
  const fake = await t.fake();
  for (let i = 0; i < 32; i++) fake.put("c", `k${i}`, `${i}`);
  const store = await tempAuthStore(t, fake);
  const window = 5000;
  fake.server.unavailable(window);
  const single = await outcome(() => store.get("/k0", { signal: t.signal }));
  const alone = fake.server.unavailableServed;
  await new Promise((resolve) => setTimeout(resolve, 200));
  fake.server.unavailableServed = 0;
  fake.server.unavailable(window);
  const all = await Promise.allSettled(
    Array.from({ length: 32 }, (_, i) => store.get(`/k${i}`, { signal: t.signal })),
  );
  const together = fake.server.unavailableServed;
  assert.ok(
    together <= 32 + 4 * Math.max(alone, 1),
    `Expected 32 concurrent requests to make at most 32 + 4 × ${alone} attempts during a ${window} ms outage (one request alone made ${alone}), found ${together}`,
  );
  assert.ok(!single.error, `a single request failed: ${single.error?.message}`);
  const failures = all.filter((r) => r.status === "rejected").length;
  assert.equal(failures, 0, `${failures} of 32 concurrent requests failed`);
}, 60_000);

hostileTest("a request waiting out its backoff does not hold a concurrency slot", async (t) => {
  const fake = await t.fake();
  fake.put("c", "good", "good");
  const store = await tempAuthStore(t, fake, { concurrency: 1, retries: 1 });
  fake.script = (req) =>
    req.path.endsWith("/c/bad") ? { status: 503, headers: { "Retry-After": "2" }, body: "busy" } : undefined;
  const from = fake.requests.length;
  const bad = outcome(() => store.get("/bad", { signal: t.signal }));
  while (!fake.since(from).some((r) => r.endsWith("/c/bad"))) await new Promise((r) => setTimeout(r, 10));
  const good = await store.get("/good", { signal: t.signal });
  await bad;
  assert.equal(text(good), "good");
  const order = fake.since(from).map((r) => r.split("/").at(-1));
  assert.deepEqual(order, ["bad", "good", "bad"], `Expected the good request between the bad one's attempts`);
});

hostileTest(
  "a read-only open proceeds when the container check answers 5xx; 404 and 401 still fail",
  async (t) => {
    const fake = await t.fake();
    fake.put("c", "k", "readable");
    const events: RetryEvent[] = [];
    const open = () =>
      SwiftStore.open({
        container: "c",
        auth: new PreAuth({ storageUrl: fake.storageUrl, token: fake.token }),
        readOnly: true,
        retries: 2,
        backoff: FAST,
        onRetry: (e) => events.push(e),
        signal: t.signal,
      });
    const containerHead = (status: number) => (req: { method: string; path: string }) =>
      req.method === "HEAD" && req.path === `/v1/${ACCOUNT}/c` ? { status, body: "" } : undefined;
    fake.script = containerHead(503);
    const store = await open();
    assert.equal(text(await store.get("/k", { signal: t.signal })), "readable");
    assert.ok(events.some((e) => e.error.status === 503), "onRetry was told about the 503s");
    fake.script = containerHead(404);
    assertErrorName(failed(await outcome(open), "404"), "ContainerNotFoundError", "404");
    fake.script = containerHead(401);
    assertErrorName(failed(await outcome(open), "401"), "AuthError", "401");
  },
);

hostileTest(
  "deletePrefix on a stale listing: objects deleted and objects already gone are told apart",
  async (t) => {
    const fake = await t.fake();
    fake.put("c", "real", "x");
    const store = await tempAuthStore(t, fake);
    const ghosts = Array.from({ length: 1000 }, (_, i) => `ghost/${String(i).padStart(4, "0")}`);
    fake.script = (req) => {
      if (req.method !== "GET" || req.path !== `/v1/${ACCOUNT}/c`) return undefined;
      const page = req.query.get("marker") ? [] : [...ghosts, "real"].map((name) => ({
        name,
        bytes: 1,
        hash: "",
        content_type: "",
        last_modified: "",
      }));
      return { status: 200, body: JSON.stringify(page) };
    };
    // The store's deletePrefix answers the listed objects gone afterwards (one number,
    // its documented meaning); the container handle answers the two apart.
    const result = await store.swiftContainer.deletePrefix("", { signal: t.signal }) as unknown;
    const deleted = typeof result === "number" ? result : (result as { deleted: number }).deleted;
    assert.equal(
      deleted,
      1,
      `Expected 1 object deleted (1,000 listed were already gone), found ${JSON.stringify(result)}`,
    );
    if (typeof result === "object") assert.equal((result as { notFound: number }).notFound, 1000);
  },
);

hostileTest(
  "the real Swift: a 2,000-chunk zarrita write rides out its proxy going down for 5 s",
  async (t) => {
    const upstream = new URL(AUTH_URL).origin;
    // Dropped after the proxy closes (closers run last first), so that writes still
    // retrying after a failure cannot refill it.
    const container = uniqueName("outage");
    t.defer(() => dropContainer(container));
    const holder: { proxy?: HostileServer } = {};
    const forward = forwardTo(upstream, () => holder.proxy!.origin);
    let outage: Promise<void> | undefined;
    const proxy = holder.proxy = t.server((req) => {
      if (proxy.count === 300) outage = proxy.outage(5000);
      return forward(req);
    }, { log: false });
    const { storageUrl, token } = await login();
    const store = await SwiftStore.open({
      container,
      auth: new PreAuth({ storageUrl: storageUrl.replace(upstream, proxy.origin), token }),
      signal: t.signal,
    });
    const chunks = 2000;
    const values = Int32Array.from({ length: chunks * 16 }, (_, i) => (i * 2654435761) | 0);
    const arr = await zarr.create(zarr.root(store).resolve("a"), {
      shape: [values.length],
      chunkShape: [16],
      dtype: "int32",
    });
    await zarr.set(arr, null, { data: values, shape: [values.length], stride: [1] });
    assert.ok(outage, `the proxy went down mid-write (it saw ${proxy.count} requests)`);
    await outage;
    // Read back from Swift itself, not through the proxy.
    const direct = await SwiftStore.open({
      container,
      auth: new PreAuth({ storageUrl, token }),
      readOnly: true,
    });
    const back = await zarr.get(await zarr.open(zarr.root(direct).resolve("a"), { kind: "array" }));
    assert.deepEqual(back.data, values);
  },
  120_000,
);

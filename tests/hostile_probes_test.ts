/**
 * The security probe's findings (issue 14, item 6), each as a test: container names
 * `.` and `..`, read-only stores and metadata writes, replacing a large object whose
 * manifest points elsewhere, secrets quoted back by a server, TempURL keys with
 * CR/LF or in UTF-8, whole-container shares (opt-in `wholeContainer: true`), expiry
 * bounds, `{ suffixLength: 0 }`, huge timeouts and `null` ranges. Against the fake
 * Swift where "before any request" must be seen, against the real Swift otherwise.
 */
import assert from "node:assert/strict";
import {
  type FromUrlOptions,
  getTempUrlKeys,
  largeObjectSegments,
  PreAuth,
  type RangeQuery,
  setAcl,
  setCors,
  setPublic,
  setTempUrlKey,
  type ShareOptions,
  shareUrl,
  SwiftStore,
  type SwiftStoreOptions,
  TempAuth,
  tempUrl,
  type TempUrlOptions,
  togglePublic,
  uploadLargeObject,
} from "../mod.ts";
import {
  assertErrorName,
  assertLibraryError,
  assertNoSecretIn,
  caught,
  failed,
  type FakeSwift,
  hostileTest,
  md5,
  outcome,
  type Scope,
} from "./_hostile.ts";
import { dropContainer, raw, tempAuth, uniqueName, utf8, withStore } from "./_swift.ts";

const FAST = { initialDelay: 5, maxDelay: 50 };

function preAuth(fake: FakeSwift): PreAuth {
  return new PreAuth({ storageUrl: fake.storageUrl, token: fake.token });
}

async function store(
  t: Scope,
  fake: FakeSwift,
  options: Partial<SwiftStoreOptions> = {},
): Promise<SwiftStore> {
  fake.container("c");
  return await SwiftStore.open({
    container: "c",
    auth: preAuth(fake),
    retries: 1,
    backoff: FAST,
    signal: t.signal,
    ...options,
  });
}

hostileTest('container names "." and ".." are refused with a TypeError before any request', async (t) => {
  const fake = await t.fake();
  for (const container of [".", ".."]) {
    const o = await outcome(() =>
      SwiftStore.open({ container, auth: preAuth(fake), retries: 0, signal: t.signal })
    );
    assert.deepEqual(fake.since(0), [], `open({ container: ${JSON.stringify(container)} }) sent requests`);
    assertErrorName(failed(o, container), "TypeError", container);
  }
  const s = await store(t, fake);
  for (const segmentContainer of [".", ".."]) {
    const from = fake.requests.length;
    const o = await outcome(() =>
      uploadLargeObject(s, "/big", new Blob(["0123456789"]), {
        segmentSize: 4,
        segmentContainer,
        signal: t.signal,
      })
    );
    const strays = fake.since(from).filter((r) => !/ \/v1\/AUTH_test\/c[/?]| \/info$/.test(r));
    assert.deepEqual(
      strays,
      [],
      `segmentContainer ${JSON.stringify(segmentContainer)}: requests outside the store`,
    );
    assertErrorName(failed(o, segmentContainer), "TypeError", segmentContainer);
  }
});

hostileTest(
  "read-only and fromUrl stores refuse every metadata write with ReadOnlyError before any request",
  async (t) => {
    const fake = await t.fake();
    fake.container("pub", { "x-container-read": ".r:*,.rlistings" });
    const readOnly = await store(t, fake, { readOnly: true });
    const shared = SwiftStore.fromUrl(`${fake.storageUrl}/pub`, { retries: 0 });
    for (const [kind, s] of [["readOnly", readOnly], ["fromUrl", shared]] as const) {
      const writes: [string, () => Promise<unknown>][] = [
        ["setPublic", () => setPublic(s, true, { signal: t.signal })],
        ["togglePublic", () => togglePublic(s, t.signal)],
        ["setAcl", () => setAcl(s, { read: ["test:tester2"] }, t.signal)],
        ["setCors", () => setCors(s, { origins: ["*"], signal: t.signal })],
        ["setTempUrlKey (container)", () => setTempUrlKey(s, "k", { scope: "container", signal: t.signal })],
        ["setTempUrlKey (account)", () => setTempUrlKey(s, "k", { scope: "account", signal: t.signal })],
        [
          "uploadLargeObject",
          () => uploadLargeObject(s, "/big", new Blob(["0123"]), { segmentSize: 2, signal: t.signal }),
        ],
      ];
      for (const [what, write] of writes) {
        const from = fake.requests.length;
        const o = await outcome(write);
        assert.deepEqual(fake.since(from), [], `${kind} ${what}: requests were sent`);
        assertErrorName(failed(o, `${kind} ${what}`), "ReadOnlyError", `${kind} ${what}`);
      }
      // Without a key, shareUrl would create one: refused, no POST.
      const from = fake.requests.length;
      const o = await outcome(() =>
        shareUrl(s, { expiresIn: 3600, wholeContainer: true, signal: t.signal } as ShareOptions)
      );
      const posts = fake.since(from).filter((r) => r.startsWith("POST"));
      assert.deepEqual(posts, [], `${kind} shareUrl: a TempURL key was set`);
      assertErrorName(failed(o, `${kind} shareUrl`), "ReadOnlyError", `${kind} shareUrl`);
    }
    assert.equal(fake.containers.get("c")!.meta["x-container-read"], undefined, "the read ACL is unchanged");
  },
);

hostileTest("a read-only store with a TempURL key still shares (reading keys is not a write)", async (t) => {
  const fake = await t.fake();
  fake.container("c", { "x-container-meta-temp-url-key": "existing-key" });
  const s = await store(t, fake, { readOnly: true, prefix: "run" });
  const link = await shareUrl(s, { expiresIn: 3600, signal: t.signal });
  assert.match(link, /temp_url_prefix=run%2F|temp_url_prefix=run\//);
});

Deno.test("replacing a large object deletes only its own old segments, never what a forged manifest names", async () => {
  const w = uniqueName("slo-w");
  const v = uniqueName("slo-v");
  try {
    const store = await SwiftStore.open({ container: w, auth: tempAuth() });
    const precious = utf8("precious bytes that are not w's to delete");
    assert.equal((await raw("PUT", `/${v}`)).status, 201);
    assert.equal(
      (await raw("PUT", `/${v}/precious`, { body: new TextDecoder().decode(precious) })).status,
      201,
    );
    await uploadLargeObject(store, "/big", new Blob([crypto.getRandomValues(new Uint8Array(2048))]), {
      segmentSize: 1024,
    });
    const own = (await largeObjectSegments(store, "/big"))!;
    // Someone with write access to w replaces the manifest with one naming v/precious.
    const forged = JSON.stringify([
      { path: own[0].path, etag: own[0].etag, size_bytes: own[0].size },
      { path: `/${v}/precious`, etag: md5(precious), size_bytes: precious.length },
    ]);
    const put = await raw("PUT", `/${w}/big?multipart-manifest=put`, { body: forged });
    assert.equal(put.status, 201, await put.text());
    await uploadLargeObject(store, "/big", new Blob([crypto.getRandomValues(new Uint8Array(2048))]), {
      segmentSize: 1024,
    });
    const after = await raw("GET", `/${v}/precious`);
    assert.equal(after.status, 200, `Expected ${v}/precious to survive, found ${after.status}`);
    assert.deepEqual(new Uint8Array(await after.arrayBuffer()), precious);
    const old = await raw("HEAD", own[0].path);
    assert.equal(old.status, 404, "the replaced object's own old segment is deleted");
  } finally {
    await dropContainer(w);
    await dropContainer(`${w}_segments`);
    await dropContainer(v);
  }
});

hostileTest("a server quoting a TempURL key back: the key is not in the message", async (t) => {
  const fake = await t.fake();
  const s = await store(t, fake);
  const key = `tempurl-key-${crypto.randomUUID()}`;
  fake.script = (req) => {
    if (req.method !== "POST") return undefined;
    const quoted = [...req.headers].filter(([name]) => name.includes("temp-url-key")).map(([n, v]) =>
      `${n}: ${v}`
    );
    return { status: 400, body: `Invalid metadata ${quoted.join(", ")}` };
  };
  for (const scope of ["container", "account"] as const) {
    const err = await caught(() => setTempUrlKey(s, key, { scope, signal: t.signal }));
    assertLibraryError(err, scope);
    assertNoSecretIn(err, [key]);
  }
});

hostileTest("a TempURL key with CR or LF is refused with a TypeError before any request", async (t) => {
  const fake = await t.fake();
  const s = await store(t, fake);
  for (const key of ["abc\r\nX-Evil: 1", "abc\ndef", "abc\rdef"]) {
    const from = fake.requests.length;
    const err = await caught(() => setTempUrlKey(s, key, { scope: "container", signal: t.signal }));
    assert.deepEqual(fake.since(from), [], `${JSON.stringify(key)}: requests were sent`);
    assertErrorName(err, "TypeError", JSON.stringify(key));
    assertNoSecretIn(err, [key]);
  }
});

hostileTest("an empty-prefix (whole-container) share needs wholeContainer: true", async (t) => {
  const fake = await t.fake();
  const base = `${fake.storageUrl}/c/`;
  const sign = (extra: Partial<TempUrlOptions> = {}) =>
    tempUrl({ url: base, key: "k", expiresIn: 3600, prefix: true, ...extra } as TempUrlOptions);
  const err = await caught(() => sign());
  assertErrorName(err, "TypeError", "tempUrl");
  assert.match(err.message, /wholeContainer/);
  assert.match(await sign({ wholeContainer: true } as Partial<TempUrlOptions>), /temp_url_prefix=(&|$)/);
  assert.match(await sign({ url: `${base}run/` }), /temp_url_prefix=run\//, "a real prefix needs no opt-in");

  const whole = await store(t, fake);
  const from = fake.requests.length;
  const refused = await caught(() => shareUrl(whole, { expiresIn: 3600, key: "k", signal: t.signal }));
  assert.deepEqual(fake.since(from), [], "shareUrl sent requests before refusing");
  assertErrorName(refused, "TypeError", "shareUrl");
  const optIn = { expiresIn: 3600, key: "k", wholeContainer: true } as ShareOptions;
  assert.match(await shareUrl(whole, optIn), /temp_url_prefix=(&|$)/);
  const run = await store(t, fake, { prefix: "run" });
  assert.match(await shareUrl(run, { expiresIn: 3600, key: "k" }), /temp_url_prefix=run\//);
});

Deno.test("expiry: a safe integer of seconds, refused past the documented maximum", async () => {
  const url = "http://127.0.0.1:8080/v1/AUTH_test/c/o";
  const centuries = 100 * 365 * 86400;
  const cases: [string, Partial<TempUrlOptions>][] = [
    ["expiresIn 1e300", { expiresIn: 1e300 }],
    ["expiresIn Number.MAX_VALUE", { expiresIn: Number.MAX_VALUE }],
    ["expiresIn 2^53", { expiresIn: 2 ** 53 }],
    ["expiresIn 100 years", { expiresIn: centuries }],
    ["expiresAt in 2200", { expiresAt: new Date("2200-01-01T00:00:00Z") }],
  ];
  for (const [what, expiry] of cases) {
    const o = await outcome(() => tempUrl({ url, key: "k", ...expiry } as TempUrlOptions));
    assertErrorName(failed(o, what), "RangeError", what);
  }
  assert.match(await tempUrl({ url, key: "k", expiresIn: 7 * 86400 }), /temp_url_expires=\d+$/);
});

Deno.test("{ suffixLength: 0 } answers an empty array (the real Swift answers 416 to bytes=-0)", async () => {
  await withStore(async (s) => {
    await s.set("/k", utf8("0123456789"));
    const o = await outcome(() => s.getRange("/k", { suffixLength: 0 }));
    assert.ok(!o.error, `Expected an empty array, found ${o.error?.name}: ${o.error?.message}`);
    assert.deepEqual(o.value, new Uint8Array(0));
  });
});

hostileTest("a timeout of 2^31 ms or more is a RangeError before any request", async (t) => {
  const fake = await t.fake();
  fake.container("c");
  for (const timeout of [2 ** 31, 1e300, Infinity]) {
    const fromUrl = await outcome(() =>
      SwiftStore.fromUrl(`${fake.storageUrl}/c`, { timeout } as FromUrlOptions)
    );
    assertErrorName(failed(fromUrl, `fromUrl ${timeout}`), "RangeError", `fromUrl timeout ${timeout}`);
    const open = await outcome(() =>
      SwiftStore.open({ container: "c", auth: preAuth(fake), timeout, signal: t.signal })
    );
    assertErrorName(failed(open, `open ${timeout}`), "RangeError", `open timeout ${timeout}`);
    const auth = await outcome(() =>
      new TempAuth({ authUrl: fake.authUrl, ...fake.user, retry: { timeout } }).credentials(t.signal)
    );
    assertErrorName(failed(auth, `TempAuth ${timeout}`), "RangeError", `TempAuth timeout ${timeout}`);
  }
  assert.deepEqual(fake.since(0), [], "requests were sent");
  // The largest timeout a timer can hold is fine.
  SwiftStore.fromUrl(`${fake.storageUrl}/c`, { timeout: 2 ** 31 - 1 });
});

hostileTest(
  "a null, undefined or malformed range is the library's TypeError or RangeError, before any request",
  async (t) => {
    const fake = await t.fake();
    fake.put("c", "k", "0123456789");
    const s = await store(t, fake);
    const from = fake.requests.length;
    const ranges: unknown[] = [
      null,
      undefined,
      {},
      { offset: 0 },
      { length: 1 },
      { suffixLength: null },
      "bytes=0-1",
    ];
    for (const range of ranges) {
      const err = await caught(() => s.getRange("/k", range as RangeQuery, { signal: t.signal }));
      assertLibraryError(err, `range ${JSON.stringify(range)}`);
    }
    assert.deepEqual(fake.since(from), [], "requests were sent");
  },
);

Deno.test("a UTF-8 TempURL key set by another client is read back exactly and signs links that work", async () => {
  await withStore(async (s) => {
    await s.set("/obj", utf8("shared bytes"));
    const key = `schlüssel-ключ-鍵-${crypto.randomUUID().slice(0, 8)}`;
    // Another client (python-swiftclient) sends the key's UTF-8 bytes in the header.
    const asBytes = String.fromCharCode(...new TextEncoder().encode(key));
    const container = encodeURIComponent(s.container);
    const res = await raw("POST", `/${container}`, { headers: { "X-Container-Meta-Temp-URL-Key": asBytes } });
    assert.equal(res.status, 204);
    const keys = await getTempUrlKeys(s);
    assert.deepEqual(keys.container, [key], "the key is read back as set");
    const link = await shareUrl(s, { expiresIn: 600 });
    const shared = SwiftStore.fromUrl(link, { retries: 0 });
    assert.deepEqual(await shared.get("/obj"), utf8("shared bytes"), "the link signed with it works");
  }, { prefix: "data" });
});

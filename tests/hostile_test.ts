/**
 * Hostile servers (issue 14, items 1 to 3), against the fake Swift of `_hostile.ts`:
 * secrets never follow a redirect to another origin, an https login never hands
 * the token to plain http silently, and a server's answers are checked (listings,
 * bodies, ranges, JSON, error bodies) instead of trusted. Every failure must be one
 * of the library's error classes; nothing may hang (each test has a hard limit).
 *
 * Error classes that do not exist yet are checked by name: `RedirectError` and
 * `ProtocolError`; the opt-in to an http storage URL is `allowInsecureStorageUrl`.
 */
import assert from "node:assert/strict";
import {
  capabilities,
  KeystoneAuth,
  type KeystoneAuthOptions,
  largeObjectSegments,
  PreAuth,
  SwiftAccount,
  SwiftStore,
  type SwiftStoreOptions,
  TempAuth,
  type TempAuthOptions,
} from "../mod.ts";
import {
  ACCOUNT,
  assertErrorName,
  assertLibraryError,
  assertNoSecretIn,
  counting,
  failed,
  type FakeSwift,
  FROM_ELSEWHERE,
  hostileTest,
  htmlPage,
  lazyPattern,
  mapOrigins,
  md5,
  outcome,
  pattern,
  type Reply,
  type Scope,
  stallAfter,
} from "./_hostile.ts";

const FAST = { initialDelay: 5, maxDelay: 50 };
const text = (bytes: Uint8Array | undefined) => bytes && new TextDecoder().decode(bytes);

/** A store over container `c` of the fake, with its preset token. */
async function preAuthStore(
  t: Scope,
  fake: FakeSwift,
  options: Partial<SwiftStoreOptions> = {},
): Promise<SwiftStore> {
  fake.container("c");
  return await SwiftStore.open({
    container: "c",
    auth: new PreAuth({ storageUrl: fake.storageUrl, token: fake.token }),
    retries: 1,
    backoff: FAST,
    signal: t.signal,
    ...options,
  });
}

/** Keystone options that log in to the fake with its password. */
function keystoneOptions(fake: FakeSwift, f?: typeof fetch): KeystoneAuthOptions {
  return {
    authUrl: `${fake.origin}/v3`,
    username: "alice",
    userDomainName: "Default",
    password: fake.keystone.password,
    projectName: "project",
    projectDomainName: "Default",
    fetch: f,
    retry: { retries: 1, ...FAST },
  };
}

// ------------------------------------------------------------ 1. secrets stay at their origin

for (const status of [301, 302, 307, 308]) {
  hostileTest(
    `${status} to another origin on authenticated requests: RedirectError, the token stays`,
    async (t) => {
      const fake = await t.fake();
      const other = t.recorder();
      fake.put("c", "k", "mine");
      const store = await preAuthStore(t, fake);
      fake.script = (req) =>
        req.path.startsWith(`/v1/${ACCOUNT}/c`) && req.method !== "HEAD"
          ? { status, headers: { Location: `${other.origin}${req.target}` } }
          : undefined;
      const { signal } = t;
      const calls: [string, () => unknown][] = [
        ["get", () => store.get("/k", { signal })],
        ["getRange", () => store.getRange("/k", { offset: 0, length: 2 }, { signal })],
        ["set", () => store.set("/k", new TextEncoder().encode("new bytes"), { signal })],
        ["delete", () => store.delete("/k", { signal })],
        ["list", () => Array.fromAsync(store.list("/", { signal }))],
      ];
      const outcomes = [];
      for (const [what, call] of calls) outcomes.push([what, await outcome(call)] as const);
      // The container check at open is a HEAD: redirect it too, on a new store.
      fake.script = (req) =>
        req.path.startsWith(`/v1/${ACCOUNT}/c`)
          ? { status, headers: { Location: `${other.origin}${req.target}` } }
          : undefined;
      outcomes.push(["open", await outcome(() => preAuthStore(t, fake))] as const);

      other.assertNoSecret([fake.token], "the token");
      for (const [what, o] of outcomes) {
        const err = failed(o, what);
        assertErrorName(err, "RedirectError", what);
        assert.match(err.message, new RegExp(`${status}`), `${what}: the message names the status`);
        assert.ok(err.message.includes(other.origin), `${what}: the message names the target origin`);
        assertNoSecretIn(err, [fake.token]);
      }
    },
  );
}

for (const status of [301, 302, 307, 308]) {
  hostileTest(
    `a TempAuth login answered ${status} to another origin: RedirectError, the key stays`,
    async (t) => {
      const fake = await t.fake();
      const other = t.recorder();
      fake.script = (req) =>
        req.path === "/auth/v1.0"
          ? { status, headers: { Location: `${other.origin}/auth/v1.0` } }
          : undefined;
      const auth = new TempAuth({ authUrl: fake.authUrl, ...fake.user, retry: { retries: 1, ...FAST } });
      const o = await outcome(() =>
        SwiftStore.open({ container: "c", auth, retries: 1, backoff: FAST, signal: t.signal })
      );
      other.assertNoSecret([fake.user.key], "the TempAuth key");
      const err = failed(o);
      assertErrorName(err, "RedirectError");
      assert.ok(err.message.includes(other.origin), "the message names the target origin");
      assertNoSecretIn(err, [fake.user.key]);
    },
  );
}

for (const status of [301, 302, 307, 308]) {
  hostileTest(
    `a Keystone login answered ${status} to another origin: RedirectError, no password or secret leaves`,
    async (t) => {
      const fake = await t.fake();
      const other = t.recorder();
      fake.script = (req) =>
        req.path === "/v3/auth/tokens"
          ? { status, headers: { Location: `${other.origin}/v3/auth/tokens` } }
          : undefined;
      const withPassword = new KeystoneAuth(keystoneOptions(fake));
      const withAppCred = new KeystoneAuth({
        authUrl: `${fake.origin}/v3`,
        applicationCredentialId: "app-cred-id",
        applicationCredentialSecret: fake.keystone.secret,
        retry: { retries: 1, ...FAST },
      });
      const outcomes = [
        await outcome(() => withPassword.credentials(t.signal)),
        await outcome(() => withAppCred.credentials(t.signal)),
      ];
      other.assertNoSecret([fake.keystone.password, fake.keystone.secret], "the password or secret");
      for (const o of outcomes) {
        const err = failed(o);
        assertErrorName(err, "RedirectError");
        assertNoSecretIn(err, [fake.keystone.password, fake.keystone.secret]);
      }
    },
  );
}

hostileTest("anonymous reads follow redirects, at most 5 hops; a loop is a typed error", async (t) => {
  const fake = await t.fake();
  const other = t.recorder();
  fake.container("pub", { "x-container-read": ".r:*,.rlistings" });
  fake.put("pub", "arrived", "after five hops");
  const base = `/v1/${ACCOUNT}/pub`;
  fake.script = (req) => {
    if (req.path === `${base}/moved`) {
      return { status: 302, headers: { Location: `${other.origin}/elsewhere` } };
    }
    const hop = /\/hop\/(\d+)$/.exec(req.path);
    if (hop && Number(hop[1]) < 5) {
      return { status: 301, headers: { Location: `${base}/hop/${Number(hop[1]) + 1}` } };
    }
    if (hop) return { status: 302, headers: { Location: `${base}/arrived` } };
    const loop = /\/loop\/(\d+)$/.exec(req.path);
    if (loop) return { status: 302, headers: { Location: `${base}/loop/${Number(loop[1]) + 1}` } };
  };
  const shared = SwiftStore.fromUrl(`${fake.storageUrl}/pub`, { retries: 1, backoff: FAST });
  assert.equal(text(await shared.get("/moved", { signal: t.signal })), FROM_ELSEWHERE);
  assert.equal(text(await shared.get("/hop/1", { signal: t.signal })), "after five hops");
  const before = fake.requests.length;
  const err = failed(await outcome(() => shared.get("/loop/0", { signal: t.signal })));
  const hops = fake.requests.length - before;
  assert.ok(hops <= 12, `Expected at most 6 requests per attempt (5 hops), found ${hops} for 2 attempts`);
  assertLibraryError(err);
});

// ------------------------------------------------------------ 2. no silent downgrade

/** A login at the https fake that hands back `http://swift.example.org/…` (the recorder, by fake DNS). */
async function downgrade(t: Scope) {
  const fake = await t.fake({ tls: true });
  const other = t.recorder();
  const tls = await t.tls();
  fake.storageUrl = `http://swift.example.org/v1/${ACCOUNT}`;
  const f = mapOrigins({ "http://swift.example.org": other.origin }, tls);
  return { fake, other, f };
}

function assertDowngradeRefused(o: Awaited<ReturnType<typeof outcome>>, other: { requests: unknown[] }) {
  assert.equal(other.requests.length, 0, "Expected no request to the http storage URL");
  const err = failed(o);
  assertLibraryError(err);
  assert.match(err.message, /http:/, "the message names the insecure URL");
  assert.match(err.message, /allowInsecureStorageUrl/, "the message names the opt-in");
}

hostileTest(
  "TempAuth at an https URL handing back an http storage URL: refused unless allowInsecureStorageUrl",
  async (t) => {
    const { fake, other, f } = await downgrade(t);
    const options: TempAuthOptions = {
      authUrl: fake.authUrl,
      ...fake.user,
      fetch: f,
      retry: { retries: 1, ...FAST },
    };
    const open = (auth: TempAuth) =>
      SwiftStore.open({ container: "c", auth, fetch: f, retries: 1, backoff: FAST, signal: t.signal });
    assertDowngradeRefused(await outcome(() => open(new TempAuth(options))), other);
    // Opted in: the same login works, and the store talks to the http URL.
    const optIn = { ...options, allowInsecureStorageUrl: true } as TempAuthOptions;
    await open(new TempAuth(optIn));
    assert.ok(other.requests.length > 0, "with the opt-in, requests go to the http storage URL");
  },
);

hostileTest(
  "Keystone at an https URL with an http object-store endpoint: refused unless allowInsecureStorageUrl",
  async (t) => {
    const { fake, other, f } = await downgrade(t);
    const open = (auth: KeystoneAuth) =>
      SwiftStore.open({ container: "c", auth, fetch: f, retries: 1, backoff: FAST, signal: t.signal });
    assertDowngradeRefused(await outcome(() => open(new KeystoneAuth(keystoneOptions(fake, f)))), other);
    const optIn = { ...keystoneOptions(fake, f), allowInsecureStorageUrl: true } as KeystoneAuthOptions;
    await open(new KeystoneAuth(optIn));
    assert.ok(other.requests.length > 0, "with the opt-in, requests go to the http storage URL");
  },
);

hostileTest("an https login handing back a loopback http storage URL stays allowed", async (t) => {
  const fake = await t.fake({ tls: true });
  const other = t.recorder();
  const tls = await t.tls();
  fake.storageUrl = `${other.origin}/v1/${ACCOUNT}`;
  const auth = new TempAuth({ authUrl: fake.authUrl, ...fake.user, fetch: tls });
  await SwiftStore.open({ container: "c", auth, fetch: tls, retries: 1, backoff: FAST, signal: t.signal });
  assert.equal(other.requests.length, 1);
});

// ------------------------------------------------------------ 3. answers are checked

/** Lists with `fn` against a fake whose container listing `answer` plays; answers the outcome. */
async function listing(
  t: Scope,
  answer: (marker: string) => unknown,
  fn: (store: SwiftStore) => AsyncIterable<unknown>,
  options: Partial<SwiftStoreOptions> = {},
) {
  const fake = await t.fake();
  const store = await preAuthStore(t, fake, options);
  const from = fake.requests.length;
  fake.script = (req) =>
    req.method === "GET" && req.path === `/v1/${ACCOUNT}/c`
      ? {
        status: 200,
        headers: { "Content-Type": "application/json" },
        body: (() => {
          const body = answer(req.query.get("marker") ?? "");
          return typeof body === "string" ? body : JSON.stringify(body);
        })(),
      }
      : undefined;
  const yielded: unknown[] = [];
  const o = await outcome(async () => {
    for await (const item of fn(store)) {
      yielded.push(item);
      if (yielded.length >= 1000) {
        throw new Error(
          `Endless: ${yielded.length} items yielded after ${fake.requests.length - from} requests`,
        );
      }
    }
  });
  return { o, yielded, requests: fake.requests.length - from };
}

const entry = (name: string) => ({
  name,
  bytes: 1,
  hash: md5(""),
  content_type: "application/octet-stream",
  last_modified: "2026-11-24T05:00:00.000000",
});

hostileTest(
  "a listing whose marker never advances: ProtocolError after that page, not an endless loop",
  async (t) => {
    const same = () => [entry("a"), entry("b")];
    for (
      const [what, fn] of [
        ["list", (s: SwiftStore) => s.list("/", { signal: t.signal })],
        ["scan", (s: SwiftStore) => s.scan("/", { signal: t.signal })],
        ["listDir", (s: SwiftStore) => s.listDir("/", { signal: t.signal })],
      ] as const
    ) {
      const { o, requests } = await listing(t, same, fn);
      assert.ok(
        requests <= 3,
        `${what}: expected at most 3 listing requests, found ${requests}${
          o.error ? ` (${o.error.message})` : ""
        }`,
      );
      assertErrorName(failed(o, what), "ProtocolError", what);
    }
    // A page that goes backwards (its last name before the marker).
    const backwards = (marker: string) => marker === "" ? [entry("m"), entry("n")] : [entry("b"), entry("c")];
    const { o, requests } = await listing(t, backwards, (s) => s.list("/", { signal: t.signal }));
    assert.ok(
      requests <= 3,
      `backwards: expected at most 3 listing requests, found ${requests}${
        o.error ? ` (${o.error.message})` : ""
      }`,
    );
    assertErrorName(failed(o, "backwards"), "ProtocolError", "backwards");
  },
);

hostileTest("an account listing whose marker never advances: ProtocolError", async (t) => {
  const fake = await t.fake();
  fake.script = (req) =>
    req.method === "GET" && req.path === `/v1/${ACCOUNT}`
      ? {
        status: 200,
        body: JSON.stringify([{ name: "a", count: 0, bytes: 0 }, { name: "b", count: 0, bytes: 0 }]),
      }
      : undefined;
  const account = await SwiftAccount.open({
    auth: new PreAuth({ storageUrl: fake.storageUrl, token: fake.token }),
    retries: 1,
    backoff: FAST,
  });
  let n = 0;
  const o = await outcome(async () => {
    for await (const _ of account.containers("", t.signal)) {
      if (++n >= 1000) {
        throw new Error(`Endless: ${n} containers yielded after ${fake.requests.length} requests`);
      }
    }
  });
  assert.ok(
    fake.requests.length <= 3,
    `Expected at most 3 listing requests, found ${fake.requests.length}${
      o.error ? ` (${o.error.message})` : ""
    }`,
  );
  assertErrorName(failed(o), "ProtocolError");
});

hostileTest("a listing that is not a JSON array of entries: ProtocolError", async (t) => {
  const bodies: [string, unknown][] = [
    ["an object", { error: "not a listing" }],
    ["null", null],
    ["a number", 42],
    ["a string", "a, b"],
    ["entries without name or subdir", [{ bytes: 1 }]],
    ["a name that is a number", [{ name: 5 }]],
    ["a null entry", [null]],
    ["a subdir that is an object", [{ subdir: {} }]],
  ];
  for (const [what, body] of bodies) {
    const { o, requests } = await listing(t, () => body, (s) => s.list("/", { signal: t.signal }));
    assert.ok(requests <= 2, `${what}: expected at most 2 listing requests, found ${requests}`);
    assertErrorName(failed(o, what), "ProtocolError", what);
  }
});

hostileTest("names outside the asked prefix are never yielded as keys", async (t) => {
  const names = ["o-evil", "p/a", "p/b", "p/sub/x", "p/subway", "pq/evil", "q/evil"];
  const answer = (marker: string) => (marker === "" ? names.map(entry) : []);
  const cases: [string, (s: SwiftStore) => AsyncIterable<unknown>, string[]][] = [
    ["list /", (s) => s.list("/", { signal: t.signal }), ["/a", "/b", "/sub/x", "/subway"]],
    ["list /sub", (s) => s.list("/sub", { signal: t.signal }), ["/sub/x"]],
    ["scan /sub", async function* (s) {
      for await (const e of s.scan("/sub", { signal: t.signal })) yield e.key;
    }, ["/sub/x"]],
  ];
  for (const [what, fn, allowed] of cases) {
    const { o, yielded } = await listing(t, answer, fn, { prefix: "p" });
    const outside = yielded.filter((k) => !allowed.includes(k as string));
    assert.deepEqual(outside, [], `${what}: keys from names outside the prefix were yielded`);
    if (o.error) assertErrorName(o.error, "ProtocolError", what);
  }
  const subdirs = (
    marker: string,
  ) => (marker === "" ? [{ subdir: "o/" }, { subdir: "p/a/" }, { subdir: "q/" }] : []);
  const { o, yielded } = await listing(t, subdirs, (s) => s.listDir("/", { signal: t.signal }), {
    prefix: "p",
  });
  assert.deepEqual(yielded.filter((k) => k !== "a"), [], "listDir: children outside the prefix were yielded");
  if (o.error) assertErrorName(o.error, "ProtocolError", "listDir");
});

hostileTest(
  "JSON that fails to parse is a ProtocolError (listing, Keystone, /info, SLO manifest)",
  async (t) => {
    const bad = '[{"name": "a", ';
    const { o } = await listing(t, () => bad, (s) => s.list("/", { signal: t.signal }));
    assertErrorName(failed(o, "listing"), "ProtocolError", "listing");

    const fake = await t.fake();
    fake.script = (req): Reply | undefined => {
      if (req.path === "/v3/auth/tokens") {
        return {
          status: 201,
          headers: { "X-Subject-Token": "tk" },
          body: bad,
        };
      }
      if (req.path === "/info") {
        return {
          status: 200,
          headers: { "Content-Type": "application/json" },
          body: bad,
        };
      }
      if (req.query.get("multipart-manifest") === "get") {
        return { status: 200, headers: { "X-Static-Large-Object": "True" }, body: bad };
      }
    };
    const keystone = await outcome(() => new KeystoneAuth(keystoneOptions(fake)).credentials(t.signal));
    assertErrorName(failed(keystone, "Keystone"), "ProtocolError", "Keystone");
    const store = await preAuthStore(t, fake);
    assertErrorName(
      failed(await outcome(() => capabilities(store, t.signal)), "/info"),
      "ProtocolError",
      "/info",
    );
    fake.put("c", "big", "x");
    const manifest = await outcome(() => largeObjectSegments(store, "/big", t.signal));
    assertErrorName(failed(manifest, "manifest"), "ProtocolError", "manifest");
  },
);

hostileTest("a body shorter than its Content-Length: a typed error, never the short bytes", async (t) => {
  const fake = await t.fake();
  const full = pattern(0, 100);
  fake.script = (req) =>
    req.path.endsWith("/c/k") && req.method === "GET"
      ? { status: 200, headers: { "Content-Length": "100", ETag: md5(full) }, body: full.subarray(0, 50) }
      : undefined;
  fake.put("c", "k", full);
  for (const verify of [true, false]) {
    const store = await preAuthStore(t, fake, { verify });
    const err = failed(await outcome(() => store.get("/k", { signal: t.signal })), `verify: ${verify}`);
    assertErrorName(err, ["NetworkError", "ProtocolError"], `verify: ${verify}`);
  }
});

hostileTest("a body longer than its Content-Length: a typed error, never other bytes", async (t) => {
  const fake = await t.fake();
  const full = pattern(0, 100);
  fake.put("c", "k", full);
  fake.script = (req) =>
    req.path.endsWith("/c/k") && req.method === "GET"
      ? { status: 200, headers: { "Content-Length": "50", ETag: md5(full) }, body: full }
      : undefined;
  const store = await preAuthStore(t, fake);
  const o = await outcome(() => store.get("/k", { signal: t.signal }));
  assertErrorName(failed(o), ["IntegrityError", "ProtocolError"]);
});

hostileTest(
  "a 206 that is not the range asked for: ProtocolError or the right bytes, never wrong bytes",
  async (t) => {
    const fake = await t.fake();
    const object = pattern(0, 100);
    fake.put("c", "k", object);
    const store = await preAuthStore(t, fake);
    const cases: [
      string,
      { offset: number; length: number } | { suffixLength: number },
      Record<string, string>,
      Uint8Array,
    ][] = [
      [
        "another range",
        { offset: 10, length: 10 },
        { "Content-Range": "bytes 0-9/100" },
        object.slice(0, 10),
      ],
      ["no Content-Range", { offset: 10, length: 10 }, {}, object.slice(0, 10)],
      [
        "a suffix from the start",
        { suffixLength: 10 },
        { "Content-Range": "bytes 0-9/100" },
        object.slice(0, 10),
      ],
      ["fewer bytes than its Content-Range", { offset: 10, length: 10 }, {
        "Content-Range": "bytes 10-19/100",
      }, object.slice(10, 15)],
      [
        "more bytes than asked",
        { offset: 10, length: 10 },
        { "Content-Range": "bytes 10-29/100" },
        object.slice(10, 30),
      ],
      ["the range asked, with bytes beyond it", { offset: 10, length: 10 }, {
        "Content-Range": "bytes 10-19/100",
      }, object.slice(10, 30)],
    ];
    for (const [what, range, headers, body] of cases) {
      fake.script = (req) =>
        req.path.endsWith("/c/k") && req.method === "GET" ? { status: 206, headers, body } : undefined;
      const want = "suffixLength" in range
        ? object.slice(100 - range.suffixLength)
        : object.slice(range.offset, range.offset + range.length);
      const o = await outcome(() => store.getRange("/k", range, { signal: t.signal }));
      if (o.error) assertErrorName(o.error, "ProtocolError", what);
      else assert.deepEqual(o.value, want, `${what}: wrong bytes answered`);
    }
  },
);

hostileTest(
  "a 200 with a 64 GiB Content-Length to a 10-byte range: the 10 bytes, reading little",
  async (t) => {
    const fake = await t.fake();
    fake.put("c", "big", "x");
    const size = 64 * 2 ** 30;
    fake.script = (req) =>
      req.path.endsWith("/c/big") && req.method === "GET"
        ? { status: 200, headers: { "Content-Length": String(size) }, body: lazyPattern(size) }
        : undefined;
    const reads = counting(fetch, 16 << 20);
    const store = await preAuthStore(t, fake, { fetch: reads.fetch, retries: 0, timeout: 10_000 });
    const head = await outcome(() => store.getRange("/big", { offset: 5, length: 10 }, { signal: t.signal }));
    assert.ok(!reads.capped, `Expected a short read, found the client reading past ${16 << 20} bytes`);
    assert.ok(
      reads.most <= 1 << 20,
      `Expected at most 1 MiB read for a 10-byte range, found ${reads.most} bytes`,
    );
    if (head.error) assertErrorName(head.error, "ProtocolError");
    else assert.deepEqual(head.value, pattern(5, 10));
    // The last 10 bytes cannot be had without reading 64 GiB: a typed error, still reading little.
    const tail = await outcome(() => store.getRange("/big", { suffixLength: 10 }, { signal: t.signal }));
    assert.ok(reads.most <= 1 << 20, `Expected at most 1 MiB read for a suffix, found ${reads.most} bytes`);
    if (tail.error) assertLibraryError(tail.error);
    else assert.deepEqual(tail.value, pattern(size - 10, 10));
  },
);

hostileTest("a body that never ends is cut by the timeout (get)", async (t) => {
  const fake = await t.fake();
  fake.put("c", "k", "x");
  fake.script = (req) =>
    req.path.endsWith("/c/k") && req.method === "GET"
      ? {
        status: 200,
        headers: { "Content-Length": "100" },
        body: stallAfter(pattern(0, 10), fake.server.closing),
      }
      : undefined;
  const store = await preAuthStore(t, fake, { retries: 0, timeout: 1000 });
  assertErrorName(failed(await outcome(() => store.get("/k", { signal: t.signal }))), "TimeoutError");
}, 15_000);

hostileTest("a streamed body that stops coming is cut by the timeout (getStream)", async (t) => {
  const fake = await t.fake();
  fake.put("c", "k", "x");
  fake.script = (req) =>
    req.path.endsWith("/c/k") && req.method === "GET"
      ? {
        status: 200,
        headers: { "Content-Length": "100000" },
        body: stallAfter(pattern(0, 10), fake.server.closing),
      }
      : undefined;
  const store = await preAuthStore(t, fake, { retries: 0, timeout: 1000 });
  const opened = await store.getStream("/k", { signal: t.signal });
  assert.ok(opened);
  const o = await outcome(async () => {
    for await (const _ of opened.body) { /* consume */ }
  });
  assertErrorName(failed(o), "TimeoutError");
}, 15_000);

hostileTest("a 5xx or 403 with 1 MiB of HTML: a few KiB read, at most ~200 characters quoted", async (t) => {
  const fake = await t.fake();
  fake.put("c", "k", "x");
  for (const status of [500, 403]) {
    fake.script = (req) =>
      req.path.endsWith("/c/k")
        ? { status, headers: { "Content-Type": "text/html" }, body: htmlPage(1 << 20) }
        : undefined;
    const reads = counting();
    const store = await preAuthStore(t, fake, { fetch: reads.fetch, retries: 0 });
    const err = failed(await outcome(() => store.get("/k", { signal: t.signal })), `${status}`);
    assertErrorName(err, status === 500 ? "ServerError" : "PermissionError");
    const quoted = err.message.match(/proxy failed/g)?.length ?? 0;
    assert.ok(
      quoted <= 3 && err.message.length <= 400,
      `${status}: quotes too much (${err.message.length} chars)`,
    );
    assert.ok(
      reads.most <= 64 << 10,
      `${status}: expected at most 64 KiB of the error body read, found ${reads.most}`,
    );
  }
});

hostileTest(
  "a server quoting the token back (401, 403, 503): the token is not in any message or retry event",
  async (t) => {
    const fake = await t.fake();
    fake.put("c", "k", "x");
    for (const status of [401, 403, 503]) {
      fake.script = (req) =>
        req.path.endsWith("/c/k")
          ? { status, body: `<html>Token ${req.headers.get("x-auth-token")} may not read ${req.path}</html>` }
          : undefined;
      const events: string[] = [];
      const store = await preAuthStore(t, fake, { onRetry: (e) => events.push(e.error.message) });
      const err = failed(await outcome(() => store.get("/k", { signal: t.signal })), `${status}`);
      assertLibraryError(err, `${status}`);
      assertNoSecretIn(err, [fake.token]);
      assert.ok(!events.some((m) => m.includes(fake.token)), `${status}: an onRetry event quoted the token`);
    }
  },
);

hostileTest(
  "a TempAuth or Keystone login quoting the key, password or secret: not in the message",
  async (t) => {
    const fake = await t.fake();
    const echo = (req: { headers: Headers; body: Uint8Array }) =>
      `Bad request: ${req.headers.get("x-auth-key") ?? ""} ${new TextDecoder().decode(req.body)}`;
    fake.script = (req) =>
      req.path === "/auth/v1.0"
        ? { status: 500, body: echo(req) }
        : req.path === "/v3/auth/tokens"
        ? { status: 400, body: JSON.stringify({ error: { code: 400, message: echo(req) } }) }
        : undefined;
    const secrets = [fake.user.key, fake.keystone.password, fake.keystone.secret];
    const tempAuth = new TempAuth({ authUrl: fake.authUrl, ...fake.user, retry: { retries: 0 } });
    const password = new KeystoneAuth(keystoneOptions(fake));
    const appCred = new KeystoneAuth({
      authUrl: `${fake.origin}/v3`,
      applicationCredentialId: "id",
      applicationCredentialSecret: fake.keystone.secret,
      retry: { retries: 0 },
    });
    for (
      const [what, auth] of [["TempAuth", tempAuth], ["password", password], ["app cred", appCred]] as const
    ) {
      const err = failed(await outcome(() => auth.credentials(t.signal)), what);
      assertLibraryError(err, what);
      assertNoSecretIn(err, secrets);
    }
  },
);

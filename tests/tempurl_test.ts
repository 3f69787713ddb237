/** TempURLs: byte-identical to python-swiftclient's `swift tempurl`, and accepted or refused by the real Swift. */
import assert from "node:assert/strict";
import {
  encodeObjectName,
  setTempUrlKey,
  signTempUrl,
  SwiftStore,
  tempUrl,
  type TempUrlDigest,
} from "../mod.ts";
import { login, utf8, withStore } from "./_swift.ts";

/** What `swift tempurl` (python-swiftclient, the reference client) prints. */
async function reference(args: string[]): Promise<string> {
  const env = { ...Deno.env.toObject() };
  for (const name of ["ST_AUTH", "ST_USER", "ST_KEY", "OS_AUTH_URL", "OS_STORAGE_URL", "OS_AUTH_TOKEN"]) {
    delete env[name];
  }
  const out = await new Deno.Command("swift", {
    args: ["tempurl", ...args],
    env,
    clearEnv: true,
    stdout: "piped",
  })
    .output();
  assert.ok(out.success, `swift tempurl ${args.join(" ")} failed`);
  return new TextDecoder().decode(out.stdout).trim();
}

const KEY = "a secret key, with spaces & ünïcode";

Deno.test("tempUrl is byte-identical to `swift tempurl` for every digest and option", async () => {
  const epoch = Math.floor(Date.now() / 1000) + 3600;
  const base = "http://127.0.0.1:8080/v1/AUTH_test/my-container";
  const cases: {
    digest: TempUrlDigest;
    method: "GET" | "PUT" | "HEAD";
    path: string;
    prefix?: boolean;
    ipRange?: string;
    isoTime?: boolean;
  }[] = [];
  for (const digest of ["sha1", "sha256", "sha512"] as const) {
    cases.push({ digest, method: "GET", path: "/zarr-demo/temperature/c/0/0" });
    cases.push({ digest, method: "PUT", path: "/zarr-demo/zarr.json", isoTime: true });
    cases.push({ digest, method: "GET", path: "/zarr-demo/", prefix: true });
    cases.push({ digest, method: "HEAD", path: "/obj", ipRange: "127.0.0.0/8" });
    cases.push({ digest, method: "GET", path: "/", prefix: true, ipRange: "2001:db8::/32" });
  }
  for (const c of cases) {
    const ours = await tempUrl({
      url: base + c.path,
      key: KEY,
      method: c.method,
      expiresAt: new Date(epoch * 1000),
      digest: c.digest,
      prefix: c.prefix,
      ipRange: c.ipRange,
      isoTime: c.isoTime,
      // The container-wide prefix case: an explicit opt-in since issue 14.
      wholeContainer: c.prefix && c.path === "/",
    });
    const args = ["--absolute", "--digest", c.digest];
    if (c.prefix) args.push("--prefix-based");
    if (c.isoTime) args.push("--iso8601");
    if (c.ipRange) args.push("--ip-range", c.ipRange);
    assert.equal(
      ours,
      await reference([...args, c.method, String(epoch), base + c.path, KEY]),
      JSON.stringify(c),
    );
  }
});

Deno.test("tempUrl signs the decoded path of awkward names, as Swift checks it", async () => {
  const epoch = Math.floor(Date.now() / 1000) + 3600;
  const name = "dir with space/ü#?%.bin";
  const url = await tempUrl({
    url: `http://127.0.0.1:8080/v1/AUTH_test/c/${encodeURIComponent(name).replaceAll("%2F", "/")}`,
    key: KEY,
    expiresAt: new Date(epoch * 1000),
  });
  // python-swiftclient's generate_temp_url signs the path it is given: give it the decoded
  // one (its CLI cannot: it parses "?" and "#" out of the path).
  const script = "import sys;from swiftclient.utils import generate_temp_url as g;" +
    "print(g(sys.argv[1], int(sys.argv[2]), sys.argv[3], 'GET', absolute=True))";
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", script, `/v1/AUTH_test/c/${name}`, String(epoch), KEY],
    stdout: "piped",
  }).output();
  assert.ok(out.success);
  const ref = new TextDecoder().decode(out.stdout).trim();
  const sig = (u: string) => /temp_url_sig=([^&]+)/.exec(u)?.[1];
  assert.equal(sig(url), sig(ref));
  assert.ok(url.startsWith("http://127.0.0.1:8080/v1/AUTH_test/c/dir%20with%20space/%C3%BC%23%3F%25.bin?"));
});

Deno.test("signTempUrl: HMAC-SHA1 known answer (RFC 2202 case 2 key and data)", async () => {
  // HMAC-SHA1("Jefe", "what do ya want for nothing?") = effcdf6a…, RFC 2202 test case 2. The
  // signed body is METHOD\nEXPIRES\nPATH, so choose parts that join to that text.
  const sig = await signTempUrl({ key: "Jefe", method: "what do ya", expires: 0, path: "x", digest: "sha1" });
  assert.equal(sig.length, 40);
  const direct = await crypto.subtle.sign(
    "HMAC",
    await crypto.subtle.importKey("raw", utf8("Jefe"), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]),
    utf8("what do ya\n0\nx"),
  );
  assert.equal(sig, Array.from(new Uint8Array(direct), (b) => b.toString(16).padStart(2, "0")).join(""));
  const rfc = await crypto.subtle.sign(
    "HMAC",
    await crypto.subtle.importKey("raw", utf8("Jefe"), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]),
    utf8("what do ya want for nothing?"),
  );
  assert.equal(
    Array.from(new Uint8Array(rfc), (b) => b.toString(16).padStart(2, "0")).join(""),
    "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
  );
});

Deno.test("tempUrl refuses invalid input with clear errors", async () => {
  const url = "http://127.0.0.1:8080/v1/AUTH_test/c/o";
  await assert.rejects(tempUrl({ url, key: "k" }), /exactly one of expiresIn/);
  await assert.rejects(tempUrl({ url, key: "k", expiresIn: 10, expiresAt: new Date() }), /exactly one/);
  await assert.rejects(tempUrl({ url, key: "k", expiresAt: new Date(Date.now() - 1000) }), RangeError);
  await assert.rejects(tempUrl({ url, key: "k", expiresIn: -5 }), RangeError);
  await assert.rejects(tempUrl({ url, key: "k", expiresIn: 60, method: "PATCH" as "GET" }), /method among/);
  await assert.rejects(tempUrl({ url, key: "k", expiresIn: 60, digest: "md5" as "sha1" }), /digest among/);
  await assert.rejects(tempUrl({ url, key: "", expiresIn: 60 }), /non-empty TempURL key/);
  await assert.rejects(
    tempUrl({ url: "http://127.0.0.1:8080/v1/AUTH_test/c", key: "k", expiresIn: 60 }),
    /OBJECT/,
  );
  await assert.rejects(tempUrl({ url: "not a url", key: "k", expiresIn: 60 }), /full URL/);
});

Deno.test("the real Swift accepts our TempURLs and refuses every tampered or expired one", async () => {
  await withStore(async (store) => {
    const key = crypto.randomUUID();
    await setTempUrlKey(store, key, { scope: "container" });
    await store.set("/data/a", utf8("object a"));
    await store.set("/other", utf8("outside"));
    const awkward = "/dir with space/ü#?%.bin" as const;
    await store.set(awkward, utf8("awkward"));
    const awkwardUrl = await tempUrl({ url: store.url + encodeObjectName(awkward), key, expiresIn: 300 });
    assert.deepEqual(await (await fetch(awkwardUrl)).text(), "awkward");
    const at = async (url: string, init?: RequestInit) => {
      const res = await fetch(url, init);
      const body = await res.text();
      return { status: res.status, body };
    };
    for (const digest of ["sha1", "sha256", "sha512"] as const) {
      const url = await tempUrl({ url: `${store.url}/data/a`, key, expiresIn: 300, digest });
      assert.deepEqual(await at(url), { status: 200, body: "object a" }, digest);
      assert.equal((await at(url, { method: "HEAD" })).status, 200, "a GET link allows HEAD");
      assert.equal((await at(url.replace("/data/a?", "/other?"))).status, 401, "another path");
      assert.equal((await at(url, { method: "DELETE" })).status, 401, "another method");
      const expires = Number(/temp_url_expires=(\d+)/.exec(url)![1]);
      assert.equal(
        (await at(url.replace(`expires=${expires}`, `expires=${expires + 1}`))).status,
        401,
        "another expiry",
      );
    }
    // IP ranges: the tests reach Swift from 127.0.0.1.
    const inside = await tempUrl({ url: `${store.url}/data/a`, key, expiresIn: 300, ipRange: "127.0.0.0/8" });
    assert.equal((await at(inside)).status, 200);
    const outside = await tempUrl({ url: `${store.url}/data/a`, key, expiresIn: 300, ipRange: "10.0.0.0/8" });
    assert.equal((await at(outside)).status, 401);
    assert.equal((await at(inside.replace("127.0.0.0", "10.0.0.0"))).status, 401, "a changed range");
    // ISO 8601 expiry and the download name.
    const iso = await tempUrl({
      url: `${store.url}/data/a`,
      key,
      expiresIn: 300,
      isoTime: true,
      filename: "a b.txt",
    });
    const res = await fetch(iso);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("Content-Disposition") ?? "", /a(%20| )b\.txt/);
    await res.body?.cancel();
    // A PUT link uploads.
    const put = await tempUrl({ url: `${store.url}/data/up`, key, expiresIn: 300, method: "PUT" });
    assert.equal((await at(put, { method: "PUT", body: "uploaded" })).status, 201);
    assert.deepEqual(await store.get("/data/up"), utf8("uploaded"));
    // Expired: a link for 1 s, used after 2.
    const short = await tempUrl({ url: `${store.url}/data/a`, key, expiresIn: 1 });
    assert.equal((await at(short)).status, 200);
    await new Promise((r) => setTimeout(r, 2100));
    assert.equal((await at(short)).status, 401, "expired");
    // The account's key works too.
    const { storageUrl } = await login();
    const accountKey = crypto.randomUUID();
    await setTempUrlKey(store, accountKey, { scope: "account" });
    try {
      assert.equal(store.url, `${storageUrl}/${store.container}/p`);
      const viaAccount = await tempUrl({
        url: `${store.url}/data/a`,
        key: accountKey,
        expiresIn: 60,
      });
      assert.equal((await at(viaAccount)).status, 200);
    } finally {
      await setTempUrlKey(store, "", { scope: "account" });
    }
  }, { prefix: "p" });
});

Deno.test("SwiftStore.fromUrl refuses what it cannot use", () => {
  assert.throws(
    () => SwiftStore.fromUrl("http://h/v1/AUTH_a/c/o?temp_url_sig=x&temp_url_expires=1"),
    /prefix TempURL/,
  );
  assert.throws(() => SwiftStore.fromUrl("http://h/nothing"), /v1\/ACCOUNT\/CONTAINER/);
  assert.throws(() => SwiftStore.fromUrl("nope"), /full URL/);
  assert.throws(
    () => SwiftStore.fromUrl("http://h/v1/AUTH_a/c/x/?temp_url_sig=s&temp_url_expires=1&temp_url_prefix=y/"),
    /under its temp_url_prefix/,
  );
  assert.throws(() => SwiftStore.fromUrl("http://h/v1/AUTH_a/c/", { prefix: "p" } as never), /found prefix/);
  const store = SwiftStore.fromUrl(
    "http://h/v1/AUTH_a/c/run/?temp_url_sig=SECRET&temp_url_expires=1&temp_url_prefix=run/",
  );
  assert.equal(store.url, "http://h/v1/AUTH_a/c/run");
  assert.equal(store.readOnly, true);
  assert.ok(!JSON.stringify(store).includes("SECRET"));
});

/** Sharing and access: share links, read-only stores from URLs, ACLs, CORS, tokens, capabilities. */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import {
  acquireToken,
  AuthError,
  capabilities,
  formatAcl,
  getAcl,
  getTempUrlKeys,
  isPublic,
  parseAcl,
  parseAclEntry,
  PermissionError,
  ReadOnlyError,
  setAcl,
  setCors,
  setPublic,
  setTempUrlKey,
  shareUrl,
  SwiftStore,
  togglePublic,
} from "../mod.ts";
import { AUTH_URL, tempAuth, utf8, withStore } from "./_swift.ts";

async function writeGroup(store: SwiftStore) {
  const root = await zarr.create(store, { attributes: { title: "shared" } });
  const t = await zarr.create(root.resolve("temperature"), {
    shape: [20, 6],
    chunkShape: [7, 4],
    dtype: "float32",
  });
  const tv = Float32Array.from({ length: 120 }, (_, i) => i / 4);
  await zarr.set(t, null, { data: tv, shape: [20, 6], stride: [6, 1] });
  const s = await zarr.create(root.resolve("meta/station"), { shape: [6], chunkShape: [6], dtype: "int16" });
  const sv = Int16Array.from([3, 1, 4, 1, 5, 9]);
  await zarr.set(s, null, { data: sv, shape: [6], stride: [1] });
  return { temperature: tv, "meta/station": sv };
}

Deno.test("shareUrl + fromUrl: zarrita reads every array of a group with no credentials", async () => {
  await withStore(async (store) => {
    const written = await writeGroup(store);
    await store.set("/outside-marker", utf8("in prefix"));
    // Something outside the dataset's prefix, in the same container.
    const sibling = await SwiftStore.open({ container: store.container, prefix: "other", auth: tempAuth() });
    await sibling.set("/secret", utf8("not shared"));

    assert.deepEqual((await getTempUrlKeys(store)).container, [], "no key yet");
    const link = await shareUrl(store, { expiresIn: 600 });
    assert.equal((await getTempUrlKeys(store)).container.length, 1, "a container key was created");
    assert.match(
      link,
      /\/datasets\/run-1\/\?temp_url_sig=[0-9a-f]{64}&temp_url_expires=\d+&temp_url_prefix=datasets\/run-1\/$/,
    );

    const shared = SwiftStore.fromUrl(link);
    assert.equal(shared.url, store.url);
    const group = await zarr.open(shared, { kind: "group" });
    assert.deepEqual(group.attrs, { title: "shared" });
    for (const [path, values] of Object.entries(written)) {
      const arr = await zarr.open(zarr.root(shared).resolve(path), { kind: "array" });
      assert.deepEqual((await zarr.get(arr)).data, values, path);
    }
    assert.deepEqual(await shared.getRange("/outside-marker", { suffixLength: 6 }), utf8("prefix"));
    assert.equal(await shared.get("/missing"), undefined);
    await assert.rejects(shared.set("/x", utf8("x")), ReadOnlyError);

    // The same signature does not reach beyond the prefix.
    const outside = link.replace("/datasets/run-1/?", "/other/secret?");
    assert.equal((await fetch(outside)).status, 401);
    // A second share reuses the key; a changed signature is refused with an AuthError.
    const again = await shareUrl(store, { expiresIn: 60, digest: "sha512" });
    assert.equal((await getTempUrlKeys(store)).container.length, 1);
    assert.deepEqual(await SwiftStore.fromUrl(again).get("/outside-marker"), utf8("in prefix"));
    // Change the signature's first digit (to another digit: one link in 16 starts with "0").
    const forgedLink = link.replace(
      /temp_url_sig=([0-9a-f])/,
      (_, d) => `temp_url_sig=${d === "0" ? "1" : "0"}`,
    );
    assert.notEqual(forgedLink, link);
    const forged = SwiftStore.fromUrl(forgedLink, { retries: 0 });
    await assert.rejects(forged.get("/zarr.json"), (err: unknown) => {
      assert.ok(err instanceof AuthError);
      assert.match(err.message, /TempURL has expired, is invalid/);
      assert.ok(!err.message.includes("temp_url_sig"));
      return true;
    });
  }, { prefix: "datasets/run-1" });
});

Deno.test("fromUrl of a prefix that lies outside the link's temp_url_prefix is refused before any request", () => {
  const link =
    "http://127.0.0.1:8080/v1/AUTH_test/c/datasets/run-1/?temp_url_sig=abc&temp_url_expires=1&temp_url_prefix=datasets/run-1/";
  assert.throws(
    () => SwiftStore.fromUrl(link.replace("/datasets/run-1/?", "/datasets/?")),
    /under its temp_url_prefix/,
  );
});

Deno.test("ACLs: a non-admin reads only once granted; public and private keep unrelated grants", async () => {
  await withStore(async (store) => {
    await store.set("/zarr.json", utf8('{"zarr_format":3,"node_type":"group","attributes":{}}'));
    const asTester2 = () =>
      SwiftStore.open({ container: store.container, auth: tempAuth("tester2"), readOnly: true });
    await assert.rejects(asTester2(), PermissionError);
    assert.deepEqual(await getAcl(store), { read: [], write: [] });

    await setAcl(store, { read: ["test:tester2"] });
    assert.deepEqual(await getAcl(store), { read: ["test:tester2"], write: [] });
    const reader = await asTester2();
    assert.deepEqual(await reader.get("/zarr.json"), await store.get("/zarr.json"));

    const anonymous = SwiftStore.fromUrl(`${store.url}`, { retries: 0 });
    await assert.rejects(anonymous.get("/zarr.json"), (err: unknown) => {
      assert.ok(err instanceof AuthError);
      assert.match(err.message, /not public/);
      return true;
    });
    assert.equal(await isPublic(store), false);
    await setPublic(store, true);
    assert.equal(await isPublic(store), true);
    assert.deepEqual((await getAcl(store)).read, ["test:tester2", ".r:*", ".rlistings"]);
    assert.deepEqual(await anonymous.get("/zarr.json"), await store.get("/zarr.json"));
    const listed = [];
    for await (const key of anonymous.list()) listed.push(key);
    assert.deepEqual(listed, ["/zarr.json"], "anonymous listing with .rlistings");

    assert.equal(await togglePublic(store), false);
    assert.deepEqual(
      (await getAcl(store)).read,
      ["test:tester2"],
      "the unrelated grant survived, .rlistings went too",
    );
    await assert.rejects(anonymous.get("/zarr.json"), AuthError);
    assert.deepEqual(await reader.get("/zarr.json"), await store.get("/zarr.json"));

    assert.equal(await togglePublic(store), true);
    await setPublic(store, true, { listings: false });
    assert.deepEqual((await getAcl(store)).read, ["test:tester2", ".r:*"]);
    await setAcl(store, { read: [".r:*", "test2", "test:tester2"], write: ["test:tester2"] });
    await setPublic(store, false);
    assert.deepEqual(await getAcl(store), { read: ["test2", "test:tester2"], write: ["test:tester2"] });
    // Write access granted: tester2 can write now.
    const writer = await SwiftStore.open({
      container: store.container,
      auth: tempAuth("tester2"),
      createContainer: false,
    });
    await writer.set("/from-tester2", utf8("hello"));
    assert.deepEqual(await store.get("/from-tester2"), utf8("hello"));
    await setAcl(store, { read: [], write: [] });
    assert.deepEqual(await getAcl(store), { read: [], write: [] });
    await assert.rejects(writer.set("/again", utf8("x")), PermissionError);
  });
});

Deno.test("ACL syntax: Swift's forms parsed, normalised and refused as Swift does", () => {
  assert.deepEqual(parseAcl(".r:*,.rlistings, test:tester2 ,test2,,*:bob,proj:*"), [
    { kind: "referrer", host: "*", deny: false },
    { kind: "listings" },
    { kind: "user", account: "test", user: "tester2" },
    { kind: "user", account: "test2" },
    { kind: "user", account: "*", user: "bob" },
    { kind: "user", account: "proj", user: "*" },
  ]);
  assert.deepEqual(parseAclEntry(".referrer:-bad.example.com"), {
    kind: "referrer",
    host: "bad.example.com",
    deny: true,
  });
  assert.deepEqual(parseAclEntry(".ref:*.example.com"), {
    kind: "referrer",
    host: ".example.com",
    deny: false,
  });
  assert.equal(formatAcl([".referer:good.org", ".rlistings", "a:b"]), ".r:good.org,.rlistings,a:b");
  assert.throws(() => parseAclEntry(".r:"), /host or domain/);
  assert.throws(() => parseAclEntry(".x:y"), /known ACL designator/);
  assert.throws(() => parseAclEntry(".weird"), /known ACL designator/);
  assert.throws(() => parseAclEntry(".r:*", "write"), /no referrer rule in a write ACL/);
  assert.throws(() => formatAcl([".r:*"], "write"), /write ACL/);
});

Deno.test("ACL strings agree with Swift's own clean_acl", async () => {
  const inputs = [".r:*,.rlistings", " .ref:-x.org , a:b", ".referrer:*.example.com,test", "*:u,p:*"];
  const script = "import json,sys;from swift.common.middleware.acl import clean_acl;" +
    "print(json.dumps([clean_acl('read', v) for v in json.loads(sys.argv[1])]))";
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", script, JSON.stringify(inputs)],
    stdout: "piped",
  })
    .output();
  assert.ok(out.success);
  assert.deepEqual(
    inputs.map((i) => formatAcl(parseAcl(i))),
    JSON.parse(new TextDecoder().decode(out.stdout)),
  );
});

Deno.test("setCors exposes what browsers need; capabilities and acquireToken", async () => {
  await withStore(async (store) => {
    await store.set("/k", utf8("0123456789"));
    await setCors(store, { origins: ["http://127.0.0.1:9999", "https://example.org"], maxAge: 600 });
    const pre = await fetch(`${store.url}/k`, {
      method: "OPTIONS",
      headers: {
        Origin: "http://127.0.0.1:9999",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "range",
      },
    });
    await pre.body?.cancel();
    assert.equal(pre.status, 200);
    assert.equal(pre.headers.get("Access-Control-Allow-Origin"), "http://127.0.0.1:9999");
    assert.equal(pre.headers.get("Access-Control-Max-Age"), "600");
    const denied = await fetch(`${store.url}/k`, {
      method: "OPTIONS",
      headers: { Origin: "http://evil.example", "Access-Control-Request-Method": "GET" },
    });
    await denied.body?.cancel();
    assert.equal(denied.status, 401);
    await setPublic(store, true);
    const res = await fetch(`${store.url}/k`, {
      headers: { Origin: "https://example.org", Range: "bytes=0-3" },
    });
    await res.body?.cancel();
    const exposed = (res.headers.get("Access-Control-Expose-Headers") ?? "").toLowerCase();
    for (const name of ["content-range", "etag", "content-length"]) assert.ok(exposed.includes(name), name);

    const info = await capabilities(store);
    assert.equal(info?.bulk_delete?.max_deletes_per_request, 10_000);
    assert.deepEqual((info?.tempurl as { allowed_digests: string[] }).allowed_digests.sort(), [
      "sha1",
      "sha256",
      "sha512",
    ]);

    const token = await acquireToken({ authUrl: AUTH_URL, user: "test:tester", key: "testing" });
    assert.match(token.storageUrl, /\/v1\/AUTH_test$/);
    assert.ok(token.expiresAt && token.expiresAt.getTime() > Date.now());
    assert.equal((await fetch(`${store.url}/k`, { headers: { "X-Auth-Token": token.token } })).status, 200);

    await setTempUrlKey(store, "key-2", { scope: "container", second: true });
    assert.deepEqual((await getTempUrlKeys(store)).container, ["key-2"]);
  });
});

// The library as Node and Bun users get it from JSR's npm compatibility layer
// (`@zarrswift/store`, built by dev/npm_test.sh), and as Deno users get it (mod.ts):
// the same tests, written once with node:test, against the real Swift.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { test } from "node:test";
import * as zarr from "zarrita";

const lib = await import(globalThis.Deno ? "../../mod.ts" : "@zarrswift/store");
const {
  AuthError,
  getAcl,
  isPublic,
  PermissionError,
  setAcl,
  setPublic,
  setTempUrlKey,
  shareUrl,
  SwiftStore,
  TempAuth,
  tempUrl,
  togglePublic,
} = lib;

const env = globalThis.process?.env ?? {};
const AUTH_URL = env.ZARRSWIFT_TEST_AUTH ?? "http://127.0.0.1:8080/auth/v1.0";
const runtime = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "node";
const auth = (user = "test:tester", key = "testing") => new TempAuth({ authUrl: AUTH_URL, user, key });
const name = (label) =>
  `zs-${runtime}-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const utf8 = (text) => new TextEncoder().encode(text);

async function withStore(fn, options = {}) {
  const container = name("rt");
  const store = await SwiftStore.open({ container, auth: auth(), ...options });
  try {
    await fn(store);
  } finally {
    const admin = await SwiftStore.open({ container, auth: auth(), createContainer: false });
    await admin.deletePrefix("/");
    const { storageUrl, token } = await lib.acquireToken({
      authUrl: AUTH_URL,
      user: "test:tester",
      key: "testing",
    });
    await (await fetch(`${storageUrl}/${container}`, {
      method: "DELETE",
      headers: { "X-Auth-Token": token },
    })).text();
  }
}

test(`${runtime}: zarrita round trip, ranges, listing and deleting`, async () => {
  await withStore(async (store) => {
    const root = await zarr.create(store, { attributes: { runtime } });
    const values = Float64Array.from({ length: 60 }, (_, i) => i * 1.5);
    const arr = await zarr.create(root.resolve("a"), {
      shape: [6, 10],
      chunkShape: [4, 4],
      dtype: "float64",
    });
    await zarr.set(arr, null, { data: values, shape: [6, 10], stride: [10, 1] });
    const fresh = await SwiftStore.open({
      container: store.container,
      prefix: store.prefix,
      auth: auth(),
      readOnly: true,
    });
    const group = await zarr.open(fresh, { kind: "group" });
    assert.deepEqual(group.attrs, { runtime });
    const got = await zarr.get(await zarr.open(zarr.root(fresh).resolve("a"), { kind: "array" }));
    assert.deepEqual(Array.from(got.data), Array.from(values));

    await store.set("/bytes", utf8("0123456789"));
    assert.deepEqual(await store.getRange("/bytes", { offset: 2, length: 3 }), utf8("234"));
    assert.deepEqual(await store.getRange("/bytes", { suffixLength: 4 }), utf8("6789"));
    assert.equal(await store.get("/missing"), undefined);
    const keys = [];
    for await (const key of store.list()) keys.push(key);
    assert.equal(keys.length, 1 + 1 + 2 * 3 + 1);
    const children = [];
    for await (const child of store.listDir("/")) children.push(child);
    assert.deepEqual(children.sort(), ["a", "bytes", "zarr.json"]);
    assert.equal(await store.deletePrefix("/a"), 7);
  }, { prefix: "data" });
});

test(`${runtime}: errors are typed, never undefined`, async () => {
  await withStore(async (store) => {
    await assert.rejects(
      SwiftStore.open({ container: store.container, auth: auth("test:tester2", "testing2"), readOnly: true }),
      (err) => err instanceof PermissionError && err.status === 403,
    );
    await assert.rejects(
      SwiftStore.open({ container: "c", auth: auth("test:tester", "wrong"), retries: 0 }),
      (err) => err instanceof AuthError,
    );
  });
});

test(`${runtime}: TempURLs match python-swiftclient and the server accepts them`, async () => {
  await withStore(async (store) => {
    await store.set("/obj", utf8("signed"));
    const key = "runtime-key";
    await setTempUrlKey(store, key, { scope: "container" });
    const epoch = Math.floor(Date.now() / 1000) + 600;
    for (const digest of ["sha1", "sha256", "sha512"]) {
      const url = await tempUrl({ url: `${store.url}/obj`, key, expiresAt: new Date(epoch * 1000), digest });
      const ref = execFileSync("swift", [
        "tempurl",
        "--absolute",
        "--digest",
        digest,
        "GET",
        String(epoch),
        `${store.url}/obj`,
        key,
      ], {
        encoding: "utf8",
      }).trim();
      assert.equal(url, ref, digest);
      const res = await fetch(url);
      assert.equal(await res.text(), "signed");
    }
    const link = await shareUrl(store, { expiresIn: 300, wholeContainer: true }); // a store without prefix
    assert.deepEqual(await SwiftStore.fromUrl(link).get("/obj"), utf8("signed"));
  });
});

test(`${runtime}: ACLs grant, make public and private, keep other grants`, async () => {
  await withStore(async (store) => {
    await store.set("/obj", utf8("acl"));
    await setAcl(store, { read: ["test:tester2"] });
    const reader = await SwiftStore.open({
      container: store.container,
      auth: auth("test:tester2", "testing2"),
      readOnly: true,
    });
    assert.deepEqual(await reader.get("/obj"), utf8("acl"));
    await setPublic(store, true);
    assert.equal(await isPublic(store), true);
    assert.equal((await fetch(`${store.url}/obj`)).status, 200);
    assert.equal(await togglePublic(store), false);
    assert.deepEqual(await getAcl(store), { read: ["test:tester2"], write: [] });
    const anonymous = await fetch(`${store.url}/obj`);
    await anonymous.body?.cancel();
    assert.equal(anonymous.status, 401);
  });
});

test(`${runtime}: the process exits as soon as a streamed read is done`, async () => {
  await withStore(async (store) => {
    const size = 5 * 2 ** 20;
    await store.set("/big.bin", new Uint8Array(size).fill(7));
    const script = new URL("./stream_exit.mjs", import.meta.url).pathname;
    const [command, args] = globalThis.Deno
      ? [Deno.execPath(), ["run", "-A", script]]
      : [globalThis.process.execPath, [script]];
    const child = spawnSync(command, args, {
      encoding: "utf8",
      env: { ...env, ZARRSWIFT_STREAM_CONTAINER: store.container, ZARRSWIFT_STREAM_AUTH: AUTH_URL },
      timeout: 90_000,
    });
    const exited = Date.now();
    assert.equal(child.status, 0, child.stderr);
    const { bytes, finished } = JSON.parse(child.stdout.trim().split("\n").pop());
    assert.equal(bytes, size);
    // A timer left armed kept the process alive for the request timeout (60 s).
    assert.ok(exited - finished < 5_000, `exited ${exited - finished} ms after the read finished`);
  });
});

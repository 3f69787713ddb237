/** SwiftStore against the real Swift: objects, ranges, names, read-only, options. */
import assert from "node:assert/strict";
import {
  ContainerNotFoundError,
  RangeNotSatisfiableError,
  ReadOnlyError,
  SwiftError,
  SwiftStore,
} from "../mod.ts";
import { AUTH_URL, login, randomBytes, raw, tempAuth, uniqueName, utf8, withStore } from "./_swift.ts";

Deno.test("set, get, has and delete round-trip; a missing object is undefined", async () => {
  await withStore(async (store) => {
    assert.equal(await store.get("/nothing"), undefined);
    assert.equal(await store.has("/nothing"), false);
    assert.equal(await store.delete("/nothing"), false);
    const bytes = randomBytes(100_000);
    await store.set("/a/b/c", bytes);
    assert.equal(await store.has("/a/b/c"), true);
    assert.deepEqual(await store.get("/a/b/c"), bytes);
    await store.set("/empty", new Uint8Array(0));
    assert.deepEqual(await store.get("/empty"), new Uint8Array(0));
    assert.equal(await store.delete("/a/b/c"), true);
    assert.equal(await store.get("/a/b/c"), undefined);
  });
});

Deno.test("objects land under the prefix, with a JSON content type for metadata", async () => {
  await withStore(async (store) => {
    await store.set("/zarr.json", utf8("{}"));
    await store.set("/arr/c/0", utf8("x"));
    const res = await raw("GET", `/${store.container}?format=json`);
    const names = await res.json() as { name: string; content_type: string }[];
    assert.deepEqual(names.map((n) => n.name), ["deep/er/arr/c/0", "deep/er/zarr.json"]);
    assert.equal(names[1].content_type, "application/json");
    assert.equal(names[0].content_type, "application/octet-stream");
    const { storageUrl } = await login();
    assert.equal(store.url, `${storageUrl}/${store.container}/deep/er`);
  }, { prefix: "/deep/er/" });
});

Deno.test("getRange: every form, against what the bytes say", async () => {
  await withStore(async (store) => {
    const bytes = randomBytes(1000);
    await store.set("/obj", bytes);
    await store.set("/zero", new Uint8Array(0));
    const cases: [Parameters<SwiftStore["getRange"]>[1], Uint8Array][] = [
      [{ offset: 0, length: 10 }, bytes.subarray(0, 10)],
      [{ offset: 990, length: 10 }, bytes.subarray(990)],
      [{ offset: 995, length: 100 }, bytes.subarray(995)], // end clamped
      [{ offset: 500, length: 1 }, bytes.subarray(500, 501)],
      [{ offset: 1000, length: 5 }, new Uint8Array(0)], // starts at the end: empty
      [{ offset: 10, length: 0 }, new Uint8Array(0)],
      [{ suffixLength: 16 }, bytes.subarray(984)],
      [{ suffixLength: 1000 }, bytes],
      [{ suffixLength: 5000 }, bytes], // longer than the object: whole object
    ];
    for (const [range, want] of cases) {
      assert.deepEqual(await store.getRange("/obj", range), want, JSON.stringify(range));
    }
    assert.deepEqual(await store.getRange("/zero", { suffixLength: 4 }), new Uint8Array(0));
    assert.deepEqual(await store.getRange("/zero", { offset: 0, length: 4 }), new Uint8Array(0));
    assert.equal(await store.getRange("/missing", { offset: 0, length: 4 }), undefined);
    assert.equal(await store.getRange("/missing", { suffixLength: 4 }), undefined);
    await assert.rejects(store.getRange("/obj", { offset: 1001, length: 1 }), (err: unknown) => {
      assert.ok(err instanceof RangeNotSatisfiableError);
      assert.equal(err.status, 416);
      assert.equal(err.method, "GET");
      assert.match(err.message, /1000 bytes.*offset 1001/);
      return true;
    });
    assert.throws(() => store.getRange("/obj", { offset: -1, length: 1 }), RangeError);
    assert.throws(() => store.getRange("/obj", { suffixLength: 1.5 }), RangeError);
  });
});

Deno.test("getRange slices a 200 answer when the server ignores the range", async () => {
  // A proxy or server that drops Range answers 200 with the whole body.
  const dropRange: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.delete("Range");
    return fetch(input, { ...init, headers });
  };
  await withStore(async (store) => {
    const bytes = randomBytes(300);
    await store.set("/obj", bytes);
    assert.deepEqual(await store.getRange("/obj", { offset: 100, length: 50 }), bytes.subarray(100, 150));
    assert.deepEqual(await store.getRange("/obj", { offset: 250, length: 500 }), bytes.subarray(250));
    assert.deepEqual(await store.getRange("/obj", { suffixLength: 7 }), bytes.subarray(293));
    assert.deepEqual(await store.getRange("/obj", { suffixLength: 999 }), bytes);
    await assert.rejects(store.getRange("/obj", { offset: 301, length: 1 }), RangeNotSatisfiableError);
  }, { fetch: dropRange });
});

Deno.test("awkward key names are stored under exactly their own name", async () => {
  const keys = [
    "/with space/zarr.json",
    "/percent%41/%2E%2E",
    "/hash#frag",
    "/question?x=1",
    "/unicode/é/日本/🦀",
    "/plus+amp&eq=",
    "/a..b/...",
    "/back\\slash",
  ] as const;
  await withStore(async (store) => {
    for (const [i, key] of keys.entries()) await store.set(key, utf8(`value ${i}`));
    for (const [i, key] of keys.entries()) {
      assert.equal(new TextDecoder().decode(await store.get(key)), `value ${i}`, key);
    }
    // The server holds exactly these names (checked with a raw listing).
    const res = await raw("GET", `/${store.container}?format=json`);
    const names = (await res.json() as { name: string }[]).map((e) => e.name).sort();
    assert.deepEqual(names, keys.map((k) => `p${k}`).sort());
    const listed = [];
    for await (const key of store.list()) listed.push(key);
    assert.deepEqual(listed.sort(), [...keys].sort());
    // Dot segments are refused before any request, never stored elsewhere.
    for (const key of ["/a/../b", "/./x", "/a/.."] as const) {
      await assert.rejects(store.set(key, utf8("x")), TypeError);
      assert.throws(() => store.get(key), TypeError);
    }
  }, { prefix: "p" });
});

Deno.test("a read-only store refuses writes with ReadOnlyError and does not create containers", async () => {
  await withStore(async (writer) => {
    await writer.set("/k", utf8("v"));
    const store = await SwiftStore.open({ container: writer.container, auth: tempAuth(), readOnly: true });
    assert.deepEqual(await store.get("/k"), utf8("v"));
    await assert.rejects(store.set("/k", utf8("w")), (err: unknown) => {
      assert.ok(err instanceof ReadOnlyError);
      assert.equal(err.method, "PUT");
      assert.match(err.message, /readOnly: true/);
      return true;
    });
    await assert.rejects(store.delete("/k"), ReadOnlyError);
    await assert.rejects(store.deletePrefix("/"), ReadOnlyError);
    assert.deepEqual(await writer.get("/k"), utf8("v"));
  });
  const missing = uniqueName("absent");
  await assert.rejects(
    SwiftStore.open({ container: missing, auth: tempAuth(), readOnly: true }),
    (err: unknown) => {
      assert.ok(err instanceof ContainerNotFoundError);
      assert.equal(err.status, 404);
      assert.equal(err.path, missing);
      return true;
    },
  );
  await assert.rejects(
    SwiftStore.open({ container: missing, auth: tempAuth(), createContainer: false }),
    ContainerNotFoundError,
  );
  const res = await raw("HEAD", `/${missing}`);
  assert.equal(res.status, 404, "no container was created");
});

Deno.test("open validates its options before any request", async () => {
  const auth = tempAuth();
  await assert.rejects(SwiftStore.open({ container: "a/b", auth }), /without "\/"/);
  await assert.rejects(SwiftStore.open({ container: "", auth }), /non-empty container name/);
  await assert.rejects(SwiftStore.open({ container: "c", auth, prefix: "x/../y" }), /"\." or "\.\."/);
  await assert.rejects(SwiftStore.open({ container: "c", auth, concurrency: 0 }), RangeError);
  await assert.rejects(
    SwiftStore.open({ container: "c", auth, readOnly: true, createContainer: true }),
    /createContainer to be false/,
  );
  // deno-lint-ignore no-explicit-any
  await assert.rejects(SwiftStore.open({ container: "c", auth, prefx: "typo" } as any), /found prefx/);
  await assert.rejects(
    SwiftStore.open({ container: "c", auth, storageOptions: { preauthurl: "http://x/v1/AUTH_x" } }),
    /either auth or storageOptions/,
  );
});

Deno.test("set refuses values that are not bytes", async () => {
  await withStore(async (store) => {
    // deno-lint-ignore no-explicit-any
    await assert.rejects(store.set("/k", "text" as any), /Uint8Array, found string/);
    // deno-lint-ignore no-explicit-any
    await assert.rejects(store.set("/k", [1, 2] as any), /Uint8Array, found Array/);
    assert.equal(await store.has("/k"), false);
  });
});

Deno.test("storageOptions from zarr-swiftstore work: pre-auth and TempAuth forms", async () => {
  const container = uniqueName("so");
  const { storageUrl, token } = await login();
  const pre = await SwiftStore.open({
    container,
    storageOptions: { preauthurl: storageUrl, preauthtoken: token },
  });
  await pre.set("/k", utf8("v"));
  const temp = await SwiftStore.open({
    container,
    storageOptions: { authurl: AUTH_URL, user: "test:tester", key: "testing" },
  });
  assert.deepEqual(await temp.get("/k"), utf8("v"));
  assert.equal(await temp.deletePrefix("/"), 1);
  await (await raw("DELETE", `/${container}`)).body?.cancel();
  assert.ok(!JSON.stringify(pre).includes(token));
  assert.ok(!String(pre).includes(token));
});

Deno.test("errors carry status, method and path", async () => {
  await withStore(async (store) => {
    // Delete the container under the store: a write then has nowhere to go.
    await (await raw("DELETE", `/${store.container}`)).body?.cancel();
    await assert.rejects(store.set("/k", utf8("v")), (err: unknown) => {
      assert.ok(err instanceof ContainerNotFoundError);
      assert.ok(err instanceof SwiftError);
      assert.equal(err.status, 404);
      assert.equal(err.method, "PUT");
      assert.equal(err.path, `${store.container}/k`);
      return true;
    });
  });
});

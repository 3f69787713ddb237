/** Listing, listDir, deletePrefix and the concurrency bound, against the real Swift. */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { SwiftStore } from "../mod.ts";
import { raw, tempAuth, utf8, withStore } from "./_swift.ts";

// More than one listing page (the server's limit is 10,000) and more than one
// bulk-delete request.
const MANY = 10_050;

Deno.test("more than 10,000 objects: listed exactly once each, listDir'd, then bulk-deleted", async () => {
  await withStore(async (store) => {
    const keys = Array.from({ length: MANY }, (_, i) => `/many/${String(i).padStart(5, "0")}` as const);
    const started = performance.now();
    await Promise.all(keys.map((key) => store.set(key, utf8(key))));
    await store.set("/other/x", utf8("x"));
    console.log(`wrote ${MANY + 1} objects in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // Count the listing requests: more than one page must be followed.
    const seen = new Map<string, number>();
    for await (const key of store.list("/many")) seen.set(key, (seen.get(key) ?? 0) + 1);
    assert.equal(seen.size, MANY);
    assert.ok([...seen.values()].every((n) => n === 1), "every key listed exactly once");
    assert.deepEqual([...seen.keys()], keys, "in order");
    // Read from both ends at once: a forward page and a reverse page that meet. Forward
    // only, it would take two full pages and the empty page that ends the listing.
    assert.equal(listRequests(), 2, "one round: a page from each end");

    const all = [];
    for await (const key of store.list()) all.push(key);
    assert.equal(all.length, MANY + 1);

    const children = [];
    for await (const child of store.listDir("/")) children.push(child);
    assert.deepEqual(children, ["many", "other"]);
    const manyChildren = [];
    for await (const child of store.listDir("/many")) manyChildren.push(child);
    assert.equal(manyChildren.length, MANY);

    const t0 = performance.now();
    assert.equal(await store.deletePrefix("/many"), MANY);
    console.log(`bulk-deleted ${MANY} objects in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const left = [];
    for await (const key of store.list()) left.push(key);
    assert.deepEqual(left, ["/other/x"]);
  }, { fetch: countingListings, label: "many" });
});

let listings = 0;
let lastCount = 0;
const countingListings: typeof fetch = (input, init) => {
  if (
    String(input).includes("format=json") && /[?&]prefix=many%2F(&|$)/.test(String(input)) &&
    !String(input).includes("delimiter")
  ) listings++;
  return fetch(input, init);
};
function listRequests(): number {
  const n = listings - lastCount;
  lastCount = listings;
  return n;
}

Deno.test("listDir: objects and sub-prefixes once each, pseudo-folder markers skipped", async () => {
  await withStore(async (store) => {
    for (const key of ["/zarr.json", "/a/zarr.json", "/a/c/0", "/b", "/b/zarr.json", "/c-d/x"] as const) {
      await store.set(key, utf8(key));
    }
    // Marker objects as web UIs create them: "p/" for the dataset itself and "p/e/".
    for (const marker of ["p/", "p/e/"]) {
      const res = await raw("PUT", `/${store.container}/${marker}`, {
        headers: { "Content-Type": "application/directory" },
        body: "",
      });
      assert.equal(res.status, 201);
    }
    const children = [];
    for await (const child of store.listDir()) children.push(child);
    assert.deepEqual(children.sort(), ["a", "b", "c-d", "e", "zarr.json"]);
    const inA = [];
    for await (const child of store.listDir("/a/")) inA.push(child);
    assert.deepEqual(inA.sort(), ["c", "zarr.json"]);
    const keys = [];
    for await (const key of store.list()) keys.push(key);
    assert.ok(!keys.some((key) => key.endsWith("/")), "no marker listed as a key");
    assert.equal(keys.length, 6);
    // deletePrefix removes markers too: the container ends up empty.
    assert.equal(await store.deletePrefix("/"), 8);
    const res = await raw("GET", `/${store.container}?format=json`);
    assert.deepEqual(await res.json(), []);
  }, { prefix: "p" });
});

Deno.test("deletePrefix falls back to one DELETE per object when the cluster has no bulk delete", async () => {
  const methods: string[] = [];
  // A cluster without /info (or without the bulk middleware).
  const noInfo: typeof fetch = (input, init) => {
    const url = String(input);
    if (url.endsWith("/info")) return Promise.resolve(new Response("Not Found", { status: 404 }));
    methods.push(init?.method ?? "GET");
    return fetch(input, init);
  };
  await withStore(async (store) => {
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.set(`/d/${i}`, utf8("x"))));
    await store.set("/keep", utf8("k"));
    methods.length = 0;
    assert.equal(await store.deletePrefix("/d"), 25);
    assert.equal(methods.filter((m) => m === "DELETE").length, 25);
    assert.equal(methods.filter((m) => m === "POST").length, 0);
    assert.equal(await store.has("/keep"), true);
  }, { fetch: noInfo });
});

Deno.test("deletePrefix uses concurrent bulk requests of 100 to 1,000 names", async () => {
  const bodies: number[] = [];
  const spy: typeof fetch = (input, init) => {
    if (String(input).endsWith("?bulk-delete")) bodies.push(String(init?.body).split("\n").length);
    return fetch(input, init);
  };
  await withStore(async (store) => {
    await Promise.all(Array.from({ length: 2500 }, (_, i) => store.set(`/d/${i}`, utf8("x"))));
    assert.equal(await store.deletePrefix("/d"), 2500);
    // 2,500 names at concurrency 5: five requests of 500, all within the bounds.
    assert.deepEqual(bodies, [500, 500, 500, 500, 500]);
    assert.equal(await store.deletePrefix("/d"), 0);
  }, { fetch: spy, concurrency: 5 });
});

Deno.test("the store bounds requests in flight even when zarrita starts them all at once", async () => {
  let inFlight = 0;
  let peak = 0;
  const observing: typeof fetch = async (input, init) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    try {
      const res = await fetch(input, init);
      // Count until the body is read: a slot is held for the whole exchange.
      const body = await res.arrayBuffer();
      return new Response(init?.method === "HEAD" ? null : body, res);
    } finally {
      inFlight--;
    }
  };
  await withStore(async (store) => {
    const arr = await zarr.create(zarr.root(store).resolve("a"), {
      shape: [100],
      chunkShape: [1],
      dtype: "int32",
    });
    peak = 0;
    await zarr.set(arr, null, {
      data: Int32Array.from({ length: 100 }, (_, i) => i),
      shape: [100],
      stride: [1],
    });
    assert.equal(peak, 5, "writes: exactly the bound, reached");
    peak = 0;
    const reader = await SwiftStore.open({
      container: store.container,
      auth: tempAuth(),
      concurrency: 3,
      fetch: observing,
    });
    const { data } = await zarr.get(await zarr.open(zarr.root(reader).resolve("a"), { kind: "array" }));
    assert.deepEqual([...(data as Int32Array)], Array.from({ length: 100 }, (_, i) => i));
    assert.equal(peak, 3, "reads: exactly the bound, reached");
  }, { fetch: observing, concurrency: 5 });
});

Deno.test("a bulk delete that outlasts the timeout completes while the server reports progress", async () => {
  const events: string[] = [];
  const durations: number[] = [];
  // Time each bulk request from sending to the end of its answer.
  const timing: typeof fetch = async (input, init) => {
    const started = performance.now();
    const res = await fetch(input, init);
    if (!String(input).endsWith("?bulk-delete") || !res.body) return res;
    // Pass the body through as it streams; note when it ends.
    const body = res.body.pipeThrough(
      new TransformStream({ flush: () => void durations.push(performance.now() - started) }),
    );
    return new Response(body, res);
  };
  await withStore(async (store) => {
    await Promise.all(Array.from({ length: 3000 }, (_, i) => store.set(`/d/${i}`, utf8("x"))));
    const slow = await SwiftStore.open({
      container: store.container,
      auth: tempAuth(),
      concurrency: 2, // two 1,000-name requests at a time share the server: each takes seconds
      timeout: 2000,
      fetch: timing,
      onRetry: (e) => events.push(e.error.message),
    });
    assert.equal(await slow.deletePrefix("/d"), 3000);
    console.log(
      `bulk requests took ${durations.map((d) => (d / 1000).toFixed(1)).join(", ")} s with a 2 s timeout`,
    );
    assert.deepEqual(events, [], "no request timed out");
    assert.ok(Math.max(...durations) > 2000, "a request really outlasted the timeout");
  });
});

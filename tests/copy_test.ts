/**
 * The library side of the movers' toolkit (issue 16) against the real Swift:
 * server-side copies (`copyObject`: plain, SLO as its manifest, SLO with its
 * segments, from another account through its ACL), object metadata updates
 * (`updateObject`: merge, replace, removals), headers on writes (`WriteOptions`,
 * `LargeObjectOptions.headers`), and listing another account (`otherAccount`).
 */
import assert from "node:assert/strict";
import {
  ContainerNotFoundError,
  copyObject,
  otherAccount,
  SwiftContainer,
  SwiftStore,
  updateObject,
  uploadLargeObject,
} from "../mod.ts";
import { dropAll, md5, MiB } from "./_movers.ts";
import { raw, tempAuth, uniqueName } from "./_swift.ts";

const text = (s: string) => new TextEncoder().encode(s);

async function open(container: string, who: "tester" | "tester3" = "tester"): Promise<SwiftContainer> {
  return await SwiftContainer.open({ container, auth: tempAuth(who) });
}

Deno.test("copyObject copies on the server: content, type, metadata and expiry come along; headers add", async () => {
  const a = uniqueName("cpa");
  const b = uniqueName("cpb");
  try {
    const src = await open(a);
    const dst = await open(b);
    const body = text("hello, copies");
    await src.put("d/x.txt", body, {
      contentType: "text/csv",
      headers: { "X-Object-Meta-Origin": "model", "X-Delete-After": "3600", "Content-Disposition": "inline" },
    });
    const copied = await copyObject(dst, "e/y.txt", "d/x.txt", {
      fromContainer: a,
      headers: { "X-Object-Meta-Stage": "copied" },
    });
    assert.deepEqual(copied, { etag: md5(body), segmentsCopied: 0 });
    const head = (await dst.stat("e/y.txt"))!;
    assert.equal(head.contentType, "text/csv");
    assert.equal(head.headers.get("X-Object-Meta-Origin"), "model");
    assert.equal(head.headers.get("X-Object-Meta-Stage"), "copied");
    assert.equal(head.headers.get("Content-Disposition"), "inline");
    assert.equal(head.headers.get("X-Delete-At"), (await src.stat("d/x.txt"))!.headers.get("X-Delete-At"));
    assert.deepEqual(await dst.get("e/y.txt"), body);
    // Fresh metadata: the source's is left behind.
    await copyObject(dst, "e/fresh.txt", "d/x.txt", { fromContainer: a, freshMetadata: true });
    assert.equal((await dst.stat("e/fresh.txt"))!.headers.get("X-Object-Meta-Origin"), null);
    // A missing source is undefined; a missing destination container an error.
    assert.equal(await copyObject(dst, "e/none", "d/missing", { fromContainer: a }), undefined);
    const gone = await SwiftContainer.open({ container: uniqueName("cpgone"), auth: tempAuth() });
    await (await raw("DELETE", `/${gone.name}`)).body?.cancel();
    await assert.rejects(copyObject(gone, "x", "d/x.txt", { fromContainer: a }), ContainerNotFoundError);
  } finally {
    await dropAll([a, b]);
  }
});

Deno.test("copyObject keeps a Static Large Object a manifest over the same segments, or copies them when asked", async () => {
  const a = uniqueName("cpslo");
  try {
    const store = await SwiftStore.open({ container: a, auth: tempAuth() });
    const bytes = crypto.getRandomValues(new Uint8Array(60_000));
    await uploadLargeObject(store, "/big.bin", new Blob([bytes]), { segmentSize: 25_000 });
    const container = store.swiftContainer;
    const segmentsBefore = (await open(`${a}_segments`).then(async (c) =>
      await Array.fromAsync(c.list())
    )).length;
    assert.equal(segmentsBefore, 3);

    await copyObject(container, "shared.bin", "big.bin");
    const source = await container.largeObjectSegments("big.bin");
    assert.deepEqual(await container.largeObjectSegments("shared.bin"), source, "the same segments");
    assert.deepEqual(await container.get("shared.bin"), bytes);
    const segs = await open(`${a}_segments`);
    assert.equal((await Array.fromAsync(segs.list())).length, 3, "no segment duplicated");

    const own = await copyObject(container, "own.bin", "big.bin", {
      copySegments: true,
      headers: { "X-Object-Meta-K": "v" },
    });
    assert.equal(own?.segmentsCopied, 3);
    const ownSegments = (await container.largeObjectSegments("own.bin"))!;
    assert.deepEqual(ownSegments.map((s) => [s.size, s.etag]), source!.map((s) => [s.size, s.etag]));
    assert.ok(
      ownSegments.every((s) => s.path.startsWith(`/${a}_segments/own.bin/slo/`)),
      ownSegments[0].path,
    );
    assert.deepEqual(await container.get("own.bin"), bytes);
    assert.equal((await container.stat("own.bin"))!.headers.get("X-Object-Meta-K"), "v");
    // The source goes with its own segments: the shared copy breaks, the own copy stays whole.
    await container.delete("big.bin");
    assert.deepEqual(await container.get("own.bin"), bytes);
    assert.equal((await Array.fromAsync(segs.list())).length, 3, "only own.bin's segments are left");
  } finally {
    await dropAll([a]);
  }
});

Deno.test("copyObject from another account, where its ACL lets the user read; otherAccount lists it", async () => {
  const theirs = uniqueName("xacct");
  const mine = uniqueName("xmine");
  const them = await open(theirs, "tester3");
  try {
    await them.put("data/a.txt", text("from account test2"));
    const account = new URL((await tempAuth("tester3").credentials()).storageUrl).pathname.split("/").pop()!;
    const dst = await open(mine);
    // Without a grant, the server refuses.
    await assert.rejects(
      copyObject(dst, "a.txt", "data/a.txt", { fromContainer: theirs, fromAccount: account }),
    );
    await them.updateMetadata({ "X-Container-Read": "test:tester" });
    await copyObject(dst, "a.txt", "data/a.txt", { fromContainer: theirs, fromAccount: account });
    assert.deepEqual(await dst.get("a.txt"), text("from account test2"));
    const reader = await SwiftContainer.open({
      container: theirs,
      readOnly: true,
      auth: otherAccount(tempAuth(), account),
    });
    assert.deepEqual((await Array.fromAsync(reader.list())).map((e) => "name" in e && e.name), [
      "data/a.txt",
    ]);
  } finally {
    await them.deletePrefix("");
    await (await raw("DELETE", `/${theirs}`, { who: "tester3" })).body?.cancel();
    await dropAll([mine]);
  }
});

Deno.test("updateObject merges by default (Swift's POST alone drops what it is not sent), replaces when asked", async () => {
  const a = uniqueName("post");
  try {
    const c = await open(a);
    await c.put("o", text("x"), {
      contentType: "text/plain",
      headers: {
        "X-Object-Meta-A": "1",
        "X-Object-Meta-B": "2",
        "Content-Disposition": "attachment",
        "X-Delete-After": "3600",
      },
    });
    const deleteAt = (await c.stat("o"))!.headers.get("X-Delete-At");
    await updateObject(c, "o", {
      "X-Object-Meta-C": "3",
      "X-Object-Meta-B": "",
      "X-Remove-Object-Meta-A": "x",
    });
    let h = (await c.stat("o"))!.headers;
    assert.deepEqual([h.get("X-Object-Meta-A"), h.get("X-Object-Meta-B"), h.get("X-Object-Meta-C")], [
      null,
      null,
      "3",
    ]);
    assert.equal(h.get("Content-Disposition"), "attachment");
    assert.equal(h.get("X-Delete-At"), deleteAt);
    assert.equal(h.get("Content-Type"), "text/plain");
    await updateObject(c, "o", { "X-Remove-Delete-At": "1" });
    assert.equal((await c.stat("o"))!.headers.get("X-Delete-At"), null);
    await updateObject(c, "o", { "X-Object-Meta-D": "4" }, { replace: true });
    h = (await c.stat("o"))!.headers;
    assert.deepEqual([h.get("X-Object-Meta-C"), h.get("X-Object-Meta-D"), h.get("Content-Disposition")], [
      null,
      "4",
      null,
    ]);
    assert.equal(await updateObject(c, "missing", { "X-Object-Meta-E": "5" }), undefined);
  } finally {
    await dropAll([a]);
  }
});

Deno.test("writes carry headers: set, setStream, and a large object's manifest (its segments get the expiry)", async () => {
  const a = uniqueName("wh");
  try {
    const store = await SwiftStore.open({ container: a, auth: tempAuth() });
    const headers = { "X-Object-Meta-Run": "42", "X-Delete-After": "600" };
    await store.set("/a.json", text("{}"), { headers, contentType: "text/x-json" });
    await store.setStream("/b.bin", () => new Blob([new Uint8Array(10)]).stream(), { size: 10, headers });
    await uploadLargeObject(store, "/c.bin", new Blob([new Uint8Array(2 * MiB)]), {
      segmentSize: MiB,
      headers,
    });
    for (const key of ["/a.json", "/b.bin", "/c.bin"] as const) {
      const info = (await store.stat(key))!;
      assert.equal(info.metadata.run, "42", key);
      assert.ok(info.deleteAt && info.deleteAt.getTime() > Date.now(), key);
    }
    assert.equal((await store.stat("/a.json"))!.contentType, "text/x-json");
    const segments = (await store.swiftContainer.largeObjectSegments("c.bin"))!;
    const segs = await open(`${a}_segments`);
    for (const s of segments) {
      const head = await segs.stat(s.path.slice(`/${a}_segments/`.length));
      assert.ok(head?.headers.get("X-Delete-At"), `segment ${s.path} expires too`);
    }
  } finally {
    await dropAll([a]);
  }
});

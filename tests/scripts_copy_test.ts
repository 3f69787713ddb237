/**
 * cp.ts and mv.ts (issue 16, item 4), as subprocesses against the real Swift through
 * a proxy that records every request with its body bytes: a prefix of 1,000 objects
 * and a Static Large Object copied with no object byte through the client, into a
 * container created on the way; the large object stays a manifest over the same
 * segments; `mv` deletes the sources only once every copy succeeded; one object,
 * another account, `--copy-segments`; python-swiftclient sees the copies.
 */
import assert from "node:assert/strict";
import { Limiter, SwiftContainer, uploadLargeObject } from "../mod.ts";
import { FaultProxy } from "./_fault_proxy.ts";
import {
  containerExists,
  countingProxy,
  dropAll,
  envThrough,
  md5,
  MiB,
  names,
  storeOver,
  swiftCli,
} from "./_movers.ts";
import { script, summary } from "./_scripts.ts";
import { AUTH_URL, randomBytes, raw, tempAuth, uniqueName } from "./_swift.ts";

const OBJECTS = 1000;
const SIZE = 8 * 1024;

Deno.test("cp.ts copies a prefix of 1,000 objects and a large object on the server: no object byte through the client", async () => {
  const a = uniqueName("cpsrc");
  const b = uniqueName("cpdst"); // does not exist yet: cp.ts creates it
  const proxy = await countingProxy();
  try {
    const src = await storeOver(a, "run");
    const bodies = new Map<string, string>();
    await new Limiter(32).each(Array.from({ length: OBJECTS }, (_, i) => i), async (i) => {
      const body = randomBytes(SIZE);
      const key = `/c/${String(i).padStart(4, "0")}` as const;
      bodies.set(key, md5(body));
      await src.set(key, body);
    });
    const big = randomBytes(3 * MiB + 99);
    await uploadLargeObject(src, "/big.bin", new Blob([big]), { segmentSize: MiB });
    const segmentsBefore = await names(`${a}_segments`);
    assert.equal(segmentsBefore.length, 4);
    const objectBytes = OBJECTS * SIZE + big.length;

    const ran = await script("cp", ["--json", `${a}/run`, `${b}/archive/run`], {
      env: envThrough(proxy),
      limit: 120_000,
    });
    assert.equal(ran.code, 0, ran.stderr);
    assert.deepEqual([summary(ran).copied, summary(ran).failed, summary(ran).bytes], [
      OBJECTS + 1,
      0,
      objectBytes,
    ]);
    assert.ok(await containerExists(b), "the destination container was created");

    // At the proxy: every PUT had an empty body, no object was read, few bytes came back.
    const puts = proxy.traffic.filter((e) => e.method === "PUT");
    assert.equal(puts.length, OBJECTS + 2, "one PUT per object, and one for the new container");
    assert.equal(puts.reduce((n, e) => n + e.requestBytes, 0), 0, "no byte sent");
    const objectReads = proxy.traffic.filter((e) =>
      e.method === "GET" && new URL(e.url, "http://x").pathname.split("/").length > 4
    );
    assert.deepEqual(objectReads.map((e) => e.url), [], "no object read");
    const received = proxy.traffic.reduce((n, e) => n + e.responseBytes, 0);
    const sent = proxy.traffic.reduce((n, e) => n + e.requestBytes, 0);
    assert.ok(
      received + sent < objectBytes / 20,
      `${received + sent} bytes through the proxy for ${objectBytes} copied`,
    );

    // The copies are exact; the large object is a manifest over the same segments.
    const dst = await storeOver(b, "archive/run");
    assert.deepEqual((await Array.fromAsync(dst.list())).length, OBJECTS + 1);
    for (const key of ["/c/0000", "/c/0500", "/c/0999"] as const) {
      assert.equal(md5((await dst.get(key))!), bodies.get(key));
    }
    const head = (await dst.swiftContainer.stat("archive/run/big.bin"))!;
    assert.equal(head.headers.get("X-Static-Large-Object"), "True");
    assert.deepEqual(
      await dst.swiftContainer.largeObjectSegments("archive/run/big.bin"),
      await src.swiftContainer.largeObjectSegments("run/big.bin"),
    );
    assert.deepEqual(await names(`${a}_segments`), segmentsBefore, "no segment duplicated");
    assert.equal(await containerExists(`${b}_segments`), false);
    assert.equal(md5((await dst.get("/big.bin"))!), md5(big));
    // python-swiftclient lists the copies as written.
    const listed = (await swiftCli(["list", b, "--prefix", "archive/run/"])).trim().split("\n");
    assert.equal(listed.length, OBJECTS + 1);
    assert.ok(listed.includes("archive/run/big.bin"));
  } finally {
    await proxy.close();
    await dropAll([a, b]);
  }
});

Deno.test("cp.ts: one object to a name, to a container, under a prefix; --copy-segments; headers; refusals", async () => {
  const a = uniqueName("cp1");
  const b = uniqueName("cp1d");
  try {
    const src = await storeOver(a);
    await src.set("/d/x.txt", new TextEncoder().encode("one"));
    await uploadLargeObject(src, "/d/big.bin", new Blob([randomBytes(2 * MiB + 5)]), { segmentSize: MiB });
    await storeOver(b);
    assert.equal((await script("cp", [`${a}/d/x.txt`, `${b}/y.txt`])).code, 0);
    assert.equal((await script("cp", [`${a}/d/x.txt`, b])).code, 0);
    assert.equal((await script("cp", [`${a}/d/x.txt`, `${b}/under/`])).code, 0);
    assert.deepEqual(await names(b), ["d/x.txt", "under/x.txt", "y.txt"]);

    const own = await script("cp", [
      "--json",
      "--copy-segments",
      "-m",
      "stage:archived",
      "--delete-after",
      "1d",
      `${a}/d/big.bin`,
      `${b}/big.bin`,
    ]);
    assert.equal(own.code, 0, own.stderr);
    assert.equal(summary(own).segments_copied, 3);
    assert.equal((await names(`${b}_segments`)).filter((n) => n.startsWith("big.bin/slo/")).length, 3);
    const stat = await swiftCli(["stat", b, "big.bin"]);
    assert.match(stat, /Meta Stage: archived/);
    assert.match(stat, /X-Delete-At: \d+/);

    assert.equal((await script("cp", [`${a}/d`, `${a}/d/inside`])).code, 2, "into itself");
    assert.equal((await script("cp", [`${a}/d/x.txt`, `${a}/d/x.txt`])).code, 2, "onto itself");
    const none = await script("cp", [`${a}/nothing`, `${b}/x`]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no object .*nothing/);
  } finally {
    await dropAll([a, b]);
  }
});

Deno.test("cp.ts --from-account copies what another account's ACL lets the user read", async () => {
  const theirs = uniqueName("cpx");
  const mine = uniqueName("cpxm");
  const them = await SwiftContainer.open({ container: theirs, auth: tempAuth("tester3") });
  try {
    await them.put("data/a.txt", new TextEncoder().encode("shared a"));
    await them.put("data/b.txt", new TextEncoder().encode("shared b"));
    await them.updateMetadata({ "X-Container-Read": "test:tester" });
    const account = new URL((await tempAuth("tester3").credentials()).storageUrl).pathname.split("/").pop()!;
    const ran = await script("cp", ["--json", "--from-account", account, `${theirs}/data`, `${mine}/copy`]);
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(summary(ran).copied, 2);
    assert.deepEqual(await names(mine), ["copy/a.txt", "copy/b.txt"]);
  } finally {
    await them.deletePrefix("");
    await (await raw("DELETE", `/${theirs}`, { who: "tester3" })).body?.cancel();
    await dropAll([mine]);
  }
});

Deno.test("mv.ts deletes the sources only once every copy succeeded; a large object moves as its manifest", async () => {
  const a = uniqueName("mv");
  const b = uniqueName("mvd");
  const proxy = await FaultProxy.start(new URL(AUTH_URL).origin, { status503: 1 });
  try {
    const src = await storeOver(a, "p");
    for (let i = 0; i < 20; i++) await src.set(`/o${i}`, new TextEncoder().encode(`object ${i}`));
    const big = randomBytes(2 * MiB + 7);
    await uploadLargeObject(src, "/big.bin", new Blob([big]), { segmentSize: MiB });
    const before = await names(a);

    // One copy fails (503 at the proxy, no retries): nothing is deleted.
    proxy.filter = (method, url) => method === "PUT" && new URL(url, "http://x").pathname.endsWith("/q/o7");
    const failed = await script("mv", ["--json", "--retries", "0", `${a}/p`, `${b}/q`], {
      env: envThrough(proxy),
    });
    assert.equal(failed.code, 1, failed.stderr);
    assert.deepEqual([summary(failed).copied, summary(failed).failed, summary(failed).deleted], [20, 1, 0]);
    assert.match(failed.stderr, /nothing deleted/);
    assert.deepEqual(await names(a), before);

    proxy.filter = () => false;
    const moved = await script("mv", ["--json", `${a}/p`, `${b}/q`], { env: envThrough(proxy) });
    assert.equal(moved.code, 0, moved.stderr);
    assert.deepEqual([summary(moved).copied, summary(moved).deleted], [21, 21]);
    assert.deepEqual(await names(a), []);
    assert.equal((await names(b)).length, 21);
    assert.equal((await names(`${a}_segments`)).length, 3, "the moved manifest's segments stay");
    const dst = await storeOver(b, "q");
    assert.equal(md5((await dst.get("/big.bin"))!), md5(big));
    assert.match(moved.stderr, /moved as manifests/);
  } finally {
    await proxy.close();
    await dropAll([a, b]);
  }
});

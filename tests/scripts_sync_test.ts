/**
 * sync.ts and check.ts (issue 16, items 1 and 2), as subprocesses against the real
 * Swift, some through a proxy that records every request: a tree mirrored up and
 * down after files were added, changed and removed; `--dry-run` prints the plan with
 * counts and bytes and changes nothing; a failed transfer (injected at the proxy)
 * deletes nothing; `check.ts` finds one flipped byte, in a plain object and in a
 * large one, and what only one side has.
 */
import assert from "node:assert/strict";
import { FaultProxy } from "./_fault_proxy.ts";
import {
  countingProxy,
  dropAll,
  envThrough,
  md5,
  MiB,
  names,
  readTree,
  storeOver,
  writes,
  writeTree,
} from "./_movers.ts";
import { script, summary } from "./_scripts.ts";
import { AUTH_URL, randomBytes, uniqueName } from "./_swift.ts";

/** A tree of small files in nested directories and one file larger than 1 MiB (a large object). */
function tree(): Record<string, Uint8Array | string> {
  const files: Record<string, Uint8Array | string> = {
    "zarr.json": '{"zarr_format":3,"node_type":"group"}',
    "big.bin": randomBytes(3 * MiB + 4321),
  };
  for (let i = 0; i < 12; i++) files[`t/c/${i % 3}/${i}`] = randomBytes(100 + i);
  return files;
}

/** The objects under `prefix/` as relative path → MD5 (read back through the library). */
async function remoteTree(container: string, prefix: string): Promise<Map<string, string>> {
  const store = await storeOver(container, prefix);
  const out = new Map<string, string>();
  for await (const key of store.list()) out.set(key.slice(1), md5((await store.get(key))!));
  return out;
}

function md5s(files: Map<string, Uint8Array> | Record<string, Uint8Array | string>): Map<string, string> {
  const entries = files instanceof Map ? [...files] : Object.entries(files);
  return new Map(
    entries.map(([k, v]) =>
      [k, md5(typeof v === "string" ? new TextEncoder().encode(v) : v)] as [string, string]
    )
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

const sorted = (m: Map<string, string>) => new Map([...m].sort(([a], [b]) => (a < b ? -1 : 1)));

Deno.test("sync.ts --delete mirrors a tree up and down after files were added, changed and removed", async () => {
  const c = uniqueName("sync");
  const dir = await Deno.makeTempDir({ prefix: "zs-sync-" });
  const proxy = await countingProxy();
  try {
    const files = tree();
    await writeTree(`${dir}/up`, files);
    const first = await script("sync", ["--json", "--segment-size", "1M", `${dir}/up`, `${c}/run`]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(summary(first).transferred, Object.keys(files).length);
    assert.deepEqual(sorted(await remoteTree(c, "run")), md5s(files));
    assert.equal((await names(`${c}_segments`)).length, 4, "big.bin went up in 4 segments of 1 MiB");

    // Nothing changed: nothing is sent (sizes, then MD5s, the large object segment by segment).
    const again = await script("sync", ["--json", "--segment-size", "1M", `${dir}/up`, `${c}/run`], {
      env: envThrough(proxy),
    });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual([summary(again).transferred, summary(again).same], [0, Object.keys(files).length]);
    assert.deepEqual(writes(proxy), []);

    // Added, changed (same size, other size, one byte of the large file), removed.
    const big = files["big.bin"] as Uint8Array;
    big[2 * MiB + 17] ^= 0xff;
    await Deno.writeFile(`${dir}/up/big.bin`, big);
    const same = (files["t/c/0/0"] as Uint8Array).slice();
    same[5] ^= 1;
    files["t/c/0/0"] = same;
    files["t/c/1/1"] = randomBytes(999);
    files["new/a.txt"] = "added";
    files["new/b.txt"] = "added too";
    await writeTree(`${dir}/up`, {
      "t/c/0/0": same,
      "t/c/1/1": files["t/c/1/1"],
      "new/a.txt": "added",
      "new/b.txt": "added too",
    });
    const removed = ["t/c/2/2", "t/c/2/5", "zarr.json"];
    let removedBytes = 0;
    for (const rel of removed) {
      removedBytes += (await Deno.stat(`${dir}/up/${rel}`)).size;
      await Deno.remove(`${dir}/up/${rel}`);
      delete files[rel];
    }

    const before = proxy.traffic.length;
    const dry = await script("sync", [
      "--json",
      "--dry-run",
      "--delete",
      "--segment-size",
      "1M",
      `${dir}/up`,
      `${c}/run`,
    ], {
      env: envThrough(proxy),
    });
    assert.equal(dry.code, 0, dry.stderr);
    const plan = summary(dry) as unknown as {
      transfer: number;
      transfer_bytes: number;
      delete: number;
      delete_bytes: number;
      transfers: { path: string; reason: string }[];
      deletes: { path: string }[];
    };
    assert.deepEqual(plan.transfers.map((x) => `${x.path}:${x.reason}`), [
      "big.bin:content",
      "new/a.txt:missing",
      "new/b.txt:missing",
      "t/c/0/0:content",
      "t/c/1/1:size",
    ]);
    const changedBytes = ["big.bin", "new/a.txt", "new/b.txt", "t/c/0/0", "t/c/1/1"]
      .reduce((n, rel) => n + Deno.statSync(`${dir}/up/${rel}`).size, 0);
    assert.deepEqual([plan.transfer, plan.transfer_bytes], [5, changedBytes]);
    assert.deepEqual([plan.delete, plan.delete_bytes, plan.deletes.map((d) => d.path)], [
      3,
      removedBytes,
      removed,
    ]);
    assert.deepEqual(writes(proxy), [], "a dry run changes nothing");
    assert.ok(proxy.traffic.length > before);

    const mirror = await script("sync", [
      "--json",
      "--delete",
      "--segment-size",
      "1M",
      `${dir}/up`,
      `${c}/run`,
    ]);
    assert.equal(mirror.code, 0, mirror.stderr);
    assert.deepEqual([summary(mirror).transferred, summary(mirror).deleted], [5, 3]);
    assert.deepEqual(sorted(await remoteTree(c, "run")), md5s(files));

    // Down into an empty directory, then again after the container changed.
    const down = await script("sync", ["--json", `${c}/run`, `${dir}/down`]);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(md5s(await readTree(`${dir}/down`)), md5s(files));
    const store = await storeOver(c, "run");
    await store.set("/new/a.txt", new TextEncoder().encode("changed in Swift"));
    await store.delete("/new/b.txt");
    await store.set("/new/c.txt", new TextEncoder().encode("new in Swift"));
    await writeTree(`${dir}/down`, { "local-only.txt": "not in the source" });
    const back = await script("sync", ["--json", "--delete", `${c}/run`, `${dir}/down`]);
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual([summary(back).transferred, summary(back).deleted], [2, 2]);
    assert.deepEqual(md5s(await readTree(`${dir}/down`)), sorted(await remoteTree(c, "run")));
  } finally {
    await proxy.close();
    await dropAll([c]);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sync.ts deletes nothing when one transfer fails, either way (a 503 injected at the proxy)", async () => {
  const c = uniqueName("syncfail");
  const dir = await Deno.makeTempDir({ prefix: "zs-syncfail-" });
  const proxy = await FaultProxy.start(new URL(AUTH_URL).origin, { status503: 1 });
  try {
    const store = await storeOver(c, "p");
    await store.set("/extra-1", new Uint8Array([1]));
    await store.set("/extra-2", new Uint8Array([2]));
    await writeTree(`${dir}/up`, { "ok.txt": "fine", "fails.bin": "this one", "sub/ok2.txt": "fine too" });
    proxy.filter = (method, url) => method === "PUT" && url.includes("fails.bin");
    const up = await script("sync", ["--json", "--delete", "--retries", "0", `${dir}/up`, `${c}/p`], {
      env: envThrough(proxy),
    });
    assert.equal(up.code, 1, up.stderr);
    assert.match(up.stderr, /fails\.bin/);
    assert.match(up.stderr, /nothing deleted/);
    assert.deepEqual([summary(up).transferred, summary(up).failed, summary(up).deleted], [2, 1, 0]);
    assert.deepEqual(await names(c, "p/"), ["p/extra-1", "p/extra-2", "p/ok.txt", "p/sub/ok2.txt"]);

    // Down: one GET fails; the local file the source lacks stays.
    await store.set("/fails.bin", new Uint8Array(10));
    await writeTree(`${dir}/down`, { "local-extra.txt": "keep me" });
    proxy.filter = (method, url) => method === "GET" && url.includes("fails.bin");
    const down = await script("sync", ["--json", "--delete", "--retries", "0", `${c}/p`, `${dir}/down`], {
      env: envThrough(proxy),
    });
    assert.equal(down.code, 1, down.stderr);
    assert.equal(summary(down).failed, 1);
    assert.deepEqual(
      [...(await readTree(`${dir}/down`)).keys()].sort(),
      ["extra-1", "extra-2", "local-extra.txt", "ok.txt", "sub/ok2.txt"],
    );
  } finally {
    await proxy.close();
    await dropAll([c]);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sync.ts refuses an empty source, and a pair with no local side or two", async () => {
  const c = uniqueName("syncuse");
  const dir = await Deno.makeTempDir({ prefix: "zs-syncuse-" });
  try {
    await storeOver(c);
    const empty = await script("sync", ["--delete", dir, `${c}/p`]);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /nothing to sync/);
    assert.equal((await script("sync", [`${c}/a`, `${c}/b`])).code, 2);
    assert.equal((await script("sync", [dir, dir])).code, 2);
    assert.equal(
      (await script("sync", ["--delete-after", "1h", `${c}/p`, `${dir}/x`])).code,
      2,
      "headers: up only",
    );
  } finally {
    await dropAll([c]);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("check.ts finds one flipped byte (a plain object and a large one) and what only one side has; exit 1", async () => {
  const c = uniqueName("check");
  const dir = await Deno.makeTempDir({ prefix: "zs-check-" });
  try {
    const files = tree();
    await writeTree(dir, files);
    assert.equal((await script("upload", ["--segment-size", "1M", dir, `${c}/run`])).code, 0);
    const clean = await script("check", ["--json", dir, `${c}/run`]);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.equal(summary(clean).same, Object.keys(files).length);

    // One byte flipped in a small file: same size, different MD5.
    const flipped = (files["t/c/1/4"] as Uint8Array).slice();
    flipped[50] ^= 0x01;
    await Deno.writeFile(`${dir}/t/c/1/4`, flipped);
    const one = await script("check", ["--json", dir, `${c}/run`]);
    assert.equal(one.code, 1);
    const found = summary(one) as unknown as Record<string, unknown>;
    assert.deepEqual(found.differ, [{ path: "t/c/1/4", reason: "content" }]);
    assert.deepEqual([found.only_local, found.only_remote], [[], []]);

    // One byte in the large object's third segment; a local-only file; a remote-only object.
    const big = files["big.bin"] as Uint8Array;
    big[2 * MiB + 1] ^= 0x80;
    await Deno.writeFile(`${dir}/big.bin`, big);
    await Deno.writeTextFile(`${dir}/only-here.txt`, "local");
    await (await storeOver(c, "run")).set("/only-there.txt", new TextEncoder().encode("remote"));
    const many = await script("check", ["--json", dir, `${c}/run`]);
    assert.equal(many.code, 1);
    const all = summary(many) as unknown as Record<string, unknown>;
    assert.deepEqual(all.differ, [{ path: "big.bin", reason: "content" }, {
      path: "t/c/1/4",
      reason: "content",
    }]);
    assert.deepEqual([all.only_local, all.only_remote], [["only-here.txt"], ["only-there.txt"]]);
    const human = await script("check", [dir, `${c}/run`]);
    assert.equal(human.code, 1);
    assert.match(human.stdout, /^differs \(MD5\): big\.bin$/m);
    assert.match(human.stdout, /^only local: only-here\.txt$/m);
    assert.match(human.stdout, new RegExp(`^only in ${c}/run: only-there\\.txt$`, "m"));
    assert.match(human.stdout, /DIFFERENT: /);
  } finally {
    await dropAll([c]);
    await Deno.remove(dir, { recursive: true });
  }
});

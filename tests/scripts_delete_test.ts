/**
 * Deleting with the scripts (issue 12, items 2 and 5), as subprocesses against the
 * real Swift: `rm.ts` of a large object and `rm.ts -r` leave no segment behind
 * (`--keep-segments` keeps them; segments a manifest points at elsewhere are kept
 * and reported); `upload.ts --delete` removes the objects whose files are gone, only
 * after a complete upload, and plain upload never deletes.
 */
import assert from "node:assert/strict";
import { SwiftStore } from "../mod.ts";
import { hostileTest, md5 } from "./_hostile.ts";
import { scopedContainer, scopedTempDir } from "./_movers.ts";
import { script, summary } from "./_scripts.ts";
import { randomBytes, raw, tempAuth, utf8 } from "./_swift.ts";

const MiB = 1 << 20;

/** Object names in `container` (none when it does not exist). */
async function names(container: string): Promise<string[]> {
  const res = await raw("GET", `/${encodeURIComponent(container)}?format=json&limit=10000`);
  if (res.status === 404) {
    await res.body?.cancel();
    return [];
  }
  assert.equal(res.status, 200);
  return (await res.json() as { name: string }[]).map((e) => e.name);
}

hostileTest(
  "rm.ts of a large object and rm.ts -r leave 0 segments; --keep-segments keeps them",
  async (t) => {
    const c = scopedContainer(t, "rm-slo");
    const dir = await scopedTempDir(t, "zs-del-");
    const sizes = { "big1.bin": 3 * MiB + 5000, "sub/big2.bin": 2 * MiB + 17, "small.txt": 10 };
    await Deno.mkdir(`${dir}/sub`);
    for (const [name, size] of Object.entries(sizes)) {
      await Deno.writeFile(
        `${dir}/${name}`,
        randomBytes(size),
      );
    }
    const up = await script("upload", ["--json", "--segment-size", "1M", dir, c]);
    assert.equal(up.code, 0, up.stderr);
    // Segments per large object, from the sizes: ceil(size / 1 MiB).
    const big1 = Math.ceil(sizes["big1.bin"] / MiB);
    const big2 = Math.ceil(sizes["sub/big2.bin"] / MiB);
    assert.equal((await names(`${c}_segments`)).length, big1 + big2);

    const one = await script("rm", ["--json", `${c}/big1.bin`]);
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(
      { deleted: summary(one).deleted, not_found: summary(one).not_found, kept: summary(one).kept_segments },
      { deleted: 1 + big1, not_found: 0, kept: 0 },
    );
    const left = await names(`${c}_segments`);
    assert.equal(left.length, big2, "only big2's segments are left");
    assert.ok(left.every((n) => n.startsWith("sub/big2.bin/")), left.join(", "));

    const all = await script("rm", ["--recursive", "--yes", c]);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(
      all.stdout.trim(),
      `deleted ${2 + big2} objects under ${c} (${big2} of them segments of large objects)`,
    );
    assert.deepEqual(await names(c), []);
    assert.deepEqual(await names(`${c}_segments`), [], "rm.ts -r left segments");

    // --keep-segments: the manifest goes, its segments stay.
    assert.equal((await script("upload", ["--segment-size", "1M", dir, c])).code, 0);
    const kept = await script("rm", ["--keep-segments", "--json", `${c}/big1.bin`]);
    assert.equal(summary(kept).deleted, 1, kept.stderr);
    const keptR = await script("rm", ["-r", "--keep-segments", "--json", `${c}/sub`]);
    assert.equal(summary(keptR).deleted, 1, keptR.stderr);
    assert.equal((await names(`${c}_segments`)).length, big1 + big2, "--keep-segments kept them");
    assert.deepEqual(await names(c), ["small.txt"]);
  },
  120_000,
);

hostileTest(
  "rm.ts -r never deletes what a manifest points at outside its own segments; it reports it",
  async (t) => {
    const w = scopedContainer(t, "rm-w");
    const v = scopedContainer(t, "rm-v");
    const victim = await SwiftStore.open({ container: v, auth: tempAuth() });
    const precious = randomBytes(1000);
    await victim.set("/precious", precious);
    const store = await SwiftStore.open({ container: w, auth: tempAuth() });
    await store.set("/plain", utf8("plain"));
    const manifest = JSON.stringify([{
      path: `/${v}/precious`,
      etag: md5(precious),
      size_bytes: precious.length,
    }]);
    const put = await raw("PUT", `/${w}/evil?multipart-manifest=put`, { body: manifest });
    assert.equal(put.status, 201, await put.text());

    // One object: it says it deleted the manifest alone, and which segment it kept.
    const one = await script("rm", ["--yes", `${w}/evil`]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(
      one.stdout.trim(),
      `deleted ${w}/evil\nkept 1 segment(s) that large objects pointed at outside their own segment path: ${v}/precious`,
    );
    assert.equal((await raw("PUT", `/${w}/evil?multipart-manifest=put`, { body: manifest })).status, 201);
    const ran = await script("rm", ["--recursive", "--yes", w]);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /kept 1 segment\(s\) .*precious/);
    assert.deepEqual(await names(w), []);
    assert.deepEqual(await victim.get("/precious"), precious, "the other container's object is untouched");
  },
  60_000,
);

hostileTest(
  "upload.ts --delete removes objects whose files are gone, after a complete upload only; plain upload never deletes",
  async (t) => {
    const c = scopedContainer(t, "up-del");
    const dir = await scopedTempDir(t, "zs-del-");
    await Deno.mkdir(`${dir}/a`);
    const files: Record<string, Uint8Array> = {
      "zarr.json": utf8("{}"),
      "a/0": randomBytes(100),
      "a/1": randomBytes(101),
      "a/2": randomBytes(102),
      "big.bin": randomBytes(2 * MiB + 1),
    };
    for (const [name, bytes] of Object.entries(files)) await Deno.writeFile(`${dir}/${name}`, bytes);
    const store = await SwiftStore.open({ container: c, auth: tempAuth() });
    await store.set("/outside/x", utf8("not under the prefix"));
    const target = `${c}/run`;
    assert.equal((await script("upload", ["--segment-size", "1M", dir, target])).code, 0);

    await Deno.remove(`${dir}/a/1`);
    await Deno.remove(`${dir}/big.bin`);
    const plain = await script("upload", ["--json", "--changed", "--segment-size", "1M", dir, target]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(summary(plain).deleted, undefined, "plain upload says nothing of deleting");
    assert.ok((await names(c)).includes("run/a/1"), "plain upload never deletes");

    // A failed file: --delete deletes nothing at all.
    await Deno.remove(`${dir}/a/2`);
    await Deno.symlink(`${dir}/nowhere`, `${dir}/dangling`);
    const failed = await script("upload", [
      "--json",
      "--changed",
      "--delete",
      "--segment-size",
      "1M",
      dir,
      target,
    ]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.equal(summary(failed).deleted, 0);
    assert.match(failed.stderr, /--delete: nothing deleted/);
    assert.ok((await names(c)).includes("run/a/1"));

    await Deno.remove(`${dir}/dangling`);
    const synced = await script("upload", [
      "--json",
      "--changed",
      "--delete",
      "--segment-size",
      "1M",
      dir,
      target,
    ]);
    assert.equal(synced.code, 0, synced.stderr);
    assert.equal(summary(synced).deleted, 3, "a/1, a/2 and big.bin");
    assert.deepEqual((await names(c)).sort(), ["outside/x", "run/a/0", "run/zarr.json"]);
    assert.deepEqual(await names(`${c}_segments`), [], "the large object went with its segments");
  },
  120_000,
);

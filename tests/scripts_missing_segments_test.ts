/**
 * A large object whose segments are gone (deleted with another object that shared
 * them) still answers a HEAD and its manifest, but cannot be read. As subprocesses
 * against the real Swift: `check.ts` calls it different (exit 1), a read says why it
 * fails, and `upload.ts --changed` puts it back instead of skipping it as identical.
 */
import assert from "node:assert/strict";
import { largeObjectSegments, missingSegments, SwiftContainer, SwiftStore } from "../mod.ts";
import { script, summary } from "./_scripts.ts";
import { dropContainer, randomBytes, tempAuth, uniqueName } from "./_swift.ts";

Deno.test("a large object with a segment gone is no longer identical to its file: check.ts says so, upload.ts --changed repairs it", async () => {
  const c = uniqueName("segs");
  const dir = await Deno.makeTempDir({ prefix: "zs-segs-" });
  try {
    await Deno.writeFile(`${dir}/big.bin`, randomBytes(3 * (1 << 20) + 7));
    const args = ["--segment-size", "1M", dir, `${c}/b`];
    assert.equal((await script("upload", args)).code, 0);
    const store = await SwiftStore.open({ container: c, prefix: "b", auth: tempAuth() });
    const segments = (await largeObjectSegments(store, "/big.bin"))!;
    assert.equal(segments.length, 4);
    assert.deepEqual(await missingSegments(store, segments), []);
    assert.equal((await script("check", [dir, `${c}/b`])).code, 0, "identical while every segment is there");

    const segmentContainer = await SwiftContainer.open({ container: `${c}_segments`, auth: tempAuth() });
    await segmentContainer.delete(segments[0].path.slice(`/${c}_segments/`.length));
    assert.deepEqual(await missingSegments(store, segments), [segments[0]]);
    const check = await script("check", [dir, `${c}/b`]);
    assert.equal(check.code, 1, check.stdout);
    assert.match(check.stdout, /^differs \(MD5\): big\.bin$/m);

    const cat = await script("cat", [`${c}/b/big.bin`]);
    assert.equal(cat.code, 1);
    assert.match(cat.stderr, /409 Conflict: a segment of this large object is missing or was changed/);

    const down = await script("sync", [`${c}/b`, `${dir}-down`]);
    assert.equal(down.code, 1);
    assert.match(down.stdout, /^incomplete sync .*failed 1 /m, "a failed sync does not say synced");

    const again = await script("upload", ["--changed", "--json", ...args]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(summary(again).uploaded, 1, "re-uploaded, not skipped");
    assert.equal((await script("check", [dir, `${c}/b`])).code, 0, "identical again");
    assert.deepEqual(await store.get("/big.bin"), await Deno.readFile(`${dir}/big.bin`));
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(`${dir}-down`, { recursive: true }).catch(() => {});
    await dropContainer(c);
    await dropContainer(`${c}_segments`);
  }
});

Deno.test("a large object replaced by a plain file leaves no segment behind, with upload.ts --changed and sync.ts", async () => {
  const c = uniqueName("segs-plain");
  const dir = await Deno.makeTempDir({ prefix: "zs-segs-plain-" });
  const segmentsLeft = async () => {
    const list = await SwiftContainer.open({ container: `${c}_segments`, auth: tempAuth() });
    return (await Array.fromAsync(list.list(""))).length;
  };
  try {
    for (const [name, run] of [["upload", ["--changed"]], ["sync", []]] as const) {
      await Deno.writeFile(`${dir}/big.bin`, randomBytes(2 * (1 << 20) + 7));
      assert.equal((await script("upload", ["--segment-size", "1M", dir, `${c}/${name}`])).code, 0);
      assert.equal(await segmentsLeft(), 3, `${name}: the large object's segments`);
      await Deno.writeFile(`${dir}/big.bin`, randomBytes(1000));
      const ran = await script(name, [...run, "--segment-size", "1M", dir, `${c}/${name}`]);
      assert.equal(ran.code, 0, `${name}: ${ran.stderr}`);
      assert.equal(await segmentsLeft(), 0, `${name}: the replaced large object's segments are deleted`);
      const store = await SwiftStore.open({ container: c, prefix: name, auth: tempAuth() });
      assert.deepEqual(await store.get("/big.bin"), await Deno.readFile(`${dir}/big.bin`));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
    await dropContainer(c);
    await dropContainer(`${c}_segments`);
  }
});

Deno.test("a large object cut short where a segment is gone: cat.ts and download.ts say which segment, not a network failure", async () => {
  const c = uniqueName("segs-mid");
  const dir = await Deno.makeTempDir({ prefix: "zs-segs-mid-" });
  try {
    await Deno.writeFile(`${dir}/big.bin`, randomBytes(3 * (1 << 20) + 7));
    assert.equal((await script("upload", ["--segment-size", "1M", dir, `${c}/b`])).code, 0);
    const store = await SwiftStore.open({ container: c, prefix: "b", auth: tempAuth() });
    const segments = (await largeObjectSegments(store, "/big.bin"))!;
    const segmentContainer = await SwiftContainer.open({ container: `${c}_segments`, auth: tempAuth() });
    await segmentContainer.delete(segments[2].path.slice(`/${c}_segments/`.length));
    const said = new RegExp(
      `Expected every segment of the large object b/big\\.bin, found 1 of 4 missing or changed \\(the first: ${c}_segments/`,
    );
    const cat = await script("cat", [`${c}/b/big.bin`]);
    assert.equal(cat.code, 1);
    assert.match(cat.stderr, said);
    const down = await script("download", [`${c}/b`, `${dir}-down`]);
    assert.equal(down.code, 1);
    assert.match(down.stderr, said);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(`${dir}-down`, { recursive: true }).catch(() => {});
    await dropContainer(c);
    await dropContainer(`${c}_segments`);
  }
});

Deno.test("mv.ts --copy-segments of a copy whose segments are another object's says it kept them", async () => {
  const c = uniqueName("segs-mv");
  const dir = await Deno.makeTempDir({ prefix: "zs-segs-mv-" });
  try {
    await Deno.writeFile(`${dir}/big.bin`, randomBytes(2 * (1 << 20) + 7));
    assert.equal((await script("upload", ["--segment-size", "1M", dir, `${c}/a`])).code, 0);
    assert.equal(
      (await script("cp", [`${c}/a/big.bin`, `${c}-copy/b.bin`])).code,
      0,
      "a copy sharing the segments",
    );
    const moved = await script("mv", ["--copy-segments", `${c}-copy/b.bin`, `${c}-copy/c.bin`]);
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(
      moved.stderr,
      new RegExp(
        `mv\\.ts: kept 3 segment\\(s\\) the sources pointed at outside their own segment path: ${c}_segments/a/big\\.bin/`,
      ),
    );
    const store = await SwiftStore.open({ container: c, prefix: "a", auth: tempAuth() });
    assert.deepEqual(
      await store.get("/big.bin"),
      await Deno.readFile(`${dir}/big.bin`),
      "the original still reads",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
    for (const name of [c, `${c}_segments`, `${c}-copy`, `${c}-copy_segments`]) await dropContainer(name);
  }
});

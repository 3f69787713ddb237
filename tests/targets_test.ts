/**
 * Where downloads write (`scripts/_cli/targets.ts`), on the local filesystem only: the
 * directories below a target are read once and never gone through when they are links,
 * and files are written through `.part` (never through a link, never half-written
 * under their final name), whether the body is in memory or written by a function.
 */
import assert from "node:assert/strict";
import { PART, TargetDirs, writeThroughPart } from "../scripts/_cli/mod.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Temporary directories, removed when the test's `await using` ends. */
function tempDirs(): { make(): Promise<string>; [Symbol.asyncDispose](): Promise<void> } {
  const made: string[] = [];
  return {
    make: async () => {
      made.push(await Deno.makeTempDir({ prefix: "zarrswift-targets-" }));
      return made[made.length - 1];
    },
    [Symbol.asyncDispose]: async () => {
      for (const dir of made) await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("TargetDirs creates missing directories, shared by concurrent files", async () => {
  await using dirs = tempDirs();
  const root = await dirs.make();
  const targets = new TargetDirs(root);
  const paths = Array.from({ length: 300 }, (_, i) => `${root}/d${i % 3}/e${i % 2}/f${i}`);
  await Promise.all(paths.map(async (p, i) => {
    await targets.prepare(p);
    await writeThroughPart(p, utf8(String(i)));
  }));
  for (const [i, p] of paths.entries()) assert.equal(await Deno.readTextFile(p), String(i));
  const names = [];
  for await (const e of Deno.readDir(`${root}/d0/e0`)) names.push(e.name);
  assert.equal(names.length, 50, "every file is there, and no .part is left");
  assert.ok(names.every((n) => !n.endsWith(PART)));
});

Deno.test("TargetDirs refuses links and kinds in the way, in existing directories", async () => {
  await using dirs = tempDirs();
  const root = await dirs.make();
  const outside = await dirs.make();
  await Deno.mkdir(`${root}/dir/sub`, { recursive: true });
  await Deno.writeTextFile(`${root}/dir/file.txt`, "old");
  await Deno.writeTextFile(`${root}/plain`, "a file");
  await Deno.symlink(outside, `${root}/linkdir`);
  await Deno.symlink(`${outside}/victim`, `${root}/dir/link.txt`);
  const targets = new TargetDirs(root);

  await targets.prepare(`${root}/dir/file.txt`); // a file is replaced, as before
  await targets.prepare(`${root}/dir/new.txt`);
  await assert.rejects(
    targets.prepare(`${root}/dir/link.txt`),
    /link\.txt is a symlink: not written through/,
  );
  await assert.rejects(targets.prepare(`${root}/linkdir/x.txt`), /linkdir is a symlink: not written through/);
  await assert.rejects(targets.prepare(`${root}/dir/sub`), /sub is a directory where a file is needed/);
  await assert.rejects(targets.prepare(`${root}/plain/x.txt`), /plain is a file where a directory is needed/);
  const inside = [];
  for await (const e of Deno.readDir(outside)) inside.push(e.name);
  assert.deepEqual(inside, [], "nothing was created through the directory link");
});

Deno.test("writeThroughPart never writes through a link that appears after the directory was read", async () => {
  await using dirs = tempDirs();
  const root = await dirs.make();
  const outside = await dirs.make();
  await Deno.writeTextFile(`${outside}/victim`, "untouched");
  const targets = new TargetDirs(root);
  for (const [name, body] of [["a", utf8("in memory")], ["b", undefined]] as const) {
    const path = `${root}/${name}`;
    await targets.prepare(path);
    await Deno.symlink(`${outside}/victim`, path); // a race: the link comes after the check
    await Deno.symlink(`${outside}/victim`, path + PART);
    await writeThroughPart(path, body ?? (async (file) => void await file.write(utf8("by a writer"))));
    assert.equal(await Deno.readTextFile(`${outside}/victim`), "untouched");
    assert.equal((await Deno.lstat(path)).isSymlink, false, "the link itself was replaced");
    assert.equal(await Deno.readTextFile(path), body ? "in memory" : "by a writer");
    await assert.rejects(Deno.lstat(path + PART), Deno.errors.NotFound);
  }
});

Deno.test("writeThroughPart leaves neither the file nor its .part when writing fails", async () => {
  await using dirs = tempDirs();
  const root = await dirs.make();
  const path = `${root}/f`;
  await assert.rejects(
    writeThroughPart(path, async (file) => {
      await file.write(utf8("half"));
      throw new Error("the connection broke");
    }),
    /the connection broke/,
  );
  await assert.rejects(Deno.lstat(path), Deno.errors.NotFound);
  await assert.rejects(Deno.lstat(path + PART), Deno.errors.NotFound);
});

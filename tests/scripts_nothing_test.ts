/**
 * Runs that find nothing to do, as subprocesses against the real Swift: filters that
 * leave nothing of a prefix are an error in `download.ts` and `cp.ts` alike (exit 1,
 * one message naming the prefix and how many were excluded); a download that finds
 * nothing leaves no empty directory behind; a file where the target directory should
 * be is bad usage (exit 2) before any request; `stat.ts` of a prefix and `du.ts` of an
 * object point at each other.
 */
import assert from "node:assert/strict";
import { SwiftStore } from "../mod.ts";
import { script } from "./_scripts.ts";
import { dropContainer, tempAuth, uniqueName, utf8 } from "./_swift.ts";

Deno.test("filters that leave nothing, and a download that finds nothing, are errors that write nothing", async () => {
  const c = uniqueName("nothing");
  const dir = await Deno.makeTempDir({ prefix: "zs-nothing-" });
  try {
    const store = await SwiftStore.open({ container: c, auth: tempAuth() });
    for (const name of ["ds/zarr.json", "ds/a/c/0"]) await store.set(`/${name}`, utf8(name));

    const filtered = await script("download", ["--include", "nomatch", `${c}/ds`, `${dir}/filtered`]);
    assert.equal(filtered.code, 1, filtered.stderr);
    assert.match(
      filtered.stderr,
      new RegExp(`download\\.ts: nothing under ${c}/ds/ matches the filters \\(2 excluded\\)`),
    );
    const missing = await script("download", [`${c}/nosuch`, `${dir}/missing`]);
    assert.equal(missing.code, 1, missing.stderr);
    for (const sub of ["filtered", "missing"]) {
      assert.equal(await Deno.stat(`${dir}/${sub}`).catch(() => undefined), undefined, `no ${sub} directory`);
    }

    const copied = await script("cp", ["--include", "nomatch", `${c}/ds`, `${c}-copy`]);
    assert.equal(copied.code, 1, copied.stderr);
    assert.equal(copied.stderr.trim(), `cp.ts: nothing under ${c}/ds/ matches the filters (2 excluded)`);

    // Naming a prefix where an object is wanted, or an object where a prefix is: the other script.
    const statPrefix = await script("stat", [`${c}/ds`]);
    assert.equal(statPrefix.code, 1);
    assert.equal(
      statPrefix.stderr.trim(),
      `stat.ts: no object ${c}/ds (there are objects under ${c}/ds/: ls.ts or du.ts shows them)`,
    );
    const duObject = await script("du", [`${c}/ds/zarr.json`]);
    assert.equal(duObject.code, 1);
    assert.equal(
      duObject.stderr.trim(),
      `du.ts: nothing under ${c}/ds/zarr.json/ (${c}/ds/zarr.json is one object of ${"ds/zarr.json".length} B: stat.ts shows it)`,
    );

    await Deno.writeTextFile(`${dir}/file`, "x");
    const onFile = await script("download", [`${c}/ds`, `${dir}/file`]);
    assert.equal(onFile.code, 2, onFile.stderr);
    assert.match(onFile.stderr, /expected a local directory to download into, found a file at /);
    // The other scripts that take a local directory say it the same way.
    for (
      const [name, args, role] of [
        ["upload", [`${dir}/nosuch`, `${c}/x`], "to upload"],
        ["sync", [`${dir}/file`, `${c}/x`], "to sync from"],
        ["check", [`${dir}/nosuch`, `${c}/x`], "to check"],
      ] as const
    ) {
      const ran = await script(name, [...args]);
      assert.equal(ran.code, 2, `${name}: ${ran.stderr}`);
      assert.match(
        ran.stderr,
        new RegExp(`expected a local directory ${role}, found (nothing|a file) at `),
        name,
      );
    }

    const ok = await script("download", [`${c}/ds`, `${dir}/ok`]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(await Deno.readTextFile(`${dir}/ok/a/c/0`), "ds/a/c/0");
    // The arguments the wrong way round: said so.
    const swapped = await script("upload", [`${c}/x`, `${dir}/ok`]);
    assert.equal(swapped.code, 2);
    assert.match(
      swapped.stderr,
      new RegExp(`found nothing at ${c}/x; ${dir}/ok is one: the local directory comes first`),
    );
    const swappedDown = await script("download", [`${dir}/ok`, `${c}/ds`]);
    assert.equal(swappedDown.code, 2);
    assert.match(swappedDown.stderr, /\(a local path\? the arguments may be the wrong way round\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await dropContainer(c);
    await dropContainer(`${c}-copy`);
  }
});

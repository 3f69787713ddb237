/**
 * `rm.ts -r --container`, as subprocesses against the real Swift: every object, then
 * the container and its now empty `<container>_segments` go; a segment container that
 * still holds other objects is kept and reported; a dry run deletes nothing; the flag
 * is refused (exit 2) without -r, with a prefix or with filters.
 */
import assert from "node:assert/strict";
import { SwiftStore } from "../mod.ts";
import { hostileTest } from "./_hostile.ts";
import { script, summary } from "./_scripts.ts";
import { dropContainer, randomBytes, raw, tempAuth, uniqueName, utf8 } from "./_swift.ts";

/** Whether `container` exists (one HEAD). */
async function exists(container: string): Promise<boolean> {
  const res = await raw("HEAD", `/${encodeURIComponent(container)}`);
  await res.body?.cancel();
  return res.status === 204 || res.status === 200;
}

hostileTest(
  "rm.ts -r --container deletes the objects, then the container and its empty segment container",
  async (t) => {
    const c = uniqueName("rmc");
    const other = uniqueName("rmc-other");
    for (const name of [c, `${c}_segments`, other, `${other}_segments`]) t.defer(() => dropContainer(name));
    const dir = await Deno.makeTempDir({ prefix: "zs-rmc-" });
    t.defer(() => Deno.remove(dir, { recursive: true }));
    await Deno.writeFile(`${dir}/big.bin`, randomBytes(3 * (1 << 20) + 7));
    await Deno.writeTextFile(`${dir}/zarr.json`, '{"zarr_format":3,"node_type":"group","attributes":{}}');
    assert.equal((await script("upload", ["--segment-size", "1M", dir, `${c}/ds`])).code, 0);
    assert.ok(await exists(`${c}_segments`));

    for (
      const args of [["--container", c], ["-r", "--container", `${c}/ds`], [
        "-r",
        "--container",
        "--include",
        "*.bin",
        c,
      ]]
    ) {
      const refused = await script("rm", args);
      assert.equal(refused.code, 2, `${args.join(" ")}: ${refused.stderr}`);
      assert.match(refused.stderr, /--container deletes a whole container/);
    }
    const dry = await script("rm", ["-r", "--container", "--dry-run", c]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`would delete 2 objects .* under ${c}, then the container ${c}`));
    assert.ok(await exists(c), "a dry run deletes nothing");

    const ran = await script("rm", ["-r", "--container", "--yes", "--json", c]);
    assert.equal(ran.code, 0, ran.stderr);
    assert.deepEqual(summary(ran).containers_deleted as unknown, [c, `${c}_segments`]);
    assert.equal(await exists(c), false);
    assert.equal(await exists(`${c}_segments`), false);

    // A segment container that holds other objects stays, and is reported.
    const store = await SwiftStore.open({ container: other, auth: tempAuth() });
    await store.set("/a.txt", utf8("a"));
    const segments = await SwiftStore.open({ container: `${other}_segments`, auth: tempAuth() });
    await segments.set("/someone-elses/segment", utf8("s"));
    const kept = await script("rm", ["-r", "--container", "--yes", other]);
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, new RegExp(`deleted container ${other}\n`));
    assert.match(
      kept.stderr,
      new RegExp(`rm\\.ts: kept container ${other}_segments: objects are still in it`),
    );
    assert.equal(await exists(other), false);
    assert.equal(await exists(`${other}_segments`), true);
  },
  90_000,
);

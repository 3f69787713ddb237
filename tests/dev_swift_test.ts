/**
 * The test server's upkeep: every DELETE leaves a tombstone file, and with no replicator
 * running they pile up until tmpfs runs out of inodes. `dev/swift.sh reclaim` drops them.
 */

import assert from "node:assert/strict";
import { utf8, withStore } from "./_swift.ts";

const HOME = Deno.env.get("ZARRSWIFT_SWIFT_HOME") ?? "/tmp/zarrswift-swift";

/** The object server's device directory, from the configuration dev/swift.sh wrote. */
async function objectsDir(): Promise<string> {
  const conf = await Deno.readTextFile(`${HOME}/etc/object-server.conf`);
  const devices = /^devices = (.+)$/m.exec(conf)?.[1];
  assert.ok(devices, "object-server.conf names its devices");
  return `${devices}/d1/objects`;
}

/** How many tombstones (`*.ts` files) are below `dir` (find(1) walks the tree ~10× faster). */
async function tombstones(dir: string): Promise<number> {
  const out = await new Deno.Command("find", { args: [dir, "-name", "*.ts", "-type", "f"], stdout: "piped" })
    .output();
  assert.ok(out.success, "find could walk the object tree");
  return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean).length;
}

Deno.test("dev/swift.sh reclaim drops the tombstones that deletes leave, and deleted objects stay deleted", async () => {
  const dir = await objectsDir();
  await withStore(async (store) => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`/o${i}`, utf8(`object ${i}`))));
    assert.equal(await store.deletePrefix("/"), 20);
    assert.ok(await tombstones(dir) >= 20, "each delete left a tombstone");
    // reclaim_age is 1 s: wait until these are older than that.
    await new Promise((r) => setTimeout(r, 1100));
    const out = await new Deno.Command("bash", {
      args: [new URL("../dev/swift.sh", import.meta.url).pathname, "reclaim"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    assert.equal(await tombstones(dir), 0);
    assert.equal(await store.get("/o0"), undefined);
    assert.deepEqual(await Array.fromAsync(store.list("/")), []);
  });
});

/**
 * No silent no-op (issue 12, item 4), as subprocesses against the real Swift: a
 * location naming an object downloads (or lists) that object; a prefix matching
 * nothing says so and exits 1 in `download.ts`, `ls.ts`, `rm.ts`, `share.ts` and
 * `tree.ts`; `rm.ts` of a prefix without `-r` points at `-r`.
 */
import assert from "node:assert/strict";
import { SwiftStore } from "../mod.ts";
import { hostileTest } from "./_hostile.ts";
import { type Ran, script, summary } from "./_scripts.ts";
import { dropContainer, raw, tempAuth, uniqueName, utf8 } from "./_swift.ts";

/** Asserts exit 1 and a message on stderr matching `message`. */
function refused(ran: Ran, message: RegExp, what: string): void {
  assert.equal(ran.code, 1, `${what}: exit ${ran.code}; stdout ${ran.stdout}; stderr ${ran.stderr}`);
  assert.match(ran.stderr, message, what);
}

hostileTest(
  "a location naming an object is that object; a prefix matching nothing exits 1 with a message",
  async (t) => {
    const c = uniqueName("noop");
    t.defer(() => dropContainer(c));
    const store = await SwiftStore.open({ container: c, auth: tempAuth() });
    const objects: Record<string, string> = {
      "ds/zarr.json": '{"zarr_format":3,"node_type":"group","attributes":{}}',
      "ds/a/c/0": "chunk",
      "path/to/object.json": '{"hello":1}',
    };
    for (const [name, text] of Object.entries(objects)) await store.set(`/${name}`, utf8(text));
    const dir = await Deno.makeTempDir({ prefix: "zs-noop-" });
    t.defer(() => Deno.remove(dir, { recursive: true }));

    // download.ts
    const one = await script("download", ["--json", `${c}/path/to/object.json`, `${dir}/one`]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(summary(one).downloaded, 1);
    assert.equal(await Deno.readTextFile(`${dir}/one/object.json`), objects["path/to/object.json"]);
    const under = await script("download", ["--json", `${c}/path/to/`, `${dir}/under`]);
    assert.equal(summary(under).downloaded, 1, "with a trailing slash: the prefix");
    assert.equal(await Deno.readTextFile(`${dir}/under/object.json`), objects["path/to/object.json"]);
    refused(
      await script("download", [`${c}/path/to/nothing`, `${dir}/none`]),
      /nothing under .*path\/to\/nothing\//,
      "download",
    );

    // ls.ts
    refused(
      await script("ls", [`${c}/d`]),
      /nothing under .*\/d\/.*names that start with "d": ds\//,
      "ls partial",
    );
    refused(await script("ls", [`${c}/nope/`]), /nothing under/, "ls nothing");
    const named = await script("ls", [`${c}/path/to/object.json`]);
    assert.equal(named.code, 0, named.stderr);
    assert.equal(named.stdout.trim(), "path/to/object.json");

    // rm.ts
    refused(await script("rm", ["--yes", `${c}/ds`]), /not an object.*--recursive \(-r\)/, "rm of a prefix");
    refused(await script("rm", ["--yes", `${c}/nope`]), /no object/, "rm of nothing");
    refused(await script("rm", ["-r", "--yes", `${c}/nope`]), /nothing under/, "rm -r of nothing");
    assert.equal((await Array.fromAsync(store.list("/"))).length, 3, "nothing was deleted");

    // share.ts: nothing signed, no key set, no CORS changed.
    refused(await script("share", ["--cors", "*", `${c}/nope`]), /nothing under .*nothing to share/, "share");
    const head = await raw("HEAD", `/${c}`);
    assert.equal(head.headers.get("X-Container-Meta-Temp-Url-Key"), null);
    assert.equal(head.headers.get("X-Container-Meta-Access-Control-Allow-Origin"), null);

    // tree.ts
    refused(await script("tree", [`${c}/nope`]), /nothing under/, "tree of nothing");
    refused(await script("tree", [`${c}/path`]), /no zarr node under .*\(1 object, /, "tree without zarr");
    assert.equal((await script("tree", [`${c}/ds`])).code, 0);
  },
  90_000,
);

/**
 * Locations (`<container>[/<prefix>]`) given as URLs: a storage URL or `swift://` pasted
 * from elsewhere is refused with the location it most likely means, instead of being
 * split at its first `/` into a container named `http:` (which `upload.ts` then created);
 * `.`/`..` segments are bad usage; the URLs scripts print are percent-encoded.
 */
import assert from "node:assert/strict";
import { SwiftStore } from "../mod.ts";
import { location, UsageError } from "../scripts/_cli/mod.ts";
import { script } from "./_scripts.ts";
import { dropContainer, raw, tempAuth, uniqueName, utf8 } from "./_swift.ts";

Deno.test("a URL is no location: refused with the location it means", () => {
  const cases: [string, string | undefined][] = [
    ["http://127.0.0.1:8080/v1/AUTH_test/ut-data/datasets/run42", "ut-data/datasets/run42"],
    ["https://swift.example.org/v1/AUTH_abc/c%C3%96/a%20b/", "cÖ/a b/"],
    ["swift://bucket/some/prefix", "bucket/some/prefix"],
    ["HTTPS://swift.example.org/v1.0/acct/c/o", "c/o"],
    ["https://example.org/", undefined],
    ["https://swift.example.org/v1/AUTH_abc", undefined],
    ["https://swift.example.org/v1/AUTH_abc/%E0%A4%A", undefined],
  ];
  for (const [arg, meant] of cases) {
    assert.throws(() => location(arg), (err: Error) => {
      assert.ok(err instanceof UsageError, `${arg}: ${err}`);
      assert.match(err.message, /^expected a location <container>\[\/<prefix>\], found the URL/);
      if (meant === undefined) assert.doesNotMatch(err.message, /use/, arg);
      else assert.ok(err.message.endsWith(`for this URL, use ${JSON.stringify(meant)}`), err.message);
      return true;
    });
  }
  // Secrets a URL may carry are not echoed.
  assert.throws(
    () => location("https://me:pa55word@swift.example.org/v1/AUTH_a/c/o?temp_url_sig=abc123#x"),
    (err: Error) => {
      assert.ok(!/pa55word|abc123|temp_url_sig/.test(err.message), err.message);
      assert.match(
        err.message,
        /found the URL "https:\/\/swift\.example\.org\/v1\/AUTH_a\/c\/o": for this URL, use "c\/o"$/,
      );
      return true;
    },
  );
  for (const arg of ["c/./x", "c/a/../b", "../c", "c/.."]) {
    assert.throws(
      () => location(arg),
      (err: Error) => err instanceof UsageError && /"\." or "\.\." segments/.test(err.message),
      arg,
    );
  }
  // What is not a URL still splits at the first slash.
  assert.deepEqual(location("c/http:/x/"), { container: "c", path: "http:/x", trailingSlash: true });
  assert.deepEqual(location("c:1/x"), { container: "c:1", path: "x", trailingSlash: false });
});

Deno.test("upload.ts to a pasted storage URL exits 2 and creates no container", async () => {
  const dir = await Deno.makeTempDir({ prefix: "zs-location-" });
  try {
    await Deno.writeTextFile(`${dir}/zarr.json`, '{"zarr_format":3,"node_type":"group","attributes":{}}');
    const name = uniqueName("loc");
    const ran = await script("upload", [dir, `http://127.0.0.1:8080/v1/AUTH_test/${name}/run42`]);
    assert.equal(ran.code, 2, `exit ${ran.code}: ${ran.stderr}`);
    assert.ok(ran.stderr.includes(`for this URL, use "${name}/run42"`), ran.stderr);
    // Split at its first slash, the URL named container "http:" and a prefix ending in the name.
    const res = await raw("GET", `/http:?format=json&prefix=${encodeURIComponent("127.0.0.1:8080/")}`);
    const names = res.ok ? (await res.json() as { name: string }[]).map((o) => o.name) : [];
    if (!res.ok) await res.body?.cancel();
    assert.deepEqual(names.filter((n) => n.includes(name)), [], "nothing written into a container http:");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stat.ts and download.ts show object URLs percent-encoded, ready to paste", async () => {
  const c = uniqueName("urls");
  const dir = await Deno.makeTempDir({ prefix: "zs-urls-" });
  try {
    const store = await SwiftStore.open({ container: c, auth: tempAuth() });
    await store.set("/Ölfeld 2024 #1/a b.txt", utf8("hi"));
    const encoded = `${store.url}/%C3%96lfeld%202024%20%231`;
    const stat = await script("stat", [`${c}/Ölfeld 2024 #1/a b.txt`]);
    assert.equal(stat.code, 0, stat.stderr);
    assert.match(stat.stdout, new RegExp(`URL: ${RegExp.escape(`${encoded}/a%20b.txt`)}\n`));
    const down = await script("download", [`${c}/Ölfeld 2024 #1`, `${dir}/d`]);
    assert.equal(down.code, 0, down.stderr);
    assert.ok(down.stdout.includes(`from ${encoded} in`), down.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await dropContainer(c);
  }
});

Deno.test("ls.ts --json of the account gives each container in Swift's field names, each once", async () => {
  const c = uniqueName("lsjson");
  try {
    await SwiftStore.open({ container: c, auth: tempAuth() });
    const ran = await script("ls", ["--json"]);
    assert.equal(ran.code, 0, ran.stderr);
    const mine = ran.stdout.trim().split("\n").map((line) => JSON.parse(line)).find((e) => e.name === c);
    assert.deepEqual(Object.keys(mine ?? {}).sort(), ["bytes", "count", "last_modified", "name"]);
    assert.match(mine.last_modified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    const long = await script("ls", ["--long"]);
    const line = long.stdout.split("\n").find((l) => l.endsWith(` ${c}`)) ?? "";
    assert.match(line, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d zs-lsjson-/, "--long: times to the second");
  } finally {
    await dropContainer(c);
  }
});

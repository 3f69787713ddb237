import assert from "node:assert/strict";
import { encodeObjectName } from "../mod.ts";
import { keyForObjectName, objectNameForKey, objectPrefixForPath } from "../src/store/keys.ts";
import { checkContainerName, normalizePrefix } from "../src/util/names.ts";

const AWKWARD = [
  "plain/c/0/0",
  "with space/zarr.json",
  "percent%25/%41",
  "hash#and?query",
  "plus+amp&eq=semi;colon:at@",
  "quotes'\"!()*,$",
  "unicode/é/日本/🦀",
  "tilde~under_score-dash.dot",
  "back\\slash",
  "brackets[]{}<>|^`",
  "tab\tnewline\n",
  "...three-dots/.hidden/a..b",
];

Deno.test("encodeObjectName matches python-swiftclient's quote(name, safe='/') byte for byte", async () => {
  // python-swiftclient encodes object paths with urllib.parse.quote(name, safe="/"): the
  // reference implementation is our vector source.
  const script = "import json,sys;from urllib.parse import quote;" +
    "print(json.dumps([quote(n.encode('utf-8'), safe='/') for n in json.load(sys.stdin)]))";
  const child = new Deno.Command("/usr/bin/python3", {
    args: ["-c", script],
    stdin: "piped",
    stdout: "piped",
  })
    .spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(AWKWARD)));
  await writer.close();
  const out = await child.output();
  assert.ok(out.success, "python3 quote failed");
  const expected = JSON.parse(new TextDecoder().decode(out.stdout)) as string[];
  assert.deepEqual(AWKWARD.map(encodeObjectName), expected);
});

Deno.test("encodeObjectName keeps '/' and unreserved characters, encodes every other byte", () => {
  assert.equal(encodeObjectName("a b/%/#/?"), "a%20b/%25/%23/%3F");
  assert.equal(encodeObjectName("é"), "%C3%A9");
  assert.equal(encodeObjectName("AZaz09-._~/"), "AZaz09-._~/");
  for (let code = 0x20; code < 0x7f; code++) {
    const c = String.fromCharCode(code);
    const kept = /[A-Za-z0-9\-._~/]/.test(c);
    assert.equal(encodeObjectName(c) === c, kept, `character ${JSON.stringify(c)}`);
  }
});

Deno.test("encodeObjectName refuses lone surrogates instead of replacing them", () => {
  assert.throws(() => encodeObjectName("bad\uD800"), TypeError);
});

Deno.test("a URL built from an encoded name keeps its path exactly", () => {
  for (const name of AWKWARD) {
    const url = new URL(`http://127.0.0.1/v1/AUTH_test/c/${encodeObjectName(name)}`);
    assert.equal(decodeURIComponent(url.pathname), `/v1/AUTH_test/c/${name}`);
    assert.equal(url.search, "");
    assert.equal(url.hash, "");
  }
});

Deno.test("objectNameForKey maps absolute paths below the prefix", () => {
  assert.equal(objectNameForKey("", "/zarr.json"), "zarr.json");
  assert.equal(objectNameForKey("zarr-demo", "/arr/c/0/0"), "zarr-demo/arr/c/0/0");
  assert.equal(objectNameForKey("a/b", "/x y/%"), "a/b/x y/%");
  assert.equal(keyForObjectName("zarr-demo", "zarr-demo/arr/c/0/0"), "/arr/c/0/0");
  assert.equal(keyForObjectName("", "zarr.json"), "/zarr.json");
});

Deno.test("objectNameForKey refuses keys that cannot round-trip, with a clear message", () => {
  const bad: [unknown, RegExp][] = [
    ["zarr.json", /absolute path/],
    ["/", /absolute path/],
    [42, /absolute path.*number/],
    ["/a/../b", /"\." or "\.\." segments/],
    ["/a/./b", /"\." or "\.\." segments/],
    ["/..", /"\." or "\.\." segments/],
    ["/a//b", /empty segments/],
    ["/a/", /empty segments/],
    ["/a\0b", /NUL/],
    ["/bad\uDC00", /well-formed/],
    ["/" + "x".repeat(1025), /at most 1024 bytes, found 1025 bytes/],
  ];
  for (const [key, message] of bad) {
    assert.throws(() => objectNameForKey("", key as string), (err: unknown) => {
      assert.ok(err instanceof TypeError);
      assert.match(err.message, message);
      return true;
    });
  }
  // 1,024 bytes is the limit including the prefix, counted in UTF-8.
  assert.equal(objectNameForKey("", "/" + "x".repeat(1024)).length, 1024);
  assert.throws(() => objectNameForKey("p", "/" + "x".repeat(1023)), /found 1025 bytes/);
  assert.throws(() => objectNameForKey("", "/" + "é".repeat(513)), /found 1026 bytes/);
});

Deno.test("normalizePrefix trims slashes and checks segments", () => {
  assert.equal(normalizePrefix(""), "");
  assert.equal(normalizePrefix("/"), "");
  assert.equal(normalizePrefix("/a/b/"), "a/b");
  assert.throws(() => normalizePrefix("a/../b"), TypeError);
  assert.throws(() => normalizePrefix("a//b"), TypeError);
});

Deno.test("objectPrefixForPath gives the listing prefix of a directory", () => {
  assert.equal(objectPrefixForPath("", "/"), "");
  assert.equal(objectPrefixForPath("", "/g"), "g/");
  assert.equal(objectPrefixForPath("p", "/"), "p/");
  assert.equal(objectPrefixForPath("p", "/g/h/"), "p/g/h/");
  assert.throws(() => objectPrefixForPath("p", "g"), /absolute path/);
  assert.throws(() => objectPrefixForPath("p", "/g/.."), TypeError);
});

Deno.test("checkContainerName enforces Swift's container rules", () => {
  assert.equal(checkContainerName("ok-name_1"), "ok-name_1");
  assert.throws(() => checkContainerName(""), /non-empty/);
  assert.throws(() => checkContainerName("a/b"), /without "\/"/);
  assert.throws(() => checkContainerName("a\0b"), /NUL/);
  assert.equal(checkContainerName("x".repeat(256)).length, 256);
  assert.throws(() => checkContainerName("x".repeat(257)), /at most 256 bytes, found 257 bytes/);
});

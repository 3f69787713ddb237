/**
 * `share.ts` as a user meets it, as subprocesses against the real Swift: `--cors`
 * adds an origin to those the container allows (the first notebook's origin stays),
 * and says which are allowed; the first share of a container without a TempURL key
 * says it set one (never printing it) and how to revoke it; `--help` says what the
 * script does; `--expires` that is not a positive time span is a usage error in terms
 * of `--expires` (exit 2); a location naming one object points at
 * `tempurl.ts`.
 */
import assert from "node:assert/strict";
import { getTempUrlKeys, SwiftStore } from "../mod.ts";
import { hostileTest, type Scope } from "./_hostile.ts";
import { type Ran, script } from "./_scripts.ts";
import { dropContainer, raw, tempAuth, uniqueName, utf8 } from "./_swift.ts";

const GROUP = '{"zarr_format":3,"node_type":"group","attributes":{}}';

/** A container with two datasets (`nb1/`, `nb2/`) and a zarr v2 `.zattrs`, dropped at the end. */
async function datasets(t: Scope, label: string): Promise<{ name: string; store: SwiftStore }> {
  const name = uniqueName(label);
  t.defer(() => dropContainer(name));
  const store = await SwiftStore.open({ container: name, auth: tempAuth() });
  await store.set("/nb1/zarr.json", utf8(GROUP));
  await store.set("/nb2/zarr.json", utf8(GROUP));
  await store.set("/v2/.zattrs", utf8("{}"));
  return { name, store };
}

/** Asserts a successful run and answers its link (the first line of stdout). */
function linkOf(ran: Ran, what: string): string {
  assert.equal(ran.code, 0, `${what}: exit ${ran.code}; stderr ${ran.stderr}`);
  const link = ran.stdout.split("\n")[0];
  assert.match(link, /^http:\/\/.*temp_url_sig=/, what);
  return link;
}

/** The status of a GET of `url`, with `headers`, and the `Access-Control-Allow-Origin` it answers. */
async function get(url: string, headers: Record<string, string> = {}): Promise<[number, string | null]> {
  const res = await fetch(url, { headers });
  await res.body?.cancel();
  return [res.status, res.headers.get("Access-Control-Allow-Origin")];
}

/** The container's CORS origins, as `stat.ts --json` shows them. */
async function corsOrigins(name: string): Promise<string> {
  const stat = await script("stat", ["--json", name]);
  assert.equal(stat.code, 0, stat.stderr);
  return JSON.parse(stat.stdout).cors_origins;
}

hostileTest("share.ts --cors adds the origin to those the container allows, and says which", async (t) => {
  const { name } = await datasets(t, "share-cors");
  // A preflight cache time set before is kept.
  const post = await raw("POST", `/${name}`, {
    headers: { "X-Container-Meta-Access-Control-Max-Age": "600" },
  });
  await post.body?.cancel();

  const first = await script("share", ["--expires", "1h", "--cors", "https://nb.example.org", `${name}/nb1`]);
  const link1 = linkOf(first, "first share");
  assert.match(first.stderr, /lets web pages from these origins read it: https:\/\/nb\.example\.org;/);
  const second = await script("share", [
    "--expires",
    "1h",
    "--cors",
    "https://nb2.example.org",
    `${name}/nb2`,
  ]);
  const link2 = linkOf(second, "second share");
  assert.equal(await corsOrigins(name), "https://nb.example.org https://nb2.example.org");
  assert.match(
    second.stderr,
    /read it: https:\/\/nb\.example\.org, https:\/\/nb2\.example\.org; added https:\/\/nb2\.example\.org$/m,
  );
  // Both notebooks read their dataset from a browser.
  const object1 = link1.replace("/nb1/?", "/nb1/zarr.json?");
  const object2 = link2.replace("/nb2/?", "/nb2/zarr.json?");
  assert.deepEqual(await get(object1, { Origin: "https://nb.example.org" }), [200, "https://nb.example.org"]);
  assert.deepEqual(await get(object2, { Origin: "https://nb2.example.org" }), [
    200,
    "https://nb2.example.org",
  ]);

  // Again, and twice in one run: no duplicates.
  const again = await script("share", [
    "--expires",
    "1h",
    "--cors",
    "https://nb.example.org",
    "--cors",
    "https://nb.example.org",
    `${name}/nb1`,
  ]);
  linkOf(again, "third share");
  assert.match(again.stderr, /all were allowed already/);
  assert.equal(await corsOrigins(name), "https://nb.example.org https://nb2.example.org");
  const head = await raw("HEAD", `/${name}`);
  assert.equal(head.headers.get("X-Container-Meta-Access-Control-Max-Age"), "600", "the max age is kept");
  assert.match(head.headers.get("X-Container-Meta-Access-Control-Expose-Headers") ?? "", /Content-Range/);

  // What --help says about replacing and removing origins works.
  const help = (await script("share", ["--help"])).stdout;
  assert.match(
    help,
    /post\.ts -m "access-control-allow-origin:https:\/\/a\.org https:\/\/b\.org" <container>/,
  );
  assert.match(help, /post\.ts -m access-control-allow-origin: <container>/);
  const replaced = await script("post", ["-m", "access-control-allow-origin:https://nb2.example.org", name]);
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.equal(await corsOrigins(name), "https://nb2.example.org");
  assert.deepEqual(await get(object1, { Origin: "https://nb.example.org" }), [200, null]);
  const removed = await script("post", ["-m", "access-control-allow-origin:", name]);
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(await corsOrigins(name), "");
}, 90_000);

hostileTest(
  "the first share of a container without a TempURL key says it set one, and how to revoke its links",
  async (t) => {
    const { name, store } = await datasets(t, "share-key");
    const account = (await getTempUrlKeys(store)).account;
    assert.equal(account.length, 0, "precondition: the test account has no TempURL key");

    const first = await script("share", ["--expires", "1h", `${name}/nb1`]);
    const link = linkOf(first, "first share");
    const keys = await getTempUrlKeys(store);
    assert.equal(keys.container.length, 1, "share.ts set a container key");
    const [key] = keys.container;
    assert.ok(!(first.stdout + first.stderr).includes(key), "the key is not printed");
    const lines = first.stderr.trim().split("\n");
    assert.equal(lines.length, 1, `one line on stderr, found: ${first.stderr}`);
    assert.match(lines[0], new RegExp(`^share\\.ts: set a new TempURL key on container ${name} `));
    assert.match(lines[0], new RegExp(`key\\.ts remove ${name} revokes every link signed with it`));
    assert.equal((await get(link.replace("/nb1/?", "/nb1/zarr.json?")))[0], 200);

    // Once there is a key, nothing to say.
    const second = await script("share", ["--expires", "1h", `${name}/nb2`], { secrets: [key] });
    const link2 = linkOf(second, "second share");
    assert.equal(second.stderr, "");
    assert.equal((await getTempUrlKeys(store)).container.length, 1, "no other key");

    // The command it names revokes both links.
    const remove = await script("key", ["remove", name], { secrets: [key] });
    assert.equal(remove.code, 0, remove.stderr);
    assert.equal((await get(link.replace("/nb1/?", "/nb1/zarr.json?")))[0], 401);
    assert.equal((await get(link2.replace("/nb2/?", "/nb2/zarr.json?")))[0], 401);
  },
  90_000,
);

hostileTest("share.ts --help begins with what the script does, and says how revoking works", async () => {
  const help = await script("share", ["--help"]);
  assert.equal(help.code, 0);
  const paragraphs = help.stdout.trim().split("\n\n");
  assert.match(paragraphs[0], /^Usage: share\.ts /);
  assert.match(paragraphs[1], /^Prints one link to a dataset /);
  assert.match(help.stdout, /key\.ts remove <container>\s+revokes every link/);
  assert.match(help.stdout, /tempurl\.ts GET 7d <container>\/<object>/);
});

hostileTest("share.ts --expires that is not a positive time span is a usage error (exit 2)", async () => {
  // A container that does not exist: usage errors come before any request.
  const name = uniqueName("share-expires");
  for (const value of ["0", "0d", "-5d", "-5", "5x", "1.5h"]) {
    const ran = await script("share", [`--expires=${value}`, `${name}/ds`]);
    assert.equal(ran.code, 2, `--expires ${value}: exit ${ran.code}; stderr ${ran.stderr}`);
    const lines = ran.stderr.trim().split("\n");
    assert.equal(lines.length, 1, `--expires ${value}: one line, found: ${ran.stderr}`);
    assert.equal(
      lines[0],
      `share.ts: expected --expires to be a positive number of seconds, optionally with a unit s, m, h or d (90, 30m, 12h, 7d), found ${value} (see --help)`,
    );
    assert.equal(ran.stdout, "");
  }
  // An origin that is not one, before any request.
  const badCors = await script("share", ["--cors", "https://a.org https://b.org", `${name}/ds`]);
  assert.equal(badCors.code, 2, badCors.stderr);
  assert.match(
    badCors.stderr,
    /expected --cors to be one origin .*found "https:\/\/a\.org https:\/\/b\.org"/,
  );
  // Apart from its flag, a value starting with - reads as an option: said so. Further than any date.
  const apart = await script("share", ["--expires", "-5d", `${name}/ds`]);
  assert.equal(apart.code, 2);
  assert.match(apart.stderr, /--expires expects a value, found an option after it/);
  const forever = await script("share", ["--allow-long-expiry", "--expires", "99999999999d", `${name}/ds`]);
  assert.equal(forever.code, 2, forever.stderr);
  assert.match(forever.stderr, /expected --expires to end before the year 275760, found 99999999999d/);
  // Past a year without --allow-long-expiry: still that advice.
  const long = await script("share", ["--expires", "99999999999d", `${name}/ds`]);
  assert.equal(long.code, 2);
  assert.match(long.stderr, /--allow-long-expiry/);
});

hostileTest("share.ts of one object points at tempurl.ts, and its command makes the link", async (t) => {
  const { name, store } = await datasets(t, "share-object");
  const ran = await script("share", ["--expires", "1h", "--cors", "*", `${name}/v2/.zattrs`]);
  assert.equal(ran.code, 1, `exit ${ran.code}; stderr ${ran.stderr}`);
  const lines = ran.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line, found: ${ran.stderr}`);
  assert.equal(
    lines[0],
    `share.ts: expected a prefix with objects under it, found the object ${name}/v2/.zattrs: share.ts shares a dataset (a prefix, such as ${name}/v2); for a link to this one object: tempurl.ts GET 1h ${name}/v2/.zattrs`,
  );
  assert.equal(ran.stdout, "");
  const head = await raw("HEAD", `/${name}`);
  assert.equal(head.headers.get("X-Container-Meta-Temp-Url-Key"), null, "no key was set");
  assert.equal(head.headers.get("X-Container-Meta-Access-Control-Allow-Origin"), null, "no CORS was set");

  // An object at the top of the container: no parent prefix to suggest.
  await store.set("/top.json", utf8("{}"));
  const top = await script("share", [`${name}/top.json`]);
  assert.equal(top.code, 1);
  assert.match(
    top.stderr,
    /share\.ts shares a dataset \(a prefix\); .*tempurl\.ts GET 7d [^ ]+\/top\.json$/m,
  );

  // A prefix with nothing under it and no such object: as before.
  const nothing = await script("share", [`${name}/v2/nope`]);
  assert.equal(nothing.code, 1);
  assert.match(nothing.stderr, /nothing under .*\/v2\/nope\/: nothing to share/);

  // The command it names works, once a key is set.
  assert.equal((await script("key", ["set", "--temp-url-key", "share-object-key", name])).code, 0);
  const tempurl = await script("tempurl", ["GET", "1h", `${name}/v2/.zattrs`], {
    secrets: ["share-object-key"],
  });
  assert.equal(tempurl.code, 0, tempurl.stderr);
  assert.equal((await get(tempurl.stdout.trim()))[0], 200);
}, 90_000);

/**
 * Listings read from both ends at once (`src/swift/listing_ends.ts`): every name once,
 * in order, in about half the round trips one after another, on servers that honour
 * `reverse=true` and on servers that ignore it, with short pages, with pages of one
 * name, past the tail's cap, under a prefix, and against the real Swift.
 */
import assert from "node:assert/strict";
import { MAX_TAIL_PAGES } from "../src/swift/listing_ends.ts";
import { compareNames } from "../src/swift/listing_pages.ts";
import { PreAuth, SwiftContainer } from "../mod.ts";
import { type FakeSwift, hostileTest, type Received, type Scope } from "./_hostile.ts";
import { dropContainer, tempAuth, uniqueName, utf8 } from "./_swift.ts";

/** `n` names under `prefix`, with names around the prefix that must not be listed. */
function fill(fake: FakeSwift, n: number, prefix = "p/"): string[] {
  fake.container("c");
  const names = Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, "0")}`);
  for (const name of [...names, "a-before", "z-after"]) fake.put("c", name, name);
  return names;
}

/** The container `c` of the fake, and the listing GETs it answers (forward and reverse). */
async function open(t: Scope, fake: FakeSwift) {
  const gets = { forward: 0, reverse: 0 };
  const inner = fake.script;
  fake.script = (req: Received) => {
    if (req.method === "GET" && req.path === "/v1/AUTH_test/c") {
      gets[req.query.get("reverse") === "true" ? "reverse" : "forward"]++;
    }
    return inner?.(req);
  };
  const container = await SwiftContainer.open({
    container: "c",
    auth: new PreAuth({ storageUrl: fake.storageUrl, token: fake.token }),
    createContainer: false,
    signal: t.signal,
  });
  const list = async (prefix = "p/") => {
    [gets.forward, gets.reverse] = [0, 0];
    const names: string[] = [];
    for await (const e of container.list(prefix)) if ("name" in e) names.push(e.name);
    return names;
  };
  return { gets, list };
}

const SIZES = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 23, 30, 31];

hostileTest(
  "a listing from both ends yields every name once, in order, in half the round trips",
  async (t) => {
    const fake = await t.fake();
    fake.listingLimit = 3;
    for (const n of SIZES) {
      fake.containers.delete("c");
      const names = fill(fake, n);
      const { gets, list } = await open(t, fake);
      assert.deepEqual(await list(), names, `${n} names`);
      // Forward only, the listing takes every page and the empty one after: ⌈n/3⌉ + 1 in a row.
      const pages = Math.ceil(n / 3);
      assert.ok(
        gets.forward <= Math.ceil(pages / 2) + 1,
        `${n} names: ${gets.forward} rounds, expected at most ${Math.ceil(pages / 2) + 1} (forward only: ${
          pages + 1
        })`,
      );
      assert.ok(gets.reverse <= gets.forward, `${n} names: a reverse page per round at most`);
    }
  },
);

hostileTest("a server that ignores reverse=true still lists every name once, in order", async (t) => {
  const fake = await t.fake();
  fake.reverseListings = false;
  for (const limit of [1, 2, 3]) {
    fake.listingLimit = limit;
    for (const n of SIZES) {
      fake.containers.delete("c");
      const names = fill(fake, n);
      const { gets, list } = await open(t, fake);
      assert.deepEqual(await list(), names, `${n} names, pages of ${limit}`);
      assert.equal(gets.forward, Math.ceil(n / limit) + 1, "forward only, to the empty page");
    }
  }
});

hostileTest("short pages, pages of one name, and the tail's cap: every name once, in order", async (t) => {
  const fake = await t.fake();
  for (const limit of [1, 2]) {
    fake.listingLimit = limit;
    for (const n of [1, 2, 3, 5, 8]) {
      fake.containers.delete("c");
      const names = fill(fake, n);
      const { list } = await open(t, fake);
      assert.deepEqual(await list(), names, `${n} names, pages of ${limit}`);
    }
  }
  // Short pages: every other answer holds one name fewer than the page size.
  fake.listingLimit = 3;
  let answers = 0;
  fake.script = (req) => {
    if (req.method === "GET" && req.path === "/v1/AUTH_test/c" && answers++ % 2 === 1) {
      req.query.set("limit", "2");
    }
    return undefined;
  };
  for (const n of SIZES) {
    fake.containers.delete("c");
    const names = fill(fake, n);
    const { list } = await open(t, fake);
    assert.deepEqual(await list(), names, `${n} names, short pages`);
  }
  fake.script = undefined;
  // Past the cap, the forward side goes on alone until it reaches the tail.
  const n = 3 * (2 * MAX_TAIL_PAGES + 5);
  fake.containers.delete("c");
  const names = fill(fake, n);
  const { gets, list } = await open(t, fake);
  assert.deepEqual(await list(), names, `${n} names past the cap`);
  assert.equal(gets.reverse, MAX_TAIL_PAGES, "the tail stops at its cap");
  assert.ok(gets.forward <= n / 3 - MAX_TAIL_PAGES + 1, `${gets.forward} forward pages`);
});

hostileTest(
  "a reverse page that does not come down: the listing goes on forward, nothing repeated",
  async (t) => {
    const fake = await t.fake();
    fake.listingLimit = 3;
    const names = fill(fake, 20);
    let reverse = 0;
    // The second reverse page jumps back to the end (a server that lost the marker).
    fake.script = (req) => {
      if (req.method === "GET" && req.query.get("reverse") === "true" && ++reverse === 2) {
        req.query.delete("marker");
      }
      return undefined;
    };
    const { gets, list } = await open(t, fake);
    assert.deepEqual(await list(), names);
    assert.equal(gets.forward, Math.ceil(20 / 3) + 1, "forward to the end once the tail is dropped");
  },
);

Deno.test("the real Swift: a listing of one page takes one round trip; prefixes and order hold", async () => {
  const container = uniqueName("ends");
  const gets: string[] = [];
  const counting: typeof fetch = (input, init) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    if (req.method === "GET" && url.searchParams.has("format")) gets.push(url.search);
    return fetch(req);
  };
  const c = await SwiftContainer.open({ container, auth: tempAuth(), fetch: counting });
  try {
    const names = ["d/a", "d/b", "d/b/c", "d/é", "d/z", "d0", "e"];
    await Promise.all(names.map((n) => c.put(n, utf8(n))));
    gets.length = 0;
    const listed: string[] = [];
    for await (const e of c.list("d/")) if ("name" in e) listed.push(e.name);
    assert.deepEqual(listed, ["d/a", "d/b", "d/b/c", "d/z", "d/é"], "byte order, under the prefix only");
    assert.equal(gets.length, 2, `one round of two requests: ${gets.join(" ")}`);
    assert.ok(gets.some((q) => q.includes("reverse=true")), "one of them from the end");
  } finally {
    await dropContainer(container);
  }
});

Deno.test("compareNames orders names by their UTF-8 bytes, as Swift does", () => {
  const bytes = (s: string) => [...new TextEncoder().encode(s)];
  const reference = (a: string, b: string) => {
    const [x, y] = [bytes(a), bytes(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  };
  // ASCII, Latin-1, the units just below and above the surrogates, astral characters.
  const alphabet = ["a", "b", "/", "é", "\u07ff", "\u0800", "\ud7ff", "\ue000", "\uffee", "😀", "𝄞"];
  const random = () =>
    Array.from(
      { length: 1 + Math.floor(Math.random() * 4) },
      () => alphabet[Math.floor(Math.random() * alphabet.length)],
    )
      .join("");
  for (let i = 0; i < 5000; i++) {
    const [a, b] = [random(), random()];
    assert.equal(Math.sign(compareNames(a, b)), Math.sign(reference(a, b)), `${JSON.stringify([a, b])}`);
  }
  assert.ok(compareNames("\uffee", "😀") < 0, "U+FFEE sorts before U+1F600, unlike their UTF-16 units");
});

/**
 * The pure parts of the movers' toolkit (issue 16), without a server: the sync plan
 * (`planSync`: what to transfer, delete, and why; what needs a checksum), usage per
 * prefix (`UsageTally`), and another account's storage URL (`accountUrl`,
 * `otherAccount` over a fake provider).
 */
import assert from "node:assert/strict";
import {
  accountUrl,
  type AuthProvider,
  type Credentials,
  otherAccount,
  planSync,
  type SyncEntry,
  UsageTally,
} from "../mod.ts";

const e = (path: string, size: number, md5?: string, extra: Partial<SyncEntry> = {}): SyncEntry => ({
  path,
  size,
  ...(md5 === undefined ? {} : { md5 }),
  ...extra,
});

Deno.test("planSync: missing, size, content and same, each with its reason; extras only with delete", () => {
  const source = [e("a", 1, "A"), e("b", 2, "B"), e("c", 3, "C"), e("d", 4, "D")];
  const destination = [e("b", 2, "B"), e("c", 3, "X"), e("d", 5, "D"), e("z", 7, "Z")];
  const plan = planSync(source, destination);
  assert.deepEqual(plan.transfer, [
    { path: "a", size: 1, reason: "missing" },
    { path: "c", size: 3, reason: "content" },
    { path: "d", size: 4, reason: "size" },
  ]);
  assert.deepEqual(plan.delete, [], "nothing is deleted without delete");
  assert.deepEqual([plan.same, plan.sameBytes, plan.transferBytes, plan.check], [1, 2, 8, []]);
  const mirror = planSync(source, destination, { delete: true });
  assert.deepEqual(mirror.delete, [{ path: "z", size: 7, reason: "extra" }]);
  assert.equal(mirror.deleteBytes, 7);
});

Deno.test("planSync: a file is hashed only when the sizes match, then compared", () => {
  const local = [e("same", 3), e("changed", 3), e("grown", 4), e("new", 1)];
  const remote = [e("same", 3, "m1"), e("changed", 3, "m2"), e("grown", 3, "m3")];
  let plan = planSync(local, remote);
  assert.deepEqual(plan.check.map((c) => [c.path, c.side, c.need]), [
    ["changed", "source", "md5"],
    ["same", "source", "md5"],
  ]);
  assert.deepEqual(plan.transfer.map((t) => [t.path, t.reason]), [["grown", "size"], ["new", "missing"]]);
  for (const check of plan.check) check.entry.md5 = check.path === "same" ? "m1" : "other";
  plan = planSync(local, remote);
  assert.deepEqual(plan.check, []);
  assert.deepEqual(plan.transfer.map((t) => [t.path, t.reason]), [
    ["changed", "content"],
    ["grown", "size"],
    ["new", "missing"],
  ]);
  assert.equal(plan.same, 1);
});

Deno.test("planSync: a large object is compared segment by segment with a file, in two rounds", () => {
  for (const [fileParts, expected] of [[["s1", "s2"], "same"], [["s1", "XX"], "content"]] as const) {
    const local = [e("big", 10)];
    const remote = [e("big", 10, undefined, { largeObject: true })];
    let plan = planSync(local, remote);
    assert.deepEqual(plan.check.map((c) => [c.side, c.need, c.sizes]), [["destination", "parts", undefined]]);
    plan.check[0].entry.parts = [{ size: 6, md5: "s1" }, { size: 4, md5: "s2" }];
    plan = planSync(local, remote);
    assert.deepEqual(plan.check.map((c) => [c.side, c.need, c.sizes]), [["source", "parts", [6, 4]]]);
    plan.check[0].entry.parts = [{ size: 6, md5: fileParts[0] }, { size: 4, md5: fileParts[1] }];
    plan = planSync(local, remote);
    assert.equal(plan.check.length, 0);
    assert.equal(plan.same === 1 ? "same" : plan.transfer[0]?.reason, expected);
  }
  // Either direction: the large object as the source.
  const down = planSync([e("big", 10, undefined, { largeObject: true, parts: [{ size: 10, md5: "w" }] })], [
    e("big", 10, "w"),
  ]);
  assert.deepEqual([down.same, down.check.length], [1, 0], "one segment: compared with the file's MD5");
});

Deno.test("planSync: unreadable or inconsistent segments, and large objects cut differently, count as different", () => {
  const file = e("big", 10, "m");
  for (const parts of [[], [{ size: 4, md5: "a" }]]) {
    const plan = planSync([file], [e("big", 10, undefined, { largeObject: true, parts })]);
    assert.deepEqual(plan.transfer.map((t) => t.reason), ["content"], JSON.stringify(parts));
  }
  const a = e("big", 10, undefined, {
    largeObject: true,
    parts: [{ size: 5, md5: "x" }, { size: 5, md5: "y" }],
  });
  const b = e("big", 10, undefined, {
    largeObject: true,
    parts: [{ size: 6, md5: "x" }, { size: 4, md5: "y" }],
  });
  assert.deepEqual(planSync([a], [b]).transfer.map((t) => t.reason), ["content"]);
  assert.equal(planSync([a], [{ ...a }]).same, 1);
});

Deno.test("planSync: the filter keeps excluded paths from transfers and deletes; keep protects paths and prefixes", () => {
  const source = [e("a.txt", 1, "A"), e("b.tmp", 1, "B")];
  const destination = [e("old.tmp", 1, "O"), e("old.txt", 1, "T"), e("kept/x", 1, "K"), e("file", 1, "F")];
  const plan = planSync(source, destination, {
    delete: true,
    filter: (path) => !path.endsWith(".tmp"),
    keep: ["kept/", "file"],
  });
  assert.deepEqual(plan.transfer.map((t) => t.path), ["a.txt"]);
  assert.deepEqual(plan.delete.map((d) => d.path), ["old.txt"]);
  assert.equal(plan.excluded, 2);
});

Deno.test("UsageTally: totals per sub-prefix down to the depth, everything below each counted", () => {
  const objects: [string, number][] = [
    ["zarr.json", 10],
    ["a/zarr.json", 20],
    ["a/c/0", 100],
    ["a/c/1", 100],
    [
      "b/x/y/z",
      5,
    ],
  ];
  const rows = (depth: number) => {
    const tally = new UsageTally(depth);
    for (const [path, size] of objects) tally.add(path, size);
    return tally.rows().map((r) => `${r.prefix}:${r.objects}:${r.bytes}`);
  };
  assert.deepEqual(rows(0), [":5:235"]);
  assert.deepEqual(rows(1), [":5:235", "a/:3:220", "b/:1:5"]);
  assert.deepEqual(rows(2), [":5:235", "a/:3:220", "a/c/:2:200", "b/:1:5", "b/x/:1:5"]);
  assert.throws(() => new UsageTally(-1), RangeError);
});

Deno.test("accountUrl and otherAccount: the same token at another account's storage URL", async () => {
  assert.equal(accountUrl("https://s.example/v1/AUTH_me/", "AUTH_you"), "https://s.example/v1/AUTH_you");
  for (const bad of ["", "a/b", "x?y", "..", "a\nb"]) {
    assert.throws(() => accountUrl("https://s/v1/A", bad), TypeError);
  }
  const refused: Credentials[] = [];
  const mine: AuthProvider = {
    credentials: () => Promise.resolve({ storageUrl: "https://s.example/v1/AUTH_me", token: "t1" }),
    refresh: (rejected) => {
      refused.push(rejected);
      return Promise.resolve({ storageUrl: "https://s.example/v1/AUTH_me", token: "t2" });
    },
  };
  const theirs = otherAccount(mine, "AUTH_you");
  const first = await theirs.credentials();
  assert.deepEqual(first, { storageUrl: "https://s.example/v1/AUTH_you", token: "t1" });
  assert.deepEqual(await theirs.refresh(first), { storageUrl: "https://s.example/v1/AUTH_you", token: "t2" });
  assert.deepEqual(
    refused,
    [{ storageUrl: "https://s.example/v1/AUTH_me", token: "t1" }],
    "the provider sees its own",
  );
});

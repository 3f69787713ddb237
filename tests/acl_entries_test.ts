/** One ACL entry is one entry: separators, blanks and control characters inside it are refused. */
import assert from "node:assert/strict";
import { parseAclEntry } from "../mod.ts";

Deno.test("parseAclEntry refuses entries that a header would read as several, or as another name", () => {
  for (const bad of ["bad acl,,", "a,b", "x y", "acct:us er", "tab\there", "nl\nx", ".r:a b"]) {
    assert.throws(() => parseAclEntry(bad), TypeError, JSON.stringify(bad));
  }
  // Blanks around an entry, and after a referrer designator, are Swift's own tolerance.
  assert.deepEqual(parseAclEntry("  test:tester2 "), { kind: "user", account: "test", user: "tester2" });
  assert.deepEqual(parseAclEntry(".r: -bad.example.com"), {
    kind: "referrer",
    host: "bad.example.com",
    deny: true,
  });
});

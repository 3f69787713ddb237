/**
 * Container ACLs (`X-Container-Read`, `X-Container-Write`): parsing and formatting
 * Swift's full syntax. Pure: reading and changing a container's ACLs is in
 * `swift/access.ts`.
 *
 * | Entry            | Meaning                                                    |
 * | ---------------- | ---------------------------------------------------------- |
 * | `.r:*`           | anyone may read objects (referrer rule: any referrer)       |
 * | `.r:host`        | requests whose Referer is that host (`.r:.example.com`: a domain) |
 * | `.r:-host`       | deny that referrer                                         |
 * | `.rlistings`     | anyone allowed by an `.r:` rule may also list              |
 * | `account`        | every user of a (TempAuth) account                         |
 * | `account:user`   | one user; Keystone: `project:user`, `project:*`, `*:user`  |
 *
 * @example Parse a read ACL and format it back
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatAcl, parseAcl } from "@zarrswift/store";
 *
 * const entries = parseAcl(".r:*, .rlistings, test:tester2");
 * assert.deepEqual(entries.map((e) => e.kind), ["referrer", "listings", "user"]);
 * assert.equal(formatAcl(entries), ".r:*,.rlistings,test:tester2");
 * ```
 * @module
 */

/**
 * One parsed ACL entry.
 *
 * @example Entries for anyone and for one colleague
 * ```ts
 * import assert from "node:assert/strict";
 * import { type AclEntry, formatAclEntry } from "@zarrswift/store";
 *
 * const anyone: AclEntry = { kind: "referrer", host: "*", deny: false };
 * const colleague: AclEntry = { kind: "user", account: "test", user: "tester2" };
 * assert.deepEqual([anyone, colleague].map(formatAclEntry), [".r:*", "test:tester2"]);
 * ```
 */
export type AclEntry =
  | {
    /** A referrer rule (`.r:…`). */
    kind: "referrer";
    /** `*` for any referrer, a host, or a domain starting with `.`. */
    host: string;
    /** Whether the rule denies rather than grants. */
    deny: boolean;
  }
  | {
    /** `.rlistings`: those allowed by a referrer rule may list too. */
    kind: "listings";
  }
  | {
    /** An account, user or project grant. */
    kind: "user";
    /** The account or project (`*` for any, Keystone). */
    account: string;
    /** The user (`*` for any, Keystone), absent for a whole account. */
    user?: string;
  };

/**
 * The read and write ACLs of a container, as lists of entries in Swift's syntax.
 *
 * @example A public container one colleague may write to
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ContainerAcl, parseAcl } from "@zarrswift/store";
 *
 * const acl: ContainerAcl = { read: [".r:*", ".rlistings"], write: ["test:tester2"] };
 * const [writer] = parseAcl(acl.write.join(","), "write");
 * assert.deepEqual(writer, { kind: "user", account: "test", user: "tester2" });
 * ```
 */
export interface ContainerAcl {
  /** Who may read (`X-Container-Read`). */
  read: string[];
  /** Who may write (`X-Container-Write`). */
  write: string[];
}

const REFERRER = new Set([".r", ".ref", ".referer", ".referrer"]);

/**
 * Parses one ACL entry as Swift does (`.ref:`, `.referer:`, `.referrer:` are `.r:`;
 * `.r:*.example.com` is `.r:.example.com`); throws a `TypeError` for what Swift
 * refuses: unknown `.` designators, referrer rules without a host, and referrer
 * rules in a write ACL.
 *
 * @param entry One entry, e.g. `.r:*`, `.rlistings` or `account:user`.
 * @param acl Which ACL the entry belongs to: referrer rules are refused in `"write"`.
 * @returns The parsed entry.
 * @throws {TypeError} When Swift would refuse the entry.
 *
 * @example Parse a referrer rule that denies a host
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseAclEntry } from "@zarrswift/store";
 *
 * assert.deepEqual(parseAclEntry(".referrer:-bad.example.com"), {
 *   kind: "referrer",
 *   host: "bad.example.com",
 *   deny: true,
 * });
 * ```
 *
 * @example Referrer rules have no place in a write ACL
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseAclEntry } from "@zarrswift/store";
 *
 * assert.throws(() => parseAclEntry(".r:*", "write"), TypeError);
 * ```
 */
export function parseAclEntry(entry: string, acl: "read" | "write" = "read"): AclEntry {
  const text = entry.trim();
  if (text === "") throw new TypeError("Expected an ACL entry, found an empty one");
  // One entry: no separator, no blank, no control character (a header value would
  // read it as several entries, or as another name).
  // deno-lint-ignore no-control-regex
  if (/[,\s\x00-\x1f\x7f]/.test(text.replace(/^\.r(ef|eferr?er)?:\s*-?\s*/, ""))) {
    throw new TypeError(
      `Expected one ACL entry without commas, blanks or control characters, found ${JSON.stringify(text)}`,
    );
  }
  if (text === ".rlistings") return { kind: "listings" };
  const colon = text.indexOf(":");
  if (colon < 0) {
    if (text.startsWith(".")) {
      throw new TypeError(`Expected a known ACL designator, found ${JSON.stringify(text)}`);
    }
    return { kind: "user", account: text };
  }
  const first = text.slice(0, colon).trim();
  let second = text.slice(colon + 1).trim();
  if (!first.startsWith(".")) return { kind: "user", account: first, user: second };
  if (!REFERRER.has(first)) {
    throw new TypeError(`Expected a known ACL designator, found ${JSON.stringify(first)}`);
  }
  if (acl === "write") {
    throw new TypeError(`Expected no referrer rule in a write ACL, found ${JSON.stringify(text)}`);
  }
  const deny = second.startsWith("-");
  if (deny) second = second.slice(1).trim();
  if (second !== "*" && second.startsWith("*")) second = second.slice(1).trim();
  if (second === "" || second === ".") {
    throw new TypeError(`Expected a host or domain after the referrer rule, found ${JSON.stringify(text)}`);
  }
  return { kind: "referrer", host: second, deny };
}

/**
 * Formats one entry in Swift's canonical form.
 *
 * @param entry The parsed entry.
 * @returns The entry as Swift writes it, e.g. `.r:-host` or `account:user`.
 *
 * @example Format a user grant
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatAclEntry } from "@zarrswift/store";
 *
 * assert.equal(formatAclEntry({ kind: "user", account: "test", user: "tester2" }), "test:tester2");
 * ```
 */
export function formatAclEntry(entry: AclEntry): string {
  switch (entry.kind) {
    case "referrer":
      return `.r:${entry.deny ? "-" : ""}${entry.host}`;
    case "listings":
      return ".rlistings";
    case "user":
      return entry.user === undefined ? entry.account : `${entry.account}:${entry.user}`;
  }
}

/**
 * Parses an ACL header value (comma-separated; blanks ignored).
 *
 * @param value The header value (`X-Container-Read` or `X-Container-Write`); `null` or
 * `undefined` when the header is absent.
 * @param acl Which ACL the value is: referrer rules are refused in `"write"`.
 * @returns The entries, in the header's order (none for an absent or blank header).
 * @throws {TypeError} When Swift would refuse one of the entries.
 *
 * @example Parse a header value
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseAcl } from "@zarrswift/store";
 *
 * assert.deepEqual(parseAcl("test:tester2, .r:*"), [
 *   { kind: "user", account: "test", user: "tester2" },
 *   { kind: "referrer", host: "*", deny: false },
 * ]);
 * assert.deepEqual(parseAcl(null), []);
 * ```
 */
export function parseAcl(value: string | null | undefined, acl: "read" | "write" = "read"): AclEntry[] {
  return (value ?? "").split(",").filter((part) => part.trim() !== "").map((part) =>
    parseAclEntry(part, acl)
  );
}

/**
 * Formats entries as an ACL header value, in the given order.
 *
 * @param entries Parsed entries, or entries in Swift's syntax (checked and put in
 * canonical form).
 * @param acl Which ACL the value is for: referrer rules are refused in `"write"`.
 * @returns The header value, entries separated by commas.
 * @throws {TypeError} When an entry given as text is one Swift would refuse.
 *
 * @example Format parsed entries and text alike
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatAcl } from "@zarrswift/store";
 *
 * assert.equal(formatAcl([{ kind: "referrer", host: "*", deny: false }, ".rlistings"]), ".r:*,.rlistings");
 * assert.equal(formatAcl([".referrer:*.example.com"]), ".r:.example.com");
 * ```
 */
export function formatAcl(entries: readonly (AclEntry | string)[], acl: "read" | "write" = "read"): string {
  return entries.map((e) => formatAclEntry(typeof e === "string" ? parseAclEntry(e, acl) : e)).join(",");
}

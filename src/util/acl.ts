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
 * @example
 * ```ts
 * import { formatAcl, parseAcl } from "@zarrswift/store";
 * const entries = parseAcl(".r:*, .rlistings, test:tester2");
 * console.log(formatAcl(entries)); // ".r:*,.rlistings,test:tester2"
 * ```
 * @module
 */

/**
 * One parsed ACL entry.
 *
 * @example
 * ```ts
 * import type { AclEntry } from "@zarrswift/store";
 * const anyone: AclEntry = { kind: "referrer", host: "*", deny: false };
 * const colleague: AclEntry = { kind: "user", account: "test", user: "tester2" };
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
 * @example
 * ```ts
 * import type { ContainerAcl } from "@zarrswift/store";
 * const acl: ContainerAcl = { read: [".r:*", ".rlistings"], write: ["test:tester2"] };
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
 * @example
 * ```ts
 * import { parseAclEntry } from "@zarrswift/store";
 * console.log(parseAclEntry(".referrer:-bad.example.com")); // { kind: "referrer", host: "bad.example.com", deny: true }
 * ```
 */
export function parseAclEntry(entry: string, acl: "read" | "write" = "read"): AclEntry {
  const text = entry.trim();
  if (text === "") throw new TypeError("Expected an ACL entry, found an empty one");
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
 * @example
 * ```ts
 * import { formatAclEntry } from "@zarrswift/store";
 * console.log(formatAclEntry({ kind: "user", account: "test", user: "tester2" })); // "test:tester2"
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
 * @example
 * ```ts
 * import { parseAcl } from "@zarrswift/store";
 * console.log(parseAcl("test:tester2, .r:*").length); // 2
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
 * @example
 * ```ts
 * import { formatAcl } from "@zarrswift/store";
 * console.log(formatAcl([{ kind: "referrer", host: "*", deny: false }, { kind: "listings" }])); // ".r:*,.rlistings"
 * ```
 */
export function formatAcl(entries: readonly (AclEntry | string)[], acl: "read" | "write" = "read"): string {
  return entries.map((e) => formatAclEntry(typeof e === "string" ? parseAclEntry(e, acl) : e)).join(",");
}

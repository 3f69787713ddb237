/**
 * Container ACLs (`X-Container-Read`, `X-Container-Write`): parsing and formatting
 * Swift's full syntax, reading and changing a store's container ACLs, and making a
 * container public or private. Changes keep the order of the entries and every
 * grant they do not touch; making a container private removes `.r:*` and
 * `.rlistings` together.
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

import type { SwiftStore } from "./store.ts";
import { containerMetadata, updateContainer } from "./container.ts";

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

/**
 * Reads the container's ACLs (needs an admin of the account).
 *
 * @example
 * ```ts ignore
 * const { read, write } = await getAcl(store);
 * ```
 */
export async function getAcl(store: SwiftStore, signal?: AbortSignal): Promise<ContainerAcl> {
  const headers = await containerMetadata(store, signal);
  return {
    read: parseAcl(headers.get("X-Container-Read")).map(formatAclEntry),
    write: parseAcl(headers.get("X-Container-Write"), "write").map(formatAclEntry),
  };
}

/**
 * Replaces the read and/or write ACL (an empty list removes it). Entries are
 * checked first: nothing is sent when one is invalid.
 *
 * @example
 * ```ts ignore
 * await setAcl(store, { read: ["test:tester2"], write: [] });
 * ```
 */
export async function setAcl(
  store: SwiftStore,
  acl: Partial<ContainerAcl>,
  signal?: AbortSignal,
): Promise<void> {
  const headers: Record<string, string> = {};
  for (const kind of ["read", "write"] as const) {
    const entries = acl[kind];
    if (entries === undefined) continue;
    const name = kind === "read" ? "Read" : "Write";
    const value = formatAcl(entries, kind);
    if (value === "") headers[`X-Remove-Container-${name}`] = "x";
    else headers[`X-Container-${name}`] = value;
  }
  if (Object.keys(headers).length > 0) await updateContainer(store, headers, "Setting the ACL of", signal);
}

/**
 * Whether anyone may read the container's objects (a `.r:*` grant).
 *
 * @example
 * ```ts ignore
 * console.log(await isPublic(store));
 * ```
 */
export async function isPublic(store: SwiftStore, signal?: AbortSignal): Promise<boolean> {
  const { read } = await getAcl(store, signal);
  return read.includes(".r:*");
}

/**
 * Makes the container public (adds `.r:*`, and `.rlistings` unless
 * `listings: false`, at the end when missing) or private (removes both), keeping
 * every other entry where it was.
 *
 * @example
 * ```ts ignore
 * await setPublic(store, true); // anyone may read and list
 * await setPublic(store, false);
 * ```
 */
export async function setPublic(
  store: SwiftStore,
  on: boolean,
  options: { listings?: boolean; signal?: AbortSignal } = {},
): Promise<void> {
  const listings = options.listings ?? true;
  const { read } = await getAcl(store, options.signal);
  const next = read.filter((e) => on ? e !== ".rlistings" || listings : e !== ".r:*" && e !== ".rlistings");
  if (on && !next.includes(".r:*")) next.push(".r:*");
  if (on && listings && !next.includes(".rlistings")) next.push(".rlistings");
  await setAcl(store, { read: next }, options.signal);
}

/**
 * Flips the container between public and private (as zarr-swiftstore's
 * `toggle_public`) and answers the new state.
 *
 * @example
 * ```ts ignore
 * const nowPublic = await togglePublic(store);
 * ```
 */
export async function togglePublic(store: SwiftStore, signal?: AbortSignal): Promise<boolean> {
  const on = !(await isPublic(store, signal));
  await setPublic(store, on, { signal });
  return on;
}

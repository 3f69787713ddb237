/**
 * Who may read and write a store's container: its ACLs, read and changed keeping
 * the order of the entries and every grant a change does not touch, and making it
 * public or private (`.r:*` and `.rlistings` go together). Parsing is in
 * `util/acl.ts`.
 *
 * @module
 */

import { type ContainerAcl, formatAcl, formatAclEntry, parseAcl } from "../util/acl.ts";
import type { SwiftStore } from "./store.ts";

/**
 * Reads the container's ACLs (needs an admin of the account).
 *
 * @example
 * ```ts ignore
 * const { read, write } = await getAcl(store);
 * ```
 */
export async function getAcl(store: SwiftStore, signal?: AbortSignal): Promise<ContainerAcl> {
  const headers = await store.swiftContainer.metadata(signal);
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
  store.swiftContainer.checkWritable("Setting the ACL of");
  const headers: Record<string, string> = {};
  for (const kind of ["read", "write"] as const) {
    const entries = acl[kind];
    if (entries === undefined) continue;
    const name = kind === "read" ? "Read" : "Write";
    const value = formatAcl(entries, kind);
    if (value === "") headers[`X-Remove-Container-${name}`] = "x";
    else headers[`X-Container-${name}`] = value;
  }
  if (Object.keys(headers).length > 0) {
    await store.swiftContainer.updateMetadata(headers, signal, "Setting the ACL of");
  }
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
  store.swiftContainer.checkWritable("Setting the ACL of");
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
  store.swiftContainer.checkWritable("Setting the ACL of");
  const on = !(await isPublic(store, signal));
  await setPublic(store, on, { signal });
  return on;
}

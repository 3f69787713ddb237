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
 * @param store The store whose container it reads.
 * @param signal Aborts the request.
 * @returns The read and write ACL entries, in the server's order.
 *
 * @example What a public container's read ACL holds
 * ```ts
 * import assert from "node:assert/strict";
 * import { getAcl, setPublic, SwiftStore } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples" });
 * await setPublic(store, true);
 * const { read } = await getAcl(store);
 * assert.ok(read.includes(".r:*") && read.includes(".rlistings"));
 * await setPublic(store, false);
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
 * @param store The store whose container it changes.
 * @param acl The new `read` and/or `write` entries; a list left out is not changed.
 * @param signal Aborts the request.
 * @returns Once the server has taken them.
 *
 * @example Let a colleague read, then take it back
 * ```ts
 * import assert from "node:assert/strict";
 * import { getAcl, setAcl, SwiftStore } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples" });
 * await setAcl(store, { read: ["test:tester2"], write: [] });
 * assert.deepEqual(await getAcl(store), { read: ["test:tester2"], write: [] });
 * await setAcl(store, { read: [] });
 * assert.deepEqual((await getAcl(store)).read, []);
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
 * @param store The store whose container it asks about.
 * @param signal Aborts the request.
 * @returns `true` when the container is public.
 *
 * @example Public, then private again
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPublic, setPublic, SwiftStore } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples" });
 * await setPublic(store, true);
 * assert.equal(await isPublic(store), true);
 * await setPublic(store, false);
 * assert.equal(await isPublic(store), false);
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
 * @param store The store whose container it changes.
 * @param on `true` for public, `false` for private.
 * @param options `listings: false` to let anyone read objects but not list them; a signal.
 * @returns Once the server has taken the new ACL.
 *
 * @example Public objects, without listings
 * ```ts
 * import assert from "node:assert/strict";
 * import { getAcl, setPublic, SwiftStore } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples" });
 * await setPublic(store, true, { listings: false });
 * const { read } = await getAcl(store);
 * assert.ok(read.includes(".r:*") && !read.includes(".rlistings"));
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
 * @param store The store whose container it changes.
 * @param signal Aborts the requests.
 * @returns `true` when the container is now public.
 *
 * @example Flip twice, back where it was
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPublic, SwiftStore, togglePublic } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples" });
 * const before = await isPublic(store);
 * assert.equal(await togglePublic(store), !before);
 * assert.equal(await togglePublic(store), before);
 * ```
 */
export async function togglePublic(store: SwiftStore, signal?: AbortSignal): Promise<boolean> {
  store.swiftContainer.checkWritable("Setting the ACL of");
  const on = !(await isPublic(store, signal));
  await setPublic(store, on, { signal });
  return on;
}

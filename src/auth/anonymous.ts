/**
 * Credentials for a shared link: a storage URL with no token, and the query of a
 * prefix TempURL (its signature) to add to every request. They cannot be renewed:
 * a refused link asks the user for a new one.
 *
 * @module
 */

import type { AuthProvider, Credentials } from "./provider.ts";

/**
 * A provider that always answers `storageUrl` with no token, and `query` on every request.
 *
 * @param storageUrl The account's storage URL.
 * @param query The prefix TempURL's query (its signature), without `?`; `undefined` for a
 * public container.
 * @returns A provider that cannot refresh, saying why.
 */
export function linkAuth(storageUrl: string, query: string | undefined): AuthProvider {
  const credentials: Credentials = { storageUrl, token: undefined, query };
  return {
    credentials: () => Promise.resolve(credentials),
    refresh: () => Promise.resolve(undefined),
    cannotRefresh: query
      ? "the TempURL has expired, is invalid, or does not cover this object: ask for a new link"
      : "the container is not public (no .r:* read ACL): ask for a TempURL or credentials",
  };
}

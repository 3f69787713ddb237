/**
 * {@link otherAccount}: the same credentials, another account. A user who may read
 * containers of another account (through its ACLs) reaches them with their own token
 * at that account's storage URL, which differs from theirs in the last path segment
 * (`…/v1/AUTH_theirs`).
 *
 * @module
 */

import type { AuthProvider, Credentials } from "./provider.ts";

/**
 * The storage URL of `account` beside `storageUrl`: its last path segment replaced.
 *
 * @param storageUrl A storage URL, e.g. `https://swift.example.org/v1/AUTH_mine`.
 * @param account The other account, as storage URLs name it (`AUTH_theirs`).
 * @returns The other account's storage URL.
 * @throws {TypeError} The account name is empty or holds `/`, `?`, `#` or a control character.
 *
 * @example Another account's storage URL
 * ```ts
 * import assert from "node:assert/strict";
 * import { accountUrl } from "@zarrswift/store";
 * assert.equal(accountUrl("http://127.0.0.1:8080/v1/AUTH_test", "AUTH_test2"), "http://127.0.0.1:8080/v1/AUTH_test2");
 * ```
 */
export function accountUrl(storageUrl: string, account: string): string {
  // deno-lint-ignore no-control-regex
  const bad = /[/?#\x00-\x1f\x7f]/;
  if (
    typeof account !== "string" || account === "" || bad.test(account) || account === "." || account === ".."
  ) {
    throw new TypeError(`Expected an account name such as AUTH_project, found ${JSON.stringify(account)}`);
  }
  const base = storageUrl.replace(/\/+$/, "");
  return `${base.slice(0, base.lastIndexOf("/") + 1)}${encodeURIComponent(account)}`;
}

/**
 * A provider for another account with the credentials of `auth`: the same token (logins
 * and renewals go through `auth`), the storage URL of `account`. What the user may do
 * there is what that account's ACLs grant them.
 *
 * @param auth The user's own provider.
 * @param account The other account, as storage URLs name it (`AUTH_theirs`).
 * @returns A provider whose storage URL is the other account's.
 *
 * @example Read a container another account shared with you
 * ```ts
 * import assert from "node:assert/strict";
 * import { authFromEnv, otherAccount } from "@zarrswift/store";
 * const mine = authFromEnv();
 * const { storageUrl } = await mine.credentials();
 * const theirs = otherAccount(mine, "AUTH_test2");
 * assert.equal((await theirs.credentials()).storageUrl, storageUrl.replace(/[^/]+$/, "AUTH_test2"));
 * ```
 */
export function otherAccount(auth: AuthProvider, account: string): AuthProvider {
  accountUrl("http://host/v1/x", account);
  // The provider's own credentials behind each handed out, so that a refusal reaches it as it knows them.
  const own = new WeakMap<Credentials, Credentials>();
  const moved = (c: Credentials): Credentials => {
    const out = { ...c, storageUrl: accountUrl(c.storageUrl, account) };
    own.set(out, c);
    return out;
  };
  return {
    credentials: async (signal) => moved(await auth.credentials(signal)),
    refresh: async (rejected, signal) => {
      const fresh = await auth.refresh(own.get(rejected) ?? rejected, signal);
      return fresh && moved(fresh);
    },
    cannotRefresh: auth.cannotRefresh,
  };
}

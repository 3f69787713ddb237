/**
 * The provider interface: what the request path needs from a source of credentials
 * ({@link AuthProvider}), and what a provider answers ({@link Credentials},
 * {@link Token}). Types only: the HTTP layer depends on this file and on nothing
 * else of `auth/`.
 *
 * @module
 */

/**
 * What a request needs to reach the account: its storage URL and a token.
 *
 * @example The credentials a login answers
 * ```ts
 * import assert from "node:assert/strict";
 * import { authFromEnv, type Credentials } from "@zarrswift/store";
 *
 * // ST_AUTH, ST_USER and ST_KEY from the environment: a TempAuth login.
 * const creds: Credentials = await authFromEnv().credentials();
 * assert.match(creds.storageUrl, /\/v1\/AUTH_\w+$/);
 * assert.equal(typeof creds.token, "string");
 * ```
 */
export interface Credentials {
  /** The account's storage URL, e.g. `https://swift.example.org/v1/AUTH_project`. */
  readonly storageUrl: string;
  /** The token sent as `X-Auth-Token`; `undefined` for anonymous access. */
  readonly token: string | undefined;
  /** Query parameters added to every object request (a prefix TempURL's signature), without `?`. */
  readonly query?: string;
}

/**
 * A source of credentials. `credentials()` answers the current ones (logging in when
 * needed); `refresh(rejected)` is called after a 401 with the credentials the server
 * refused and answers new ones, or `undefined` when this provider cannot
 * re-authenticate. Concurrent callers share one login.
 *
 * @example A provider of fixed credentials that cannot renew them
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AuthProvider, Credentials } from "@zarrswift/store";
 *
 * const fixed: Credentials = { storageUrl: "http://127.0.0.1:8080/v1/AUTH_test", token: undefined };
 * const provider: AuthProvider = {
 *   credentials: () => Promise.resolve(fixed),
 *   refresh: () => Promise.resolve(undefined),
 *   cannotRefresh: "the container is not public: ask for credentials",
 * };
 * assert.equal(await provider.credentials(), fixed);
 * assert.equal(await provider.refresh(fixed), undefined);
 * ```
 */
export interface AuthProvider {
  /**
   * The current credentials, logging in first when there are none.
   *
   * @param signal Aborts a login in progress.
   * @returns The storage URL and token to send.
   */
  credentials(signal?: AbortSignal): Promise<Credentials>;
  /**
   * New credentials after `rejected` got a 401.
   *
   * @param rejected The credentials the server refused.
   * @param signal Aborts a login in progress.
   * @returns New credentials, or `undefined` when this provider cannot re-authenticate.
   */
  refresh(rejected: Credentials, signal?: AbortSignal): Promise<Credentials | undefined>;
  /** What to tell the user when `refresh` cannot help (ends the {@link AuthError} message). */
  readonly cannotRefresh?: string;
}

/**
 * The answer of a TempAuth login.
 *
 * @example Log in and read the token's expiry
 * ```ts
 * import assert from "node:assert/strict";
 * import { loginTempAuth, type Token } from "@zarrswift/store";
 *
 * const env = process.env; // ST_AUTH, ST_USER, ST_KEY, as for `swift -A … -U … -K …`
 * const token: Token = await loginTempAuth({ authUrl: env.ST_AUTH!, user: env.ST_USER!, key: env.ST_KEY! });
 * assert.ok(token.expiresAt === undefined || token.expiresAt > new Date());
 * ```
 */
export interface Token extends Credentials {
  /** The token. */
  readonly token: string;
  /** When the token expires, from `X-Auth-Token-Expires`, when the server says. */
  readonly expiresAt: Date | undefined;
}

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
 * @example
 * ```ts
 * import type { Credentials } from "@zarrswift/store";
 * const creds: Credentials = { storageUrl: "http://127.0.0.1:8080/v1/AUTH_test", token: "AUTH_tk…" };
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
 * @example
 * ```ts
 * import type { AuthProvider, Credentials } from "@zarrswift/store";
 * const fixed: AuthProvider = {
 *   credentials: () => Promise.resolve({ storageUrl: "http://127.0.0.1:8080/v1/AUTH_test", token: undefined }),
 *   refresh: () => Promise.resolve(undefined),
 * };
 * ```
 */
export interface AuthProvider {
  /** The current credentials, logging in first when there are none. */
  credentials(signal?: AbortSignal): Promise<Credentials>;
  /** New credentials after `rejected` got a 401, or `undefined` when it cannot re-authenticate. */
  refresh(rejected: Credentials, signal?: AbortSignal): Promise<Credentials | undefined>;
  /** What to tell the user when `refresh` cannot help (ends the {@link AuthError} message). */
  readonly cannotRefresh?: string;
}

/**
 * The answer of a TempAuth login.
 *
 * @example
 * ```ts
 * import type { Token } from "@zarrswift/store";
 * const t: Token = { storageUrl: "http://127.0.0.1:8080/v1/AUTH_test", token: "AUTH_tk…", expiresAt: undefined };
 * ```
 */
export interface Token extends Credentials {
  /** The token. */
  readonly token: string;
  /** When the token expires, from `X-Auth-Token-Expires`, when the server says. */
  readonly expiresAt: Date | undefined;
}

/**
 * {@link TempAuth}: user/key authentication against a TempAuth v1.0 endpoint, as
 * `swift -A … -U … -K …`, renewing the token when it expires or is refused; and
 * {@link loginTempAuth}, one login.
 *
 * @module
 */

import { requestOnce } from "../http/once.ts";
import { type ConnectionOptions, fetchOf, policyOf } from "../http/options.ts";
import { throwForStatus } from "../http/response.ts";
import type { RetryPolicy } from "../http/retry.ts";
import { AuthError } from "../util/errors.ts";
import type { Token } from "./provider.ts";
import { checkStorageUrl } from "./storage_url.ts";
import { RenewingAuth } from "./renewing.ts";

/**
 * Options of {@link TempAuth}.
 *
 * @example
 * ```ts
 * import type { TempAuthOptions } from "@zarrswift/store";
 * const options: TempAuthOptions = { authUrl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" };
 * ```
 */
export interface TempAuthOptions extends ConnectionOptions {
  /** The v1.0 auth endpoint, e.g. `https://swift.dkrz.de/auth/v1.0` (`ST_AUTH`). */
  authUrl: string;
  /** `account:user` (`ST_USER`). */
  user: string;
  /** The user's key (`ST_KEY`). */
  key: string;
  /**
   * How logins are retried and timed out.
   *
   * @deprecated Use the {@link ConnectionOptions} fields (`retries`, `timeout`,
   * `onRetry`, `backoff`), which stores and accounts take too; they win over this.
   */
  retry?: Partial<RetryPolicy>;
  /**
   * Accept an `http` storage URL from an `https` login (default `false`: refused, as
   * the token would then travel in clear; loopback `http` is always accepted).
   */
  allowInsecureStorageUrl?: boolean;
}

/**
 * Logs in once against a TempAuth (v1.0) endpoint and answers the storage URL, the
 * token and its expiry.
 *
 * @example
 * ```ts ignore
 * import { loginTempAuth } from "@zarrswift/store";
 * const { storageUrl, expiresAt } = await loginTempAuth({
 *   authUrl: "http://127.0.0.1:8080/auth/v1.0",
 *   user: "test:tester",
 *   key: "testing",
 * });
 * ```
 */
export function loginTempAuth(options: TempAuthOptions, signal?: AbortSignal): Promise<Token> {
  const connection = { fetch: fetchOf(options), policy: policyOf(options, options.retry) };
  const target = {
    method: "GET",
    what: `Logging in as ${options.user} at`,
    target: options.authUrl,
    signal,
    secrets: [options.key],
  };
  const headers = { "X-Auth-User": options.user, "X-Auth-Key": options.key };
  return requestOnce(connection, options.authUrl, { headers }, target, async (res) => {
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new AuthError(
        `${target.what} ${options.authUrl} failed with ${res.status}: the user or key is wrong`,
        { status: res.status, method: "GET", path: options.authUrl },
      );
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new AuthError(
        `${target.what} ${options.authUrl} failed with 404: no TempAuth endpoint there (check the auth URL, e.g. …/auth/v1.0)`,
        { status: 404, method: "GET", path: options.authUrl },
      );
    }
    if (!res.ok) return await throwForStatus(res, target, AuthError, target.secrets);
    await res.body?.cancel();
    const storageUrl = res.headers.get("X-Storage-Url");
    const token = res.headers.get("X-Auth-Token") ?? res.headers.get("X-Storage-Token");
    if (!storageUrl || !token) {
      throw new AuthError(
        `Expected X-Storage-Url and X-Auth-Token from a TempAuth v1.0 endpoint at ${options.authUrl}, found ${res.status} without them`,
        { status: res.status, method: "GET", path: options.authUrl },
      );
    }
    const seconds = Number(res.headers.get("X-Auth-Token-Expires"));
    const lifetime = res.headers.has("X-Auth-Token-Expires") && Number.isFinite(seconds)
      ? seconds * 1000
      : undefined;
    const expiresAt = lifetime === undefined ? undefined : new Date(Date.now() + lifetime);
    return {
      storageUrl: checkStorageUrl(options.authUrl, storageUrl, options.allowInsecureStorageUrl),
      token,
      expiresAt,
    };
  });
}

/**
 * Gets a token for a TempAuth user (zarr-swiftstore's `acquire_token`): the storage
 * URL, the token and when it expires. Treat the token as a password.
 *
 * @deprecated Another name for {@link loginTempAuth}, kept for code ported from
 * zarr-swiftstore; use `loginTempAuth`.
 *
 * @example
 * ```ts ignore
 * import { acquireToken } from "@zarrswift/store";
 * const { storageUrl, token, expiresAt } = await acquireToken({
 *   authUrl: "http://127.0.0.1:8080/auth/v1.0",
 *   user: "test:tester",
 *   key: "testing",
 * });
 * ```
 */
export function acquireToken(options: TempAuthOptions, signal?: AbortSignal): Promise<Token> {
  return loginTempAuth(options, signal);
}

/**
 * TempAuth (v1.0) user/key authentication, as `swift -A … -U … -K …`. Logs in on
 * first use, logs in again shortly before the token expires and whenever the server
 * refuses the token (401); concurrent requests share one login.
 *
 * @example
 * ```ts
 * import { TempAuth } from "@zarrswift/store";
 * const auth = new TempAuth({
 *   authUrl: "http://127.0.0.1:8080/auth/v1.0",
 *   user: "test:tester",
 *   key: "testing",
 * });
 * ```
 */
export class TempAuth extends RenewingAuth {
  /** The auth endpoint. */
  readonly authUrl: string;
  /** The `account:user` name. */
  readonly user: string;
  #options: TempAuthOptions;

  /** Creates the provider; nothing is sent until credentials are first needed. */
  constructor(options: TempAuthOptions) {
    super();
    for (const name of ["authUrl", "user", "key"] as const) {
      if (typeof options?.[name] !== "string" || options[name] === "") {
        throw new TypeError(`Expected TempAuth option "${name}" to be a non-empty string`);
      }
    }
    this.authUrl = options.authUrl;
    this.user = options.user;
    this.#options = { ...options };
  }

  /** Logs in at the TempAuth endpoint. */
  protected login(signal?: AbortSignal): Promise<Token> {
    return loginTempAuth(this.#options, signal);
  }

  /** Shows the endpoint and user, never the key or token. */
  toJSON(): { authUrl: string; user: string } {
    return { authUrl: this.authUrl, user: this.user };
  }
}

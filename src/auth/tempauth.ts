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
 * @example A user, with retries and a timeout for its logins
 * ```ts
 * import assert from "node:assert/strict";
 * import { TempAuth, type TempAuthOptions } from "@zarrswift/store";
 *
 * const options: TempAuthOptions = {
 *   authUrl: "http://127.0.0.1:8080/auth/v1.0",
 *   user: "test:tester",
 *   key: "testing",
 *   retries: 3,
 *   timeout: 10_000,
 * };
 * assert.equal(new TempAuth(options).user, "test:tester");
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
 * @param options The endpoint, the user and the key; `fetch`, retries and timeout.
 * @param signal Aborts the login.
 * @returns The storage URL, the token (treat it as a password) and, when the server says,
 * when it expires.
 * @throws {AuthError} When the user or key is wrong, or the endpoint is not TempAuth v1.0.
 *
 * @example Log in with the variables `swift` reads
 * ```ts
 * import assert from "node:assert/strict";
 * import { loginTempAuth } from "@zarrswift/store";
 *
 * const env = process.env; // ST_AUTH, ST_USER, ST_KEY, as for `swift -A … -U … -K …`
 * const { storageUrl, token } = await loginTempAuth({
 *   authUrl: env.ST_AUTH!,
 *   user: env.ST_USER!,
 *   key: env.ST_KEY!,
 * });
 * const res = await fetch(storageUrl, { method: "HEAD", headers: { "X-Auth-Token": token } });
 * assert.equal(res.ok, true); // the account answers
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
 * @param options The endpoint, the user and the key; `fetch`, retries and timeout.
 * @param signal Aborts the login.
 * @returns The storage URL, the token and, when the server says, when it expires.
 * @throws {AuthError} When the user or key is wrong, or the endpoint is not TempAuth v1.0.
 *
 * @example Get a token as zarr-swiftstore did
 * ```ts
 * import assert from "node:assert/strict";
 * import { acquireToken } from "@zarrswift/store";
 *
 * const env = process.env; // ST_AUTH, ST_USER, ST_KEY
 * const login = { authUrl: env.ST_AUTH!, user: env.ST_USER!, key: env.ST_KEY! };
 * const { storageUrl, token } = await acquireToken(login);
 * assert.match(storageUrl, /\/v1\//);
 * assert.ok(token.length > 0);
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
 * @example Open a store as a TempAuth user
 * ```ts
 * import assert from "node:assert/strict";
 * import { SwiftStore, TempAuth } from "@zarrswift/store";
 *
 * const env = process.env; // e.g. ST_AUTH=https://swift.dkrz.de/auth/v1.0 ST_USER=account:user ST_KEY=…
 * const auth = new TempAuth({ authUrl: env.ST_AUTH!, user: env.ST_USER!, key: env.ST_KEY! });
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID(), auth });
 * await store.set("/zarr.json", new TextEncoder().encode('{"zarr_format":3,"node_type":"group"}'));
 * assert.deepEqual(await Array.fromAsync(store.list()), ["/zarr.json"]);
 * await store.deletePrefix("/"); // clean up
 * assert.equal(JSON.stringify(auth).includes(env.ST_KEY!), false); // the key never shows
 * ```
 */
export class TempAuth extends RenewingAuth {
  /** The auth endpoint. */
  readonly authUrl: string;
  /** The `account:user` name. */
  readonly user: string;
  #options: TempAuthOptions;

  /**
   * Creates the provider; nothing is sent until credentials are first needed.
   *
   * @param options The endpoint, the user and the key; `fetch`, retries and timeout.
   * @throws {TypeError} When the endpoint, user or key is missing or empty.
   */
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

  /**
   * Logs in at the TempAuth endpoint.
   *
   * @param signal Aborts the login.
   * @returns The storage URL, the token and its expiry.
   */
  protected login(signal?: AbortSignal): Promise<Token> {
    return loginTempAuth(this.#options, signal);
  }

  /**
   * Shows the endpoint and user, never the key or token.
   *
   * @returns What `JSON.stringify` writes.
   */
  toJSON(): { authUrl: string; user: string } {
    return { authUrl: this.authUrl, user: this.user };
  }
}

/**
 * The renewal logic every logging-in provider shares (TempAuth, Keystone): log in on
 * first use, again shortly before the token expires and whenever the server refuses
 * it, with one login shared by all concurrent requests.
 *
 * @module
 */

import type { AuthProvider, Credentials, Token } from "./provider.ts";

/**
 * Base class for providers that log in and can log in again. Subclasses implement
 * {@link RenewingAuth.login}; this class decides when to call it.
 *
 * @example Concurrent requests share one login; a refused token logs in again
 * ```ts
 * import assert from "node:assert/strict";
 * import { RenewingAuth, type Token } from "@zarrswift/store";
 *
 * class CountingLogin extends RenewingAuth {
 *   logins = 0;
 *   protected login(): Promise<Token> {
 *     const token = `token-${++this.logins}`;
 *     return Promise.resolve({ storageUrl: "http://127.0.0.1:8080/v1/AUTH_t", token, expiresAt: undefined });
 *   }
 * }
 * const auth = new CountingLogin();
 * const [a, b] = await Promise.all([auth.credentials(), auth.credentials()]);
 * assert.deepEqual([a.token, b.token, auth.logins], ["token-1", "token-1", 1]);
 * const renewed = await auth.refresh(a); // the server refused token-1
 * assert.deepEqual([renewed.token, auth.logins], ["token-2", 2]);
 * assert.equal((await auth.refresh(a)).token, "token-2"); // already renewed: no new login
 * ```
 */
export abstract class RenewingAuth implements AuthProvider {
  #current: Promise<Token> | undefined;
  /** Log in again this long before the token expires: 60 s, or a tenth of a short lifetime. */
  #margin = 60_000;

  /**
   * Logs in once.
   *
   * @param signal Aborts the login.
   * @returns The storage URL, a token and its expiry.
   */
  protected abstract login(signal?: AbortSignal): Promise<Token>;

  #start(signal?: AbortSignal): Promise<Token> {
    const started = Date.now();
    const login = this.login(signal).then((token) => {
      if (token.expiresAt) this.#margin = Math.min(60_000, (token.expiresAt.getTime() - started) / 10);
      return token;
    });
    this.#current = login;
    // A failed login is not cached: the next caller tries again.
    login.catch(() => {
      if (this.#current === login) this.#current = undefined;
    });
    return login;
  }

  /**
   * The current token, logging in when there is none or it is about to expire.
   *
   * @param signal Aborts a login this call starts.
   * @returns The storage URL and a token.
   */
  async credentials(signal?: AbortSignal): Promise<Credentials> {
    if (this.#current === undefined) return await this.#start(signal);
    const current = this.#current;
    const token = await current;
    if (token.expiresAt && token.expiresAt.getTime() - Date.now() < this.#margin) {
      // Only the first caller to notice starts the new login.
      return this.#current === current ? await this.#start(signal) : await this.#current;
    }
    return token;
  }

  /**
   * Logs in again after `rejected` got a 401, unless another caller already did.
   *
   * @param rejected The credentials the server refused.
   * @param signal Aborts a login this call starts.
   * @returns Credentials with a new token.
   */
  async refresh(rejected: Credentials, signal?: AbortSignal): Promise<Credentials> {
    const current = this.#current;
    if (current !== undefined) {
      const token = await current.catch(() => undefined);
      if (token !== undefined && token.token !== rejected.token) return token;
      if (this.#current !== current) return await this.credentials(signal);
    }
    return await this.#start(signal);
  }
}

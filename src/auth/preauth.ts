/**
 * {@link PreAuth}: a storage URL and a token obtained elsewhere
 * (`OS_STORAGE_URL` + `OS_AUTH_TOKEN`), which cannot be renewed here.
 *
 * @module
 */

import type { AuthProvider, Credentials } from "./provider.ts";

/**
 * Options of {@link PreAuth}.
 *
 * @example A token from `swift auth`
 * ```ts
 * import assert from "node:assert/strict";
 * import { PreAuth, type PreAuthOptions } from "@zarrswift/store";
 *
 * const options: PreAuthOptions = { storageUrl: "http://127.0.0.1:8080/v1/AUTH_test/", token: "AUTH_tk0" };
 * assert.equal(new PreAuth(options).storageUrl, "http://127.0.0.1:8080/v1/AUTH_test");
 * ```
 */
export interface PreAuthOptions {
  /** The account's storage URL (`OS_STORAGE_URL`). */
  storageUrl: string;
  /** A token obtained elsewhere (`OS_AUTH_TOKEN`); omit for anonymous access. */
  token?: string;
}

/**
 * A storage URL and a token you already have (`OS_STORAGE_URL` + `OS_AUTH_TOKEN`).
 * It cannot log in again: when the server refuses the token, requests fail with an
 * {@link AuthError} saying the token expired or is invalid.
 *
 * @example Use a token obtained by a login elsewhere
 * ```ts
 * import assert from "node:assert/strict";
 * import { loginTempAuth, PreAuth, SwiftStore } from "@zarrswift/store";
 *
 * const env = process.env; // ST_AUTH, ST_USER, ST_KEY
 * const login = { authUrl: env.ST_AUTH!, user: env.ST_USER!, key: env.ST_KEY! };
 * const { storageUrl, token } = await loginTempAuth(login);
 * const auth = new PreAuth({ storageUrl, token });
 * assert.deepEqual(await auth.credentials(), { storageUrl, token });
 * assert.equal(JSON.stringify(auth).includes(token), false); // the token never shows
 *
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID(), auth });
 * await store.set("/hello", new TextEncoder().encode("hello"));
 * assert.deepEqual(await store.get("/hello"), new TextEncoder().encode("hello"));
 * await store.deletePrefix("/"); // clean up
 * ```
 */
export class PreAuth implements AuthProvider {
  /** The account's storage URL. */
  readonly storageUrl: string;
  #token: string | undefined;

  /**
   * Creates the provider.
   *
   * @param options The storage URL and, unless access is anonymous, the token.
   * @throws {TypeError} When the storage URL is missing or the token is empty.
   */
  constructor(options: PreAuthOptions) {
    if (typeof options?.storageUrl !== "string" || options.storageUrl === "") {
      throw new TypeError('Expected PreAuth option "storageUrl" to be a non-empty string');
    }
    if (options.token !== undefined && (typeof options.token !== "string" || options.token === "")) {
      throw new TypeError('Expected PreAuth option "token" to be a non-empty string when given');
    }
    this.storageUrl = options.storageUrl.replace(/\/+$/, "");
    this.#token = options.token;
  }

  /**
   * The storage URL and token given.
   *
   * @returns The credentials, at once.
   */
  credentials(): Promise<Credentials> {
    return Promise.resolve({ storageUrl: this.storageUrl, token: this.#token });
  }

  /** Ends the error message when the server refuses the token. */
  readonly cannotRefresh: string = "a pre-authenticated token cannot be renewed here: get a new one";

  /**
   * A pre-authenticated token cannot be renewed here.
   *
   * @returns Always `undefined`.
   */
  refresh(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  /**
   * Shows the storage URL, never the token.
   *
   * @returns What `JSON.stringify` writes.
   */
  toJSON(): { storageUrl: string } {
    return { storageUrl: this.storageUrl };
  }
}

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
 * @example
 * ```ts
 * import type { PreAuthOptions } from "@zarrswift/store";
 * const options: PreAuthOptions = { storageUrl: "http://127.0.0.1:8080/v1/AUTH_test", token: "AUTH_tk…" };
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
 * @example
 * ```ts
 * import { PreAuth } from "@zarrswift/store";
 * const auth = new PreAuth({ storageUrl: "http://127.0.0.1:8080/v1/AUTH_test", token: "AUTH_tk…" });
 * ```
 */
export class PreAuth implements AuthProvider {
  /** The account's storage URL. */
  readonly storageUrl: string;
  #token: string | undefined;

  /** Creates the provider. */
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

  /** The storage URL and token given. */
  credentials(): Promise<Credentials> {
    return Promise.resolve({ storageUrl: this.storageUrl, token: this.#token });
  }

  /** Ends the error message when the server refuses the token. */
  readonly cannotRefresh: string =
    "the pre-authenticated token has expired or is invalid and cannot be renewed here: get a new one";

  /** Always `undefined`: a pre-authenticated token cannot be renewed here. */
  refresh(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  /** Shows the storage URL, never the token. */
  toJSON(): { storageUrl: string } {
    return { storageUrl: this.storageUrl };
  }
}

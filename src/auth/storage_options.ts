/**
 * zarr-swiftstore's `storage_options` (python-swiftclient's `Connection` arguments),
 * for code ported from Python.
 *
 * @module
 */

import type { ConnectionOptions } from "../http/options.ts";
import { checkOptionNames } from "../http/options.ts";
import { PreAuth } from "./preauth.ts";
import type { AuthProvider } from "./provider.ts";
import { TempAuth } from "./tempauth.ts";

/**
 * The `storage_options` that zarr-swiftstore (python-swiftclient's `Connection`)
 * accepts, for code ported from Python.
 *
 * @example zarr-swiftstore's two ways to authenticate
 * ```ts
 * import assert from "node:assert/strict";
 * import { authFromStorageOptions, PreAuth, type StorageOptions, TempAuth } from "@zarrswift/store";
 *
 * const pre: StorageOptions = { preauthurl: "http://127.0.0.1:8080/v1/AUTH_test", preauthtoken: "AUTH_tk0" };
 * const temp: StorageOptions = { authurl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "k" };
 * assert.ok(authFromStorageOptions(pre) instanceof PreAuth);
 * assert.ok(authFromStorageOptions(temp) instanceof TempAuth);
 * ```
 */
export interface StorageOptions {
  /** Pre-authenticated storage URL. */
  preauthurl?: string;
  /** Pre-authenticated token. */
  preauthtoken?: string;
  /** TempAuth endpoint. */
  authurl?: string;
  /** TempAuth `account:user`. */
  user?: string;
  /** TempAuth key. */
  key?: string;
  /** Only `"1"`/`"1.0"` (TempAuth) is understood. */
  auth_version?: string | number;
}

/** Every field of {@link StorageOptions}: the compiler checks the list is complete. */
const STORAGE_OPTION_FIELDS: Record<keyof StorageOptions, true> = {
  preauthurl: true,
  preauthtoken: true,
  authurl: true,
  user: true,
  key: true,
  auth_version: true,
};

/**
 * Turns zarr-swiftstore's `storage_options` into a provider whose logins go through
 * `connection`.
 *
 * @param options `preauthurl` (with `preauthtoken`), or `authurl`, `user` and `key`.
 * @param connection How logins are sent: `fetch`, retries, timeout.
 * @returns A {@link PreAuth} or a {@link TempAuth}; nothing is sent yet.
 * @throws {TypeError} For an unknown option, an `auth_version` other than 1.0, or neither set
 * of options complete.
 *
 * @example Options ported from Python
 * ```ts
 * import assert from "node:assert/strict";
 * import { authFromStorageOptions, TempAuth } from "@zarrswift/store";
 *
 * const options = { authurl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "k" };
 * const auth = authFromStorageOptions(options);
 * assert.ok(auth instanceof TempAuth);
 * assert.equal(auth.user, "test:tester");
 * ```
 *
 * @example Keystone (auth_version 3) is not among them
 * ```ts
 * import assert from "node:assert/strict";
 * import { authFromStorageOptions } from "@zarrswift/store";
 *
 * const keystone = { authurl: "https://keystone.example.org/v3", auth_version: 3 };
 * assert.throws(() => authFromStorageOptions(keystone), TypeError);
 * ```
 */
export function authFromStorageOptions(
  options: StorageOptions,
  connection: ConnectionOptions = {},
): AuthProvider {
  checkOptionNames(options, Object.keys(STORAGE_OPTION_FIELDS), "storageOptions");
  if (options.auth_version !== undefined && !["1", "1.0"].includes(String(options.auth_version))) {
    throw new TypeError(
      `Expected storageOptions.auth_version "1.0" (TempAuth), found ${JSON.stringify(options.auth_version)}`,
    );
  }
  if (options.preauthurl) {
    return new PreAuth({ storageUrl: options.preauthurl, token: options.preauthtoken });
  }
  if (options.authurl && options.user && options.key) {
    return new TempAuth({ ...connection, authUrl: options.authurl, user: options.user, key: options.key });
  }
  throw new TypeError(
    "Expected storageOptions with preauthurl (and preauthtoken), or authurl, user and key",
  );
}

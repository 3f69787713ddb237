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
 * @example
 * ```ts
 * import type { StorageOptions } from "@zarrswift/store";
 * const pre: StorageOptions = { preauthurl: "http://127.0.0.1:8080/v1/AUTH_test", preauthtoken: "AUTH_tk…" };
 * const temp: StorageOptions = { authurl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" };
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
 * @example
 * ```ts
 * import { authFromStorageOptions } from "@zarrswift/store";
 * const auth = authFromStorageOptions({ authurl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" });
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

/**
 * Where credentials come from. The provider interface ({@link AuthProvider},
 * `provider.ts`: types only, which the HTTP layer depends on), the renewing base
 * class ({@link RenewingAuth}), one file per provider ({@link TempAuth},
 * {@link PreAuth}, {@link KeystoneAuth} with its catalog), {@link authFromEnv},
 * zarr-swiftstore's `storage_options`, and the same credentials in another account
 * ({@link otherAccount}).
 *
 * Imports: `util/` and `http/` (logins are one-off requests with the same retry
 * policy and timeouts); nothing of `swift/` or `store/`.
 *
 * @module
 */

export { authFromEnv, type Environment } from "./env.ts";
export { type CatalogEntry, objectStoreEndpoint } from "./catalog.ts";
export { KeystoneAuth, type KeystoneAuthOptions } from "./keystone.ts";
export { accountUrl, otherAccount } from "./other_account.ts";
export { PreAuth, type PreAuthOptions } from "./preauth.ts";
export type { AuthProvider, Credentials, Token } from "./provider.ts";
export { RenewingAuth } from "./renewing.ts";
export { authFromStorageOptions, type StorageOptions } from "./storage_options.ts";
export { acquireToken, loginTempAuth, TempAuth, type TempAuthOptions } from "./tempauth.ts";

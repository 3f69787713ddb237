/**
 * Read and write zarr datasets directly in OpenStack Swift, with TempAuth or a
 * pre-authenticated token: no S3 layer needed. Built on Web standards only
 * (`fetch`, `URL`, streams), for Deno, Node, Bun and browsers.
 *
 * {@link SwiftStore} is a zarrita store (`get`, `getRange`, `set`) with listing and
 * deleting. A missing object is `undefined`; every other failure is a typed error
 * ({@link SwiftError} and its subclasses) that never contains a secret. Listings
 * follow every page; expired TempAuth tokens are renewed and the request replayed;
 * requests in flight are bounded.
 *
 * @example Write and read a zarr array
 * ```ts ignore
 * import * as zarr from "zarrita";
 * import { SwiftStore, TempAuth } from "@zarrswift/store";
 *
 * const store = await SwiftStore.open({
 *   container: "my-container",
 *   prefix: "zarr-demo",
 *   auth: new TempAuth({ authUrl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" }),
 * });
 * const root = await zarr.create(store, { attributes: { title: "demo" } });
 * const arr = await zarr.create(root.resolve("temperature"), {
 *   shape: [365, 4], chunkShape: [100, 4], dtype: "float32",
 * });
 * await zarr.set(arr, null, 12.5);
 * const { data } = await zarr.get(arr, [zarr.slice(0, 3), null]);
 * console.log(data);
 * ```
 *
 * @example Share a dataset with one link, and open it without credentials
 * ```ts ignore
 * import * as zarr from "zarrita";
 * import { setCors, shareUrl, SwiftStore } from "@zarrswift/store";
 *
 * const store = await SwiftStore.open({ container: "data", prefix: "run-42" });
 * await setCors(store, { origins: ["*"] }); // for browsers
 * const link = await shareUrl(store, { expiresIn: 7 * 24 * 3600 });
 * const shared = SwiftStore.fromUrl(link);
 * const group = await zarr.open(shared, { kind: "group" });
 * ```
 *
 * @example Credentials from the environment (as python-swiftclient reads them)
 * ```ts ignore
 * import { authFromEnv, SwiftStore } from "@zarrswift/store";
 * // OS_STORAGE_URL + OS_AUTH_TOKEN, or ST_AUTH + ST_USER + ST_KEY
 * const store = await SwiftStore.open({ container: "data", auth: authFromEnv(), readOnly: true });
 * for await (const child of store.listDir("/")) console.log(child);
 * ```
 * @module
 */

export { type AccountInfo, SwiftAccount, type SwiftAccountOptions } from "./src/account.ts";
export {
  type AclEntry,
  type ContainerAcl,
  formatAcl,
  formatAclEntry,
  getAcl,
  isPublic,
  parseAcl,
  parseAclEntry,
  setAcl,
  setPublic,
  togglePublic,
} from "./src/acl.ts";
export {
  acquireToken,
  authFromEnv,
  authFromStorageOptions,
  type AuthProvider,
  type Credentials,
  type Environment,
  loginTempAuth,
  PreAuth,
  type PreAuthOptions,
  type StorageOptions,
  TempAuth,
  type TempAuthOptions,
  type Token,
} from "./src/auth.ts";
export {
  AuthError,
  ConflictError,
  ContainerNotFoundError,
  IntegrityError,
  NetworkError,
  PayloadTooLargeError,
  PermissionError,
  PreconditionError,
  RangeNotSatisfiableError,
  RateLimitError,
  ReadOnlyError,
  ServerError,
  SwiftError,
  type SwiftErrorDetails,
  TimeoutError,
} from "./src/errors.ts";
export {
  capabilities,
  type CorsOptions,
  getTempUrlKeys,
  setCors,
  setTempUrlKey,
  type ShareOptions,
  shareUrl,
  type TempUrlKeyOptions,
} from "./src/container.ts";
export type { ClusterInfo } from "./src/info.ts";
export {
  type CatalogEntry,
  KeystoneAuth,
  type KeystoneAuthOptions,
  objectStoreEndpoint,
} from "./src/keystone.ts";
export { RenewingAuth } from "./src/renewing_auth.ts";
export { type AbsolutePath, encodeObjectName, type RangeQuery } from "./src/keys.ts";
export {
  type LargeObjectOptions,
  largeObjectSegments,
  type Segment,
  type SegmentSource,
  uploadLargeObject,
} from "./src/large_object.ts";
export type { ContainerEntry, ListingEntry } from "./src/listing.ts";
export {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetriable,
  parseRetryAfter,
  RETRY_STATUSES,
  type RetryEvent,
  type RetryPolicy,
  sleep,
} from "./src/retry.ts";
export {
  type FromUrlOptions,
  type ObjectEntry,
  type ObjectInfo,
  type RequestOptions,
  SwiftStore,
  type SwiftStoreOptions,
} from "./src/store.ts";
export { signTempUrl, tempUrl, type TempUrlDigest, type TempUrlOptions } from "./src/tempurl.ts";
export {
  consolidateMetadata,
  type ConsolidateOptions,
  type ConsolidateResult,
  type HierarchyProblem,
  type HierarchyStore,
  MetadataError,
  validateHierarchy,
  type ValidateOptions,
  type ValidationReport,
} from "./src/zarr/mod.ts";

/**
 * The zarr store: {@link SwiftStore} (the zarrita contract `get`, `getRange`,
 * `set`, plus listing and deleting) over a `SwiftContainer`, with the mapping
 * between store keys and object names under a prefix (`keys.ts`), `open` and
 * `fromUrl` (shared links, `shared_url.ts`), and the store-level helpers users call
 * with a store: ACLs (`access.ts`), sharing, CORS and TempURL keys (`sharing.ts`),
 * large objects at store keys (`large_object.ts`).
 *
 * Imports: every layer below (`util/`, `http/`, `auth/`, `swift/`); nothing above.
 *
 * @module
 */

export { getAcl, isPublic, setAcl, setPublic, togglePublic } from "./access.ts";
export type { ObjectEntry, ObjectInfo } from "./entries.ts";
export type { AbsolutePath } from "./keys.ts";
export {
  deleteOwnSegments,
  largeObjectSegments,
  missingSegments,
  uploadLargeObject,
} from "./large_object.ts";
export type { FromUrlOptions, RequestOptions, SwiftStoreOptions, WriteOptions } from "./options.ts";
export {
  capabilities,
  type CorsOptions,
  getTempUrlKeys,
  setCors,
  setTempUrlKey,
  type ShareOptions,
  shareUrl,
  type TempUrlKeyOptions,
} from "./sharing.ts";
export { SwiftStore } from "./store.ts";

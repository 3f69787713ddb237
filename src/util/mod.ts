/**
 * Pure utilities, the bottom layer: typed errors and the status → error table,
 * object-name encoding and checks, byte ranges, TempURL signing (SubtleCrypto),
 * ACL parsing, MD5, redaction of secrets, rclone-style path filters (`glob.ts`,
 * `filter.ts`), the header flags of the scripts (expiry, metadata: `expiry.ts`), the
 * plan of a sync from two listings (`sync_plan.ts`) and usage per prefix (`usage.ts`).
 *
 * Imports: nothing from `src/` outside this folder (and `hash-wasm` for MD5). No
 * I/O, no `fetch`: every function here can be tested without a server.
 *
 * @module
 */

export {
  type AclEntry,
  type ContainerAcl,
  formatAcl,
  formatAclEntry,
  parseAcl,
  parseAclEntry,
} from "./acl.ts";
export {
  AuthError,
  ConflictError,
  ContainerNotFoundError,
  IntegrityError,
  NetworkError,
  PayloadTooLargeError,
  PermissionError,
  PreconditionError,
  ProtocolError,
  RangeNotSatisfiableError,
  RateLimitError,
  ReadOnlyError,
  RedirectError,
  ServerError,
  SwiftError,
  type SwiftErrorDetails,
  TimeoutError,
} from "./errors.ts";
export { encodeObjectName } from "./names.ts";
export { createMd5, md5Hex, type Md5Stream } from "./md5.ts";
export type { RangeQuery } from "./range.ts";
export {
  MAX_TEMPURL_LIFETIME,
  signTempUrl,
  tempUrl,
  type TempUrlDigest,
  type TempUrlOptions,
} from "./tempurl.ts";
export { type FilterFlags, type FilterRule, filterRules, parseFilterFile, PathFilter } from "./filter.ts";
export { compileGlob } from "./glob.ts";
export {
  deleteAfterHeader,
  deleteAtHeader,
  header as parseHeader,
  metaHeader as parseMetaHeader,
  parseDuration,
} from "./expiry.ts";
export {
  planSync,
  type SyncCheck,
  type SyncEntry,
  type SyncItem,
  type SyncOptions,
  type SyncPart,
  type SyncPlan,
  type SyncReason,
} from "./sync_plan.ts";
export { type UsageRow, UsageTally } from "./usage.ts";

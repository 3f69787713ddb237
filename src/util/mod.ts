/**
 * Pure utilities, the bottom layer: typed errors and the status → error table,
 * object-name encoding and checks, byte ranges, TempURL signing (SubtleCrypto),
 * ACL parsing, MD5, and redaction of secrets.
 *
 * Imports: nothing from `src/` outside this folder (and `hash-wasm` for MD5). No
 * I/O, no `fetch`: every function here can be tested without a server.
 *
 * @module
 */

export * from "./acl.ts";
export * from "./errors.ts";
export { encodeObjectName } from "./names.ts";
export { createMd5, md5Hex, type Md5Stream } from "./md5.ts";
export type { RangeQuery } from "./range.ts";
export * from "./tempurl.ts";

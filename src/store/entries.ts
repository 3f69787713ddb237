/**
 * What a store says of its objects: {@link ObjectInfo} (from an object's headers)
 * and {@link ObjectEntry} (from a listing), with the same names for the same facts:
 * `size`, `etag`, `contentType`, `modified`.
 *
 * @module
 */

import { type ListedObject, listingDate } from "../swift/listing.ts";
import type { ObjectHead } from "../swift/objects.ts";
import { type AbsolutePath, keyForObjectName } from "./keys.ts";

/**
 * What Swift says of an object (its headers).
 *
 * @example An object's description
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ObjectInfo } from "@zarrswift/store";
 * const modified = new Date("2026-11-24T05:00:00Z");
 * const info: ObjectInfo = {
 *   key: "/a", size: 3, etag: "900150983cd24fb0d6963f7d28e17f72", contentType: "application/octet-stream",
 *   modified, lastModified: modified, largeObject: false, metadata: { origin: "model-x" }, deleteAt: undefined,
 * };
 * assert.equal(info.metadata.origin, "model-x");
 * ```
 */
export interface ObjectInfo {
  /** The store key. */
  key: AbsolutePath;
  /** Size in bytes. */
  size: number;
  /** The `ETag`, unquoted: the body's MD5, except for large objects. */
  etag: string | undefined;
  /** The content type. */
  contentType: string | undefined;
  /** Last modification. */
  modified: Date | undefined;
  /**
   * Last modification.
   *
   * @deprecated Use `modified`, the name {@link ObjectEntry} shares.
   */
  lastModified: Date | undefined;
  /** Whether it is a large object (SLO or DLO) served from segments. */
  largeObject: boolean;
  /** User metadata (`X-Object-Meta-*`), by lowercase name without the prefix. */
  metadata: Record<string, string>;
  /** When Swift deletes the object (`X-Delete-At`), if it is set to expire. */
  deleteAt: Date | undefined;
}

/**
 * An object as a listing describes it (no request per object).
 *
 * @example A listed object
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ObjectEntry } from "@zarrswift/store";
 * const etag = "900150983cd24fb0d6963f7d28e17f72";
 * const entry: ObjectEntry = {
 *   key: "/a", size: 3, etag, contentType: "text/plain", modified: new Date("2026-11-24T05:00:00Z"), largeObject: false,
 *   bytes: 3, hash: etag, lastModified: "2026-11-24T05:00:00.000000",
 * };
 * assert.equal(entry.size, entry.bytes);
 * ```
 */
export interface ObjectEntry {
  /** The store key. */
  key: AbsolutePath;
  /** Size in bytes. */
  size: number;
  /** The MD5 of the content (for SLOs, of the manifest's segment ETags). */
  etag: string;
  /** The content type (`;swift_bytes=…` marks a large object's manifest). */
  contentType: string;
  /** Whether it is a Static Large Object (its `size` is the whole object's). */
  largeObject: boolean;
  /** Last modification. */
  modified: Date;
  /**
   * Size in bytes.
   *
   * @deprecated Use `size`, the name {@link ObjectInfo} shares.
   */
  bytes: number;
  /**
   * The MD5 of the content.
   *
   * @deprecated Use `etag`, the name {@link ObjectInfo} shares.
   */
  hash: string;
  /**
   * Last modification, as the server formats it (UTC, no zone).
   *
   * @deprecated Use `modified`, a `Date` as in {@link ObjectInfo}.
   */
  lastModified: string;
}

/** An {@link ObjectInfo} from an object's headers. */
export function objectInfo(key: AbsolutePath, head: ObjectHead): ObjectInfo {
  const metadata: Record<string, string> = {};
  head.headers.forEach((value, name) => {
    if (name.startsWith("x-object-meta-")) metadata[name.slice("x-object-meta-".length)] = value;
  });
  const deleteAt = Number(head.headers.get("X-Delete-At") ?? Number.NaN);
  return {
    key,
    size: head.size,
    etag: head.etag,
    contentType: head.contentType,
    modified: head.lastModified,
    lastModified: head.lastModified,
    largeObject: head.largeObject,
    metadata,
    deleteAt: Number.isFinite(deleteAt) ? new Date(deleteAt * 1000) : undefined,
  };
}

/** An {@link ObjectEntry} from a listed object under `prefix`. */
export function objectEntry(prefix: string, e: ListedObject): ObjectEntry {
  return {
    key: keyForObjectName(prefix, e.name),
    size: e.size,
    etag: e.etag,
    contentType: e.contentType,
    modified: listingDate(e.lastModified),
    largeObject: e.largeObject,
    bytes: e.size,
    hash: e.etag,
    lastModified: e.lastModified,
  };
}

/**
 * What `SwiftContainer.open` takes ({@link SwiftContainerOptions}) and what its
 * listings answer ({@link ListedObject}).
 *
 * @module
 */

import type { AuthProvider } from "../auth/provider.ts";
import type { StorageOptions } from "../auth/storage_options.ts";
import { CONNECTION_OPTION_NAMES, type ConnectionOptions } from "../http/options.ts";

/**
 * Options of {@link SwiftContainer.open} (and of `SwiftStore.open`, which adds a prefix).
 *
 * @example Open a container read-only with credentials from the environment
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SwiftContainerOptions } from "@zarrswift/store";
 * const options: SwiftContainerOptions = { container: "data", readOnly: true, concurrency: 16 };
 * assert.equal(options.readOnly, true);
 * ```
 */
export interface SwiftContainerOptions extends ConnectionOptions {
  /** The container. */
  container: string;
  /** Where credentials come from; default: `authFromEnv`, logging in through these options. */
  auth?: AuthProvider;
  /** zarr-swiftstore's `storage_options`, instead of `auth`. */
  storageOptions?: StorageOptions;
  /** Refuse every write, metadata included, with a `ReadOnlyError` (default `false`). */
  readOnly?: boolean;
  /** Create the container when it does not exist (default: `true` unless `readOnly`). */
  createContainer?: boolean;
  /** Send each body's MD5 as `ETag` and check whole-object reads against theirs (default `true`). */
  verify?: boolean;
  /** Aborts opening. */
  signal?: AbortSignal;
}

/** The option names of {@link SwiftContainerOptions}. */
export const CONTAINER_OPTION_NAMES: readonly string[] = [
  ...CONNECTION_OPTION_NAMES,
  "container",
  "auth",
  "storageOptions",
  "readOnly",
  "createContainer",
  "verify",
  "signal",
];

/**
 * An object as a container listing describes it.
 *
 * @example A listed object
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ListedObject } from "@zarrswift/store";
 * const entry: ListedObject = { name: "run-42/zarr.json", size: 120, etag: "0123456789abcdef0123456789abcdef", contentType: "application/json", lastModified: "2026-11-24T05:00:00.000000" };
 * assert.equal(entry.size, 120);
 * ```
 */
export interface ListedObject {
  /** The object name. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** The MD5 of the content (for SLOs, of the manifest's segment ETags). */
  etag: string;
  /** The content type (`;swift_bytes=…` marks a large object's manifest). */
  contentType: string;
  /** Last modification, as the server formats it (UTC, no zone). */
  lastModified: string;
}

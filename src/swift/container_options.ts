/**
 * The options of `SwiftContainer.open` (which `SwiftStore.open` extends with a
 * prefix), and their names for checking what callers pass.
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
 * import { SwiftContainer, type SwiftContainerOptions } from "@zarrswift/store";
 * await SwiftContainer.open({ container: "docs-examples" }); // creates it when missing
 * const options: SwiftContainerOptions = { container: "docs-examples", readOnly: true, concurrency: 16 };
 * const container = await SwiftContainer.open(options);
 * assert.equal(container.readOnly, true);
 * assert.equal(container.concurrency, 16);
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

/**
 * The options of `SwiftStore.open` and `SwiftStore.fromUrl`, and of each request.
 *
 * @module
 */

import { CONTAINER_OPTION_NAMES, type SwiftContainerOptions } from "../swift/container_options.ts";

/**
 * Options of {@link SwiftStore.open}.
 *
 * @example
 * ```ts
 * import { type SwiftStoreOptions, TempAuth } from "@zarrswift/store";
 * const options: SwiftStoreOptions = {
 *   container: "my-container",
 *   prefix: "zarr-demo",
 *   auth: new TempAuth({ authUrl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" }),
 *   concurrency: 32,
 * };
 * ```
 */
export interface SwiftStoreOptions extends SwiftContainerOptions {
  /** Object-name prefix of the dataset inside the container; `""` (default) is the root. */
  prefix?: string;
}

/**
 * Per-request options: `signal` aborts the request (and its wait for a slot).
 *
 * @example
 * ```ts
 * import type { RequestOptions } from "@zarrswift/store";
 * const opts: RequestOptions = { signal: AbortSignal.timeout(5_000) };
 * ```
 */
export interface RequestOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
}

/**
 * Options of {@link SwiftStore.fromUrl}: those of {@link SwiftStoreOptions} that do
 * not concern credentials or the container.
 *
 * @example
 * ```ts
 * import type { FromUrlOptions } from "@zarrswift/store";
 * const options: FromUrlOptions = { concurrency: 8, retries: 3 };
 * ```
 */
export type FromUrlOptions = Pick<
  SwiftStoreOptions,
  "concurrency" | "fetch" | "retries" | "timeout" | "maxRetryTime" | "onRetry" | "backoff" | "verify"
>;

/** The option names `SwiftStore.open` takes. */
export const STORE_OPTION_NAMES: readonly string[] = [...CONTAINER_OPTION_NAMES, "prefix"];

/** Every field of {@link FromUrlOptions}: the compiler checks the list is complete. */
const FROM_URL_FIELDS: Record<keyof FromUrlOptions, true> = {
  concurrency: true,
  fetch: true,
  retries: true,
  timeout: true,
  maxRetryTime: true,
  onRetry: true,
  backoff: true,
  verify: true,
};

/** The option names `SwiftStore.fromUrl` takes. */
export const FROM_URL_OPTION_NAMES: readonly string[] = Object.keys(FROM_URL_FIELDS);

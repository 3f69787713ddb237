/**
 * The options of `SwiftStore.open` and `SwiftStore.fromUrl`, and of each request.
 *
 * @module
 */

import { CONTAINER_OPTION_NAMES, type SwiftContainerOptions } from "../swift/container_options.ts";

/**
 * Options of {@link SwiftStore.open}.
 *
 * @example A dataset under a prefix, with TempAuth and 32 requests at once
 * ```ts
 * import assert from "node:assert/strict";
 * import { SwiftStore, type SwiftStoreOptions, TempAuth } from "@zarrswift/store";
 * const options: SwiftStoreOptions = {
 *   container: "docs-examples",
 *   prefix: "zarr-demo",
 *   auth: new TempAuth({ authUrl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" }),
 *   concurrency: 32,
 * };
 * const store = await SwiftStore.open(options);
 * assert.deepEqual([store.prefix, store.swiftContainer.concurrency], ["zarr-demo", 32]);
 * ```
 */
export interface SwiftStoreOptions extends SwiftContainerOptions {
  /** Object-name prefix of the dataset inside the container; `""` (default) is the root. */
  prefix?: string;
}

/**
 * Per-request options: `signal` aborts the request (and its wait for a slot).
 *
 * @example Bound a read in time, or cancel it
 * ```ts
 * import assert from "node:assert/strict";
 * import { type RequestOptions, SwiftStore } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
 * const opts: RequestOptions = { signal: AbortSignal.timeout(5_000) };
 * assert.equal(await store.get("/missing", opts), undefined);
 * await assert.rejects(store.get("/missing", { signal: AbortSignal.abort() }));
 * ```
 */
export interface RequestOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
}

/**
 * Options of a write ({@link SwiftStore.set}, {@link SwiftStore.setStream}): a signal,
 * the content type (default: from the key's extension), and more headers: metadata
 * (`X-Object-Meta-*`), expiry (`X-Delete-After`, `X-Delete-At`), `Content-Disposition`…
 *
 * @example Write an object that Swift deletes in an hour
 * ```ts
 * import assert from "node:assert/strict";
 * import { SwiftStore, type WriteOptions } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
 * const opts: WriteOptions = { headers: { "X-Delete-After": "3600", "X-Object-Meta-Run": "42" } };
 * await store.set("/scratch.bin", new Uint8Array(8), opts);
 * const info = await store.stat("/scratch.bin");
 * assert.equal(info?.metadata.run, "42");
 * assert.ok(info?.deleteAt !== undefined && info.deleteAt.getTime() > Date.now());
 * await store.deletePrefix();
 * ```
 */
export interface WriteOptions extends RequestOptions {
  /** The content type (default: from the key's extension, else `application/octet-stream`). */
  contentType?: string;
  /** More headers to send with the object. */
  headers?: Record<string, string>;
}

/**
 * Options of {@link SwiftStore.fromUrl}: those of {@link SwiftStoreOptions} that do
 * not concern credentials or the container.
 *
 * @example Open a public container's prefix, eight requests at once
 * ```ts
 * import assert from "node:assert/strict";
 * import { type FromUrlOptions, SwiftStore } from "@zarrswift/store";
 * const options: FromUrlOptions = { concurrency: 8, retries: 3 };
 * const store = SwiftStore.fromUrl("http://127.0.0.1:8080/v1/AUTH_test/public-data/run-42", options);
 * assert.deepEqual([store.container, store.prefix, store.readOnly], ["public-data", "run-42", true]);
 * assert.equal(store.swiftContainer.concurrency, 8);
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

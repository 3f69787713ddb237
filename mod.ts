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
 * ```ts
 * import assert from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import { SwiftStore } from "@zarrswift/store";
 *
 * // Credentials from the environment (ST_AUTH, ST_USER, ST_KEY, or OS_*): see authFromEnv.
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
 * const root = await zarr.create(store, { attributes: { title: "demo" } });
 * const arr = await zarr.create(root.resolve("temperature"), {
 *   shape: [365, 4],
 *   chunkShape: [100, 4],
 *   dtype: "float32",
 * });
 * await zarr.set(arr, null, 12.5);
 * const { data, shape } = await zarr.get(arr, [zarr.slice(0, 3), null]);
 * assert.deepEqual(shape, [3, 4]);
 * assert.deepEqual(Array.from(data), new Array(12).fill(12.5));
 * await store.deletePrefix("/"); // clean up
 * ```
 *
 * @example Share a dataset with one link, and open it without credentials
 * ```ts
 * import assert from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import { setCors, shareUrl, SwiftStore } from "@zarrswift/store";
 *
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
 * await zarr.create(store, { attributes: { title: "run 42" } });
 * await setCors(store, { origins: ["*"] }); // for browsers
 * const link = await shareUrl(store, { expiresIn: 7 * 24 * 3600 });
 *
 * const shared = SwiftStore.fromUrl(link); // read-only, no credentials
 * const group = await zarr.open(shared, { kind: "group" });
 * assert.deepEqual(group.attrs, { title: "run 42" });
 * await store.deletePrefix("/"); // clean up
 * ```
 *
 * @example Credentials from the environment (as python-swiftclient reads them)
 * ```ts
 * import assert from "node:assert/strict";
 * import { authFromEnv, SwiftStore } from "@zarrswift/store";
 *
 * // OS_STORAGE_URL + OS_AUTH_TOKEN, or ST_AUTH + ST_USER + ST_KEY, or OS_AUTH_URL + … (Keystone)
 * const options = { container: "docs-examples", prefix: crypto.randomUUID(), auth: authFromEnv() };
 * const writer = await SwiftStore.open(options);
 * await writer.set("/zarr.json", new TextEncoder().encode('{"zarr_format":3,"node_type":"group"}'));
 *
 * const reader = await SwiftStore.open({ ...options, readOnly: true });
 * assert.deepEqual(await Array.fromAsync(reader.listDir("/")), ["zarr.json"]);
 * await writer.deletePrefix("/"); // clean up
 * ```
 * @module
 */

export * from "./src/util/mod.ts";
export * from "./src/http/mod.ts";
export * from "./src/auth/mod.ts";
export * from "./src/swift/mod.ts";
export * from "./src/store/mod.ts";
export * from "./src/zarr/mod.ts";
export * from "./src/view/mod.ts";

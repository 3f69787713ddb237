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

export * from "./src/util/mod.ts";
export * from "./src/http/mod.ts";
export * from "./src/auth/mod.ts";
export * from "./src/swift/mod.ts";
export * from "./src/store/mod.ts";
export * from "./src/zarr/mod.ts";
export * from "./src/view/mod.ts";

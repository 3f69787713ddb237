/**
 * Store keys and object names: zarrita's absolute paths (`/group/zarr.json`) map to
 * object names under the store's prefix (`run-42/group/zarr.json`) and back.
 *
 * @module
 */

import { checkSegments, describe, MAX_OBJECT_NAME_BYTES } from "../util/names.ts";

const encoder = new TextEncoder();

/**
 * A store key as zarrita hands it: an absolute path such as `/group/zarr.json`.
 *
 * @example A key and the object it names under the store's prefix
 * ```ts
 * import assert from "node:assert/strict";
 * import { type AbsolutePath, SwiftStore } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
 * const key: AbsolutePath = "/array/c/0/0";
 * await store.set(key, new Uint8Array(4));
 * assert.equal((await store.swiftContainer.stat(`${store.prefix}/array/c/0/0`))?.size, 4);
 * await store.deletePrefix();
 * ```
 */
export type AbsolutePath = `/${string}`;

/**
 * Maps a store key (an absolute path) to its object name under `prefix`, refusing
 * keys that are not absolute paths, name a directory, contain NUL, `.` or `..`
 * segments, or exceed 1,024 bytes as an object name.
 *
 * For example, key `/arr/zarr.json` under prefix `zarr-demo` is the object
 * `zarr-demo/arr/zarr.json`.
 */
export function objectNameForKey(prefix: string, key: string): string {
  if (typeof key !== "string" || !key.startsWith("/") || key === "/") {
    throw new TypeError(`Expected a key that is an absolute path like "/zarr.json", found ${describe(key)}`);
  }
  const relative = key.slice(1);
  checkSegments(relative, "key", key);
  const name = prefix === "" ? relative : `${prefix}/${relative}`;
  const bytes = encoder.encode(name).length;
  if (bytes > MAX_OBJECT_NAME_BYTES) {
    throw new TypeError(
      `Expected an object name of at most ${MAX_OBJECT_NAME_BYTES} bytes, found ${bytes} bytes for key ${
        describe(key)
      }`,
    );
  }
  return name;
}

/**
 * Maps a directory path (`"/"`, `"/group"` or `"/group/"`) to the object-name prefix
 * that everything below it shares (`"zarr-demo/group/"`; `""` for the root of a
 * store without prefix).
 */
export function objectPrefixForPath(prefix: string, path: string): string {
  if (typeof path !== "string" || !path.startsWith("/")) {
    throw new TypeError(`Expected an absolute path like "/" or "/group", found ${describe(path)}`);
  }
  const relative = path.replace(/^\/+|\/+$/g, "");
  checkSegments(relative, "path", path);
  const joined = [prefix, relative].filter((part) => part !== "").join("/");
  return joined === "" ? "" : `${joined}/`;
}

/** Maps an object name under `prefix` back to its store key. */
export function keyForObjectName(prefix: string, name: string): AbsolutePath {
  return `/${prefix === "" ? name : name.slice(prefix.length + 1)}`;
}

/** zarr metadata documents are JSON; everything else is bytes. */
export function contentType(name: string): string {
  return /(^|\/)(zarr\.json|\.z(array|attrs|group|metadata))$/.test(name) || name.endsWith(".json")
    ? "application/json"
    : "application/octet-stream";
}

/**
 * The value to store at `key` as a body `fetch` takes: refuses what is not a
 * `Uint8Array`; a view on a `SharedArrayBuffer` is copied (fetch takes only
 * ArrayBuffer-backed views), any other is sent as it is.
 */
export function sendable(key: string, value: unknown): Uint8Array<ArrayBuffer> {
  if (!(value instanceof Uint8Array)) {
    const found = value === null
      ? "null"
      : typeof value === "object"
      ? value.constructor?.name
      : typeof value;
    throw new TypeError(`Expected the value for ${key} to be a Uint8Array, found ${found}`);
  }
  return value.buffer instanceof ArrayBuffer ? value as Uint8Array<ArrayBuffer> : new Uint8Array(value);
}

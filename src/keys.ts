/**
 * Store keys and Swift object names: validation, the mapping between zarrita's
 * absolute paths and object names under a prefix, and byte-exact URL encoding.
 *
 * `fetch` parses every URL with the WHATWG parser, which drops `.` and `..` path
 * segments (even percent-encoded), so keys with such segments would silently be
 * stored under another name: they are refused, as zarr forbids such node names.
 *
 * @example
 * ```ts
 * import { encodeObjectName } from "@zarrswift/store";
 * console.log(encodeObjectName("data/a b/%#?/é")); // "data/a%20b/%25%23%3F/%C3%A9"
 * ```
 * @module
 */

/**
 * A store key as zarrita hands it: an absolute path such as `/group/zarr.json`.
 *
 * @example
 * ```ts
 * import type { AbsolutePath } from "@zarrswift/store";
 * const key: AbsolutePath = "/array/c/0/0";
 * ```
 */
export type AbsolutePath = `/${string}`;

/**
 * A byte range: `length` bytes from `offset`, or the last `suffixLength` bytes.
 *
 * @example
 * ```ts
 * import type { RangeQuery } from "@zarrswift/store";
 * const head: RangeQuery = { offset: 0, length: 16 };
 * const tail: RangeQuery = { suffixLength: 16 };
 * ```
 */
export type RangeQuery = { offset: number; length: number } | { suffixLength: number };

/** Swift's limit on an object name, in UTF-8 bytes. */
export const MAX_OBJECT_NAME_BYTES = 1024;
/** Swift's limit on a container name, in UTF-8 bytes. */
export const MAX_CONTAINER_NAME_BYTES = 256;

const encoder = new TextEncoder();

/**
 * Percent-encodes an object (or container) name byte by byte: every UTF-8 byte
 * except the unreserved characters `A-Z a-z 0-9 - . _ ~` and `/` becomes `%XX`, so
 * `%`, `?`, `#` and spaces reach the server exactly.
 *
 * @example
 * ```ts
 * import { encodeObjectName } from "@zarrswift/store";
 * console.log(encodeObjectName("c/0 0")); // "c/0%200"
 * ```
 */
export function encodeObjectName(name: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(name);
  } catch {
    throw new TypeError(`Expected a well-formed Unicode name, found ${JSON.stringify(name)}`);
  }
  return encoded.replace(/%2F/g, "/").replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function describe(value: unknown): string {
  if (typeof value !== "string") return `a value of type ${typeof value}`;
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 60)}…${value.slice(-10)}` : value);
}

function checkSegments(path: string, what: string, original: string): void {
  if (path.includes("\0")) {
    throw new TypeError(`Expected a ${what} without NUL characters, found ${describe(original)}`);
  }
  if (!path.isWellFormed()) {
    throw new TypeError(`Expected a ${what} of well-formed Unicode, found ${describe(original)}`);
  }
  if (path === "") return;
  for (const segment of path.split("/")) {
    if (segment === "") {
      throw new TypeError(`Expected a ${what} without empty segments, found ${describe(original)}`);
    }
    if (segment === "." || segment === "..") {
      throw new TypeError(
        `Expected a ${what} without "." or ".." segments (URLs drop them), found ${describe(original)}`,
      );
    }
  }
}

/**
 * Normalises a store prefix: leading and trailing `/` are dropped, segments are
 * checked as for keys. `""` means the container root.
 */
export function normalizePrefix(prefix: string): string {
  if (typeof prefix !== "string") {
    throw new TypeError(`Expected the prefix to be a string, found ${describe(prefix)}`);
  }
  const trimmed = prefix.replace(/^\/+|\/+$/g, "");
  checkSegments(trimmed, "prefix", prefix);
  return trimmed;
}

/** Checks a container name: non-empty, no `/` or NUL, at most 256 UTF-8 bytes. */
export function checkContainerName(container: string): string {
  if (typeof container !== "string" || container === "") {
    throw new TypeError(`Expected a non-empty container name, found ${describe(container)}`);
  }
  if (container.includes("/") || container.includes("\0")) {
    throw new TypeError(`Expected a container name without "/" or NUL, found ${describe(container)}`);
  }
  if (!container.isWellFormed()) {
    throw new TypeError(`Expected a container name of well-formed Unicode, found ${describe(container)}`);
  }
  const bytes = encoder.encode(container).length;
  if (bytes > MAX_CONTAINER_NAME_BYTES) {
    throw new TypeError(
      `Expected a container name of at most ${MAX_CONTAINER_NAME_BYTES} bytes, found ${bytes} bytes`,
    );
  }
  return container;
}

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

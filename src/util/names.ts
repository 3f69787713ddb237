/**
 * Swift object and container names: validation and byte-exact URL encoding.
 *
 * `fetch` parses every URL with the WHATWG parser, which drops `.` and `..` path
 * segments (even percent-encoded), so names with such segments would silently reach
 * another object (or, for a container, the account or another account): they are
 * refused, as zarr forbids such node names.
 *
 * @example Encode a name with spaces, reserved characters and non-ASCII letters
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeObjectName } from "@zarrswift/store";
 *
 * assert.equal(encodeObjectName("data/a b/%#?/é"), "data/a%20b/%25%23%3F/%C3%A9");
 * ```
 * @module
 */

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
 * @param name The object name (or container name), `/` separating its parts.
 * @returns The name as it goes into a URL path.
 * @throws {TypeError} When the name is not well-formed Unicode (a lone surrogate).
 *
 * @example Encode a chunk key with a space
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeObjectName } from "@zarrswift/store";
 *
 * assert.equal(encodeObjectName("c/0 0"), "c/0%200");
 * assert.equal(decodeURIComponent(encodeObjectName("it's (1)!")), "it's (1)!");
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

/**
 * A value quoted for an error message, long strings shortened.
 *
 * @param value What was found.
 * @returns The value as JSON when a string (middle elided past 80 characters), else its type.
 */
export function describe(value: unknown): string {
  if (typeof value !== "string") return `a value of type ${typeof value}`;
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 60)}…${value.slice(-10)}` : value);
}

/**
 * Refuses a `/`-separated name with NUL, ill-formed Unicode, empty, `.` or `..` segments.
 *
 * @param path The name to check (`""` passes).
 * @param what What the name is, for the message (e.g. "key").
 * @param original The name as the caller gave it, quoted in the message.
 * @throws {TypeError} When the name has one of those.
 */
export function checkSegments(path: string, what: string, original: string): void {
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
 *
 * @param prefix The prefix as given.
 * @returns The prefix without leading or trailing `/`.
 * @throws {TypeError} When it is not a string or has a bad segment.
 */
export function normalizePrefix(prefix: string): string {
  if (typeof prefix !== "string") {
    throw new TypeError(`Expected the prefix to be a string, found ${describe(prefix)}`);
  }
  const trimmed = prefix.replace(/^\/+|\/+$/g, "");
  checkSegments(trimmed, "prefix", prefix);
  return trimmed;
}

/**
 * Checks a container name: non-empty, not `.` or `..`, no `/` or NUL, at most 256 UTF-8 bytes.
 *
 * @param container The name to check.
 * @returns The same name.
 * @throws {TypeError} When Swift (or the URL parser) would not keep it as it is.
 */
export function checkContainerName(container: string): string {
  if (typeof container !== "string" || container === "") {
    throw new TypeError(`Expected a non-empty container name, found ${describe(container)}`);
  }
  if (container.includes("/") || container.includes("\0")) {
    throw new TypeError(`Expected a container name without "/" or NUL, found ${describe(container)}`);
  }
  if (container === "." || container === "..") {
    // fetch would turn `/v1/AUTH_x/..` into `/v1/`: the request would reach another place.
    throw new TypeError(
      `Expected a container name other than "." or ".." (URLs drop them), found ${describe(container)}`,
    );
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

/**
 * Reading a zarr hierarchy's metadata from a store: one listing of every key under
 * a path, then one GET per metadata document (`zarr.json`, `.zarray`, `.zgroup`,
 * `.zattrs`, and the consolidated `.zmetadata`), at most 32 at a time.
 *
 * @module
 */

import type { AbsolutePath } from "./_deps.ts";
import { JsonSyntaxError, type JsonValue, parseJson } from "./json.ts";

/**
 * What {@link consolidateMetadata} and {@link validateHierarchy} need from a store:
 * `get` and `list` ({@link SwiftStore} has both), and `set` to write. Any object
 * with these methods works, e.g. an in-memory map in a test.
 *
 * @example An in-memory store
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { AbsolutePath, HierarchyStore } from "@zarrswift/store";
 *
 * const objects = new Map<string, Uint8Array>();
 * const store: HierarchyStore = {
 *   get: async (key) => objects.get(key),
 *   set: async (key, value) => void objects.set(key, value),
 *   async *list(path = "/") {
 *     const under = path === "/" ? "/" : `${path}/`;
 *     for (const key of objects.keys()) if (key.startsWith(under)) yield key as AbsolutePath;
 *   },
 * };
 * await store.set!("/zarr.json", new TextEncoder().encode('{"zarr_format":3,"node_type":"group"}'));
 * assertEquals((await store.get("/zarr.json"))?.length, 37);
 * ```
 */
export interface HierarchyStore {
  /**
   * Reads an object.
   *
   * @param key The key.
   * @param options A signal.
   * @returns The object's bytes, or `undefined` when there is none.
   */
  get(key: AbsolutePath, options?: { signal?: AbortSignal }): Promise<Uint8Array | undefined>;
  /**
   * Lists keys.
   *
   * @param path The path (`"/"`: all).
   * @param options A signal.
   * @returns Every key under the path, across all listing pages.
   */
  list(path?: string, options?: { signal?: AbortSignal }): AsyncIterable<AbsolutePath>;
  /**
   * Writes an object; needed only to consolidate.
   *
   * @param key The key.
   * @param value The bytes.
   * @param options A signal.
   * @returns Once it is written.
   */
  set?(key: AbsolutePath, value: Uint8Array, options?: { signal?: AbortSignal }): Promise<void>;
  /** When `true`, writing is refused before any request. */
  readonly readOnly?: boolean;
}

/**
 * The metadata file names of zarr v3 and v2.
 *
 * @example Name a v3 document
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { MetadataName } from "./hierarchy.ts";
 *
 * const name: MetadataName = "zarr.json";
 * assertEquals(name, "zarr.json");
 * ```
 */
export type MetadataName = "zarr.json" | ".zarray" | ".zgroup" | ".zattrs" | ".zmetadata";

/**
 * One metadata document of a hierarchy.
 *
 * @example A document as read
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { MetadataDocument } from "./hierarchy.ts";
 *
 * const doc: MetadataDocument = { key: "/a/.zarray", node: "a", name: ".zarray", error: "0 bytes" };
 * assertEquals(doc.node, "a");
 * ```
 */
export interface MetadataDocument {
  /** The store key, e.g. `/run/temperature/zarr.json`. */
  key: AbsolutePath;
  /** The node's path relative to the hierarchy's root: `""` for the root, else `a/b`. */
  node: string;
  /** Which metadata file it is. */
  name: MetadataName;
  /** The parsed document, when it is JSON. */
  value?: JsonValue;
  /**
   * What was found instead of JSON, when it is not JSON (the end of a sentence
   * "Expected …, found …"), e.g. `"not json" at line 1, column 2`.
   */
  error?: string;
}

/**
 * The metadata documents under a path, in key order, and how that path was named.
 *
 * @example An empty hierarchy
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { HierarchyDocuments } from "./hierarchy.ts";
 *
 * const found: HierarchyDocuments = { root: "/run", documents: [] };
 * assertEquals(found.root, "/run");
 * ```
 */
export interface HierarchyDocuments {
  /** The hierarchy's root as a store path: `/` or `/a/b`. */
  root: string;
  /** Every metadata document found. */
  documents: MetadataDocument[];
}

const METADATA_NAMES = new Set<string>(["zarr.json", ".zarray", ".zgroup", ".zattrs", ".zmetadata"]);

/**
 * Normalizes a hierarchy path: `""`, `"/"` → `"/"`; `"a/b/"`, `"/a/b"` → `"/a/b"`.
 *
 * @param path The path as given.
 * @returns The path as a store path without trailing `/`.
 *
 * @example Normalize paths
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { normalizeRoot } from "./hierarchy.ts";
 *
 * assertEquals([normalizeRoot(""), normalizeRoot("a/b/"), normalizeRoot("/a")], ["/", "/a/b", "/a"]);
 * ```
 */
export function normalizeRoot(path: string): string {
  if (typeof path !== "string") throw new TypeError(`Expected the path to be a string, found ${typeof path}`);
  const trimmed = path.replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "/" : `/${trimmed}`;
}

/**
 * The store key of a file of a node.
 *
 * @param root The hierarchy's root (normalized).
 * @param node The node's relative path (`""` for the root).
 * @param name The file name.
 * @returns The key.
 *
 * @example Keys of a root and of a node
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { keyOf } from "./hierarchy.ts";
 *
 * assertEquals([keyOf("/", "", "zarr.json"), keyOf("/run", "a/b", ".zarray")], ["/zarr.json", "/run/a/b/.zarray"]);
 * ```
 */
export function keyOf(root: string, node: string, name: string): AbsolutePath {
  const base = root === "/" ? "" : root;
  return `${base}${node === "" ? "" : `/${node}`}/${name}` as AbsolutePath;
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight.
 *
 * @param items The inputs.
 * @param limit The most calls at once.
 * @param fn The work.
 * @returns The results, in input order.
 *
 * @example Two at a time
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { mapBounded } from "./hierarchy.ts";
 *
 * let running = 0, most = 0;
 * const out = await mapBounded([1, 2, 3, 4], 2, async (n) => {
 *   most = Math.max(most, ++running);
 *   await new Promise((r) => setTimeout(r, 1));
 *   running--;
 *   return n * 10;
 * });
 * assertEquals([out, most], [[10, 20, 30, 40], 2]);
 * ```
 */
export async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses a metadata document's bytes.
 *
 * @param bytes The object's content.
 * @returns The value, or what was found instead of JSON: where the text stops being
 *   JSON (line and column, from 1), or what the bytes are.
 *
 * @example JSON, and what is not
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { parseDocument } from "./hierarchy.ts";
 *
 * const text = (s: string) => new TextEncoder().encode(s);
 * assertEquals(parseDocument(text("{not json\n")).error, '"not json\\n" at line 1, column 2');
 * assertEquals(parseDocument(text("[1,")).error, "the end of the text at line 1, column 4");
 * assertEquals(parseDocument(Uint8Array.of(0xff)).error, "bytes that are not UTF-8 text");
 * assertEquals(parseDocument(text("")).error, "0 bytes");
 * ```
 */
export function parseDocument(bytes: Uint8Array): { value?: JsonValue; error?: string } {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { error: "bytes that are not UTF-8 text" };
  }
  if (text.trim() === "") return { error: bytes.length === 0 ? "0 bytes" : "only white space" };
  try {
    return { value: parseJson(text) };
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    const at = err.offset;
    const lines = text.slice(0, at).split("\n");
    const where = `at line ${lines.length}, column ${lines[lines.length - 1].length + 1}`;
    const depth = /^at most (\d+) levels of nesting$/.exec(err.expected);
    if (depth) return { error: `more than ${depth[1]} levels of nesting ${where}` };
    const found = at >= text.length ? "the end of the text" : JSON.stringify(text.slice(at, at + 12));
    return { error: `${found} ${where}` };
  }
}

/**
 * Lists every key under `path` and reads every metadata document among them.
 *
 * @param store The store.
 * @param path The hierarchy's root.
 * @param signal Aborts the listing and the reads.
 * @returns The documents found, in key order.
 *
 * @example Read an in-memory hierarchy
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { AbsolutePath } from "./_deps.ts";
 * import { readHierarchy } from "./hierarchy.ts";
 *
 * const objects = new Map([["/zarr.json", '{"zarr_format":3,"node_type":"group"}'], ["/a/c/0", "x"]]);
 * const store = {
 *   get: async (key: AbsolutePath) => new TextEncoder().encode(objects.get(key)),
 *   async *list() { yield* [...objects.keys()] as AbsolutePath[]; },
 * };
 * const { documents } = await readHierarchy(store, "/");
 * assertEquals(documents.map((d) => [d.key, d.node, d.name]), [["/zarr.json", "", "zarr.json"]]);
 * ```
 */
export async function readHierarchy(
  store: HierarchyStore,
  path: string,
  signal?: AbortSignal,
): Promise<HierarchyDocuments> {
  const root = normalizeRoot(path);
  const base = root === "/" ? "" : root;
  const found: { key: AbsolutePath; node: string; name: MetadataName }[] = [];
  for await (const key of store.list(root, { signal })) {
    if (!key.startsWith(`${base}/`)) continue;
    const rel = key.slice(base.length + 1);
    const slash = rel.lastIndexOf("/");
    const name = rel.slice(slash + 1);
    if (!METADATA_NAMES.has(name)) continue;
    found.push({ key, node: slash < 0 ? "" : rel.slice(0, slash), name: name as MetadataName });
  }
  found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const read = await mapBounded(found, 32, async (doc): Promise<MetadataDocument | undefined> => {
    const bytes = await store.get(doc.key, { signal });
    // Deleted between the listing and the read: not there any more.
    return bytes === undefined ? undefined : { ...doc, ...parseDocument(bytes) };
  });
  return { root, documents: read.filter((d): d is MetadataDocument => d !== undefined) };
}

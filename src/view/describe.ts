/**
 * What a zarr hierarchy holds, read for display: every group and array under a path
 * (zarr v3 `zarr.json`, v2 `.zgroup`/`.zarray`/`.zattrs`) with shape, data type, chunk
 * shape, codecs, fill value, dimension names and attributes, and each array's stored
 * objects and bytes.
 *
 * Reads, in order: the root's own metadata; when it holds consolidated metadata (v3
 * `consolidated_metadata` in `zarr.json`, v2 `.zmetadata`) every node comes from it,
 * in one GET; otherwise one listing of the path (`scan`, every page) finds the
 * metadata objects, read with at most `concurrency` GETs at once. Sizes come from
 * that listing (one more listing when the metadata was consolidated). A store that
 * cannot list (a TempURL, a container without `.rlistings`) shows what consolidated
 * metadata has, else the root alone, and no sizes.
 *
 * @module
 */

import { type AbsolutePath, AuthError, PermissionError } from "./_deps.ts";
import { type DocResult, fromV2, fromV3, nodeFromDocs, type NodeSummary, parseJson } from "./metadata.ts";
import { runBounded } from "./read.ts";

/**
 * What {@link describeHierarchy} needs of a store: `get`, and `scan` to list (optional).
 *
 * @example A Map as a store
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import type { DescribableStore } from "@zarrswift/store";
 * const map = new Map<string, Uint8Array>();
 * const store: DescribableStore = { get: (key) => Promise.resolve(map.get(key)) };
 * assertEquals(await store.get("/zarr.json"), undefined);
 * ```
 */
export interface DescribableStore {
  /**
   * Reads an object.
   *
   * @param key The key.
   * @param options A signal.
   * @returns Its bytes, or `undefined` when missing.
   */
  get(key: AbsolutePath, options?: { signal?: AbortSignal }): Promise<Uint8Array | undefined>;
  /**
   * Lists objects with their sizes.
   *
   * @param path The path (`"/"`: all).
   * @param options A signal.
   * @returns Every object under the path, with its size.
   */
  scan?(
    path?: string,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<{ key: AbsolutePath; bytes: number }>;
  /** Where the store is (shown as the title). */
  readonly url?: string;
}

/**
 * A hierarchy as {@link describeHierarchy} found it.
 *
 * @example An empty one
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { hierarchyText, type Hierarchy } from "@zarrswift/store";
 * const empty: Hierarchy = { path: "/", nodes: [], source: "listing", sizes: false, truncated: 0, readAt: "2025-01-01T00:00:00Z" };
 * assertEquals(hierarchyText(empty), "zarr hierarchy: 0 groups, 0 arrays; sizes unknown; from a listing");
 * ```
 */
export interface Hierarchy {
  /** The store's URL, when it has one. */
  url?: string;
  /** The path described. */
  path: string;
  /** The nodes, each parent before its children, siblings by name. */
  nodes: NodeSummary[];
  /** Where the nodes came from. */
  source: "consolidated" | "listing" | "root";
  /** Whether stored objects and bytes are known (the store could list). */
  sizes: boolean;
  /** Objects under the path, all kinds (when sizes are known). */
  objects?: number;
  /** Their bytes. */
  bytes?: number;
  /** Metadata objects found but not read because of `maxNodes`. */
  truncated: number;
  /** When it was read (ISO 8601). */
  readAt: string;
}

/**
 * Options of {@link describeHierarchy}.
 *
 * @example A subgroup, without sizes
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import type { DescribeOptions } from "@zarrswift/store";
 * const options: DescribeOptions = { path: "/ancillary", sizes: false, concurrency: 8 };
 * assertEquals(options.path, "/ancillary");
 * ```
 */
export interface DescribeOptions {
  /** The group (or array) to describe (default `/`). */
  path?: string;
  /** Metadata GETs at once, without consolidated metadata (default 16). */
  concurrency?: number;
  /** Most nodes read (default 10,000); the rest are counted in `truncated`. */
  maxNodes?: number;
  /** List objects for stored objects and bytes (default true). */
  sizes?: boolean;
  /** Aborts the reads. */
  signal?: AbortSignal;
}

const META = /(^|\/)(zarr\.json|\.zarray|\.zgroup|\.zattrs|\.zmetadata)$/;

/**
 * Reads what a hierarchy holds, for display: see the module documentation for the
 * requests made. A node whose metadata is not valid JSON is listed with a `problem`
 * instead of failing the whole description; failures of the store are thrown.
 *
 * @param store A `SwiftStore`, or any store with `get` (and `scan` to list).
 * @param options The path, concurrency, node limit, sizes and an abort signal.
 * @returns The hierarchy.
 *
 * @example A group with one array, from an in-memory store with a `scan`
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import { describeHierarchy } from "@zarrswift/store";
 * const map = new Map<string, Uint8Array>();
 * const root = await zarr.create(map, { attributes: { title: "demo" } });
 * await zarr.create(root.resolve("t"), { shape: [4], chunkShape: [2], dtype: "int16" });
 * const store = {
 *   get: (key: string) => Promise.resolve(map.get(key)),
 *   async *scan() { for (const [key, value] of map) yield { key: key as `/${string}`, bytes: value.length }; },
 * };
 * const tree = await describeHierarchy(store);
 * assertEquals(tree.nodes.map((n) => [n.path, n.kind]), [["/", "group"], ["/t", "array"]]);
 * assertEquals(tree.source, "listing");
 * ```
 */
export async function describeHierarchy(
  store: DescribableStore,
  options: DescribeOptions = {},
): Promise<Hierarchy> {
  const path = normalizePath(options.path ?? "/");
  const at = (rel: string) => (path === "/" ? `/${rel}` : `${path}/${rel}`) as AbsolutePath;
  const signal = options.signal;
  const maxNodes = options.maxNodes ?? 10_000;
  const json = async (key: AbsolutePath) => parseJson(await store.get(key, { signal }), key);
  const out: Hierarchy = {
    url: typeof store.url === "string" ? store.url : undefined,
    path,
    nodes: [],
    source: "root",
    sizes: false,
    truncated: 0,
    readAt: new Date().toISOString(),
  };
  const rootV3 = await json(at("zarr.json"));
  let consolidated: Record<string, Record<string, unknown>> | undefined;
  if (rootV3 !== undefined) {
    const inline = (rootV3.value as { consolidated_metadata?: { metadata?: unknown } })?.consolidated_metadata
      ?.metadata;
    if (inline && typeof inline === "object") {
      consolidated = {};
      for (const [rel, meta] of Object.entries(inline)) consolidated[join(path, rel)] = { "zarr.json": meta };
    }
    out.nodes.push(fromV3(path, rootV3));
  } else {
    const zmeta = await json(at(".zmetadata"));
    const docs = (zmeta?.value as { metadata?: Record<string, unknown> })?.metadata;
    if (docs && typeof docs === "object") {
      consolidated = {};
      for (const [key, doc] of Object.entries(docs)) {
        const m = /^(?:(.*)\/)?(\.zarray|\.zgroup|\.zattrs)$/.exec(key);
        if (!m) continue;
        const node = join(path, m[1] ?? "");
        (consolidated[node] ??= {})[m[2]] = doc;
      }
    }
  }
  if (consolidated) {
    out.source = "consolidated";
    for (const [node, docs] of Object.entries(consolidated)) {
      if (node === path && rootV3 !== undefined) continue;
      const summary = docs["zarr.json"] !== undefined
        ? fromV3(node, { value: docs["zarr.json"] })
        : fromV2(node, docs[".zarray"] ?? docs[".zgroup"], docs[".zattrs"], docs[".zarray"] !== undefined);
      if (summary) out.nodes.push(summary);
    }
  }

  // One listing: metadata keys (when not consolidated) and sizes.
  let listed: Map<string, number> | undefined;
  if (store.scan && (!consolidated || options.sizes !== false)) {
    listed = new Map();
    try {
      for await (const entry of store.scan(path, { signal })) listed.set(entry.key, entry.bytes);
    } catch (error) {
      // Listing is not granted (TempURL, container without .rlistings): show what we have.
      if (!(error instanceof AuthError || error instanceof PermissionError)) throw error;
      listed = undefined;
    }
  }
  if (!consolidated && listed) {
    out.source = "listing";
    const byNode = new Map<string, Set<string>>();
    for (const key of listed.keys()) {
      const m = /^(.*?)\/?(zarr\.json|\.zarray|\.zgroup|\.zattrs)$/.exec(key);
      if (!m || !key.startsWith(path)) continue;
      const node = m[1] === "" ? "/" : m[1];
      if (!byNode.has(node)) byNode.set(node, new Set());
      byNode.get(node)!.add(m[2]);
    }
    byNode.delete(path);
    if (rootV3 === undefined && out.nodes.length === 0) {
      const rootDocs = await readDocs(store, path, ["zarr.json", ".zarray", ".zgroup", ".zattrs"], signal);
      const rootNode = rootDocs && nodeFromDocs(path, rootDocs);
      if (rootNode) out.nodes.push(rootNode);
    }
    const nodes = [...byNode].sort(([a], [b]) => (a < b ? -1 : 1));
    out.truncated = Math.max(0, nodes.length - maxNodes);
    const read: NodeSummary[] = [];
    await runBounded(
      nodes.slice(0, maxNodes).map(([node, names]) => async () => {
        const docs = await readDocs(store, node, [...names], signal);
        const summary = docs && nodeFromDocs(node, docs);
        if (summary) read.push(summary);
      }),
      options.concurrency ?? 16,
      signal,
    );
    out.nodes.push(...read);
  } else if (!consolidated && out.nodes.length === 0) {
    const rootDocs = await readDocs(store, path, [".zarray", ".zgroup", ".zattrs"], signal);
    const rootNode = rootDocs && nodeFromDocs(path, rootDocs);
    if (rootNode) out.nodes.push(rootNode);
  }
  out.nodes.sort((a, b) => compareParts(a.path, b.path));
  if (listed) countStored(out, listed);
  return out;
}

async function readDocs(
  store: DescribableStore,
  node: string,
  names: string[],
  signal?: AbortSignal,
): Promise<Record<string, DocResult> | undefined> {
  const docs: Record<string, DocResult> = {};
  await Promise.all(names.map(async (name) => {
    const key = (node === "/" ? `/${name}` : `${node}/${name}`) as AbsolutePath;
    const doc = parseJson(await store.get(key, { signal }), key);
    if (doc) docs[name] = doc;
  }));
  return Object.keys(docs).length ? docs : undefined;
}

function normalizePath(path: string): string {
  const trimmed = `/${path}`.replace(/\/+/g, "/").replace(/\/$/, "");
  return trimmed === "" ? "/" : trimmed;
}

function join(base: string, rel: string): string {
  return normalizePath(`${base}/${rel}`);
}

/** Orders paths parent first, then siblings by name (`/a`, `/a/b`, `/a-b`). */
function compareParts(a: string, b: string): number {
  const pa = a.split("/");
  const pb = b.split("/");
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Each listed object that is not metadata counts for the deepest array above it. */
function countStored(out: Hierarchy, listed: Map<string, number>): void {
  const arrays = new Map(out.nodes.filter((n) => n.kind === "array").map((n) => [n.path, n]));
  for (const node of arrays.values()) {
    node.storedObjects = 0;
    node.storedBytes = 0;
  }
  let objects = 0;
  let bytes = 0;
  for (const [key, size] of listed) {
    objects++;
    bytes += size;
    if (META.test(key)) continue;
    for (let end = key.lastIndexOf("/"); end >= 0; end = end === 0 ? -1 : key.lastIndexOf("/", end - 1)) {
      const owner = arrays.get(end === 0 ? "/" : key.slice(0, end));
      if (owner) {
        owner.storedObjects!++;
        owner.storedBytes! += size;
        break;
      }
    }
  }
  out.sizes = true;
  out.objects = objects;
  out.bytes = bytes;
}

/**
 * {@link consolidateMetadata}: the metadata of a whole zarr hierarchy in one
 * document at its root, in the formats zarr-python and zarrita read, so that a
 * reader opens the hierarchy with one request instead of one per node.
 *
 * @module
 */

import { type AbsolutePath, ReadOnlyError } from "./_deps.ts";
import { MetadataError } from "./errors.ts";
import { type HierarchyStore, keyOf, normalizeRoot, readHierarchy } from "./hierarchy.ts";
import { formatJson, JsonNumber, type JsonObject, type JsonValue } from "./json.ts";
import { checkHierarchy, type HierarchyNode } from "./rules.ts";

/**
 * Options of {@link consolidateMetadata}.
 *
 * @example Consolidate a sub-group even though it breaks a rule
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { ConsolidateOptions } from "@zarrswift/store";
 *
 * const options: ConsolidateOptions = { path: "/run-42", force: true };
 * assertEquals(options.force, true);
 * ```
 */
export interface ConsolidateOptions {
  /** The group whose hierarchy to consolidate (default `/`, the store's root). */
  path?: string;
  /**
   * Consolidate even when {@link validateHierarchy} reports errors (default
   * `false`: refuse with a {@link MetadataError} listing them). Documents that are
   * not JSON, a path that is not a group and mixed formats are refused regardless.
   */
  force?: boolean;
  /** Aborts the listing, the reads and the write. */
  signal?: AbortSignal;
}

/**
 * What {@link consolidateMetadata} wrote.
 *
 * @example A v3 result
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { ConsolidateResult } from "@zarrswift/store";
 *
 * const result: ConsolidateResult = { format: 3, nodes: 51, bytes: 48_210, key: "/zarr.json" };
 * assertEquals(result.key, "/zarr.json");
 * ```
 */
export interface ConsolidateResult {
  /** The zarr format: 3 (inline in the root's `zarr.json`) or 2 (`.zmetadata`). */
  format: 2 | 3;
  /** Groups and arrays described, the root included. */
  nodes: number;
  /** Size of the document written. */
  bytes: number;
  /** The key written: the root's `zarr.json` or `.zmetadata`. */
  key: AbsolutePath;
}

const OPTIONS = new Set(["path", "force", "signal"]);
const INLINE = (metadata: JsonObject): JsonObject =>
  new Map<string, JsonValue>([["kind", "inline"], ["must_understand", false], ["metadata", metadata]]);

/** A group document as zarr-python writes it: attributes, zarr_format, consolidated_metadata, node_type. */
function groupDocument(doc: JsonObject, consolidated: JsonObject): JsonObject {
  const out: JsonObject = new Map<string, JsonValue>([
    ["attributes", doc.get("attributes") ?? new Map()],
    ["zarr_format", new JsonNumber("3")],
    ["consolidated_metadata", consolidated],
    ["node_type", "group"],
  ]);
  for (const [name, value] of doc) if (!out.has(name)) out.set(name, value);
  return out;
}

/** Depth first, children by name: the order of zarr-python's flattened metadata. */
function depthFirst(nodes: HierarchyNode[]): HierarchyNode[] {
  const segments = (p: string) => p.split("/");
  return nodes.sort((a, b) => {
    const [x, y] = [segments(a.path), segments(b.path)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    }
    return x.length - y.length;
  });
}

/**
 * Writes the consolidated metadata of the zarr hierarchy under `path`: every
 * descendant group and array in one document at its root, so that readers open the
 * whole hierarchy with one GET (zarrita's `withConsolidatedMetadata`,
 * zarr-python's `open_consolidated`, xarray's `open_zarr(consolidated=True)`).
 *
 * - **v3**: the root group's `zarr.json` gains the member
 *   `"consolidated_metadata": {"kind": "inline", "must_understand": false, "metadata": {…}}`,
 *   where `metadata` maps each descendant's path relative to the root (`"a"`,
 *   `"a/b"`) to its `zarr.json` document, child groups carrying an empty inline
 *   `consolidated_metadata` of their own, as zarr-python 3 writes it. This follows
 *   zarr-python 3's `zarr.consolidate_metadata` and its `ConsolidatedMetadata`
 *   (`src/zarr/api/asynchronous.py`, `src/zarr/core/group` in
 *   github.com/zarr-developers/zarr-python) and the proposal for the v3
 *   specification it implements (zarr-developers/zarr-specs#309). Nodes that
 *   zarr-python would not find walking from the root (below an array, or without a
 *   parent group) are left out.
 * - **v2**: `.zmetadata` as zarr 2's `zarr.consolidate_metadata` writes it:
 *   `{"metadata": {".zgroup": …, "a/.zarray": …, "a/.zattrs": …}, "zarr_consolidated_format": 1}`,
 *   every `.zgroup`, `.zarray` and `.zattrs` under the path, keys relative to it,
 *   written as zarr 2 writes JSON (sorted keys, 4-space indent, ASCII).
 *
 * Each document goes in as stored (numbers keep their text, nothing is rounded).
 * Costs one listing, one GET per metadata document and one PUT; nothing else is
 * rewritten. Run it again after changing the hierarchy: readers trust it over the
 * nodes.
 *
 * @param store The store ({@link SwiftStore}, or anything with `get`, `list`, `set`).
 * @param options `path` of the root group, `force`, `signal`.
 * @returns The format, the node count, the bytes and the key written.
 * @throws {ReadOnlyError} The store is read-only (before any request).
 * @throws {MetadataError} Nothing written: a document is not JSON, `path` is not a
 *   group, v2 and v3 metadata are mixed, or (without `force`) a node breaks a rule;
 *   `path` names the key, `problems` lists every problem.
 *
 * @example Consolidate, then open everything with zarrita from one document
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import { type AbsolutePath, consolidateMetadata } from "@zarrswift/store";
 *
 * const objects = new Map<string, Uint8Array>();
 * const store = {
 *   get: async (key: AbsolutePath) => objects.get(key),
 *   set: async (key: AbsolutePath, value: Uint8Array) => void objects.set(key, value),
 *   async *list() { yield* [...objects.keys()] as AbsolutePath[]; },
 * };
 * const root = await zarr.create(store, { attributes: { title: "demo" } });
 * await zarr.create(root.resolve("t"), {
 *   shape: [4], chunkShape: [2], dtype: "float32", fillValue: 0, dimensionNames: ["time"],
 *   codecs: [{ name: "bytes", configuration: { endian: "little" } }],
 * });
 * const result = await consolidateMetadata(store);
 * assertEquals([result.format, result.nodes, result.key], [3, 2, "/zarr.json"]);
 *
 * const consolidated = await zarr.withConsolidatedMetadata(store, { format: "v3" });
 * assertEquals(consolidated.contents(), [{ path: "/", kind: "group" }, { path: "/t", kind: "array" }]);
 * ```
 */
export async function consolidateMetadata(
  store: HierarchyStore,
  options: ConsolidateOptions = {},
): Promise<ConsolidateResult> {
  const unknown = Object.keys(options ?? {}).filter((name) => !OPTIONS.has(name));
  if (unknown.length) {
    throw new TypeError(
      `Expected consolidateMetadata options among path, force, signal, found ${unknown.join(", ")}`,
    );
  }
  const { force = false, signal } = options;
  if (typeof store?.set !== "function") {
    throw new TypeError("Expected a store with a set method to write into");
  }
  const rootPath = options.path ?? "/";
  if (store.readOnly) {
    throw new ReadOnlyError(
      "Expected a writable store to consolidate metadata into, found one opened with readOnly: true",
      { method: "PUT", path: normalizeRoot(rootPath) },
    );
  }
  const hierarchy = await readHierarchy(store, rootPath, signal);
  const { root, documents } = hierarchy;
  const checked = checkHierarchy(hierarchy);
  const { format, nodes } = checked;

  // Refused whatever force says: nothing sound could be written.
  for (const doc of documents) {
    if (doc.error !== undefined && doc.name !== ".zmetadata") {
      throw new MetadataError(`Expected JSON metadata in ${doc.key}, found ${doc.error}`, { path: doc.key });
    }
  }
  const mixed = checked.problems.find((p) => p.rule === "mixed-formats");
  if (mixed) throw new MetadataError(mixed.message, { path: mixed.key, problems: [mixed] });
  const rootNode = nodes.get("");
  if (format === undefined || rootNode?.kind !== "group") {
    const key = rootNode?.documents[0].key ?? keyOf(root, "", format === 2 ? ".zgroup" : "zarr.json");
    throw new MetadataError(
      `Expected a group at ${root} to consolidate, found ${
        rootNode ? "an array" : "no zarr metadata"
      } (${key})`,
      { path: key },
    );
  }
  const target = keyOf(root, "", format === 3 ? "zarr.json" : ".zmetadata");
  const errors = checked.problems.filter((p) =>
    p.severity === "error" && p.rule !== "consolidated-stale" && !(p.key === target && format === 2)
  );
  if (errors.length && !force) {
    const shown = errors.slice(0, 3).map((p) => `${p.key}: ${p.message} [${p.rule}]`).join("; ");
    throw new MetadataError(
      `Expected a hierarchy valid for zarr readers, found ${errors.length} problem${
        errors.length > 1 ? "s" : ""
      }: ${shown}${errors.length > 3 ? "; …" : ""} (pass force: true to consolidate anyway)`,
      { path: errors[0].key, problems: errors },
    );
  }

  let text: string;
  let count: number;
  if (format === 3) {
    const members = depthFirst([...nodes.values()].filter((n) => n.path !== "" && n.reachable));
    const metadata: JsonObject = new Map();
    for (const node of members) {
      const doc = node.documents[0].value as JsonObject;
      metadata.set(node.path, node.kind === "group" ? groupDocument(doc, INLINE(new Map())) : doc);
    }
    const rootDoc = rootNode.documents[0].value as JsonObject;
    text = formatJson(groupDocument(rootDoc, INLINE(metadata)), { indent: 2, ascii: true });
    count = members.length + 1;
  } else {
    const metadata: JsonObject = new Map();
    for (const doc of documents) {
      if (doc.name === ".zarray" || doc.name === ".zgroup" || doc.name === ".zattrs") {
        metadata.set(doc.node === "" ? doc.name : `${doc.node}/${doc.name}`, doc.value!);
      }
    }
    const out: JsonObject = new Map<string, JsonValue>([
      ["zarr_consolidated_format", new JsonNumber("1")],
      ["metadata", metadata],
    ]);
    text = formatJson(out, { indent: 4, sortKeys: true, ascii: true });
    count = nodes.size;
  }
  const bytes = new TextEncoder().encode(text);
  await store.set(target, bytes, { signal });
  return { format, nodes: count, bytes: bytes.length, key: target };
}

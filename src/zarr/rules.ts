/**
 * The rules a whole hierarchy follows: each document parses as JSON, one zarr
 * format throughout, every node reachable from the root through groups, node
 * names as the v3 specification allows them, v2 documents with their mandatory
 * fields, and consolidated metadata that matches the nodes. The per-document v3
 * rules are in `rules_v3.ts`.
 *
 * @module
 */

import type { HierarchyProblem } from "./errors.ts";
import { type HierarchyDocuments, keyOf, type MetadataDocument } from "./hierarchy.ts";
import { JsonNumber, type JsonValue, sameJson, toPlain } from "./json.ts";
import { checkV3Document, type Report } from "./rules_v3.ts";

/**
 * A node of the hierarchy.
 *
 * @example A root group
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { HierarchyNode } from "./rules.ts";
 *
 * const node: HierarchyNode = { path: "", kind: "group", documents: [], reachable: true };
 * assertEquals(node.kind, "group");
 * ```
 */
export interface HierarchyNode {
  /** Relative path: `""` for the root. */
  path: string;
  /** Array or group. */
  kind: "array" | "group";
  /** Its metadata documents (`zarr.json`; or `.zarray`/`.zgroup` and `.zattrs`). */
  documents: MetadataDocument[];
  /** Whether every node above it up to the root is a group (readers walking from the root see it). */
  reachable: boolean;
}

/**
 * What checking a hierarchy's documents found.
 *
 * @example Nothing found
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { CheckedHierarchy } from "./rules.ts";
 *
 * const checked: CheckedHierarchy = { format: undefined, nodes: new Map(), problems: [] };
 * assertEquals(checked.nodes.size, 0);
 * ```
 */
export interface CheckedHierarchy {
  /** The zarr format of the root (or of most nodes), when there is any node. */
  format: 2 | 3 | undefined;
  /** Every node, by relative path. */
  nodes: Map<string, HierarchyNode>;
  /** Every problem, by key and rule. */
  problems: HierarchyProblem[];
}

type Plain = Record<string, unknown>;
const isObject = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number | bigint =>
  (typeof v === "number" && Number.isInteger(v)) || typeof v === "bigint";
const parentOf = (path: string) => path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";

function hasBareSpecial(value: JsonValue | undefined): boolean {
  if (value instanceof JsonNumber) return /^-?[NI]/.test(value.text);
  if (Array.isArray(value)) return value.some(hasBareSpecial);
  if (value instanceof Map) return [...value.values()].some(hasBareSpecial);
  return false;
}

function withoutConsolidated(doc: unknown): unknown {
  if (!isObject(doc)) return doc;
  const { consolidated_metadata: _, ...rest } = doc;
  return rest;
}

function checkV2Array(doc: unknown, report: Report): void {
  if (!isObject(doc)) return report("json", "Expected a JSON object");
  if (doc.zarr_format !== 2) {
    report("zarr-format", `Expected zarr_format 2, found ${JSON.stringify(doc.zarr_format)}`);
  }
  for (const field of ["shape", "chunks", "dtype", "compressor", "fill_value", "order"]) {
    if (!(field in doc)) report("v2-array", `Expected the field ${field} in .zarray, found none`);
  }
  const shape = doc.shape;
  if (!Array.isArray(shape) || !shape.every((n) => isInt(n) && n >= 0)) {
    report("v2-array", `Expected shape to be a list of integers ≥ 0, found ${JSON.stringify(shape)}`);
  } else if (
    !Array.isArray(doc.chunks) || doc.chunks.length !== shape.length ||
    !doc.chunks.every((n) => isInt(n) && n >= 1)
  ) {
    report(
      "v2-array",
      `Expected chunks of ${shape.length} integers ≥ 1, found ${JSON.stringify(doc.chunks)}`,
    );
  }
  if ("order" in doc && doc.order !== "C" && doc.order !== "F") {
    report("v2-array", `Expected order "C" or "F", found ${JSON.stringify(doc.order)}`);
  }
  if (
    doc.compressor !== undefined && doc.compressor !== null &&
    !(isObject(doc.compressor) && typeof doc.compressor.id === "string")
  ) {
    report("v2-array", `Expected compressor null or {"id": …}, found ${JSON.stringify(doc.compressor)}`);
  }
  const sep = doc.dimension_separator;
  if (sep !== undefined && sep !== "." && sep !== "/") {
    report("v2-array", `Expected dimension_separator "." or "/", found ${JSON.stringify(sep)}`);
  }
}

/**
 * Checks every document of a hierarchy and finds its nodes.
 *
 * @param hierarchy The documents, as {@link readHierarchy} read them.
 * @returns The format, the nodes and every problem.
 *
 * @example A group and an array without fill value
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { parseJson } from "./json.ts";
 * import { checkHierarchy } from "./rules.ts";
 *
 * const group = parseJson('{"zarr_format": 3, "node_type": "group"}');
 * const checked = checkHierarchy({ root: "/", documents: [{ key: "/zarr.json", node: "", name: "zarr.json", value: group }] });
 * assertEquals([checked.format, checked.nodes.size, checked.problems], [3, 1, []]);
 * ```
 */
export function checkHierarchy(hierarchy: HierarchyDocuments): CheckedHierarchy {
  const { root, documents } = hierarchy;
  const problems: HierarchyProblem[] = [];
  const reporter = (key: string): Report => (rule, message, severity = "error") =>
    problems.push({ key, rule, severity, message });
  const v3 = documents.filter((d) => d.name === "zarr.json");
  const v2 = documents.filter((d) => d.name === ".zarray" || d.name === ".zgroup" || d.name === ".zattrs");
  const rootDoc = (name: string) => documents.some((d) => d.node === "" && d.name === name);
  const format: 2 | 3 | undefined = rootDoc("zarr.json")
    ? 3
    : rootDoc(".zgroup") || rootDoc(".zarray")
    ? 2
    : v3.length || v2.length
    ? (v3.length >= v2.length ? 3 : 2)
    : undefined;
  for (const doc of format === 3 ? v2 : format === 2 ? v3 : []) {
    reporter(doc.key)(
      "mixed-formats",
      `Expected only zarr v${format} metadata in this hierarchy, found ${doc.name} (zarr v${
        format === 3 ? 2 : 3
      })`,
    );
  }

  const nodes = new Map<string, HierarchyNode>();
  const plain = new Map<MetadataDocument, unknown>();
  for (
    const doc of format === 3
      ? v3
      : format === 2
      ? [...v2, ...documents.filter((d) => d.name === ".zmetadata")]
      : []
  ) {
    const report = reporter(doc.key);
    if (doc.error !== undefined) {
      report("json", `Expected a JSON document, found ${doc.error}`);
      continue;
    }
    if (hasBareSpecial(doc.value)) {
      report(
        "json-nan",
        "Expected JSON, found a bare NaN or Infinity (write it as a string; zarrita and other strict readers refuse it)",
        format === 3 ? "error" : "warning",
      );
    }
    const value = toPlain(doc.value!);
    plain.set(doc, value);
    if (doc.name === "zarr.json") {
      const kind = checkV3Document(value, report);
      if (kind) nodes.set(doc.node, { path: doc.node, kind, documents: [doc], reachable: false });
    } else if (doc.name === ".zarray") {
      checkV2Array(value, report);
      nodes.set(doc.node, { path: doc.node, kind: "array", documents: [doc], reachable: false });
    } else if (doc.name === ".zgroup") {
      if (!isObject(value) || value.zarr_format !== 2) {
        report("zarr-format", `Expected {"zarr_format": 2}, found ${JSON.stringify(value)}`);
      }
      if (nodes.has(doc.node)) {
        report("v2-node", `Expected a .zgroup or a .zarray in ${doc.node || "the root"}, found both`);
      } else {
        nodes.set(doc.node, { path: doc.node, kind: "group", documents: [doc], reachable: false });
      }
    } else if (doc.name === ".zattrs" && !isObject(value)) {
      report("attributes", `Expected .zattrs to hold an object, found ${JSON.stringify(value)}`);
    }
  }

  if (format === 2) {
    for (const doc of v2.filter((d) => d.name === ".zattrs")) {
      const node = nodes.get(doc.node);
      if (node) node.documents.push(doc);
      else {reporter(doc.key)(
          "v2-node",
          "Expected a .zarray or .zgroup next to this .zattrs, found neither",
          "warning",
        );}
      if (
        node?.kind === "array" && isObject(plain.get(doc)) &&
        !("_ARRAY_DIMENSIONS" in (plain.get(doc) as Plain))
      ) {
        reporter(doc.key)(
          "dimension-names",
          "Expected _ARRAY_DIMENSIONS (xarray refuses a v2 array without it)",
          "warning",
        );
      }
    }
    for (const node of nodes.values()) {
      if (node.kind === "array" && !node.documents.some((d) => d.name === ".zattrs")) {
        reporter(node.documents[0].key)(
          "dimension-names",
          "Expected a .zattrs with _ARRAY_DIMENSIONS (xarray refuses a v2 array without it)",
          "warning",
        );
      }
    }
  }

  for (const node of nodes.values()) {
    const report = reporter(node.documents[0].key);
    if (node.path === "") continue;
    const name = node.path.slice(node.path.lastIndexOf("/") + 1);
    if (name.startsWith("__")) {
      report("node-name", `Expected a node name not starting with "__" (reserved), found ${name}`);
    }
    if (/[%?#]/.test(name)) {
      report(
        "node-name",
        `Expected a node name without %, ? or # (zarrita resolves paths as URLs and cannot open it), found ${name}`,
        "warning",
      );
    }
    const parent = nodes.get(parentOf(node.path));
    const parentKey = keyOf(root, parentOf(node.path), format === 3 ? "zarr.json" : ".zgroup");
    if (!parent) {
      report(
        "parent-group",
        `Expected a group at ${parentKey}, found none: readers walking from the root do not see this node`,
      );
    } else if (parent.kind === "array") {
      report(
        "parent-group",
        `Expected a group above this node, found the array ${parent.path || "at the root"}`,
      );
    }
  }

  for (const node of nodes.values()) {
    let path = node.path;
    node.reachable = nodes.has("");
    while (node.reachable && path !== "") {
      path = parentOf(path);
      node.reachable = nodes.get(path)?.kind === "group";
    }
  }
  checkConsolidated(format, documents, nodes, plain, reporter);
  const order = (p: HierarchyProblem) => `${p.key}\u0000${p.rule}`;
  problems.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return { format, nodes, problems };
}

/** Reports consolidated metadata at the root that no longer matches the nodes. */
function checkConsolidated(
  format: 2 | 3 | undefined,
  documents: MetadataDocument[],
  nodes: Map<string, HierarchyNode>,
  plain: Map<MetadataDocument, unknown>,
  reporter: (key: string) => Report,
): void {
  const stale = (key: string, what: string) =>
    reporter(key)(
      "consolidated-stale",
      `Expected the consolidated metadata to match the nodes, found ${what}: consolidate again`,
    );
  if (format === 3) {
    const rootDoc = nodes.get("")?.documents[0];
    const cm = rootDoc && plain.get(rootDoc);
    const metadata = isObject(cm) && isObject(cm.consolidated_metadata)
      ? cm.consolidated_metadata.metadata
      : undefined;
    if (!rootDoc || !isObject(metadata)) return;
    for (const [path, node] of nodes) {
      if (path === "" || !node.reachable) continue;
      const actual = plain.get(node.documents[0]);
      if (!(path in metadata)) stale(rootDoc.key, `no entry for ${path}`);
      else if (!sameJson(withoutConsolidated(metadata[path]), withoutConsolidated(actual))) {
        stale(rootDoc.key, `other metadata for ${path} than ${node.documents[0].key}`);
      }
    }
    for (const path of Object.keys(metadata)) {
      if (!nodes.get(path)?.reachable) stale(rootDoc.key, `an entry for ${path}, which is not a node`);
    }
  } else if (format === 2) {
    const zmetadata = documents.find((d) => d.node === "" && d.name === ".zmetadata");
    if (!zmetadata) return;
    const value = plain.get(zmetadata);
    if (!isObject(value) || value.zarr_consolidated_format !== 1 || !isObject(value.metadata)) {
      reporter(zmetadata.key)(
        "consolidated-metadata",
        'Expected {"zarr_consolidated_format": 1, "metadata": {…}} in .zmetadata',
      );
      return;
    }
    const metadata = value.metadata;
    const docs = documents.filter((d) => d.name !== ".zmetadata" && d.name !== "zarr.json" && plain.has(d));
    for (const doc of docs) {
      const name = doc.node === "" ? doc.name : `${doc.node}/${doc.name}`;
      if (!(name in metadata)) stale(zmetadata.key, `no entry for ${name}`);
      else if (!sameJson(metadata[name], plain.get(doc))) {
        stale(zmetadata.key, `other metadata for ${name} than ${doc.key}`);
      }
    }
    const present = new Set(docs.map((d) => (d.node === "" ? d.name : `${d.node}/${d.name}`)));
    for (const name of Object.keys(metadata)) {
      if (!present.has(name)) stale(zmetadata.key, `an entry for ${name}, which is not there`);
    }
  }
}

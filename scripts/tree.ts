#!/usr/bin/env -S deno run -A
/**
 * Shows the zarr hierarchy under `<container>[/<prefix>]`: groups and arrays (zarr v3
 * `zarr.json`, and v2 `.zgroup`/`.zarray`), each array's shape, dtype, chunk shape,
 * number of stored chunks and stored bytes. One listing, then one read of the
 * consolidated metadata when the root has it (v3 `consolidated_metadata` in
 * `zarr.json`, v2 `.zmetadata`), else one read per node; the last line says which.
 * A node whose metadata is not JSON, or not zarr metadata, is shown with `✗`, the
 * object at fault and what is wrong with it, and so is consolidated metadata that
 * cannot be used (every node is then read); the rest of the tree still shows (exit
 * status 1). A read that fails (a server error) stops it (exit status 1). `--check`
 * also reports every node that breaks the zarr specification or that zarr-python or
 * xarray would refuse (exit status 1 when one does).
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/tree.ts my-container/run-42
 * deno run -A jsr:@zarrswift/store/scripts/tree.ts --check my-container/run-42
 * ```
 *
 * @module
 */

import { type AbsolutePath, type MetadataJson, parseMetadataJson, validateHierarchy } from "../mod.ts";
import {
  AUTH_HELP,
  AUTH_OPTIONS,
  bytes,
  describeLocation,
  location,
  openStore,
  run,
  terminalSafe,
} from "./_cli/mod.ts";

const HELP = `
Usage: tree.ts [--json] [--check] <container>[/<prefix>]

A prefix with nothing under it, or no zarr node under it, is an error (exit status 1).
A node whose metadata is not JSON or not zarr metadata shows as "✗" with the object at
fault and what is wrong, and so does consolidated metadata that cannot be used (on the
last line; every node is read instead): the rest of the tree still shows, and the exit
status is 1. A read that fails (e.g. a server error) stops tree.ts (exit status 1).

Options:
  --json       one JSON object per node, with "error" when its metadata cannot be read;
               {"error": …} when the consolidated metadata cannot be used
  --check      also report every node that breaks the zarr specification or that
               zarr-python or xarray would refuse (exit status 1 if one does)
  -h, --help   this help

${AUTH_HELP}

Exit status: 0 when the tree shows with no problem, 1 when a node is broken, --check finds a
problem, nothing is there or a request failed, 2 on bad usage.`;

interface Node {
  path: string;
  /** Absent when the document at fault does not say (a v3 `zarr.json` that is not JSON). */
  kind?: "group" | "array";
  format: 2 | 3;
  shape?: number[];
  dtype?: string;
  chunks?: number[];
  storedChunks: number;
  storedBytes: number;
  /** What is wrong with the node's metadata, naming the object at fault. */
  error?: string;
}

type Meta = Record<string, unknown>;

const isObject = (v: unknown): v is Meta => typeof v === "object" && v !== null && !Array.isArray(v);
const isInts = (v: unknown, min: number): v is number[] =>
  Array.isArray(v) && v.every((n) => Number.isInteger(n) && n >= min);
const show = (v: unknown): string => {
  if (v === undefined) return "nothing";
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

/** Why `meta` (a document of `name`, zarr v3 when `zarr.json`) is not the zarr metadata the tree shows. */
function metadataProblem(name: string, meta: Meta, where: string): string | undefined {
  const v3 = name === "zarr.json";
  const expected = (what: string, found: unknown) => `Expected ${what} in ${where}, found ${show(found)}`;
  if (meta.zarr_format !== (v3 ? 3 : 2)) return expected(`zarr_format ${v3 ? 3 : 2}`, meta.zarr_format);
  if (v3 && meta.node_type !== "array" && meta.node_type !== "group") {
    return expected('node_type "array" or "group"', meta.node_type);
  }
  if (name === ".zgroup" || meta.node_type === "group") return undefined;
  if (!isInts(meta.shape, 0)) return expected("shape to be a list of integers ≥ 0", meta.shape);
  const ndim = meta.shape.length;
  if (v3) {
    const dt = meta.data_type;
    if (typeof dt !== "string" && !(isObject(dt) && typeof dt.name === "string")) {
      return expected('data_type to be a name or {"name": …}', dt);
    }
    const grid = meta.chunk_grid;
    if (!isObject(grid) || grid.name !== "regular" || !isObject(grid.configuration)) {
      return expected('chunk_grid {"name": "regular", "configuration": {"chunk_shape": […]}}', grid);
    }
    const cs = grid.configuration.chunk_shape;
    if (!isInts(cs, 1) || cs.length !== ndim) return expected(`chunk_shape of ${ndim} integers ≥ 1`, cs);
    return undefined;
  }
  if (typeof meta.dtype !== "string" && !Array.isArray(meta.dtype)) {
    return expected("dtype to be a string or a list of fields", meta.dtype);
  }
  const chunks = meta.chunks;
  if (!isInts(chunks, 1) || chunks.length !== ndim) return expected(`chunks of ${ndim} integers ≥ 1`, chunks);
  return undefined;
}

/**
 * A node from its metadata document (`zarr.json`, or a v2 `.zarray`/`.zgroup`), read
 * from `where`; `undefined` for any other document. A document that is not JSON, or
 * not the zarr metadata its name says, makes a node with its `error`.
 */
function nodeOf(path: string, name: string, doc: MetadataJson, where: string): Node | undefined {
  if (name !== "zarr.json" && name !== ".zarray" && name !== ".zgroup") return undefined;
  const format = name === "zarr.json" ? 3 : 2;
  const meta = "value" in doc ? doc.value : undefined;
  const kind = format === 2
    ? (name === ".zarray" ? "array" : "group")
    : isObject(meta) && (meta.node_type === "array" || meta.node_type === "group")
    ? meta.node_type
    : undefined;
  const error = "found" in doc
    ? `Expected JSON metadata in ${where}, found ${doc.found}`
    : !isObject(meta)
    ? `Expected a JSON object in ${where}, found ${Array.isArray(meta) ? "an array" : show(meta)}`
    : metadataProblem(name, meta, where);
  if (error !== undefined || kind === "group") {
    return { path, kind, format, storedChunks: 0, storedBytes: 0, error };
  }
  const m = meta as Meta;
  const dtype = format === 3 ? m.data_type : m.dtype;
  return {
    path,
    kind,
    format,
    shape: m.shape as number[],
    dtype: typeof dtype === "string" ? dtype : isObject(dtype) ? String(dtype.name) : JSON.stringify(dtype),
    chunks: format === 3
      ? ((m.chunk_grid as Meta).configuration as Meta).chunk_shape as number[]
      : m.chunks as number[],
    storedChunks: 0,
    storedBytes: 0,
  };
}

/**
 * The nodes a consolidated document (the root's `zarr.json` or `.zmetadata`, read from
 * `where`) describes; `undefined` when it holds none (a v3 root without
 * `consolidated_metadata`); a `problem` when it is not the consolidated metadata it
 * should be.
 */
function consolidatedNodes(
  name: string,
  doc: MetadataJson,
  where: string,
): Node[] | { problem: string } | undefined {
  // A v3 root that is not JSON is the root node's error: it shows as such.
  if ("found" in doc) {
    return name === "zarr.json"
      ? undefined
      : { problem: `Expected JSON metadata in ${where}, found ${doc.found}` };
  }
  const value = doc.value;
  const entries: [string, string, unknown, string][] = [];
  if (name === "zarr.json") {
    const cm = isObject(value) ? value.consolidated_metadata : undefined;
    if (cm === undefined || cm === null) return undefined;
    if (!isObject(cm) || !isObject(cm.metadata)) {
      return {
        problem: `Expected consolidated_metadata null or {"metadata": {…}} in ${where}, found ${show(cm)}`,
      };
    }
    entries.push(["/", "zarr.json", value, where]);
    for (const [path, meta] of Object.entries(cm.metadata)) {
      entries.push([
        `/${path}`,
        "zarr.json",
        meta,
        `the entry ${path} of the consolidated metadata in ${where}`,
      ]);
    }
  } else {
    const metadata = isObject(value) ? value.metadata : undefined;
    if (!isObject(value) || value.zarr_consolidated_format !== 1 || !isObject(metadata)) {
      return {
        problem: `Expected {"zarr_consolidated_format": 1, "metadata": {…}} in ${where}, found ${
          show(value)
        }`,
      };
    }
    for (const [key, meta] of Object.entries(metadata)) {
      const slash = key.lastIndexOf("/");
      entries.push([
        slash < 0 ? "/" : `/${key.slice(0, slash)}`,
        key.slice(slash + 1),
        meta,
        `the entry ${key} of ${where}`,
      ]);
    }
  }
  return entries.flatMap(([path, file, meta, at]) => nodeOf(path, file, { value: meta }, at) ?? []);
}

await run("tree.ts", {
  options: { ...AUTH_OPTIONS, json: { type: "boolean" }, check: { type: "boolean" } },
  help: HELP,
  positionals: { min: 1, max: 1 },
}, async ({ values, positionals }) => {
  const loc = location(positionals[0]);
  const store = await openStore(loc, values);
  const sizes = new Map<string, number>();
  for await (const e of store.scan("/")) sizes.set(e.key, e.size);
  if (sizes.size === 0) {
    const what = describeLocation(loc);
    throw new TypeError(loc.path === "" ? `${what} is empty` : `nothing under ${what}/`);
  }
  // Only the content is judged here: a failed read (5xx, network) throws, as it should.
  const read = async (key: string): Promise<MetadataJson | undefined> => {
    const body = await store.get(key as AbsolutePath);
    return body && parseMetadataJson(body);
  };
  const objectName = (key: string) => `${describeLocation(loc)}${key}`;
  // The consolidated document at the root, when there is one: one read for every node.
  let nodes: Node[] | undefined;
  let source = "";
  let reads = 0;
  let consolidatedProblem: string | undefined;
  const rootKey = sizes.has("/zarr.json")
    ? "/zarr.json"
    : sizes.has("/.zmetadata")
    ? "/.zmetadata"
    : undefined;
  let rootDoc: MetadataJson | undefined;
  if (rootKey) {
    reads++;
    rootDoc = await read(rootKey);
    const found = rootDoc && consolidatedNodes(rootKey.slice(1), rootDoc, objectName(rootKey));
    if (Array.isArray(found)) {
      nodes = found;
      source = `consolidated metadata (${rootKey.slice(1)})`;
    } else if (found) consolidatedProblem = found.problem;
  }
  if (!nodes) {
    const metadataKey = /^(.*)\/(zarr\.json|\.zarray|\.zgroup)$/;
    const found: Node[] = [];
    await Promise.all([...sizes.keys()].map(async (key) => {
      const match = metadataKey.exec(key);
      if (!match) return;
      const doc = key === rootKey ? rootDoc : (reads++, await read(key));
      const node = doc && nodeOf(match[1] === "" ? "/" : match[1], match[2], doc, objectName(key));
      if (node) found.push(node);
    }));
    nodes = found;
    source = "one read per node";
  }
  nodes.sort((a, b) => (a.path < b.path ? -1 : 1));
  // Stored chunks: everything under an array that is not metadata.
  for (const node of nodes.filter((n) => n.kind === "array")) {
    const under = node.path === "/" ? "/" : `${node.path}/`;
    for (const [key, size] of sizes) {
      if (!key.startsWith(under) || /\/(zarr\.json|\.zarray|\.zattrs|\.zgroup)$/.test(key)) continue;
      node.storedChunks++;
      node.storedBytes += size;
    }
  }
  const broken = nodes.filter((n) => n.error !== undefined).length + (consolidatedProblem ? 1 : 0);
  const report = values.check ? await validateHierarchy(store) : undefined;
  if (values.json) {
    const metadata = source === "one read per node" ? "node" : "consolidated";
    for (const node of nodes) console.log(JSON.stringify({ ...node, metadata }));
    if (consolidatedProblem) console.log(JSON.stringify({ error: consolidatedProblem }));
    for (const problem of report?.problems ?? []) console.log(JSON.stringify({ problem }));
  } else if (nodes.length > 0) {
    print(nodes, store.url);
    console.log(
      terminalSafe(
        `metadata: ${source}, ${reads} read${reads === 1 ? "" : "s"}${
          consolidatedProblem ? ` ✗ ${consolidatedProblem}` : ""
        }`,
      ),
    );
    if (report) {
      for (const p of report.problems) {
        console.log(terminalSafe(`${p.severity}: ${p.key}: ${p.message} [${p.rule}]`));
      }
      const errors = report.problems.filter((p) => p.severity === "error").length;
      console.log(
        `check: ${report.nodes} nodes, ${errors} error${errors === 1 ? "" : "s"}, ${
          report.problems.length - errors
        } warning${report.problems.length - errors === 1 ? "" : "s"}`,
      );
    }
  }
  if (nodes.length === 0) {
    if (consolidatedProblem) console.error(terminalSafe(`tree.ts: ${consolidatedProblem}`));
    console.error(
      terminalSafe(
        `tree.ts: no zarr node under ${describeLocation(loc)}/ (${sizes.size} object${
          sizes.size === 1 ? "" : "s"
        }, no zarr metadata among them)`,
      ),
    );
    return 1;
  }
  return broken > 0 || (report && !report.valid) ? 1 : 0;
});

/**
 * Prints the nodes (sorted by path) as a tree under `url`: each below its nearest
 * ancestor node, named by its path from there (`datasets/run42` when `datasets` is no
 * node), and under a header line when the root itself is no node.
 */
function print(nodes: Node[], url: string): void {
  const indent = new Map<string, number>();
  if (nodes[0]?.path !== "/") console.log(terminalSafe(`${url}  (no zarr node here)`));
  for (const node of nodes) {
    let parent = node.path === "/" ? undefined : node.path.slice(0, node.path.lastIndexOf("/")) || "/";
    while (parent !== undefined && !indent.has(parent)) {
      parent = parent === "/" ? undefined : parent.slice(0, parent.lastIndexOf("/")) || "/";
    }
    const depth = node.path === "/" ? 0 : parent === undefined ? 1 : indent.get(parent)! + 1;
    indent.set(node.path, depth);
    const name = node.path === "/"
      ? url
      : node.path.slice(parent === "/" || parent === undefined ? 1 : parent.length + 1);
    const detail = node.error !== undefined
      ? `  ✗ ${node.error}`
      : node.kind === "array"
      ? `  array ${node.dtype} [${node.shape?.join(", ")}] chunks [${
        node.chunks?.join(", ")
      }], ${node.storedChunks} stored (${bytes(node.storedBytes)})`
      : "  group";
    console.log(
      terminalSafe(
        `${"  ".repeat(depth)}${name}${detail}${
          node.format === 2 && node.error === undefined ? " (zarr v2)" : ""
        }`,
      ),
    );
  }
}

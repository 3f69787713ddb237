#!/usr/bin/env -S deno run -A
/**
 * Shows the zarr hierarchy under `<container>[/<prefix>]`: groups and arrays (zarr v3
 * `zarr.json`, and v2 `.zgroup`/`.zarray`), each array's shape, dtype, chunk shape,
 * number of stored chunks and stored bytes. One listing, then one read of the
 * consolidated metadata when the root has it (v3 `consolidated_metadata` in
 * `zarr.json`, v2 `.zmetadata`), else one read per node; the last line says which.
 * `--check` also reports every node that breaks the zarr specification or that
 * zarr-python or xarray would refuse (exit status 1 when one does).
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/tree.ts my-container/run-42
 * deno run -A jsr:@zarrswift/store/scripts/tree.ts --check my-container/run-42
 * ```
 *
 * @module
 */

import { type AbsolutePath, validateHierarchy } from "../mod.ts";
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

Options:
  --json       one JSON object per node
  --check      also report every node that breaks the zarr specification or that
               zarr-python or xarray would refuse (exit status 1 if one does)
  -h, --help   this help

${AUTH_HELP}`;

interface Node {
  path: string;
  kind: "group" | "array";
  format: 2 | 3;
  shape?: number[];
  dtype?: string;
  chunks?: number[];
  storedChunks: number;
  storedBytes: number;
}

type Meta = Record<string, unknown>;

/** A node from its metadata document (`zarr.json`, or a v2 `.zarray`/`.zgroup`). */
function nodeOf(path: string, name: string, meta: Meta): Node | undefined {
  if (name === "zarr.json") {
    const grid = meta.chunk_grid as { configuration?: { chunk_shape?: number[] } } | undefined;
    if (meta.node_type !== "array" && meta.node_type !== "group") return undefined;
    return {
      path,
      kind: meta.node_type,
      format: 3,
      shape: meta.shape as number[],
      dtype: meta.data_type as string,
      chunks: grid?.configuration?.chunk_shape,
      storedChunks: 0,
      storedBytes: 0,
    };
  }
  if (name !== ".zarray" && name !== ".zgroup") return undefined;
  return {
    path,
    kind: name === ".zarray" ? "array" : "group",
    format: 2,
    shape: meta.shape as number[],
    dtype: meta.dtype as string,
    chunks: meta.chunks as number[],
    storedChunks: 0,
    storedBytes: 0,
  };
}

/** The nodes a consolidated document describes, or `undefined` when it is none. */
function consolidatedNodes(name: string, doc: Meta): Node[] | undefined {
  const entries: [string, string, Meta][] = [];
  if (name === "zarr.json") {
    const cm = doc.consolidated_metadata as { metadata?: Record<string, Meta> } | null | undefined;
    if (!cm || typeof cm.metadata !== "object" || cm.metadata === null) return undefined;
    entries.push(["/", "zarr.json", doc]);
    for (const [path, meta] of Object.entries(cm.metadata)) entries.push([`/${path}`, "zarr.json", meta]);
  } else {
    const metadata = doc.metadata as Record<string, Meta> | undefined;
    if (doc.zarr_consolidated_format !== 1 || typeof metadata !== "object" || metadata === null) {
      return undefined;
    }
    for (const [key, meta] of Object.entries(metadata)) {
      const slash = key.lastIndexOf("/");
      entries.push([slash < 0 ? "/" : `/${key.slice(0, slash)}`, key.slice(slash + 1), meta]);
    }
  }
  return entries.flatMap(([path, file, meta]) => nodeOf(path, file, meta) ?? []);
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
  const readJson = async (key: string): Promise<Meta | undefined> => {
    const body = await store.get(key as AbsolutePath);
    return body && JSON.parse(new TextDecoder().decode(body));
  };
  // The consolidated document at the root, when there is one: one read for every node.
  let nodes: Node[] | undefined;
  let source = "";
  let reads = 0;
  const rootKey = sizes.has("/zarr.json")
    ? "/zarr.json"
    : sizes.has("/.zmetadata")
    ? "/.zmetadata"
    : undefined;
  let rootDoc: Meta | undefined;
  if (rootKey) {
    reads++;
    rootDoc = await readJson(rootKey);
    nodes = rootDoc && consolidatedNodes(rootKey.slice(1), rootDoc);
    if (nodes) source = `consolidated metadata (${rootKey.slice(1)})`;
  }
  if (!nodes) {
    const metadataKey = /^(.*)\/(zarr\.json|\.zarray|\.zgroup)$/;
    const found: Node[] = [];
    await Promise.all([...sizes.keys()].map(async (key) => {
      const match = metadataKey.exec(key);
      if (!match) return;
      const meta = key === rootKey ? rootDoc : (reads++, await readJson(key));
      const node = meta && nodeOf(match[1] === "" ? "/" : match[1], match[2], meta);
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
  const report = values.check ? await validateHierarchy(store) : undefined;
  if (values.json) {
    const metadata = source === "one read per node" ? "node" : "consolidated";
    for (const node of nodes) console.log(JSON.stringify({ ...node, metadata }));
    for (const problem of report?.problems ?? []) console.log(JSON.stringify({ problem }));
  } else if (nodes.length > 0) {
    print(nodes, store.url);
    console.log(`metadata: ${source}, ${reads} read${reads === 1 ? "" : "s"}`);
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
    console.error(
      terminalSafe(
        `tree.ts: no zarr node under ${describeLocation(loc)}/ (${sizes.size} object${
          sizes.size === 1 ? "" : "s"
        }, no zarr metadata among them)`,
      ),
    );
    return 1;
  }
  return report && !report.valid ? 1 : 0;
});

function print(nodes: Node[], url: string): void {
  for (const node of nodes) {
    const depth = node.path === "/" ? 0 : node.path.split("/").length - 1;
    const name = node.path === "/" ? url : node.path.slice(node.path.lastIndexOf("/") + 1);
    const detail = node.kind === "array"
      ? `  array ${node.dtype} [${node.shape?.join(", ")}] chunks [${
        node.chunks?.join(", ")
      }], ${node.storedChunks} stored (${bytes(node.storedBytes)})`
      : "  group";
    console.log(
      terminalSafe(
        `${"  ".repeat(Math.max(0, depth - (nodes[0]?.path === "/" ? 0 : 1)))}${name}${detail}${
          node.format === 2 ? " (zarr v2)" : ""
        }`,
      ),
    );
  }
}

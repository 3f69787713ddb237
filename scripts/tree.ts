#!/usr/bin/env -S deno run -A
/**
 * Shows the zarr hierarchy under `<container>[/<prefix>]`: groups and arrays (zarr v3
 * `zarr.json`, and v2 `.zgroup`/`.zarray`), each array's shape, dtype, chunk shape,
 * number of stored chunks and stored bytes. One listing and one read per node.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/tree.ts my-container/run-42
 * ```
 *
 * @module
 */

import type { AbsolutePath } from "../mod.ts";
import { AUTH_HELP, AUTH_OPTIONS, bytes, location, openStore, run } from "./_cli/mod.ts";

const HELP = `
Usage: tree.ts [--json] <container>[/<prefix>]

Options:
  --json       one JSON object per node
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

await run("tree.ts", {
  options: { ...AUTH_OPTIONS, json: { type: "boolean" } },
  help: HELP,
  positionals: { min: 1, max: 1 },
}, async ({ values, positionals }) => {
  const store = await openStore(location(positionals[0]), values);
  const sizes = new Map<string, number>();
  for await (const e of store.scan("/")) sizes.set(e.key, e.bytes);
  const metadataKey = /^(.*)\/(zarr\.json|\.zarray|\.zgroup)$/;
  const nodes: Node[] = [];
  await Promise.all([...sizes.keys()].map(async (key) => {
    const match = metadataKey.exec(key);
    if (!match) return;
    const body = await store.get(key as AbsolutePath);
    if (!body) return;
    const meta = JSON.parse(new TextDecoder().decode(body));
    const path = match[1] === "" ? "/" : match[1];
    if (match[2] === "zarr.json") {
      const chunks = meta.chunk_grid?.configuration?.chunk_shape;
      nodes.push({
        path,
        kind: meta.node_type,
        format: 3,
        shape: meta.shape,
        dtype: meta.data_type,
        chunks,
        storedChunks: 0,
        storedBytes: 0,
      });
    } else {
      const kind = match[2] === ".zarray" ? "array" : "group";
      nodes.push({
        path,
        kind,
        format: 2,
        shape: meta.shape,
        dtype: meta.dtype,
        chunks: meta.chunks,
        storedChunks: 0,
        storedBytes: 0,
      });
    }
  }));
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
  if (values.json) {
    for (const node of nodes) console.log(JSON.stringify(node));
    return;
  }
  if (nodes.length === 0) console.log(`no zarr nodes under ${store.url}`);
  for (const node of nodes) {
    const depth = node.path === "/" ? 0 : node.path.split("/").length - 1;
    const name = node.path === "/" ? store.url : node.path.slice(node.path.lastIndexOf("/") + 1);
    const detail = node.kind === "array"
      ? `  array ${node.dtype} [${node.shape?.join(", ")}] chunks [${
        node.chunks?.join(", ")
      }], ${node.storedChunks} stored (${bytes(node.storedBytes)})`
      : "  group";
    console.log(
      `${"  ".repeat(Math.max(0, depth - (nodes[0]?.path === "/" ? 0 : 1)))}${name}${detail}${
        node.format === 2 ? " (zarr v2)" : ""
      }`,
    );
  }
});

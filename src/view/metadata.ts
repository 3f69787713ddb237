/**
 * Zarr node metadata as the display shows it: v3 `zarr.json` (with sharding's inner
 * chunks and codecs) and v2 `.zarray`/`.zgroup`/`.zattrs` (filters, compressor, order,
 * xarray's `_ARRAY_DIMENSIONS`), read into one summary per node.
 *
 * @module
 */

/**
 * A metadata document as read: its parsed value, or what was wrong with it.
 *
 * @example A document that is not JSON
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { parseJson } from "./metadata.ts";
 * assertEquals(parseJson(new TextEncoder().encode("{"), "/zarr.json"), { problem: "/zarr.json is not valid JSON (1 bytes)" });
 * ```
 */
export interface DocResult {
  /** The parsed JSON. */
  value?: unknown;
  /** Why it could not be parsed. */
  problem?: string;
}

/**
 * One group or array.
 *
 * @example An array
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import type { NodeSummary } from "@zarrswift/store";
 * const node: NodeSummary = { path: "/t", kind: "array", zarrFormat: 3, attributes: {}, shape: [2], dtype: "int8", chunks: [2] };
 * assertEquals(node.kind, "array");
 * ```
 */
export interface NodeSummary {
  /** The node's path (`/` for the store's root). */
  path: string;
  /** `group` or `array`. */
  kind: "group" | "array";
  /** 2 or 3. */
  zarrFormat: 2 | 3;
  /** The attributes (v2: `.zattrs`). */
  attributes: Record<string, unknown>;
  /** An array's shape. */
  shape?: number[];
  /** An array's data type as stored (`float32`, or v2's `<f4`). */
  dtype?: string;
  /** An array's chunk shape (a sharded array's shard shape). */
  chunks?: number[];
  /** A sharded array's inner chunk shape. */
  innerChunks?: number[];
  /** An array's codecs, in order, one line each (`zstd(level=0, checksum=false)`). */
  codecs?: string[];
  /** An array's fill value, as stored. */
  fillValue?: unknown;
  /** Dimension names (v3 `dimension_names`, or v2's xarray attribute `_ARRAY_DIMENSIONS`). */
  dimensionNames?: (string | null)[];
  /** Objects stored under an array other than its metadata (chunks, shards). */
  storedObjects?: number;
  /** Their bytes. */
  storedBytes?: number;
  /** What was wrong with the node's metadata, when it could not be read. */
  problem?: string;
}

/**
 * The summary of a node from its documents (`zarr.json`, or v2's `.zarray`/`.zgroup` and `.zattrs`).
 *
 * @param node The node's path.
 * @param docs Its documents, by name.
 * @returns The summary, or `undefined` when no document says what the node is.
 *
 * @example A v2 group
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { nodeFromDocs } from "./metadata.ts";
 * const node = nodeFromDocs("/g", { ".zgroup": { value: { zarr_format: 2 } }, ".zattrs": { value: { a: 1 } } });
 * assertEquals(node, { path: "/g", kind: "group", zarrFormat: 2, attributes: { a: 1 } });
 * ```
 */
export function nodeFromDocs(
  node: string,
  docs: Record<string, DocResult>,
): NodeSummary | undefined {
  if (docs["zarr.json"]) return fromV3(node, docs["zarr.json"]);
  const main = docs[".zarray"] ?? docs[".zgroup"];
  if (!main) return undefined;
  if (main.problem) {
    return {
      path: node,
      kind: docs[".zarray"] ? "array" : "group",
      zarrFormat: 2,
      attributes: {},
      problem: main.problem,
    };
  }
  return fromV2(node, main.value, docs[".zattrs"]?.value, docs[".zarray"] !== undefined);
}

/**
 * Parses a metadata document.
 *
 * @param bytes The object's bytes (`undefined` when it does not exist).
 * @param key Its key, for the problem's message.
 * @returns The value or the problem; `undefined` for a missing object.
 *
 * @example A group document
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { parseJson } from "./metadata.ts";
 * assertEquals(parseJson(new TextEncoder().encode('{"zarr_format":3}'), "/zarr.json"), { value: { zarr_format: 3 } });
 * ```
 */
export function parseJson(
  bytes: Uint8Array | undefined,
  key: string,
): { value?: unknown; problem?: string } | undefined {
  if (bytes === undefined) return undefined;
  try {
    return { value: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch {
    return { problem: `${key} is not valid JSON (${bytes.length} bytes)` };
  }
}

/**
 * The summary of a v3 node from its `zarr.json`.
 *
 * @param path The node's path.
 * @param doc The parsed document (or its problem).
 * @returns The summary.
 *
 * @example An array with sharding
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { fromV3 } from "./metadata.ts";
 * const node = fromV3("/a", { value: { node_type: "array", shape: [8], data_type: "int8", chunk_grid: { configuration: { chunk_shape: [8] } },
 *   codecs: [{ name: "sharding_indexed", configuration: { chunk_shape: [2], codecs: [{ name: "bytes" }] } }], fill_value: 0 } });
 * assertEquals([node.chunks, node.innerChunks, node.codecs], [[8], [2], ["sharding_indexed(chunk_shape=[2])", "  bytes"]]);
 * ```
 */
export function fromV3(path: string, doc: DocResult): NodeSummary {
  const meta = (doc.value ?? {}) as Record<string, unknown>;
  const kind = meta.node_type === "array" ? "array" : "group";
  const node: NodeSummary = { path, kind, zarrFormat: 3, attributes: asRecord(meta.attributes) };
  if (doc.problem) node.problem = doc.problem;
  if (kind === "group") return node;
  const codecs = Array.isArray(meta.codecs) ? meta.codecs as Codec[] : [];
  const sharding = codecs.find((c) => c?.name === "sharding_indexed");
  node.shape = meta.shape as number[];
  node.dtype = typeof meta.data_type === "string" ? meta.data_type : JSON.stringify(meta.data_type);
  node.chunks = (meta.chunk_grid as { configuration?: { chunk_shape?: number[] } })?.configuration
    ?.chunk_shape;
  if (sharding) node.innerChunks = sharding.configuration?.chunk_shape as number[] | undefined;
  node.codecs = codecs.flatMap((c) =>
    c?.name === "sharding_indexed"
      ? [
        `sharding_indexed(chunk_shape=[${(c.configuration?.chunk_shape as number[] ?? []).join(", ")}])`,
        ...((c.configuration?.codecs ?? []) as Codec[]).map((inner) => `  ${codecText(inner)}`),
      ]
      : [codecText(c)]
  );
  node.fillValue = meta.fill_value;
  if (Array.isArray(meta.dimension_names)) node.dimensionNames = meta.dimension_names;
  return node;
}

/**
 * The summary of a v2 node from its `.zarray` or `.zgroup` and `.zattrs`.
 *
 * @param path The node's path.
 * @param meta The parsed `.zarray` or `.zgroup`.
 * @param attrs The parsed `.zattrs` (or `undefined`).
 * @param isArray Whether `meta` is a `.zarray`.
 * @returns The summary.
 *
 * @example An array with a compressor
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { fromV2 } from "./metadata.ts";
 * const node = fromV2("/t", { shape: [4], chunks: [2], dtype: "<i2", compressor: { id: "zlib", level: 1 } }, { _ARRAY_DIMENSIONS: ["x"] }, true);
 * assertEquals([node?.codecs, node?.dimensionNames], [["zlib(level=1)"], ["x"]]);
 * ```
 */
export function fromV2(
  path: string,
  meta: unknown,
  attrs: unknown,
  isArray: boolean,
): NodeSummary | undefined {
  const m = asRecord(meta);
  const node: NodeSummary = {
    path,
    kind: isArray ? "array" : "group",
    zarrFormat: 2,
    attributes: asRecord(attrs),
  };
  if (!isArray) return node;
  node.shape = m.shape as number[];
  node.dtype = typeof m.dtype === "string" ? m.dtype : JSON.stringify(m.dtype);
  node.chunks = m.chunks as number[];
  const v2codec = (c: Record<string, unknown>) => {
    const { id, ...rest } = c;
    return codecText({ name: String(id), configuration: rest });
  };
  node.codecs = [
    ...(Array.isArray(m.filters) ? m.filters.map(v2codec) : []),
    ...(m.compressor ? [v2codec(m.compressor as Record<string, unknown>)] : []),
    ...(m.order === "F" ? ["order=F"] : []),
  ];
  node.fillValue = m.fill_value;
  const dims = node.attributes._ARRAY_DIMENSIONS;
  if (Array.isArray(dims)) node.dimensionNames = dims;
  return node;
}

interface Codec {
  name: string;
  configuration?: Record<string, unknown>;
}

function codecText(c: Codec): string {
  const config = Object.entries(c?.configuration ?? {}).map(([k, v]) =>
    `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`
  );
  return `${c?.name ?? "?"}${config.length ? `(${config.join(", ")})` : ""}`;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

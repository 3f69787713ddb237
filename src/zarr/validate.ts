/**
 * {@link validateHierarchy}: every node of a zarr hierarchy that breaks the zarr
 * specification, or that zarr-python or xarray would refuse, with the key and the
 * rule.
 *
 * @module
 */

import type { HierarchyProblem } from "./errors.ts";
import { type HierarchyStore, readHierarchy } from "./hierarchy.ts";
import { checkHierarchy } from "./rules.ts";

/**
 * Options of {@link validateHierarchy}.
 *
 * @example Check one sub-group
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { ValidateOptions } from "@zarrswift/store";
 *
 * const options: ValidateOptions = { path: "/run-42", signal: AbortSignal.timeout(60_000) };
 * assertEquals(options.path, "/run-42");
 * ```
 */
export interface ValidateOptions {
  /** The hierarchy's root in the store (default `/`). */
  path?: string;
  /** Aborts the listing and the reads. */
  signal?: AbortSignal;
}

/**
 * What {@link validateHierarchy} found.
 *
 * @example A report
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { ValidationReport } from "@zarrswift/store";
 *
 * const report: ValidationReport = { format: 3, nodes: 2, valid: true, problems: [] };
 * assertEquals(report.valid, true);
 * ```
 */
export interface ValidationReport {
  /** The zarr format of the hierarchy (`undefined` when there is no node). */
  format: 2 | 3 | undefined;
  /** How many groups and arrays were found (the root included). */
  nodes: number;
  /** Whether no problem is an error (warnings allowed). */
  valid: boolean;
  /** Every problem, by key and rule. */
  problems: HierarchyProblem[];
}

const OPTIONS = new Set(["path", "signal"]);

/**
 * Checks every node of a zarr hierarchy (v3 or v2) and reports each document that
 * breaks the zarr specification or that zarr-python, xarray or zarrita would
 * refuse, naming the key and the rule. Costs one listing of the keys under `path`
 * and one GET per metadata document; nothing is written.
 *
 * | rule | severity | a node breaks it when |
 * | --- | --- | --- |
 * | `json` | error | its document is not UTF-8 JSON, or not an object |
 * | `json-nan` | error (v3), warning (v2) | it holds a bare `NaN`/`Infinity`, which strict JSON readers (zarrita) refuse |
 * | `mixed-formats` | error | v2 and v3 metadata are mixed in one hierarchy |
 * | `zarr-format`, `node-type` | error | `zarr_format` or `node_type` is wrong |
 * | `shape`, `data-type`, `chunk-grid`, `chunk-key-encoding` | error | a mandatory field is missing or invalid, a data type or grid zarr-python 3 does not read |
 * | `fill-value` | error | no fill value (zarrita writes `null` when none is given), or one the data type cannot hold |
 * | `array-bytes-codec` | error | `codecs` lacks exactly one array-to-bytes codec (zarrita's default `[]`) |
 * | `codec-order`, `codec-configuration`, `codecs` | error | codecs out of order, a configuration the codec's spec forbids (e.g. `bytes` without `endian`) |
 * | `codec-unknown` | error | a codec zarr-python 3 does not know (e.g. zarrita's `zlib`) |
 * | `codec-shorthand` | warning | a codec given by name only |
 * | `dimension-names` | error, or warning when absent | invalid `dimension_names`; absent ones (or v2 `_ARRAY_DIMENSIONS`) make xarray refuse the array |
 * | `storage-transformers`, `unknown-field`, `attributes` | error | fields a reader must understand but cannot |
 * | `node-name` | error, warning | a name starting with `__`; a name with `%`, `?` or `#` (zarrita cannot open it) |
 * | `parent-group` | error | the node's parent is not a group, so walking from the root misses it |
 * | `v2-array`, `v2-node` | error, warning | a `.zarray` without its mandatory fields; `.zattrs` without a node |
 * | `consolidated-metadata`, `consolidated-stale` | error | consolidated metadata malformed, or no longer matching the nodes |
 *
 * @param store The store ({@link SwiftStore}, or anything with `get` and `list`).
 * @param options `path`: the hierarchy's root; `signal`.
 * @returns The format, the node count, and every problem.
 *
 * @example Find what zarr-python 3 would refuse in an array zarrita made
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import { type AbsolutePath, validateHierarchy } from "@zarrswift/store";
 *
 * const objects = new Map<string, Uint8Array>();
 * const store = {
 *   get: async (key: AbsolutePath) => objects.get(key),
 *   set: async (key: AbsolutePath, value: Uint8Array) => void objects.set(key, value),
 *   async *list() { yield* [...objects.keys()] as AbsolutePath[]; },
 * };
 * const root = await zarr.create(store);
 * await zarr.create(root.resolve("t"), { shape: [4], chunkShape: [2], dtype: "float32" });
 * const report = await validateHierarchy(store);
 * assertEquals(report.valid, false);
 * assertEquals(report.problems.filter((p) => p.severity === "error").map((p) => [p.key, p.rule]), [
 *   ["/t/zarr.json", "array-bytes-codec"],
 *   ["/t/zarr.json", "fill-value"],
 * ]);
 * ```
 */
export async function validateHierarchy(
  store: HierarchyStore,
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  const unknown = Object.keys(options ?? {}).filter((name) => !OPTIONS.has(name));
  if (unknown.length) {
    throw new TypeError(`Expected validateHierarchy options among path, signal, found ${unknown.join(", ")}`);
  }
  const checked = checkHierarchy(await readHierarchy(store, options.path ?? "/", options.signal));
  return {
    format: checked.format,
    nodes: checked.nodes.size,
    valid: !checked.problems.some((p) => p.severity === "error"),
    problems: checked.problems,
  };
}

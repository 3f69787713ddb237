/**
 * The error the zarr layer adds: {@link MetadataError}, for a hierarchy whose
 * metadata cannot be used as asked.
 *
 * @example Tell a metadata problem from a request failure
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { MetadataError, SwiftError } from "@zarrswift/store";
 *
 * const err = new MetadataError("Expected a JSON object in /a/zarr.json, found an array", { path: "/a/zarr.json" });
 * assertEquals([err instanceof SwiftError, err.name, err.path], [true, "MetadataError", "/a/zarr.json"]);
 * ```
 * @module
 */

import { SwiftError, type SwiftErrorDetails } from "./_deps.ts";

/**
 * One way a node breaks the zarr specification or what zarr-python would accept.
 *
 * @example A problem as {@link validateHierarchy} reports it
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { HierarchyProblem } from "@zarrswift/store";
 *
 * const problem: HierarchyProblem = {
 *   key: "/temperature/zarr.json",
 *   rule: "array-bytes-codec",
 *   severity: "error",
 *   message: "Expected exactly one array-to-bytes codec in codecs, found none",
 * };
 * assertEquals(problem.severity, "error");
 * ```
 */
export interface HierarchyProblem {
  /** The metadata document at fault, e.g. `/temperature/zarr.json`. */
  key: string;
  /** The rule it breaks (see {@link validateHierarchy} for the list). */
  rule: string;
  /**
   * `"error"`: the zarr specification forbids it or zarr-python refuses it;
   * `"warning"`: valid, but some reader will not see it as meant (e.g. xarray
   * without `dimension_names`, zarrita with `%` in a name).
   */
  severity: "error" | "warning";
  /** What was expected and what was found, in a sentence. */
  message: string;
}

/**
 * A hierarchy's metadata cannot be used as asked: a document that is not JSON, a
 * path that is not a group, v2 and v3 nodes mixed, or (from
 * {@link consolidateMetadata}) nodes that break the zarr specification. `path` is
 * the store key of the document at fault; `problems` lists every problem found
 * when there are several.
 *
 * @example Catch a refused consolidation
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { MetadataError } from "@zarrswift/store";
 *
 * const err = new MetadataError("Expected a valid hierarchy, found 1 problem", {
 *   path: "/a/zarr.json",
 *   problems: [{ key: "/a/zarr.json", rule: "fill-value", severity: "error", message: "Expected a fill_value, found null" }],
 * });
 * assertEquals(err.problems.map((p) => p.rule), ["fill-value"]);
 * ```
 */
export class MetadataError extends SwiftError {
  /** Every problem found, when the error is about a hierarchy that breaks the rules. */
  readonly problems: readonly HierarchyProblem[];

  /**
   * Makes the error.
   *
   * @param message What was expected and what was found.
   * @param details `path`: the store key at fault; `problems`: every problem found.
   */
  constructor(message: string, details: SwiftErrorDetails & { problems?: readonly HierarchyProblem[] } = {}) {
    super(message, details);
    this.problems = details.problems ?? [];
  }
}

/**
 * The zarr layer: consolidated metadata and hierarchy validation over any store
 * with `get` and `list` (a {@link SwiftStore} above all).
 *
 * @module
 */

export { consolidateMetadata, type ConsolidateOptions, type ConsolidateResult } from "./consolidate.ts";
export { type HierarchyProblem, MetadataError } from "./errors.ts";
export type { HierarchyStore } from "./hierarchy.ts";
export { validateHierarchy, type ValidateOptions, type ValidationReport } from "./validate.ts";

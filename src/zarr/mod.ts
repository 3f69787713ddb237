/**
 * The zarr layer: consolidated metadata and hierarchy validation over any store
 * with `get` and `list` (a {@link SwiftStore} above all), a bounded chunk queue for
 * zarrita's reads and writes, and one metadata document read as zarr-python writes it.
 *
 * @module
 */

export { consolidateMetadata, type ConsolidateOptions, type ConsolidateResult } from "./consolidate.ts";
export { type MetadataJson, parseMetadataJson } from "./document.ts";
export { type HierarchyProblem, MetadataError } from "./errors.ts";
export type { HierarchyStore } from "./hierarchy.ts";
export { boundedQueue, type ChunkQueue } from "./queue.ts";
export { validateHierarchy, type ValidateOptions, type ValidationReport } from "./validate.ts";

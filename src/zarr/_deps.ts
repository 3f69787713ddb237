/**
 * Everything the zarr layer takes from the layers below it, in one place: when files
 * move, only these paths change.
 *
 * @module
 */

export { ReadOnlyError, SwiftError, type SwiftErrorDetails } from "../errors.ts";
export type { AbsolutePath } from "../keys.ts";
export { SwiftStore } from "../store.ts";

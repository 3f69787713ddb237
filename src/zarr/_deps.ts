/**
 * Everything the zarr layer takes from the layers below it, in one place.
 *
 * @module
 */

export { ReadOnlyError, SwiftError, type SwiftErrorDetails } from "../util/errors.ts";
export type { AbsolutePath } from "../store/keys.ts";
export { SwiftStore } from "../store/store.ts";
export { Limiter } from "../http/limiter.ts";

/**
 * Everything `src/view/` takes from the layers below it, in one place.
 *
 * @module
 */

export { AuthError, PermissionError, ReadOnlyError } from "../util/errors.ts";
export type { AbsolutePath } from "../store/keys.ts";
export { shareUrl } from "../store/sharing.ts";
export { SwiftStore } from "../store/store.ts";

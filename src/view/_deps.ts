/**
 * Everything `src/view/` takes from the rest of the library, in one place (re-exports
 * only), so that moving those modules changes this file alone.
 *
 * @module
 */

export { AuthError, PermissionError, ReadOnlyError } from "../errors.ts";
export type { AbsolutePath } from "../keys.ts";
export { shareUrl } from "../container.ts";
export { SwiftStore } from "../store.ts";

/**
 * An independent PNG decoder for the view tests: fast-png (pure JavaScript, a test-only
 * npm dependency, never imported by the library). One place to re-point when it moves
 * into deno.json's imports.
 */
export { decode } from "npm:fast-png@6";

/**
 * One zarr metadata document, read as zarr-python writes it: {@link parseMetadataJson}.
 *
 * @module
 */

import { parseDocument } from "./hierarchy.ts";
import { toPlain } from "./json.ts";

/**
 * A metadata document as read: its value as plain data, or what was found instead of JSON.
 *
 * @example Tell the two apart
 * ```ts
 * import assert from "node:assert/strict";
 * import { type MetadataJson, parseMetadataJson } from "@zarrswift/store";
 *
 * const doc: MetadataJson = parseMetadataJson(new TextEncoder().encode("{oops"));
 * assert.ok("found" in doc && doc.found.startsWith('"oops" at line 1, column 2'));
 * ```
 */
export type MetadataJson = { value: unknown } | { found: string };

/**
 * Parses a zarr metadata document (`zarr.json`, `.zarray`, `.zattrs`, `.zmetadata`)
 * as zarr-python writes it: the bare `NaN`, `Infinity` and `-Infinity` of Python's
 * `json` are read as numbers, where `JSON.parse` refuses the whole document. Never
 * throws: a document that is not JSON answers what was found where it stops being
 * JSON, to end a sentence "Expected JSON metadata in …, found …".
 *
 * @param bytes The object's content.
 * @returns `{ value }` (numbers as JavaScript numbers), or `{ found }`.
 *
 * @example A .zattrs written by xarray, and one cut short
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMetadataJson } from "@zarrswift/store";
 *
 * const text = (s: string) => new TextEncoder().encode(s);
 * assert.deepEqual(parseMetadataJson(text('{"scale": NaN, "units": "K"}')), {
 *   value: { scale: NaN, units: "K" },
 * });
 * assert.deepEqual(parseMetadataJson(text('{"units": ')), { found: "the end of the text at line 1, column 11" });
 * ```
 */
export function parseMetadataJson(bytes: Uint8Array): MetadataJson {
  const { value, error } = parseDocument(bytes);
  return error === undefined ? { value: toPlain(value!) } : { found: error };
}

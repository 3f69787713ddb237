/**
 * Byte ranges as zarrita asks for them (`{ offset, length }` or `{ suffixLength }`):
 * validation, the `Range` header, and what to take from a body that holds more than
 * the range (a server that ignored the header).
 *
 * @module
 */

/**
 * A byte range: `length` bytes from `offset`, or the last `suffixLength` bytes.
 *
 * @example A head and a tail range
 * ```ts
 * import assert from "node:assert/strict";
 * import type { RangeQuery } from "@zarrswift/store";
 * const head: RangeQuery = { offset: 0, length: 16 };
 * const tail: RangeQuery = { suffixLength: 16 };
 * assert.deepEqual([head, tail].map((r) => "suffixLength" in r), [false, true]);
 * ```
 */
export type RangeQuery = { offset: number; length: number } | { suffixLength: number };

const isCount = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;

/**
 * Refuses anything but `{ offset, length }` or `{ suffixLength }` of non-negative safe integers.
 *
 * @param range The range to check.
 * @throws {RangeError} When it is neither.
 */
export function checkRange(range: RangeQuery): void {
  const ok = range !== null && typeof range === "object" &&
    ("suffixLength" in range ? isCount(range.suffixLength) : isCount(range.offset) && isCount(range.length));
  if (!ok) {
    throw new RangeError(
      `Expected a range { offset, length } or { suffixLength } of non-negative integers, found ${
        JSON.stringify(range) ?? String(range)
      }`,
    );
  }
}

/**
 * The `Range` header value for a checked range. An empty `{ offset, length: 0 }` asks
 * for one byte (HTTP has no empty range): the caller keeps none of it.
 *
 * @param range A checked range.
 * @returns The header value, e.g. `bytes=0-15` or `bytes=-16`.
 */
export function rangeHeader(range: RangeQuery): string {
  if ("suffixLength" in range) return `bytes=-${range.suffixLength}`;
  return `bytes=${range.offset}-${range.offset + Math.max(range.length, 1) - 1}`;
}

/**
 * The part of a whole object's bytes that `range` asks for (a view, not a copy).
 *
 * @param bytes The whole object.
 * @param range A checked range.
 * @returns A view of the bytes asked for (clamped at the end).
 */
export function sliceRange(bytes: Uint8Array, range: RangeQuery): Uint8Array {
  if ("suffixLength" in range) return bytes.subarray(Math.max(0, bytes.length - range.suffixLength));
  return bytes.subarray(range.offset, range.offset + range.length);
}

/**
 * Byte ranges as zarrita asks for them (`{ offset, length }` or `{ suffixLength }`):
 * validation and the `Range` header.
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

/** Refuses anything but `{ offset, length }` or `{ suffixLength }` of non-negative safe integers. */
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
 */
export function rangeHeader(range: RangeQuery): string {
  if ("suffixLength" in range) return `bytes=-${range.suffixLength}`;
  return `bytes=${range.offset}-${range.offset + Math.max(range.length, 1) - 1}`;
}

/**
 * JSON for metadata documents, read and written without losing anything: numbers
 * keep their source text (a uint64 fill value such as `18446744073709551615`
 * survives, where `JSON.parse` would round it), and the bare `NaN`, `Infinity` and
 * `-Infinity` that Python's `json` writes are read and written back as they were.
 * Objects keep their members in document order.
 *
 * @example Round-trip a document Python wrote
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { formatJson, parseJson } from "./json.ts";
 *
 * const doc = parseJson('{"fill_value": 18446744073709551615, "scale": NaN}');
 * assertEquals(formatJson(doc), '{"fill_value":18446744073709551615,"scale":NaN}');
 * ```
 * @module
 */

/**
 * A JSON number as written in its document (also the bare `NaN`, `Infinity` and
 * `-Infinity` that Python writes).
 *
 * @example Read a number's value
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { JsonNumber } from "./json.ts";
 *
 * assertEquals(new JsonNumber("1e3").value, 1000);
 * assertEquals(new JsonNumber("18446744073709551615").value, 18446744073709551615n);
 * ```
 */
export class JsonNumber {
  /** The number as written. */
  readonly text: string;

  /**
   * Makes a number from its source text.
   *
   * @param text The number as written, e.g. `"1.5e-7"` or `"NaN"`.
   */
  constructor(text: string) {
    this.text = text;
  }

  /**
   * The value: a `number`, or a `bigint` for an integer beyond 2^53 that a
   * `number` would round.
   *
   * @returns The number's value.
   */
  get value(): number | bigint {
    if (this.text === "NaN") return NaN;
    if (this.text === "Infinity") return Infinity;
    if (this.text === "-Infinity") return -Infinity;
    const n = Number(this.text);
    return /^-?\d+$/.test(this.text) && !Number.isSafeInteger(n) ? BigInt(this.text) : n;
  }
}

/**
 * A parsed JSON value: objects are `Map`s (document order, any key), numbers are
 * {@link JsonNumber}s.
 *
 * @example A parsed value
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { JsonNumber, type JsonValue } from "./json.ts";
 *
 * const value: JsonValue = [null, true, "a", new JsonNumber("1.0"), new Map([["k", "v"]])];
 * assertEquals((value as JsonValue[]).length, 5);
 * ```
 */
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/**
 * A JSON object: its members in document order.
 *
 * @example An object
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { JsonObject } from "./json.ts";
 *
 * const object: JsonObject = new Map([["zarr_format", null]]);
 * assertEquals([...object.keys()], ["zarr_format"]);
 * ```
 */
export type JsonObject = Map<string, JsonValue>;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SPECIAL = /NaN|-?Infinity/y;

/** Where a text stops being JSON: what was expected at which offset (UTF-16 units), and what was `found`. */
export class JsonSyntaxError extends SyntaxError {
  /** What belongs at `offset` ("a member name"), and where the text stops being JSON. */
  readonly expected: string;
  readonly offset: number;
  constructor(expected: string, offset: number, found: string) {
    super(`Expected ${expected} at offset ${offset}, found ${found}`);
    this.expected = expected;
    this.offset = offset;
  }
}

/**
 * Parses a JSON document (RFC 8259, plus the bare `NaN`, `Infinity` and
 * `-Infinity` that Python's `json` reads and writes).
 *
 * @param text The document.
 * @returns Its value.
 * @throws {JsonSyntaxError} Where the text stops being JSON, with the offset.
 *
 * @example Parse an object
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { parseJson } from "./json.ts";
 *
 * const doc = parseJson('{"zarr_format": 3, "node_type": "group"}') as Map<string, unknown>;
 * assertEquals([...doc.keys()], ["zarr_format", "node_type"]);
 * ```
 */
export function parseJson(text: string): JsonValue {
  let at = 0;
  const fail = (expected: string): never => {
    throw new JsonSyntaxError(
      expected,
      at,
      at < text.length ? JSON.stringify(text.slice(at, at + 12)) : "the end",
    );
  };
  const space = () => {
    while (at < text.length && " \t\n\r".includes(text[at])) at++;
  };
  const value = (depth: number): JsonValue => {
    if (depth > 512) fail("at most 512 levels of nesting");
    space();
    const c = text[at];
    if (c === "{") {
      at++;
      const object: JsonObject = new Map();
      space();
      if (text[at] === "}") {
        at++;
        return object;
      }
      for (;;) {
        space();
        if (text[at] !== '"') fail("a member name");
        const name = string();
        space();
        if (text[at] !== ":") fail('":"');
        at++;
        object.set(name, value(depth + 1));
        space();
        if (text[at] === ",") {
          at++;
          continue;
        }
        if (text[at] === "}") {
          at++;
          return object;
        }
        fail('"," or "}"');
      }
    }
    if (c === "[") {
      at++;
      const array: JsonValue[] = [];
      space();
      if (text[at] === "]") {
        at++;
        return array;
      }
      for (;;) {
        array.push(value(depth + 1));
        space();
        if (text[at] === ",") {
          at++;
          continue;
        }
        if (text[at] === "]") {
          at++;
          return array;
        }
        fail('"," or "]"');
      }
    }
    if (c === '"') return string();
    for (const [word, result] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return result;
      }
    }
    for (const pattern of [SPECIAL, NUMBER]) {
      pattern.lastIndex = at;
      const match = pattern.exec(text);
      if (match) {
        at += match[0].length;
        return new JsonNumber(match[0]);
      }
    }
    return fail("a JSON value");
  };
  const string = (): string => {
    // Find the closing quote, then let JSON.parse decode the escapes.
    const start = at++;
    while (at < text.length && text[at] !== '"') {
      if (text[at] === "\\") at++;
      else if (text.charCodeAt(at) < 0x20) fail("no control character in a string");
      at++;
    }
    if (at >= text.length) fail("the end of the string");
    at++;
    try {
      return JSON.parse(text.slice(start, at));
    } catch {
      at = start;
      return fail("a valid string");
    }
  };
  const result = value(0);
  space();
  if (at < text.length) fail("the end of the document");
  return result;
}

/**
 * How {@link formatJson} writes.
 *
 * @example Python's zarr 2 layout
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { FormatOptions } from "./json.ts";
 *
 * const zarr2: FormatOptions = { indent: 4, sortKeys: true, ascii: true };
 * assertEquals(zarr2.indent, 4);
 * ```
 */
export interface FormatOptions {
  /** Spaces per level; `undefined` writes everything on one line (default). */
  indent?: number;
  /** Write object members sorted by name (as Python's `sort_keys=True`). */
  sortKeys?: boolean;
  /** Escape every non-ASCII character as `\uXXXX` (as Python's `ensure_ascii=True`). */
  ascii?: boolean;
}

/**
 * Writes a value as JSON. With `indent`, the layout is Python's
 * `json.dumps(indent=…)`: `", "`-free items, `": "` after names, `{}` and `[]` for
 * empty containers.
 *
 * @param value What to write.
 * @param options Layout, key order and escaping.
 * @returns The document.
 *
 * @example Write as zarr 2 does
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { formatJson, parseJson } from "./json.ts";
 *
 * const doc = parseJson('{"b": [], "a": "é"}');
 * assertEquals(formatJson(doc, { indent: 4, sortKeys: true, ascii: true }), '{\n    "a": "\\u00e9",\n    "b": []\n}');
 * ```
 */
export function formatJson(value: JsonValue, options: FormatOptions = {}): string {
  const { indent, sortKeys = false, ascii = false } = options;
  const quote = (s: string) => {
    const quoted = JSON.stringify(s);
    return ascii
      ? quoted.replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`)
      : quoted;
  };
  const write = (v: JsonValue, level: number): string => {
    if (v === null) return "null";
    if (typeof v === "boolean") return String(v);
    if (typeof v === "string") return quote(v);
    if (v instanceof JsonNumber) return v.text;
    const items = Array.isArray(v)
      ? v.map((item) => write(item, level + 1))
      : [...v].sort(sortKeys ? ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0) : () => 0)
        .map(([name, item]) => `${quote(name)}:${indent === undefined ? "" : " "}${write(item, level + 1)}`);
    const [open, close] = Array.isArray(v) ? "[]" : "{}";
    if (items.length === 0) return open + close;
    if (indent === undefined) return open + items.join(",") + close;
    const inner = "\n" + " ".repeat(indent * (level + 1));
    return open + inner + items.join("," + inner) + "\n" + " ".repeat(indent * level) + close;
  };
  return write(value, 0);
}

/**
 * The value as plain JavaScript: objects, arrays, numbers (`bigint` beyond 2^53).
 *
 * @param value A parsed value.
 * @returns The same data as plain values.
 *
 * @example Compare with a literal
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { parseJson, toPlain } from "./json.ts";
 *
 * assertEquals(toPlain(parseJson('{"shape": [2, 3]}')), { shape: [2, 3] });
 * ```
 */
export function toPlain(value: JsonValue): unknown {
  if (value instanceof JsonNumber) return value.value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [name, item] of value) {
      Object.defineProperty(out, name, {
        value: toPlain(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/**
 * Deep equality of plain JSON values (numbers by value, NaN equal to NaN).
 *
 * @param a One value.
 * @param b The other.
 * @returns Whether they are the same JSON.
 *
 * @example NaN equals NaN, order of members does not matter
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { sameJson } from "./json.ts";
 *
 * assertEquals([sameJson({ a: NaN, b: [1] }, { b: [1], a: NaN }), sameJson([1], { 0: 1 })], [true, false]);
 * ```
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as Record<string, unknown>);
  const kb = Object.keys(b as Record<string, unknown>);
  return ka.length === kb.length &&
    ka.every((k) =>
      Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
    );
}

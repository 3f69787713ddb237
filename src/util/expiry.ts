/**
 * Object headers from the scripts' command line: when Swift deletes an object (`--delete-after`,
 * `--delete-at`), extra headers (`-H/--header "Name: value"`) and metadata (`-m/--meta key:value`).
 * Each parser answers a `[name, value]` pair for `new Headers([...])`, or throws a `TypeError` (malformed)
 * or `RangeError` (out of range) whose message says what was expected and what was found.
 *
 * Swift refuses an expiry that is not in the future; header names with `_` reach it with `-` instead
 * (WSGI), so they are refused here; values with non-ASCII characters are sent as their UTF-8 bytes, as
 * python-swiftclient sends them.
 *
 * @example Headers for an upload that expires in a week
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * const headers = new Headers([deleteAfterHeader("7d"), metaHeader("project:ocean"), header("X-Foo: 1")]);
 * assertEquals([...headers], [["x-delete-after", "604800"], ["x-foo", "1"], ["x-object-meta-project", "ocean"]]);
 * ```
 * @module
 */

/** The largest expiry Swift keeps (`X-Delete-At` is capped at ten digits, in the year 2286). */
const MAX_SECONDS = 9_999_999_999;
const UNITS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parses a duration of whole seconds: a number, or a number with `s`, `m`, `h` or `d` (`90`, `30m`,
 * `12h`, `7d`).
 *
 * @param text The duration.
 * @param flag The option it comes from, for the error message.
 * @returns The seconds, at least 1 and at most 9999999999.
 * @throws {TypeError} Not a whole number with an optional unit (`1.5h`, `ten`, `5y`).
 * @throws {RangeError} Zero, negative, or more than 9999999999 seconds.
 *
 * @example Durations
 * ```ts
 * import { deepEqual as assertEquals, throws } from "node:assert/strict";
 * assertEquals(["90", "30m", "12h", "7d"].map((d) => parseDuration(d)), [90, 1800, 43200, 604800]);
 * throws(() => parseDuration("-30m"), RangeError);
 * ```
 */
export function parseDuration(text: string, flag = "--delete-after"): number {
  const match = /^(-?)(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) {
    throw new TypeError(
      `Expected ${flag} as whole seconds, or a whole number with s, m, h or d (30m, 12h, 7d), found ` +
        JSON.stringify(text),
    );
  }
  const seconds = Number(match[2]) * UNITS[match[3]];
  if (match[1] || seconds === 0) {
    throw new RangeError(`Expected ${flag} to be at least 1 second, found ${JSON.stringify(text)}`);
  }
  if (seconds > MAX_SECONDS) {
    throw new RangeError(
      `Expected ${flag} to be at most ${MAX_SECONDS} seconds (Swift's limit), found ${JSON.stringify(text)}`,
    );
  }
  return seconds;
}

/**
 * The `X-Delete-After` header for `--delete-after`: Swift deletes the object that many seconds after
 * the upload.
 *
 * @param text The duration (see {@link parseDuration}).
 * @returns `["X-Delete-After", seconds]`.
 * @throws {TypeError | RangeError} As {@link parseDuration}.
 *
 * @example Half an hour
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * assertEquals(deleteAfterHeader("30m"), ["X-Delete-After", "1800"]);
 * ```
 */
export function deleteAfterHeader(text: string): [string, string] {
  return ["X-Delete-After", String(parseDuration(text, "--delete-after"))];
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?)?$/i;

/**
 * The `X-Delete-At` header for `--delete-at`: Swift deletes the object at that time. The time is Unix
 * seconds, or ISO 8601: a date (`2030-01-31`, midnight UTC) or a date and time with `Z` or an offset
 * (`2030-01-31T12:00:00+01:00`); a time without either is refused rather than read in some time zone.
 * Fractions of a second round up.
 *
 * @param text The time.
 * @param now The current time (default: now).
 * @returns `["X-Delete-At", Unix seconds]`.
 * @throws {TypeError} Neither Unix seconds nor ISO 8601 with a time zone, or not a real date and time.
 * @throws {RangeError} Not after `now`, or after 9999999999 (Swift's limit).
 *
 * @example A date and time, and Unix seconds
 * ```ts
 * import { deepEqual as assertEquals, throws } from "node:assert/strict";
 * const now = new Date("2026-01-01T00:00:00Z");
 * assertEquals(deleteAtHeader("2030-01-31T12:00:00+01:00", now), ["X-Delete-At", "1896087600"]);
 * assertEquals(deleteAtHeader("1896087600", now), ["X-Delete-At", "1896087600"]);
 * throws(() => deleteAtHeader("2025-12-31", now), RangeError);
 * ```
 */
export function deleteAtHeader(text: string, now: Date = new Date()): [string, string] {
  const value = text.trim();
  const shown = JSON.stringify(text);
  let seconds: number;
  if (/^-?\d+$/.test(value)) seconds = Number(value);
  else {
    const m = ISO.exec(value);
    const expected = "Expected --delete-at as Unix seconds or ISO 8601 (2030-01-31, 2030-01-31T12:00:00Z)";
    if (!m) throw new TypeError(`${expected}, found ${shown}`);
    if (m[4] !== undefined && m[8] === undefined && m[9] === undefined) {
      throw new TypeError(`${expected}; a time needs Z or an offset (+01:00), found ${shown}`);
    }
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map((n) => Number(n ?? 0));
    const utc = new Date(0);
    utc.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, years 0 to 99 stay themselves
    utc.setUTCHours(hour, minute, second);
    const got = [utc.getUTCFullYear(), utc.getUTCMonth() + 1, utc.getUTCDate(), utc.getUTCHours()];
    if (got.join() !== [year, month, day, hour].join() || minute > 59 || second > 59) {
      throw new TypeError(`Expected --delete-at to be a real date and time, found ${shown}`);
    }
    const [offsetHours, offsetMinutes] = [Number(m[10] ?? 0), Number(m[11] ?? 0)];
    if (offsetHours > 23 || offsetMinutes > 59) {
      throw new TypeError(`Expected --delete-at to have an offset up to 23:59, found ${shown}`);
    }
    const offset = (m[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60;
    const fraction = Number(`0.${m[7] ?? 0}`);
    seconds = Math.ceil(utc.getTime() / 1000 - offset + fraction);
  }
  if (seconds * 1000 <= now.getTime()) {
    const when = seconds < 0 ? String(seconds) : new Date(seconds * 1000).toISOString();
    throw new RangeError(`Expected --delete-at to be in the future, found ${shown} (${when})`);
  }
  if (seconds > MAX_SECONDS) {
    throw new RangeError(
      `Expected --delete-at to be at most ${MAX_SECONDS} (Swift's limit, in 2286), found ${shown}`,
    );
  }
  return ["X-Delete-At", String(seconds)];
}

/** RFC 9110 token characters, less `_` (WSGI turns it into `-`). */
const NAME = /^[!#$%&'*+\-.^`|~0-9A-Za-z]+$/;

/** Checks a header name and value; answers the value as a byte string of its UTF-8. */
function checkedValue(name: string, value: string, flag: string, text: string): string {
  const shown = JSON.stringify(text);
  if (name === "") throw new TypeError(`Expected ${flag} with a name before ':', found ${shown}`);
  if (name.includes("_")) {
    throw new TypeError(
      `Expected ${flag} without '_' in the name (Swift receives it as '-'), found ${shown}`,
    );
  }
  if (!NAME.test(name)) {
    throw new TypeError(
      `Expected ${flag} with a name of letters, digits and !#$%&'*+-.^\`|~ only, found ${shown}`,
    );
  }
  if (/[\0\r\n]/.test(value)) {
    throw new TypeError(`Expected ${flag} with a value without CR, LF or NUL, found ${shown}`);
  }
  return Array.from(new TextEncoder().encode(value), (b) => String.fromCharCode(b)).join("");
}

/**
 * Parses `-H/--header "Name: value"` into a header. Space around the name and the value is removed.
 *
 * @param text The option's value.
 * @returns `[name, value]`, the value as the byte string of its UTF-8.
 * @throws {TypeError} No `:`, an empty or invalid name (characters outside RFC 9110's token, or `_`), or
 *   CR, LF or NUL in the value.
 *
 * @example A content type
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * assertEquals(header("Content-Type: application/json"), ["Content-Type", "application/json"]);
 * ```
 */
export function header(text: string): [string, string] {
  const colon = text.indexOf(":");
  if (colon < 0) throw new TypeError(`Expected --header as "Name: value", found ${JSON.stringify(text)}`);
  const name = text.slice(0, colon).trim();
  return [name, checkedValue(name, text.slice(colon + 1).trim(), "--header", text)];
}

/**
 * Parses `-m/--meta key:value` into an object metadata header (`X-Object-Meta-Key`). Space around the
 * key and the value is removed; an empty value (`key:`) is allowed (a POST with it removes the key).
 *
 * @param text The option's value.
 * @returns `["X-Object-Meta-" + key, value]`, the value as the byte string of its UTF-8.
 * @throws {TypeError} No `:`, an empty or invalid key (as {@link header}), or CR, LF or NUL in the value.
 *
 * @example Metadata with a non-ASCII value
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * const [name, value] = metaHeader("Site: Zürich");
 * assertEquals(name, "X-Object-Meta-Site");
 * assertEquals(new TextDecoder().decode(Uint8Array.from(value, (c) => c.charCodeAt(0))), "Zürich");
 * ```
 */
export function metaHeader(text: string): [string, string] {
  const colon = text.indexOf(":");
  if (colon < 0) throw new TypeError(`Expected --meta as "key:value", found ${JSON.stringify(text)}`);
  const key = text.slice(0, colon).trim();
  return [`X-Object-Meta-${key}`, checkedValue(key, text.slice(colon + 1).trim(), "--meta", text)];
}

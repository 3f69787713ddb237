/**
 * One page of a listing, as Swift sends it and as this library checks it: the
 * entries' shape, the request for a page (forward after a marker, or in reverse
 * before it), the order names sort in, and the forward loop that follows `marker`
 * until an empty page (short pages happen before the end on some servers, so a short
 * page is not taken as the last one). No `limit` is sent: the server's own maximum is
 * used, which can never be refused with 412.
 *
 * @module
 */

import type { SwiftClient } from "../http/client.ts";
import { expectOk, parseJson } from "../http/response.ts";
import { ProtocolError } from "../util/errors.ts";

/** One entry of a container listing as the server sends it: an object, or (with a delimiter) a sub-prefix. */
export type ListingEntry =
  | {
    /** The object name. */
    name: string;
    /** Size in bytes. */
    bytes: number;
    /** MD5 hex of the content (for large objects, of the manifest). */
    hash: string;
    /** The object's content type. */
    content_type: string;
    /** Last modification, as the server formats it. */
    last_modified: string;
    /** Present on Static Large Object manifests (Swift 2.x): the large object's ETag, quoted. */
    slo_etag?: string;
    /** Absent on objects. */
    subdir?: undefined;
  }
  | {
    /** The shared prefix, ending with the delimiter. */
    subdir: string;
    /** Absent on sub-prefixes. */
    name?: undefined;
  };

/** What to list. */
export interface ListOptions {
  /** Only names starting with this. */
  prefix?: string;
  /** Roll names up at this character after the prefix (`"/"`). */
  delimiter?: string;
  /** Aborts the listing. */
  signal?: AbortSignal;
}

const encoder = new TextEncoder();

/**
 * Compares names as Swift orders them: by their UTF-8 bytes. UTF-16 code units sort
 * the same way up to the first difference unless it involves a surrogate or a unit
 * of U+E000–U+FFFF, so only those names are encoded.
 */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const [u, v] = [a.charCodeAt(i), b.charCodeAt(i)];
  if (u < 0xd800 && v < 0xd800) return u - v;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/**
 * Checks a listing page before anything in it is used: a JSON array of entries,
 * each with a string `name` or `subdir` under the prefix asked for, the last one
 * past `marker` (else the next page would ask for the same again, for ever).
 */
function checkPage<T>(
  page: unknown,
  marker: string,
  prefix: string,
  req: { method: string; target: string; what: string },
): T[] {
  const fail = (found: string) =>
    new ProtocolError(`Expected ${req.what.toLowerCase()} ${req.target} to answer ${found}`, {
      method: req.method,
      path: req.target,
    });
  if (!Array.isArray(page)) {
    throw fail(`a JSON array of entries, found ${page === null ? "null" : typeof page}`);
  }
  for (const entry of page) {
    const key = typeof entry === "object" && entry !== null
      ? typeof entry.subdir === "string" ? entry.subdir : entry.name
      : undefined;
    if (typeof key !== "string") {
      throw fail(`entries with a string name or subdir, found ${JSON.stringify(entry)?.slice(0, 80)}`);
    }
    if (!key.startsWith(prefix)) {
      throw fail(
        `names under the prefix ${JSON.stringify(prefix)}, found ${JSON.stringify(key.slice(0, 80))}`,
      );
    }
  }
  const lastKey = page.length === 0 ? undefined : keyOf(page[page.length - 1]);
  if (lastKey !== undefined && marker !== "" && compareNames(lastKey, marker) <= 0) {
    throw fail(
      `a page that moves past ${JSON.stringify(marker.slice(0, 80))}, found one ending at ${
        JSON.stringify(lastKey.slice(0, 80))
      }: the listing would never end`,
    );
  }
  return page as T[];
}

/** What listings send back: objects or sub-prefixes (containers, in the account's). */
export type Named = { name?: string; subdir?: string };

/** The name (or sub-prefix) an entry sorts by. */
export function keyOf(entry: Named): string {
  return entry.subdir ?? entry.name ?? "";
}

/**
 * One page of a listing at `path` (`""`: the account), after `marker` — or, with
 * `reverse`, in descending order before it (Swift's `reverse=true`). A forward page
 * is checked to move past `marker`; a reverse page's order is the caller's to check.
 */
export async function fetchListingPage<T extends Named>(
  client: SwiftClient,
  path: string,
  target: string,
  options: ListOptions,
  marker: string,
  reverse = false,
): Promise<T[]> {
  let query = "?format=json";
  if (options.prefix) query += `&prefix=${encodeURIComponent(options.prefix)}`;
  if (options.delimiter) query += `&delimiter=${encodeURIComponent(options.delimiter)}`;
  if (marker) query += `&marker=${encodeURIComponent(marker)}`;
  if (reverse) query += "&reverse=true";
  const req = {
    method: "GET",
    path,
    query,
    headers: { Accept: "application/json" },
    signal: options.signal,
    target,
    what: path === "" ? "Listing the containers of" : "Listing container",
  };
  return await client.request(
    req,
    expectOk(async (res) => {
      if (res.status === 204) {
        await res.body?.cancel();
        return [];
      }
      const text = await res.text();
      return text.trim() === ""
        ? []
        : checkPage<T>(parseJson(text, req), reverse ? "" : marker, options.prefix ?? "", req);
    }),
  );
}

/** A listing page by page, following `marker` until an empty page. */
export async function* listPages<T extends Named>(
  client: SwiftClient,
  path: string,
  target: string,
  options: ListOptions,
): AsyncGenerator<T[]> {
  let marker = "";
  for (;;) {
    const page = await fetchListingPage<T>(client, path, target, options, marker);
    if (page.length === 0) return;
    yield page;
    marker = keyOf(page[page.length - 1]);
  }
}

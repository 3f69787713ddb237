/**
 * Container listings, paged with `marker` until the server answers an empty page
 * (short pages happen before the end on some servers, so a short page is not taken
 * as the last one). No `limit` is sent: the server's own maximum is used, which
 * can never be refused with 412.
 *
 * @module
 */

import type { SwiftClient } from "../http/client.ts";
import { expectOk, parseJson } from "../http/response.ts";
import { ProtocolError } from "../util/errors.ts";
import { encodeObjectName } from "../util/names.ts";

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

/**
 * Lists a container page by page (each page as the server sent it), following
 * `marker` until an empty page.
 */
export function listContainerPages(
  client: SwiftClient,
  container: string,
  options: ListOptions = {},
): AsyncGenerator<ListingEntry[]> {
  return listPages<ListingEntry>(client, `/${encodeObjectName(container)}`, container, options);
}

/**
 * A container's objects (and, with a delimiter, its sub-prefixes) across all pages,
 * as `SwiftContainer.list` yields them.
 */
export async function* listObjects(
  client: SwiftClient,
  container: string,
  options: ListOptions = {},
): AsyncGenerator<ListedObject | { prefix: string }> {
  for await (const page of listContainerPages(client, container, options)) {
    for (const e of page) {
      if (e.subdir !== undefined) yield { prefix: e.subdir };
      else {
        yield {
          name: e.name,
          size: e.bytes,
          etag: e.hash,
          contentType: e.content_type,
          lastModified: e.last_modified,
          largeObject: e.slo_etag !== undefined || /;\s*swift_bytes=/.test(e.content_type),
        };
      }
    }
  }
}

/**
 * An object as a container listing describes it (what `SwiftContainer.list` yields).
 *
 * @example List the objects under a prefix
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ListedObject, SwiftContainer } from "@zarrswift/store";
 * const container = await SwiftContainer.open({ container: "docs-examples" });
 * const prefix = `${crypto.randomUUID()}/`;
 * await container.put(`${prefix}a.txt`, new TextEncoder().encode("hello"), { contentType: "text/plain" });
 * const listed: ListedObject[] = [];
 * for await (const e of container.list(prefix)) if ("name" in e) listed.push(e);
 * assert.deepEqual(listed.map((e) => [e.name, e.size, e.contentType]), [[`${prefix}a.txt`, 5, "text/plain"]]);
 * await container.deletePrefix(prefix);
 * ```
 */
export interface ListedObject {
  /** The object name. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** The MD5 of the content (for SLOs, of the manifest's segment ETags). */
  etag: string;
  /** The content type (`;swift_bytes=…` marks a large object's manifest). */
  contentType: string;
  /** Last modification, as the server formats it (UTC, no zone). */
  lastModified: string;
  /** Whether it is a Static Large Object's manifest (`size` and `etag` are then the whole object's). */
  largeObject: boolean;
}

/**
 * One entry of an account listing: a container.
 *
 * @example Find a container in the account's listing
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ContainerEntry, SwiftAccount, SwiftContainer } from "@zarrswift/store";
 * await SwiftContainer.open({ container: "docs-examples" }); // creates it when missing
 * const account = await SwiftAccount.open();
 * const entries: ContainerEntry[] = await Array.fromAsync(account.containers("docs-examples"));
 * const entry = entries.find((e) => e.name === "docs-examples");
 * assert.ok(entry !== undefined && entry.objects >= 0 && entry.modified instanceof Date);
 * ```
 */
export interface ContainerEntry {
  /** The container name. */
  name: string;
  /** Objects in it (as the account last heard), the name `AccountInfo` uses. */
  objects: number;
  /** Bytes stored in it. */
  bytes: number;
  /** Last change, when the server says. */
  modified: Date | undefined;
  /**
   * Objects in it.
   *
   * @deprecated Use `objects`, the name `AccountInfo` uses.
   */
  count: number;
  /**
   * Last change, as the server formats it.
   *
   * @deprecated Use `modified`, a `Date`.
   */
  last_modified?: string;
}

/** Swift's listing time (`2026-11-24T05:00:00.000000`, UTC without a zone) as a `Date`. */
export function listingDate(text: string): Date {
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
}

/** Lists the account's containers page by page. */
export async function* listAccountPages(
  client: SwiftClient,
  options: ListOptions = {},
): AsyncGenerator<ContainerEntry[]> {
  type Raw = { name: string; count: number; bytes: number; last_modified?: string };
  for await (const page of listPages<Raw>(client, "", "(account)", options)) {
    yield page.map((e) => ({
      ...e,
      objects: e.count,
      modified: e.last_modified ? listingDate(e.last_modified) : undefined,
    }));
  }
}

const encoder = new TextEncoder();

/** Compares names as Swift orders them: by their UTF-8 bytes. */
function compareNames(a: string, b: string): number {
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
  const last = page.at(-1);
  const lastKey = last === undefined ? undefined : (last.subdir ?? last.name) as string;
  if (lastKey !== undefined && marker !== "" && compareNames(lastKey, marker) <= 0) {
    throw fail(
      `a page that moves past ${JSON.stringify(marker.slice(0, 80))}, found one ending at ${
        JSON.stringify(lastKey.slice(0, 80))
      }: the listing would never end`,
    );
  }
  return page as T[];
}

async function* listPages<T extends { name?: string; subdir?: string }>(
  client: SwiftClient,
  path: string,
  target: string,
  options: ListOptions,
): AsyncGenerator<T[]> {
  let marker = "";
  for (;;) {
    let query = "?format=json";
    if (options.prefix) query += `&prefix=${encodeURIComponent(options.prefix)}`;
    if (options.delimiter) query += `&delimiter=${encodeURIComponent(options.delimiter)}`;
    if (marker) query += `&marker=${encodeURIComponent(marker)}`;
    const req = {
      method: "GET",
      path,
      query,
      headers: { Accept: "application/json" },
      signal: options.signal,
      target,
      what: path === "" ? "Listing the containers of" : "Listing container",
    };
    const page = await client.request(
      req,
      expectOk(async (res) => {
        if (res.status === 204) {
          await res.body?.cancel();
          return [];
        }
        const text = await res.text();
        return text.trim() === ""
          ? []
          : checkPage<T>(parseJson(text, req), marker, options.prefix ?? "", req);
      }),
    );
    if (page.length === 0) return;
    yield page;
    const last = page[page.length - 1];
    marker = last.subdir ?? last.name ?? "";
  }
}

/**
 * Container and account listings as this library yields them: container pages
 * (forward, for the callers that act on each page as it comes), a container's objects
 * (read from both ends at once: `listing_ends.ts`), the account's containers, and the
 * entries' public shapes. Pages themselves are `listing_pages.ts`.
 *
 * @module
 */

import type { SwiftClient } from "../http/client.ts";
import { encodeObjectName } from "../util/names.ts";
import { listFromBothEnds } from "./listing_ends.ts";
import { type ListingEntry, type ListOptions, listPages } from "./listing_pages.ts";

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
 * as `SwiftContainer.list` yields them: read from both ends at once without a
 * delimiter (`listing_ends.ts`), forward with one.
 */
export async function* listObjects(
  client: SwiftClient,
  container: string,
  options: ListOptions = {},
): AsyncGenerator<ListedObject | { prefix: string }> {
  const pages = options.delimiter
    ? listContainerPages(client, container, options)
    : listFromBothEnds(client, container, options);
  for await (const page of pages) {
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

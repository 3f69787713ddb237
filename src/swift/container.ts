/**
 * {@link SwiftContainer}: one container, the unit of Swift, without zarr: objects,
 * listings that follow every page, bulk delete, Static Large Objects, metadata, and
 * the account it lives in. A `SwiftStore` has one. Every write (metadata included)
 * is refused on a read-only handle.
 *
 * @module
 */

import { checkOptionNames } from "../http/options.ts";
import type { RangeQuery } from "../util/range.ts";
import { checkContainerName, encodeObjectName } from "../util/names.ts";
import { accountOver, type SwiftAccount } from "./account.ts";
import { Connection, type ContainerRef, resolveAuth } from "./connection.ts";
import { CONTAINER_OPTION_NAMES, type SwiftContainerOptions } from "./container_options.ts";
import { type DeleteCounts, deleteNames } from "./deleting.ts";
import type { ClusterInfo } from "./info.ts";
import { type LargeObjectOptions, type SegmentSource, uploadLargeObject } from "./large_object.ts";
import { deleteOwning, readManifest, type Segment } from "./manifest.ts";
import { type DeleteOptions, deletePrefix, type PrefixDeleteResult } from "./prefix_delete.ts";
import { getObjectRange } from "./ranged.ts";
import { type ListedObject, listObjects } from "./listing.ts";
import {
  containerExists,
  containerHeaders,
  createContainer,
  ensureContainer,
  updateContainer,
} from "./metadata.ts";
import { getObject, getObjectStream, headObject, putObject, putObjectStream } from "./objects.ts";
import type { ObjectHead, ObjectStream, PutOptions } from "./objects.ts";

let over: (conn: Connection, name: string, verify: boolean) => SwiftContainer;
let refOf: (container: SwiftContainer) => ContainerRef;

/** The connection and name behind a handle, for the functions of this layer that send requests. */
export function containerRef(container: SwiftContainer): ContainerRef {
  return refOf(container);
}

/** A container handle over a connection (for the store layer); nothing is sent. */
export function containerOver(conn: Connection, name: string, verify: boolean): SwiftContainer {
  return over(conn, checkContainerName(name), verify);
}

/**
 * One Swift container: objects, listings, bulk delete, large objects and metadata.
 * A missing object is `undefined`; every other failure is a typed error.
 *
 * @example Write, read and delete an object
 * ```ts
 * import assert from "node:assert/strict";
 * import { SwiftContainer } from "@zarrswift/store";
 * const container = await SwiftContainer.open({ container: "docs-examples" }); // credentials from the environment
 * const name = `${crypto.randomUUID()}/a.txt`;
 * await container.put(name, new TextEncoder().encode("hello"));
 * assert.equal(new TextDecoder().decode(await container.get(name)), "hello");
 * assert.deepEqual(await container.getRange(name, { suffixLength: 3 }), new TextEncoder().encode("llo"));
 * assert.equal((await container.stat(name))?.size, 5);
 * assert.equal(await container.delete(name), true);
 * assert.equal(await container.get(name), undefined);
 * ```
 */
export class SwiftContainer {
  /** The container's name. */
  readonly name: string;
  /** Whether whole-object bodies are checked against their MD5. */
  readonly verify: boolean;
  #ref: ContainerRef;

  static {
    over = (conn, name, verify) => new SwiftContainer({ conn, name, verify });
    refOf = (container) => container.#ref;
  }

  private constructor(ref: ContainerRef) {
    this.#ref = ref;
    this.name = ref.name;
    this.verify = ref.verify;
  }

  /**
   * Authenticates, checks that the container exists (creating it when allowed) and
   * answers the handle.
   *
   * A read-only open goes on when the check fails with a 5xx (objects may still be
   * served; the failures went to `onRetry`); a 404, 401 or 403 still ends it.
   *
   * @param options The container, credentials (default: `authFromEnv()`) and connection settings.
   * @returns The handle, once the container is known to exist.
   */
  static async open(options: SwiftContainerOptions): Promise<SwiftContainer> {
    checkOptionNames(options, CONTAINER_OPTION_NAMES, "SwiftContainer options");
    const name = checkContainerName(options.container);
    const readOnly = options.readOnly ?? false;
    if (readOnly && options.createContainer) {
      throw new TypeError("Expected createContainer to be false on a read-only store, found true");
    }
    const conn = await Connection.open(resolveAuth(options), options, 64);
    const container = containerOver(conn, name, options.verify ?? true);
    await ensureContainer(container.#ref, {
      create: options.createContainer ?? !readOnly,
      hint: readOnly ? "" : "; pass createContainer: true to create it",
      signal: options.signal,
      tolerateServerErrors: readOnly,
    });
    return container;
  }

  /** The account the container lives in (same credentials, same bound). */
  get account(): SwiftAccount {
    return accountOver(this.#ref.conn);
  }

  /** The container's URL (never a token). */
  get url(): string {
    return `${this.#ref.conn.storageUrl}/${encodeObjectName(this.name)}`;
  }

  /** Whether writes are refused. */
  get readOnly(): boolean {
    return this.#ref.conn.client.readOnly;
  }

  /**
   * Throws a `ReadOnlyError` on a read-only handle, before any request is sent.
   *
   * @param what What is refused, for the message ("Setting the ACL of").
   * @param method The method the write would use.
   */
  checkWritable(what: string, method = "POST"): void {
    this.#ref.conn.client.checkWritable({ method, what, target: this.name });
  }

  /** The most requests in flight at once. */
  get concurrency(): number {
    return this.#ref.conn.client.limiter.limit;
  }

  /**
   * Whether the container exists (one HEAD).
   *
   * @param signal Aborts the request.
   * @returns `true` when it exists.
   */
  exists(signal?: AbortSignal): Promise<boolean> {
    return containerExists(this.#ref, signal);
  }

  /**
   * Creates the container (one PUT; an existing one is left as it is).
   *
   * @param signal Aborts the request.
   * @returns Once it exists.
   */
  create(signal?: AbortSignal): Promise<void> {
    return createContainer(this.#ref, signal);
  }

  /**
   * The container's headers: `X-Container-Meta-*` metadata, ACLs, counts (one HEAD).
   *
   * @param signal Aborts the request.
   * @returns The headers as the server sent them.
   */
  metadata(signal?: AbortSignal): Promise<Headers> {
    return containerHeaders(this.#ref, signal);
  }

  /**
   * Sets container headers with one POST (`X-Remove-Container-Meta-*` removes one).
   *
   * @param headers The headers to set.
   * @param signal Aborts the request.
   * @param what What an error message says was being done (`"Updating the metadata of"`).
   * @returns Once the server has them.
   */
  updateMetadata(
    headers: Record<string, string>,
    signal?: AbortSignal,
    what = "Updating the metadata of",
  ): Promise<void> {
    return updateContainer(this.#ref, headers, what, signal);
  }

  /**
   * The cluster's `/info` (fetched once).
   *
   * @param signal Aborts the request.
   * @returns The document, or `undefined` when the cluster hides it.
   */
  capabilities(signal?: AbortSignal): Promise<ClusterInfo | undefined> {
    return this.#ref.conn.info(signal);
  }

  /**
   * Reads a whole object, checked against its MD5 when the handle verifies.
   *
   * @param name The object name.
   * @param signal Aborts the request.
   * @returns Its bytes, or `undefined` when it does not exist.
   */
  get(name: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
    return getObject(this.#ref, name, signal);
  }

  /**
   * Reads part of an object.
   *
   * @param name The object name.
   * @param range `length` bytes from `offset`, or the last `suffixLength` bytes.
   * @param signal Aborts the request.
   * @returns The bytes (fewer at the end of the object), or `undefined` when it does not exist.
   */
  getRange(name: string, range: RangeQuery, signal?: AbortSignal): Promise<Uint8Array | undefined> {
    return getObjectRange(this.#ref, name, range, signal);
  }

  /**
   * Opens an object for streaming (its body is not checked against its MD5).
   *
   * @param name The object name.
   * @param signal Aborts the request.
   * @returns Its body as a stream, with what its headers say; `undefined` when it does not exist.
   */
  getStream(name: string, signal?: AbortSignal): Promise<ObjectStream | undefined> {
    return getObjectStream(this.#ref, name, signal);
  }

  /**
   * What an object's headers say (one HEAD).
   *
   * @param name The object name.
   * @param signal Aborts the request.
   * @returns Size, ETag, type, date and headers, or `undefined` when it does not exist.
   */
  stat(name: string, signal?: AbortSignal): Promise<ObjectHead | undefined> {
    return headObject(this.#ref, name, signal);
  }

  /**
   * Writes a whole object (one PUT, with its MD5 when the handle verifies).
   *
   * @param name The object name.
   * @param bytes The content.
   * @param options Content type, more headers, and a signal.
   * @returns Once Swift has stored it.
   */
  put(name: string, bytes: Uint8Array<ArrayBuffer>, options?: PutOptions): Promise<void> {
    return putObject(this.#ref, name, bytes, options);
  }

  /**
   * Writes an object from a stream (one PUT), its MD5 computed on the way and checked
   * against the ETag Swift answers.
   *
   * @param name The object name.
   * @param open Opens the content anew for each attempt (a retry calls it again).
   * @param options Content type, more headers, the size when known, and a signal.
   * @returns The ETag Swift answered.
   */
  putStream(
    name: string,
    open: () => ReadableStream<Uint8Array>,
    options?: PutOptions & { size?: number },
  ): Promise<{ etag: string }> {
    return putObjectStream(this.#ref, name, open, options);
  }

  /**
   * Deletes one object; a large object with the segments it owns (in its segment
   * container, under its name) unless `keepSegments`, never what it points at elsewhere.
   *
   * @param name The object name.
   * @param options `keepSegments`, `segmentContainer` (default `<container>_segments`), a signal.
   * @returns Whether it existed.
   */
  delete(name: string, options: DeleteOptions = {}): Promise<boolean> {
    this.checkWritable("Deleting object", "DELETE");
    return deleteOwning(this.#ref, name, options);
  }

  /**
   * Every object whose name starts with `prefix`, across all pages, in byte order;
   * with `delimiter`, names roll up into `{ prefix }` entries one level down.
   *
   * @param prefix Only names starting with this (default: all).
   * @param options `delimiter` (`"/"`) to roll names up, and a signal.
   * @returns The listed objects and, with a delimiter, the sub-prefixes.
   */
  async *list(
    prefix = "",
    options: { delimiter?: string; signal?: AbortSignal } = {},
  ): AsyncGenerator<ListedObject | { prefix: string }> {
    yield* listObjects(this.#ref.conn.client, this.name, { prefix, ...options });
  }

  /**
   * Deletes objects by name (bulk delete when the cluster has it).
   *
   * @param names The object names.
   * @param signal Aborts the requests.
   * @returns How many were deleted and how many were already gone.
   */
  deleteMany(names: readonly string[], signal?: AbortSignal): Promise<DeleteCounts> {
    return deleteNames(this.#ref, names, signal);
  }

  /**
   * Deletes every object whose name starts with `prefix`, large objects with the
   * segments they own unless `keepSegments`.
   *
   * @param prefix The name prefix (`""`: every object of the container).
   * @param options `keepSegments`, `segmentContainer`, a signal.
   * @returns How many were deleted, how many were already gone, and foreign segments kept.
   */
  deletePrefix(prefix: string, options?: DeleteOptions): Promise<PrefixDeleteResult> {
    return deletePrefix(this.#ref, prefix, options);
  }

  /**
   * Uploads `source` as a Static Large Object (see `uploadLargeObject`).
   *
   * @param name The object name.
   * @param source The content: a `Blob`, or anything that can stream a byte range.
   * @param options Segment size and container, content type, progress, signal.
   * @returns The number of segments.
   */
  uploadLargeObject(name: string, source: SegmentSource, options?: LargeObjectOptions): Promise<number> {
    return uploadLargeObject(this.#ref, name, source, options);
  }

  /**
   * The segments of a Static Large Object, in order.
   *
   * @param name The object name.
   * @param signal Aborts the request.
   * @returns The segments, or `undefined` when `name` is not a large object.
   */
  largeObjectSegments(name: string, signal?: AbortSignal): Promise<Segment[] | undefined> {
    return readManifest(this.#ref, name, signal);
  }

  /** Shows the name and URL, never credentials. */
  toJSON(): { name: string; url: string; readOnly: boolean } {
    return { name: this.name, url: this.url, readOnly: this.readOnly };
  }
}

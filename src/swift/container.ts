/**
 * {@link SwiftContainer}: one container, the unit of Swift, without zarr. Objects
 * (GET, ranged GET, streamed GET, HEAD, PUT, streamed PUT, DELETE), listings that
 * follow every page, bulk delete, Static Large Objects, container metadata, and the
 * account it lives in. A `SwiftStore` has one; `SwiftContainer.open` makes one on
 * its own. Every write (metadata included) is refused on a read-only handle.
 *
 * @module
 */

import { linkAuth } from "../auth/anonymous.ts";
import { SwiftClient } from "../http/client.ts";
import { checkOptionNames, connectionOf, type ConnectionOptions } from "../http/options.ts";
import type { RangeQuery } from "../util/range.ts";
import { ServerError } from "../util/errors.ts";
import { checkContainerName, encodeObjectName } from "../util/names.ts";
import { accountOver, type SwiftAccount } from "./account.ts";
import { Connection, type ContainerRef, resolveAuth } from "./connection.ts";
import {
  CONTAINER_OPTION_NAMES,
  type ListedObject,
  type SwiftContainerOptions,
} from "./container_options.ts";
import { type DeleteCounts, deleteNames } from "./deleting.ts";
import { deleteLargeObject, headForDelete, readManifest, type Segment } from "./manifest.ts";
import { deletePrefix, type DeletePrefixOptions, type PrefixDeleteResult } from "./prefix_delete.ts";
import type { ClusterInfo } from "./info.ts";
import { type LargeObjectOptions, type SegmentSource, uploadLargeObject } from "./large_object.ts";
import { listContainerPages } from "./listing.ts";
import { getObjectRange } from "./ranged.ts";
import {
  containerExists,
  containerHeaders,
  createContainer,
  ensureContainer,
  updateContainer,
} from "./metadata.ts";
import {
  deleteObject,
  getObject,
  getObjectStream,
  headObject,
  type ObjectHead,
  putObject,
  putObjectStream,
  type PutOptions,
} from "./objects.ts";

let over: (conn: Connection, name: string, verify: boolean) => SwiftContainer;

/** A container handle over a connection (for the store layer); nothing is sent. */
export function containerOver(conn: Connection, name: string, verify: boolean): SwiftContainer {
  return over(conn, checkContainerName(name), verify);
}

/**
 * A read-only container reached through a shared link (no credentials): a prefix
 * TempURL's query sent with every request, or a public container. Nothing is sent.
 */
export function linkedContainer(
  storageUrl: string,
  name: string,
  query: string | undefined,
  options: ConnectionOptions & { verify?: boolean },
): SwiftContainer {
  const client = new SwiftClient(linkAuth(storageUrl, query), {
    ...connectionOf(options),
    readOnly: true,
    readOnlyWhy: "one opened from a shared link, which grants reading only",
  });
  return containerOver(new Connection(client, storageUrl), name, options.verify ?? true);
}

/**
 * One Swift container: objects, listings, bulk delete, large objects and metadata.
 *
 * @example Write, read and list objects
 * ```ts ignore
 * import { SwiftContainer } from "@zarrswift/store";
 * const container = await SwiftContainer.open({ container: "data" }); // credentials from the environment
 * await container.put("notes/a.txt", new TextEncoder().encode("hello"));
 * for await (const entry of container.list("notes/")) console.log(entry.name, entry.size);
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
   * @example Open, creating the container if needed
   * ```ts ignore
   * const container = await SwiftContainer.open({ container: "scratch", createContainer: true });
   * ```
   */
  static async open(options: SwiftContainerOptions): Promise<SwiftContainer> {
    checkOptionNames(options, CONTAINER_OPTION_NAMES, "SwiftContainer options");
    const name = checkContainerName(options.container);
    const readOnly = options.readOnly ?? false;
    if (readOnly && options.createContainer) {
      throw new TypeError("Expected createContainer to be false on a read-only store, found true");
    }
    const conn = await Connection.open(resolveAuth(options), options, 32);
    const container = containerOver(conn, name, options.verify ?? true);
    try {
      await ensureContainer(container.#ref, {
        create: options.createContainer ?? !readOnly,
        hint: readOnly ? "" : "; pass createContainer: true to create it",
        signal: options.signal,
      });
    } catch (err) {
      // A reader can go on when the container servers fail but objects may still be
      // served (the failed checks went to onRetry); a 404, 401 or 403 still ends it.
      if (!(readOnly && err instanceof ServerError)) throw err;
    }
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
   * Throws a `ReadOnlyError` when the handle is read-only: operations of several
   * requests call it before their first, so that a refused write sends nothing.
   */
  checkWritable(what: string, method = "POST"): void {
    this.#ref.conn.client.checkWritable({ method, what, target: this.name });
  }

  /** The most requests in flight at once. */
  get concurrency(): number {
    return this.#ref.conn.client.limiter.limit;
  }

  /** Whether the container exists (one HEAD). */
  exists(signal?: AbortSignal): Promise<boolean> {
    return containerExists(this.#ref, signal);
  }

  /** Creates the container (one PUT; an existing one is left as it is). */
  create(signal?: AbortSignal): Promise<void> {
    return createContainer(this.#ref, signal);
  }

  /** The container's headers: `X-Container-Meta-*` metadata, ACLs, counts (one HEAD). */
  metadata(signal?: AbortSignal): Promise<Headers> {
    return containerHeaders(this.#ref, signal);
  }

  /** Sets container headers with one POST (`X-Remove-Container-Meta-*` removes one). */
  updateMetadata(
    headers: Record<string, string>,
    signal?: AbortSignal,
    what = "Updating the metadata of",
  ): Promise<void> {
    return updateContainer(this.#ref, headers, what, signal);
  }

  /** The cluster's `/info` (fetched once), or `undefined` when the cluster hides it. */
  capabilities(signal?: AbortSignal): Promise<ClusterInfo | undefined> {
    return this.#ref.conn.info(signal);
  }

  /** A whole object's bytes, or `undefined` when it does not exist. */
  get(name: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
    return getObject(this.#ref, name, signal);
  }

  /** Part of an object, or `undefined` when it does not exist. */
  getRange(name: string, range: RangeQuery, signal?: AbortSignal): Promise<Uint8Array | undefined> {
    return getObjectRange(this.#ref, name, range, signal);
  }

  /** An object's body as a stream, with what its headers say; `undefined` when it does not exist. */
  getStream(
    name: string,
    signal?: AbortSignal,
  ): Promise<(ObjectHead & { body: ReadableStream<Uint8Array> }) | undefined> {
    return getObjectStream(this.#ref, name, signal);
  }

  /** What an object's headers say (one HEAD), or `undefined` when it does not exist. */
  stat(name: string, signal?: AbortSignal): Promise<ObjectHead | undefined> {
    return headObject(this.#ref, name, signal);
  }

  /** Writes a whole object (one PUT). */
  put(name: string, bytes: Uint8Array<ArrayBuffer>, options?: PutOptions): Promise<void> {
    return putObject(this.#ref, name, bytes, options);
  }

  /** Writes an object from a stream that `open` opens anew for each attempt (one PUT). */
  putStream(
    name: string,
    open: () => ReadableStream<Uint8Array>,
    options?: PutOptions & { size?: number },
  ): Promise<{ etag: string }> {
    return putObjectStream(this.#ref, name, open, options);
  }

  /**
   * Deletes one object; answers whether it existed. A large object goes with the
   * segments it owns (in its segment container, under its name) unless
   * `keepSegments`; a manifest pointing elsewhere never deletes anything there.
   */
  async delete(
    name: string,
    signal?: AbortSignal,
    options: { keepSegments?: boolean; segmentContainer?: string } = {},
  ): Promise<boolean> {
    this.checkWritable("Deleting object", "DELETE");
    if (options.keepSegments || (await headForDelete(this.#ref, name, signal)) !== "large") {
      return await deleteObject(this.#ref, name, signal);
    }
    const segments = await readManifest(this.#ref, name, signal) ?? [];
    return (await deleteLargeObject(this.#ref, name, segments, { ...options, signal })).deleted > 0;
  }

  /**
   * Every object whose name starts with `prefix`, across all listing pages, in the
   * server's (byte) order; with `delimiter`, names are rolled up into `{ prefix }`
   * entries one level down.
   */
  async *list(
    prefix = "",
    options: { delimiter?: string; signal?: AbortSignal } = {},
  ): AsyncGenerator<ListedObject | { prefix: string }> {
    const pages = listContainerPages(this.#ref.conn.client, this.name, { prefix, ...options });
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
          };
        }
      }
    }
  }

  /** Deletes objects by name (bulk delete when the cluster has it). */
  deleteMany(names: readonly string[], signal?: AbortSignal): Promise<DeleteCounts> {
    return deleteNames(this.#ref, names, signal);
  }

  /**
   * Deletes every object whose name starts with `prefix` (`""`: all of them), large
   * objects with the segments they own unless `keepSegments`.
   */
  deletePrefix(
    prefix: string,
    signal?: AbortSignal,
    options: DeletePrefixOptions = {},
  ): Promise<PrefixDeleteResult> {
    return deletePrefix(this.#ref, prefix, { ...options, signal });
  }

  /** Uploads `source` as a Static Large Object; answers the number of segments. */
  uploadLargeObject(name: string, source: SegmentSource, options?: LargeObjectOptions): Promise<number> {
    return uploadLargeObject(this.#ref, name, source, options);
  }

  /** The segments of a Static Large Object, or `undefined` when `name` is not one. */
  largeObjectSegments(name: string, signal?: AbortSignal): Promise<Segment[] | undefined> {
    return readManifest(this.#ref, name, signal);
  }

  /** Shows the name and URL, never credentials. */
  toJSON(): { name: string; url: string; readOnly: boolean } {
    return { name: this.name, url: this.url, readOnly: this.readOnly };
  }
}

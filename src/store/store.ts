/**
 * {@link SwiftStore}: a zarrita store over one Swift container (and an optional
 * prefix inside it). It maps store keys to object names and hands every request to
 * its container handle ({@link SwiftStore.swiftContainer}).
 *
 * @module
 */

import { checkOptionNames } from "../http/options.ts";
import { SwiftContainer } from "../swift/container.ts";
import { linkedContainer } from "../swift/linked.ts";
import { encodeObjectName, normalizePrefix } from "../util/names.ts";
import type { RangeQuery } from "../util/range.ts";
import { type ObjectEntry, objectEntry, type ObjectInfo, objectInfo } from "./entries.ts";
import {
  type AbsolutePath,
  contentType,
  keyForObjectName,
  objectNameForKey,
  objectPrefixForPath,
  sendable,
} from "./keys.ts";
import { FROM_URL_OPTION_NAMES, type FromUrlOptions, STORE_OPTION_NAMES } from "./options.ts";
import type { RequestOptions, SwiftStoreOptions, WriteOptions } from "./options.ts";
import { parseSharedUrl } from "./shared_url.ts";

/**
 * A zarrita store over a Swift container: `get`, `getRange` and `set` for zarrita,
 * plus `has`, `delete`, `list`, `listDir` and `deletePrefix`. Open it with
 * {@link SwiftStore.open}. Requests are bounded by `concurrency` and share
 * connections; a missing object is `undefined`, every other failure a typed error.
 *
 * @example Write a zarr array and read it back with zarrita
 * ```ts
 * import assert from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import { SwiftStore } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
 * const arr = await zarr.create(zarr.root(store), { shape: [4], chunkShape: [2], dtype: "int32" });
 * await zarr.set(arr, null, 7);
 * assert.deepEqual(Array.from((await zarr.get(arr)).data), [7, 7, 7, 7]);
 * assert.deepEqual(await Array.fromAsync(store.list()), ["/c/0", "/c/1", "/zarr.json"]);
 * assert.equal(await store.deletePrefix(), 3);
 * ```
 *
 * @example Read, list and delete objects
 * ```ts
 * import assert from "node:assert/strict";
 * import { SwiftStore } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
 * await store.set("/zarr.json", new TextEncoder().encode("{}"));
 * await store.set("/t/c/0", new Uint8Array([1, 2, 3, 4, 5]));
 * assert.deepEqual(await store.getRange("/t/c/0", { suffixLength: 2 }), new Uint8Array([4, 5]));
 * assert.equal((await store.stat("/zarr.json"))?.contentType, "application/json");
 * assert.equal(await store.get("/missing"), undefined);
 * assert.deepEqual(await Array.fromAsync(store.listDir("/")), ["t", "zarr.json"]);
 * assert.deepEqual((await Array.fromAsync(store.scan("/t"))).map((e) => [e.key, e.size]), [["/t/c/0", 5]]);
 * assert.equal(await store.delete("/zarr.json"), true);
 * assert.equal(await store.deletePrefix(), 1);
 * ```
 */
export class SwiftStore {
  /** The container name. */
  readonly container: string;
  /** The object-name prefix of the dataset (`""` for the container root). */
  readonly prefix: string;
  /** The container handle every request goes through. */
  readonly swiftContainer: SwiftContainer;

  private constructor(container: SwiftContainer, prefix: string) {
    this.swiftContainer = container;
    this.container = container.name;
    this.prefix = prefix;
  }

  /** Whether writes are refused. */
  get readOnly(): boolean {
    return this.swiftContainer.readOnly;
  }

  /** Whether bodies are checked against their MD5. */
  get verify(): boolean {
    return this.swiftContainer.verify;
  }

  /**
   * Authenticates, checks that the container exists (creating it when allowed) and
   * answers the store. Never lists the account.
   *
   * @param options The container, prefix, credentials (default: `authFromEnv()`) and connection settings.
   * @returns The store, once its container is known to exist.
   */
  static async open(options: SwiftStoreOptions): Promise<SwiftStore> {
    checkOptionNames(options, STORE_OPTION_NAMES, "SwiftStore options");
    const { prefix = "", ...rest } = options;
    return new SwiftStore(await SwiftContainer.open(rest), normalizePrefix(prefix));
  }

  /**
   * A read-only store over a shared dataset, with no credentials at all: a prefix
   * TempURL (as `shareUrl` makes) or the URL of a public container (or of a prefix
   * inside one). Nothing is sent until the first read; `list` and `listDir` work on
   * public containers with listings allowed, not through TempURLs (Swift does not
   * sign listings).
   *
   * @param url A prefix TempURL, or the URL of a public container or of a prefix in one.
   * @param options Connection settings (concurrency, retries, timeout, fetch, verify).
   * @returns A read-only store.
   *
   * @example Read a shared dataset without credentials
   * ```ts
   * import assert from "node:assert/strict";
   * import { shareUrl, SwiftStore } from "@zarrswift/store";
   * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
   * await store.set("/a.txt", new TextEncoder().encode("hello"));
   * const shared = SwiftStore.fromUrl(await shareUrl(store, { expiresIn: 3600 }));
   * assert.deepEqual(await shared.get("/a.txt"), new TextEncoder().encode("hello"));
   * assert.equal(shared.readOnly, true);
   * await store.deletePrefix();
   * ```
   */
  static fromUrl(url: string, options: FromUrlOptions = {}): SwiftStore {
    checkOptionNames(options, FROM_URL_OPTION_NAMES, "fromUrl options");
    const shared = parseSharedUrl(url);
    return new SwiftStore(
      linkedContainer(shared.storageUrl, shared.container, shared.query, options),
      shared.prefix,
    );
  }

  /**
   * The dataset's URL: storage URL, container and prefix (no trailing `/`; append a
   * key to get an object's URL). It never holds a token.
   */
  get url(): string {
    return this.prefix === ""
      ? this.swiftContainer.url
      : `${this.swiftContainer.url}/${encodeObjectName(this.prefix)}`;
  }

  #name(key: AbsolutePath): string {
    return objectNameForKey(this.prefix, key);
  }

  /**
   * Reads a whole object, checked against its MD5 unless `verify` is off.
   *
   * @param key The store key.
   * @param opts `signal` aborts the request.
   * @returns Its bytes, or `undefined` when it does not exist.
   */
  get(key: AbsolutePath, opts: RequestOptions = {}): Promise<Uint8Array | undefined> {
    return this.swiftContainer.get(this.#name(key), opts.signal);
  }

  /**
   * Reads part of an object: `length` bytes from `offset` (fewer at the end of the
   * object), or its last `suffixLength` bytes (the whole object when it is shorter).
   *
   * @param key The store key.
   * @param range `{ offset, length }` or `{ suffixLength }`.
   * @param opts `signal` aborts the request.
   * @returns The bytes of the range, or `undefined` when the object does not exist.
   */
  getRange(
    key: AbsolutePath,
    range: RangeQuery,
    opts: RequestOptions = {},
  ): Promise<Uint8Array | undefined> {
    return this.swiftContainer.getRange(this.#name(key), range, opts.signal);
  }

  /**
   * Writes a whole object (one PUT), sent with its MD5 unless `verify` is off.
   *
   * @param key The store key.
   * @param value The content.
   * @param opts A signal, the content type (default: from the extension), more headers.
   * @returns Once Swift has stored it.
   */
  async set(key: AbsolutePath, value: Uint8Array, opts: WriteOptions = {}): Promise<void> {
    const name = this.#name(key);
    const type = opts.contentType ?? contentType(name);
    await this.swiftContainer.put(name, sendable(key, value), { ...opts, contentType: type });
  }

  /**
   * Whether an object exists (one HEAD).
   *
   * @param key The store key.
   * @param opts `signal` aborts the request.
   * @returns `true` when it exists.
   */
  has(key: AbsolutePath, opts: RequestOptions = {}): Promise<boolean> {
    return this.swiftContainer.stat(this.#name(key), opts.signal).then((head) => head !== undefined);
  }

  /**
   * Deletes one object; answers whether it existed (a replay after a lost answer that
   * finds it gone answers `true`, as our first attempt deleted it).
   *
   * @param key The store key.
   * @param opts `signal` aborts the request.
   * @returns Whether it existed.
   */
  async delete(key: AbsolutePath, opts: RequestOptions = {}): Promise<boolean> {
    return await this.swiftContainer.delete(this.#name(key), { signal: opts.signal });
  }

  /**
   * An object's size, MD5, type, dates and user metadata (one HEAD).
   *
   * @param key The store key.
   * @param opts `signal` aborts the request.
   * @returns What the object's headers say, or `undefined` when it does not exist.
   */
  stat(key: AbsolutePath, opts: RequestOptions = {}): Promise<ObjectInfo | undefined> {
    return this.swiftContainer.stat(this.#name(key), opts.signal).then((head) =>
      head && objectInfo(key, head)
    );
  }

  /**
   * Every object under a path with what the listing says of it (size, MD5, type,
   * date), across all pages, without one request per object; markers are skipped.
   *
   * @param path The path to scan under (default: the whole dataset).
   * @param opts `signal` aborts the requests.
   * @returns The entries, in the server's (byte) order.
   */
  async *scan(path: string = "/", opts: RequestOptions = {}): AsyncGenerator<ObjectEntry> {
    for await (const e of this.swiftContainer.list(objectPrefixForPath(this.prefix, path), opts)) {
      if ("name" in e && !e.name.endsWith("/")) yield objectEntry(this.prefix, e);
    }
  }

  /**
   * Opens an object for streaming (bounded memory). The request is retried until the
   * server answers; the body itself is not checked: compare its MD5 with `etag`
   * (when `largeObject` is false) as you consume it.
   *
   * @param key The store key.
   * @param opts `signal` aborts the request.
   * @returns The body and what the headers say, or `undefined` when it does not exist.
   */
  getStream(
    key: AbsolutePath,
    opts: RequestOptions = {},
  ): Promise<(ObjectInfo & { body: ReadableStream<Uint8Array> }) | undefined> {
    return this.swiftContainer.getStream(this.#name(key), opts.signal)
      .then((opened) => opened && { ...objectInfo(key, opened), body: opened.body });
  }

  /**
   * Writes an object from a stream (one PUT, without holding it in memory): `open`
   * must give the same bytes each time it is called, as a retry calls it again.
   * The MD5 is computed on the way and checked against the ETag Swift answers.
   *
   * @param key The store key.
   * @param open Opens the content anew for each attempt.
   * @param options The size when known, the content type, more headers, and a signal.
   * @returns The ETag Swift answered (the MD5 of the content).
   *
   * @example Stream a file up and back down
   * ```ts
   * import assert from "node:assert/strict";
   * import { SwiftStore } from "@zarrswift/store";
   * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
   * const file = new Blob([new Uint8Array(1 << 20).fill(1)]);
   * const { etag } = await store.setStream("/blob.bin", () => file.stream(), { size: file.size });
   * const opened = await store.getStream("/blob.bin");
   * assert.equal(opened?.etag, etag);
   * assert.deepEqual(await new Response(opened?.body).bytes(), await file.bytes());
   * await store.deletePrefix();
   * ```
   */
  async setStream(
    key: AbsolutePath,
    open: () => ReadableStream<Uint8Array>,
    options: WriteOptions & { size?: number } = {},
  ): Promise<{ etag: string }> {
    const name = this.#name(key);
    return await this.swiftContainer.putStream(name, open, {
      ...options,
      contentType: options.contentType ?? contentType(name),
    });
  }

  /**
   * Every key under a path, across all listing pages, in the server's (byte) order;
   * pseudo-folder marker objects (names ending in `/`) are not keys and are skipped.
   *
   * @param path The path to list under (default: the whole dataset).
   * @param opts `signal` aborts the requests.
   * @returns The keys.
   */
  async *list(path: string = "/", opts: RequestOptions = {}): AsyncGenerator<AbsolutePath> {
    for await (const e of this.swiftContainer.list(objectPrefixForPath(this.prefix, path), opts)) {
      if ("name" in e && !e.name.endsWith("/")) yield keyForObjectName(this.prefix, e.name);
    }
  }

  /**
   * The children of a path (default: the root): object names and sub-prefixes one
   * level down, without trailing `/`, each once.
   *
   * @param path The path to list (default: the root).
   * @param opts `signal` aborts the requests.
   * @returns The children's names.
   */
  async *listDir(path: string = "/", opts: RequestOptions = {}): AsyncGenerator<string> {
    const prefix = objectPrefixForPath(this.prefix, path);
    const seen = new Set<string>();
    for await (const e of this.swiftContainer.list(prefix, { delimiter: "/", signal: opts.signal })) {
      const child = ("prefix" in e ? e.prefix : e.name).slice(prefix.length).replace(/\/$/, "");
      // "" is the folder's own marker object ("prefix/").
      if (child === "" || seen.has(child)) continue;
      seen.add(child);
      yield child;
    }
  }

  /**
   * Deletes every object under a path (marker objects, and large objects' own
   * segments, included) with bulk delete when the cluster has it. Answers how many
   * objects listed are gone now: deleted, or already gone (a stale listing, someone
   * else, a replay after a lost answer); `swiftContainer.deletePrefix` tells them apart.
   *
   * @param path The path to delete under (default: the whole dataset).
   * @param opts `signal` aborts the requests.
   * @returns How many were deleted: the objects listed that are gone afterwards, exact
   * even when a request is replayed (one someone else deletes meanwhile counts too).
   */
  async deletePrefix(path: string = "/", opts: RequestOptions = {}): Promise<number> {
    const prefix = objectPrefixForPath(this.prefix, path);
    const { deleted, notFound } = await this.swiftContainer.deletePrefix(prefix, { signal: opts.signal });
    return deleted + notFound;
  }

  /** Shows the container, prefix and URL, never credentials. */
  toJSON(): { container: string; prefix: string; url: string; readOnly: boolean } {
    return { container: this.container, prefix: this.prefix, url: this.url, readOnly: this.readOnly };
  }
}

/**
 * {@link SwiftStore}: a zarrita store over one Swift container (and an optional
 * prefix inside it), plus listing and deleting. It maps store keys to object names
 * and hands every request to its container handle ({@link SwiftStore.swiftContainer});
 * how answers map to results (a missing object is `undefined`, every other failure
 * a typed error) is in `swift/objects.ts`.
 *
 * @module
 */

import { checkOptionNames } from "../http/options.ts";
import { linkedContainer, SwiftContainer } from "../swift/container.ts";
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
import {
  FROM_URL_OPTION_NAMES,
  type FromUrlOptions,
  type RequestOptions,
  STORE_OPTION_NAMES,
  type SwiftStoreOptions,
} from "./options.ts";
import { parseSharedUrl } from "./shared_url.ts";

/**
 * A zarrita store over a Swift container: `get`, `getRange` and `set` for zarrita,
 * plus `has`, `delete`, `list`, `listDir` and `deletePrefix`. Open it with
 * {@link SwiftStore.open}. Requests are bounded by `concurrency` and share
 * connections; a missing object is `undefined`, every other failure a typed error.
 *
 * @example
 * ```ts ignore
 * import { authFromEnv, SwiftStore } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "data", prefix: "run-42", auth: authFromEnv() });
 * await store.set("/zarr.json", new TextEncoder().encode('{"zarr_format":3,"node_type":"group"}'));
 * for await (const key of store.list()) console.log(key);
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
   * @example
   * ```ts ignore
   * import { PreAuth, SwiftStore } from "@zarrswift/store";
   * const store = await SwiftStore.open({
   *   container: "my-container",
   *   auth: new PreAuth({ storageUrl: "https://swift.example.org/v1/AUTH_x", token: "…" }),
   *   readOnly: true,
   * });
   * ```
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
   * @example
   * ```ts ignore
   * import * as zarr from "zarrita";
   * import { SwiftStore } from "@zarrswift/store";
   * const store = SwiftStore.fromUrl("https://swift.example.org/v1/AUTH_x/data/run-42/?temp_url_sig=…&temp_url_expires=…&temp_url_prefix=run-42/");
   * const group = await zarr.open(store, { kind: "group" });
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
   *
   * @example
   * ```ts ignore
   * console.log(store.url + "/zarr.json");
   * ```
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
   * Reads a whole object: its bytes, or `undefined` when it does not exist.
   *
   * @example
   * ```ts ignore
   * const bytes = await store.get("/zarr.json");
   * ```
   */
  get(key: AbsolutePath, opts: RequestOptions = {}): Promise<Uint8Array | undefined> {
    return this.swiftContainer.get(this.#name(key), opts.signal);
  }

  /**
   * Reads part of an object: `length` bytes from `offset` (fewer at the end of the
   * object), or its last `suffixLength` bytes (the whole object when it is shorter).
   * `undefined` when the object does not exist.
   *
   * @example
   * ```ts ignore
   * const index = await store.getRange("/arr/c/0/0", { suffixLength: 16 });
   * const head = await store.getRange("/arr/c/0/0", { offset: 0, length: 100 });
   * ```
   */
  getRange(
    key: AbsolutePath,
    range: RangeQuery,
    opts: RequestOptions = {},
  ): Promise<Uint8Array | undefined> {
    return this.swiftContainer.getRange(this.#name(key), range, opts.signal);
  }

  /**
   * Writes a whole object (one PUT).
   *
   * @example
   * ```ts ignore
   * await store.set("/notes.txt", new TextEncoder().encode("hello"));
   * ```
   */
  async set(key: AbsolutePath, value: Uint8Array, opts: RequestOptions = {}): Promise<void> {
    const name = this.#name(key);
    const body = sendable(key, value);
    await this.swiftContainer.put(name, body, { contentType: contentType(name), signal: opts.signal });
  }

  /**
   * Whether an object exists (one HEAD).
   *
   * @example
   * ```ts ignore
   * if (await store.has("/zarr.json")) console.log("a zarr node is here");
   * ```
   */
  has(key: AbsolutePath, opts: RequestOptions = {}): Promise<boolean> {
    return this.swiftContainer.stat(this.#name(key), opts.signal).then((head) => head !== undefined);
  }

  /**
   * Deletes one object; answers whether it existed (a replay after a lost answer that
   * finds it gone answers `true`, as our first attempt deleted it).
   *
   * @example
   * ```ts ignore
   * const existed = await store.delete("/scratch/c/0");
   * ```
   */
  async delete(key: AbsolutePath, opts: RequestOptions = {}): Promise<boolean> {
    return await this.swiftContainer.delete(this.#name(key), opts.signal);
  }

  /**
   * An object's size, MD5, type, dates and user metadata (one HEAD), or `undefined`
   * when it does not exist.
   *
   * @example
   * ```ts ignore
   * const info = await store.stat("/temperature/zarr.json");
   * console.log(info?.size, info?.etag);
   * ```
   */
  stat(key: AbsolutePath, opts: RequestOptions = {}): Promise<ObjectInfo | undefined> {
    return this.swiftContainer.stat(this.#name(key), opts.signal).then((head) =>
      head && objectInfo(key, head)
    );
  }

  /**
   * Every object under a path with what the listing says of it (size, MD5, type,
   * date), across all pages, without one request per object. Marker objects are
   * skipped.
   *
   * @example
   * ```ts ignore
   * for await (const entry of store.scan("/temperature")) console.log(entry.key, entry.size);
   * ```
   */
  async *scan(path: string = "/", opts: RequestOptions = {}): AsyncGenerator<ObjectEntry> {
    for await (const e of this.swiftContainer.list(objectPrefixForPath(this.prefix, path), opts)) {
      if ("name" in e && !e.name.endsWith("/")) yield objectEntry(this.prefix, e);
    }
  }

  /**
   * Opens an object for streaming (large files, bounded memory): its body as a
   * stream, with what the headers say, or `undefined` when it does not exist. The
   * request is retried until the server answers; the body itself is not checked:
   * compare its MD5 with `etag` (when `largeObject` is false) as you consume it.
   *
   * @example
   * ```ts ignore
   * const opened = await store.getStream("/big.nc");
   * if (opened) for await (const chunk of opened.body) console.log(chunk.length);
   * ```
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
   * @example
   * ```ts ignore
   * const file = new Blob([new Uint8Array(1 << 20)]);
   * await store.setStream("/blob.bin", () => file.stream(), { size: file.size });
   * ```
   */
  async setStream(
    key: AbsolutePath,
    open: () => ReadableStream<Uint8Array>,
    options: { size?: number; contentType?: string; signal?: AbortSignal } = {},
  ): Promise<{ etag: string }> {
    const name = this.#name(key);
    return await this.swiftContainer.putStream(name, open, {
      ...options,
      contentType: options.contentType ?? contentType(name),
    });
  }

  /**
   * Every key under a path (default: the whole dataset), as absolute paths, across
   * all listing pages, in the server's (byte) order. Pseudo-folder marker objects
   * (names ending in `/`) are not keys and are skipped.
   *
   * @example
   * ```ts ignore
   * for await (const key of store.list("/temperature")) console.log(key); // "/temperature/c/0/0", …
   * ```
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
   * @example
   * ```ts ignore
   * for await (const child of store.listDir("/")) console.log(child); // "temperature", "zarr.json", …
   * ```
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
   * Deletes every object under a path (default: the whole dataset, marker objects
   * included; large objects with the segments they own) and answers how many of the
   * objects listed are gone afterwards: deleted now, or already gone (a stale
   * listing, someone else, or a request replayed after a lost answer).
   * `swiftContainer.deletePrefix` answers the two numbers apart. Uses bulk delete
   * when the cluster offers it, else one DELETE per object.
   *
   * @example
   * ```ts ignore
   * const n = await store.deletePrefix("/scratch");
   * ```
   */
  async deletePrefix(path: string = "/", opts: RequestOptions = {}): Promise<number> {
    const prefix = objectPrefixForPath(this.prefix, path);
    const { deleted, notFound } = await this.swiftContainer.deletePrefix(prefix, opts.signal);
    return deleted + notFound;
  }

  /** Shows the container, prefix and URL, never credentials. */
  toJSON(): { container: string; prefix: string; url: string; readOnly: boolean } {
    return { container: this.container, prefix: this.prefix, url: this.url, readOnly: this.readOnly };
  }
}

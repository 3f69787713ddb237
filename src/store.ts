/**
 * {@link SwiftStore}: a zarrita store over one Swift container (and an optional
 * prefix inside it), plus listing and deleting.
 *
 * How HTTP answers map to results:
 *
 * | Method                  | 2xx             | 404                          | 401                          | other       |
 * | ----------------------- | --------------- | ---------------------------- | ---------------------------- | ----------- |
 * | `get`, `getRange`       | the bytes       | `undefined`                  | re-auth once, then AuthError | typed error |
 * | `has`                   | `true`          | `false`                      | re-auth once, then AuthError | typed error |
 * | `set`                   | done            | ContainerNotFoundError       | re-auth once, then AuthError | typed error |
 * | `delete`                | `true`          | `false`                      | re-auth once, then AuthError | typed error |
 * | `list`, `listDir`       | the names       | ContainerNotFoundError       | re-auth once, then AuthError | typed error |
 *
 * A `getRange` answered 200 (server ignored the range) is sliced here; a suffix
 * longer than the object answers the whole object; a range starting past the end
 * throws {@link RangeNotSatisfiableError}.
 *
 * @example
 * ```ts ignore
 * import * as zarr from "zarrita";
 * import { SwiftStore, TempAuth } from "@zarrswift/store";
 *
 * const store = await SwiftStore.open({
 *   container: "my-container",
 *   prefix: "zarr-demo",
 *   auth: new TempAuth({ authUrl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" }),
 * });
 * const arr = await zarr.create(zarr.root(store).resolve("temperature"), {
 *   shape: [4, 4], chunkShape: [2, 2], dtype: "float32",
 * });
 * await zarr.set(arr, null, 1.5);
 * console.log(await zarr.get(arr));
 * ```
 * @module
 */

import { authFromEnv, authFromStorageOptions, type AuthProvider, type StorageOptions } from "./auth.ts";
import { bulkDelete } from "./bulk_delete.ts";
import {
  ContainerNotFoundError,
  IntegrityError,
  RangeNotSatisfiableError,
  ReadOnlyError,
  type SwiftError,
} from "./errors.ts";
import { readBytes, redact, SwiftClient, type SwiftRequest, throwForStatus } from "./http.ts";
import { type ClusterInfo, fetchInfo } from "./info.ts";
import { createMd5, md5Hex, type Md5Stream } from "./md5.ts";
import type { RetryEvent, RetryPolicy } from "./retry.ts";
import {
  type AbsolutePath,
  checkContainerName,
  encodeObjectName,
  keyForObjectName,
  normalizePrefix,
  objectNameForKey,
  objectPrefixForPath,
  type RangeQuery,
} from "./keys.ts";
import { listContainerPages } from "./listing.ts";

/**
 * Options of {@link SwiftStore.open}.
 *
 * @example
 * ```ts
 * import { type SwiftStoreOptions, TempAuth } from "@zarrswift/store";
 * const options: SwiftStoreOptions = {
 *   container: "my-container",
 *   prefix: "zarr-demo",
 *   auth: new TempAuth({ authUrl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" }),
 *   concurrency: 32,
 * };
 * ```
 */
export interface SwiftStoreOptions {
  /** The container holding the dataset. */
  container: string;
  /** Object-name prefix of the dataset inside the container; `""` (default) is the root. */
  prefix?: string;
  /** Where credentials come from; default: {@link authFromEnv}. */
  auth?: AuthProvider;
  /** zarr-swiftstore's `storage_options`, instead of `auth`. */
  storageOptions?: StorageOptions;
  /** Refuse every write with a {@link ReadOnlyError} (default `false`). */
  readOnly?: boolean;
  /** Create the container when it does not exist (default: `true` unless `readOnly`). */
  createContainer?: boolean;
  /** The most requests this store has in flight at once (default 32). */
  concurrency?: number;
  /** The `fetch` to send requests with (default: the global one). */
  fetch?: typeof fetch;
  /** Retries of a failed idempotent request (default 5). */
  retries?: number;
  /** Milliseconds one request may take, body included (default 60,000). */
  timeout?: number;
  /** Called before each retry, for logging or metrics. */
  onRetry?: (event: RetryEvent) => void;
  /** Backoff tuning: first delay ceiling, cap, longest `Retry-After` honoured (ms). */
  backoff?: Partial<Pick<RetryPolicy, "initialDelay" | "maxDelay" | "maxRetryAfter">>;
  /** Send each body's MD5 as `ETag` and check whole-object reads against theirs (default `true`). */
  verify?: boolean;
  /** Aborts opening. */
  signal?: AbortSignal;
}

/**
 * Per-request options: `signal` aborts the request (and its wait for a slot).
 *
 * @example
 * ```ts
 * import type { RequestOptions } from "@zarrswift/store";
 * const opts: RequestOptions = { signal: AbortSignal.timeout(5_000) };
 * ```
 */
export interface RequestOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
}

/**
 * Options of {@link SwiftStore.fromUrl}: those of {@link SwiftStoreOptions} that do
 * not concern credentials or the container.
 *
 * @example
 * ```ts
 * import type { FromUrlOptions } from "@zarrswift/store";
 * const options: FromUrlOptions = { concurrency: 8, retries: 3 };
 * ```
 */
export type FromUrlOptions = Pick<
  SwiftStoreOptions,
  "concurrency" | "fetch" | "retries" | "timeout" | "onRetry" | "backoff" | "verify"
>;

const FROM_URL_OPTION_NAMES = new Set([
  "concurrency",
  "fetch",
  "retries",
  "timeout",
  "onRetry",
  "backoff",
  "verify",
]);

/** Refuses option names that are not in `allowed` (typos would otherwise be ignored). */
function checkOptionNames(options: object, allowed: Set<string>, what: string): void {
  const unknown = Object.keys(options ?? {}).filter((name) => !allowed.has(name));
  if (unknown.length) {
    throw new TypeError(
      `Expected ${what} options among ${[...allowed].join(", ")}, found ${unknown.join(", ")}`,
    );
  }
}

/**
 * Makes sure `container` exists: one HEAD, and a PUT when it is missing and `create`
 * allows it; otherwise a {@link ContainerNotFoundError}.
 */
export async function ensureContainer(
  client: SwiftClient,
  container: string,
  options: { create: boolean; hint?: string; signal?: AbortSignal },
): Promise<void> {
  const base = { path: `/${encodeObjectName(container)}`, target: container, signal: options.signal };
  const head: SwiftRequest = { ...base, method: "HEAD", what: "Checking container" };
  const exists = await client.request(head, async (res) => {
    await res.body?.cancel();
    if (res.ok) return true;
    if (res.status === 404) return false;
    return await throwForStatus(res, head);
  });
  if (exists) return;
  if (!options.create) {
    throw new ContainerNotFoundError(
      `Expected container ${container} to exist, found none (404)${options.hint ?? ""}`,
      { status: 404, method: "HEAD", path: container },
    );
  }
  const put: SwiftRequest = { ...base, method: "PUT", what: "Creating container" };
  await client.request(put, async (res) => {
    await res.body?.cancel();
    if (!res.ok) await throwForStatus(res, put);
  });
}

/** A client for `auth` with the connection options of a store (or an account). */
export function clientFor(
  auth: AuthProvider,
  options: Omit<FromUrlOptions, "verify"> & { verify?: boolean },
  defaultConcurrency = 32,
): { client: SwiftClient; doFetch: typeof fetch; verify: boolean } {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const client = new SwiftClient(auth, {
    concurrency: options.concurrency ?? defaultConcurrency,
    fetch: doFetch,
    retry: {
      ...options.backoff,
      ...(options.retries === undefined ? {} : { retries: options.retries }),
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
    },
  });
  return { client, doFetch, verify: options.verify ?? true };
}

/**
 * Splits a shared URL (`…/v1/ACCOUNT/CONTAINER[/PREFIX][?temp_url_…]`) into the
 * storage URL, container, store prefix and the TempURL query to send along.
 */
function parseSharedUrl(
  url: string,
): { storageUrl: string; container: string; prefix: string; query: string | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Expected a full URL, found ${JSON.stringify(redact(String(url)))}`);
  }
  const match = /^(.*?\/v1\/[^/]+)\/([^/]+)(?:\/(.*))?$/.exec(parsed.pathname);
  if (!match) {
    throw new TypeError(`Expected a URL like …/v1/ACCOUNT/CONTAINER[/PREFIX], found ${parsed.pathname}`);
  }
  const container = checkContainerName(decodeURIComponent(match[2]));
  const rest = decodeURIComponent(match[3] ?? "");
  const params = parsed.searchParams;
  let query: string | undefined;
  if (params.has("temp_url_sig")) {
    const tempPrefix = params.get("temp_url_prefix");
    if (!params.get("temp_url_expires")) throw new TypeError("Expected temp_url_expires in the TempURL");
    if (tempPrefix === null) {
      throw new TypeError(
        "Expected a prefix TempURL (with temp_url_prefix) or a public container URL; an object TempURL reaches only one object",
      );
    }
    if (!rest.startsWith(tempPrefix) && !`${rest}/`.startsWith(tempPrefix)) {
      throw new TypeError(
        `Expected the URL's path to lie under its temp_url_prefix ${JSON.stringify(tempPrefix)}`,
      );
    }
    query = [...params].filter(([name]) => name.startsWith("temp_url_"))
      .map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("&");
  }
  return { storageUrl: parsed.origin + match[1], container, prefix: normalizePrefix(rest), query };
}

/** What the container utilities (ACLs, TempURL keys, CORS) need from a store; not public API. */
export interface StoreInternals {
  /** The store's client: its concurrency bound, retry policy and credentials. */
  client: SwiftClient;
  /** The account's storage URL. */
  storageUrl: string;
  /** The cluster's `/info`, fetched once. */
  info(signal?: AbortSignal): Promise<ClusterInfo | undefined>;
}

const INTERNALS = new WeakMap<SwiftStore, StoreInternals>();

/** The internals of a store made by {@link SwiftStore.open} or {@link SwiftStore.fromUrl}. */
export function internalsOf(store: SwiftStore): StoreInternals {
  const internals = INTERNALS.get(store);
  if (!internals) throw new TypeError("Expected a SwiftStore made by SwiftStore.open or SwiftStore.fromUrl");
  return internals;
}

const OPTION_NAMES = new Set([
  "container",
  "prefix",
  "auth",
  "storageOptions",
  "readOnly",
  "createContainer",
  ...FROM_URL_OPTION_NAMES,
  "signal",
]);

/**
 * Names in one bulk-delete request: at most 1,000, at least 100, and small enough that
 * a listing page keeps every request slot busy. The server deletes one object after
 * another within a request, so concurrent batches finish sooner (measured: 4,000
 * objects at 590/s in batches of 1,000, 690/s in batches of 250).
 */
function bulkBatch(names: number, concurrency: number, serverMax: number): number {
  return Math.min(serverMax, 1000, Math.max(100, Math.ceil(names / concurrency)));
}

function contentType(name: string): string {
  return /(\.json|\/\.z(array|attrs|group|metadata))$/.test(name) ||
      /^\.z(array|attrs|group|metadata)$/.test(name)
    ? "application/json"
    : "application/octet-stream";
}

/**
 * What Swift says of an object.
 *
 * @example
 * ```ts
 * import type { ObjectInfo } from "@zarrswift/store";
 * const info: ObjectInfo = { key: "/a", size: 3, etag: "900150983cd24fb0d6963f7d28e17f72", contentType: "application/octet-stream", lastModified: undefined, largeObject: false };
 * ```
 */
export interface ObjectInfo {
  /** The store key. */
  key: AbsolutePath;
  /** Size in bytes. */
  size: number;
  /** The `ETag`, unquoted: the body's MD5, except for large objects. */
  etag: string | undefined;
  /** The content type. */
  contentType: string | undefined;
  /** Last modification. */
  lastModified: Date | undefined;
  /** Whether it is a large object (SLO or DLO) served from segments. */
  largeObject: boolean;
}

/**
 * An object as a listing describes it.
 *
 * @example
 * ```ts
 * import type { ObjectEntry } from "@zarrswift/store";
 * const entry: ObjectEntry = { key: "/a", bytes: 3, hash: "900150983cd24fb0d6963f7d28e17f72", contentType: "text/plain", lastModified: "2026-11-24T05:00:00.000000" };
 * ```
 */
export interface ObjectEntry {
  /** The store key. */
  key: AbsolutePath;
  /** Size in bytes. */
  bytes: number;
  /** The MD5 of the content (for SLOs, of the manifest's segment ETags). */
  hash: string;
  /** The content type (`;swift_bytes=…` marks a large object's manifest). */
  contentType: string;
  /** Last modification, as the server formats it (UTC, no zone). */
  lastModified: string;
}

function objectInfo(key: AbsolutePath, headers: Headers): ObjectInfo {
  const modified = headers.get("Last-Modified");
  return {
    key,
    size: Number(headers.get("Content-Length") ?? 0),
    etag: headers.get("ETag")?.replace(/^"|"$/g, "") ?? undefined,
    contentType: headers.get("Content-Type") ?? undefined,
    lastModified: modified ? new Date(modified) : undefined,
    largeObject: headers.has("X-Static-Large-Object") || headers.has("X-Object-Manifest"),
  };
}

/**
 * PUTs a stream (reopened for each attempt), hashing it on the way, and checks the
 * ETag Swift answers against that MD5.
 */
export async function putStream(
  client: SwiftClient,
  req: SwiftRequest,
  open: () => ReadableStream<Uint8Array>,
  options: { size?: number; contentType?: string; verify: boolean },
): Promise<{ etag: string }> {
  // A fresh hasher for each attempt, made before its body is opened.
  let hasher: Md5Stream | undefined;
  req.headers = { ...req.headers, "Content-Type": options.contentType ?? "application/octet-stream" };
  if (options.size !== undefined) req.headers["Content-Length"] = String(options.size);
  req.body = () => {
    const h = hasher;
    return open().pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          h?.update(chunk);
          out.enqueue(chunk);
        },
      }),
    );
  };
  return await client.request(req, async (res) => {
    await res.body?.cancel();
    if (!res.ok) return await throwForStatus(res, req);
    const etag = res.headers.get("ETag")?.replace(/^"|"$/g, "") ?? "";
    const sent = hasher?.digest();
    if (sent !== undefined && etag !== sent) {
      throw new IntegrityError(
        `Expected Swift to store ${req.target} with MD5 ${sent}, found ETag ${
          etag || "(none)"
        }: corrupted in transit`,
        { status: res.status, method: req.method, path: req.target },
      );
    }
    return { etag };
  }, async () => {
    hasher = options.verify ? await createMd5() : undefined;
  });
}

/**
 * Checks a whole-object body against the `ETag` Swift sent (its MD5). Large objects
 * (SLO, DLO) carry the manifest's ETag instead and are not checked.
 */
async function checkEtag(res: Response, bytes: Uint8Array, req: SwiftRequest): Promise<void> {
  const etag = res.headers.get("ETag");
  if (
    etag === null || !/^[0-9a-f]{32}$/i.test(etag) || res.headers.has("X-Static-Large-Object") ||
    res.headers.has("X-Object-Manifest")
  ) return;
  const actual = await md5Hex(bytes);
  if (actual !== etag.toLowerCase()) {
    throw new IntegrityError(
      `Expected the body of ${req.target} to have MD5 ${etag}, found ${actual} (${bytes.length} bytes): corrupted in transit`,
      { status: res.status, method: req.method, path: req.target },
    );
  }
}

function checkRange(range: RangeQuery): void {
  const ok = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  if ("suffixLength" in range ? !ok(range.suffixLength) : !ok(range?.offset) || !ok(range?.length)) {
    throw new RangeError(
      `Expected a range { offset, length } or { suffixLength } of non-negative integers, found ${
        JSON.stringify(range)
      }`,
    );
  }
}

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
  /** Whether writes are refused. */
  readonly readOnly: boolean;
  /** Whether bodies are checked against their MD5. */
  readonly verify: boolean;
  #client: SwiftClient;
  #storageUrl: string;
  #fetch: typeof fetch;
  #info: Promise<ClusterInfo | undefined> | undefined;

  private constructor(
    client: SwiftClient,
    storageUrl: string,
    options: { container: string; prefix: string; readOnly: boolean; fetch: typeof fetch; verify: boolean },
  ) {
    this.verify = options.verify;
    this.#client = client;
    this.#storageUrl = storageUrl;
    INTERNALS.set(this, { client, storageUrl, info: (signal) => this.#clusterInfo(signal) });
    this.#fetch = options.fetch;
    this.container = options.container;
    this.prefix = options.prefix;
    this.readOnly = options.readOnly;
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
    checkOptionNames(options, OPTION_NAMES, "SwiftStore");
    const container = checkContainerName(options.container);
    const prefix = normalizePrefix(options.prefix ?? "");
    const readOnly = options.readOnly ?? false;
    if (readOnly && options.createContainer) {
      throw new TypeError("Expected createContainer to be false on a read-only store, found true");
    }
    const createContainer = options.createContainer ?? !readOnly;
    if (options.auth && options.storageOptions) {
      throw new TypeError("Expected either auth or storageOptions, found both");
    }
    const auth = options.auth ??
      (options.storageOptions ? authFromStorageOptions(options.storageOptions) : authFromEnv());
    const { client, doFetch, verify } = clientFor(auth, options);
    const { storageUrl } = await client.credentials(options.signal);
    await ensureContainer(client, container, {
      create: createContainer,
      hint: readOnly ? "" : "; pass createContainer: true to create it",
      signal: options.signal,
    });
    return new SwiftStore(client, storageUrl, { container, prefix, readOnly, fetch: doFetch, verify });
  }

  /**
   * A read-only store over a shared dataset, with no credentials at all: a prefix
   * TempURL (as {@link shareUrl} makes) or the URL of a public container (or of a
   * prefix inside one). Nothing is sent until the first read; `list` and `listDir`
   * work on public containers with listings allowed, not through TempURLs (Swift
   * does not sign listings).
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
    checkOptionNames(options, FROM_URL_OPTION_NAMES, "fromUrl");
    const shared = parseSharedUrl(url);
    const credentials = { storageUrl: shared.storageUrl, token: undefined, query: shared.query };
    const auth: AuthProvider = {
      credentials: () => Promise.resolve(credentials),
      refresh: () => Promise.resolve(undefined),
      cannotRefresh: shared.query
        ? "the TempURL has expired, is invalid, or does not cover this object: ask for a new link"
        : "the container is not public (no .r:* read ACL): ask for a TempURL or credentials",
    };
    const { client, doFetch, verify } = clientFor(auth, options);
    return new SwiftStore(client, shared.storageUrl, {
      container: shared.container,
      prefix: shared.prefix,
      readOnly: true,
      fetch: doFetch,
      verify,
    });
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
    const path = this.prefix === "" ? this.container : `${this.container}/${this.prefix}`;
    return `${this.#storageUrl}/${encodeObjectName(path)}`;
  }

  #request(method: string, name: string, what: string, signal?: AbortSignal): SwiftRequest {
    return {
      method,
      path: `/${encodeObjectName(this.container)}/${encodeObjectName(name)}`,
      target: `${this.container}/${name}`,
      what,
      signal,
    };
  }

  #checkWritable(method: string, what: string): void {
    if (this.readOnly) {
      throw new ReadOnlyError(`Expected a writable store for ${what}, found one opened with readOnly: true`, {
        method,
        path: this.prefix === "" ? this.container : `${this.container}/${this.prefix}`,
      });
    }
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
    const req = this.#request("GET", objectNameForKey(this.prefix, key), "Reading object", opts.signal);
    return this.#client.request(req, async (res) => {
      if (res.ok) {
        const bytes = await readBytes(res);
        if (this.verify) await checkEtag(res, bytes, req);
        return bytes;
      }
      if (res.status === 404) {
        await res.body?.cancel();
        return undefined;
      }
      return await throwForStatus(res, req);
    });
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
  getRange(key: AbsolutePath, range: RangeQuery, opts: RequestOptions = {}): Promise<Uint8Array | undefined> {
    const name = objectNameForKey(this.prefix, key);
    checkRange(range);
    const suffix = "suffixLength" in range;
    const req = this.#request("GET", name, "Reading a range of object", opts.signal);
    req.headers = {
      Range: suffix
        ? `bytes=-${range.suffixLength}`
        : `bytes=${range.offset}-${range.offset + range.length - 1}`,
    };
    if (!suffix && range.length === 0) req.headers.Range = `bytes=${range.offset}-${range.offset}`;
    return this.#client.request(req, async (res) => {
      if (res.status === 206) {
        const bytes = await readBytes(res);
        return !suffix && range.length === 0 ? bytes.subarray(0, 0) : bytes;
      }
      if (res.status === 200) {
        // The server ignored the range: take the part asked for.
        const bytes = await readBytes(res);
        if (suffix) return bytes.subarray(Math.max(0, bytes.length - range.suffixLength));
        if (range.offset > bytes.length) throw this.#unsatisfiable(req, range, bytes.length);
        return bytes.subarray(range.offset, range.offset + range.length);
      }
      if (res.status === 404) {
        await res.body?.cancel();
        return undefined;
      }
      if (res.status === 416 && !suffix) {
        await res.body?.cancel();
        const size = Number(/\/(\d+)\s*$/.exec(res.headers.get("Content-Range") ?? "")?.[1]);
        // A range starting exactly at the end is empty, not an error.
        if (range.offset === size) return new Uint8Array(0);
        throw this.#unsatisfiable(req, range, Number.isFinite(size) ? size : undefined);
      }
      return await throwForStatus(res, req);
    });
  }

  #unsatisfiable(req: SwiftRequest, range: { offset: number }, size: number | undefined): SwiftError {
    return new RangeNotSatisfiableError(
      `Expected a range starting within ${req.target}${
        size === undefined ? "" : ` (${size} bytes)`
      }, found offset ${range.offset}`,
      { status: 416, method: "GET", path: req.target },
    );
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
    const name = objectNameForKey(this.prefix, key);
    if (!(value instanceof Uint8Array)) {
      throw new TypeError(
        `Expected the value for ${key} to be a Uint8Array, found ${
          value === null
            ? "null"
            : typeof value === "object"
            ? (value as object).constructor?.name
            : typeof value
        }`,
      );
    }
    this.#checkWritable("PUT", `writing ${key}`);
    const req = this.#request("PUT", name, "Writing object", opts.signal);
    // fetch takes only ArrayBuffer-backed views; a SharedArrayBuffer view is copied.
    req.body = value.buffer instanceof ArrayBuffer ? value as Uint8Array<ArrayBuffer> : new Uint8Array(value);
    req.headers = { "Content-Type": contentType(name) };
    const headers = req.headers;
    const body = req.body;
    await this.#client.request(
      req,
      async (res) => {
        await res.body?.cancel();
        if (!res.ok) await throwForStatus(res, req);
      },
      // Swift refuses (422) a body whose MD5 does not match: corruption on the way in.
      // Hashed once a request slot is ours, so that a burst of writes (zarrita starts one
      // per chunk at once) sends its first requests at once instead of after every hash.
      this.verify ? async () => void (headers.ETag ??= await md5Hex(body)) : undefined,
    );
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
    const req = this.#request("HEAD", objectNameForKey(this.prefix, key), "Checking object", opts.signal);
    return this.#client.request(req, async (res) => {
      await res.body?.cancel();
      if (res.ok) return true;
      if (res.status === 404) return false;
      return await throwForStatus(res, req);
    });
  }

  /**
   * Deletes one object; answers whether it existed. A replay after a lost answer
   * that finds it gone answers `true`, as our first attempt deleted it (a replay the
   * runtime's `fetch` makes on its own cannot be seen, and answers `false`).
   *
   * @example
   * ```ts ignore
   * const existed = await store.delete("/scratch/c/0");
   * ```
   */
  async delete(key: AbsolutePath, opts: RequestOptions = {}): Promise<boolean> {
    const name = objectNameForKey(this.prefix, key);
    this.#checkWritable("DELETE", `deleting ${key}`);
    return await this.#deleteObject(name, opts.signal);
  }

  #deleteObject(name: string, signal?: AbortSignal): Promise<boolean> {
    const req = this.#request("DELETE", name, "Deleting object", signal);
    return this.#client.request(req, async (res, attempt) => {
      await res.body?.cancel();
      if (res.ok) return true;
      // After an attempt that may have deleted it, "not found" is that attempt's work.
      if (res.status === 404) return attempt.uncertain;
      return await throwForStatus(res, req);
    });
  }

  /**
   * An object's size, MD5, type and dates (one HEAD), or `undefined` when it does
   * not exist.
   *
   * @example
   * ```ts ignore
   * const info = await store.stat("/temperature/zarr.json");
   * console.log(info?.size, info?.etag);
   * ```
   */
  stat(key: AbsolutePath, opts: RequestOptions = {}): Promise<ObjectInfo | undefined> {
    const req = this.#request("HEAD", objectNameForKey(this.prefix, key), "Checking object", opts.signal);
    return this.#client.request(req, async (res) => {
      await res.body?.cancel();
      if (res.status === 404) return undefined;
      if (!res.ok) return await throwForStatus(res, req);
      return objectInfo(key, res.headers);
    });
  }

  /**
   * Every object under a path with what the listing says of it (size, MD5, type,
   * date), across all pages, without one request per object. Marker objects are
   * skipped.
   *
   * @example
   * ```ts ignore
   * for await (const entry of store.scan("/temperature")) console.log(entry.key, entry.bytes);
   * ```
   */
  async *scan(path: string = "/", opts: RequestOptions = {}): AsyncGenerator<ObjectEntry> {
    const prefix = objectPrefixForPath(this.prefix, path);
    for await (
      const page of listContainerPages(this.#client, this.container, { prefix, signal: opts.signal })
    ) {
      for (const entry of page) {
        if (entry.name === undefined || entry.name.endsWith("/")) continue;
        yield {
          key: keyForObjectName(this.prefix, entry.name),
          bytes: entry.bytes,
          hash: entry.hash,
          contentType: entry.content_type,
          lastModified: entry.last_modified,
        };
      }
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
    const req = this.#request("GET", objectNameForKey(this.prefix, key), "Reading object", opts.signal);
    // The stream outlives the request's timeout: only the wait for the answer is timed.
    req.streaming = true;
    return this.#client.request(req, async (res) => {
      if (res.status === 404) {
        await res.body?.cancel();
        return undefined;
      }
      if (!res.ok || !res.body) return await throwForStatus(res, req);
      return { ...objectInfo(key, res.headers), body: res.body };
    });
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
    const name = objectNameForKey(this.prefix, key);
    this.#checkWritable("PUT", `writing ${key}`);
    return await putStream(
      this.#client,
      this.#request("PUT", name, "Writing object", options.signal),
      open,
      { ...options, contentType: options.contentType ?? contentType(name), verify: this.verify },
    );
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
    const prefix = objectPrefixForPath(this.prefix, path);
    for await (
      const page of listContainerPages(this.#client, this.container, { prefix, signal: opts.signal })
    ) {
      for (const entry of page) {
        if (entry.name !== undefined && !entry.name.endsWith("/")) {
          yield keyForObjectName(this.prefix, entry.name);
        }
      }
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
    const pages = listContainerPages(this.#client, this.container, {
      prefix,
      delimiter: "/",
      signal: opts.signal,
    });
    for await (const page of pages) {
      for (const entry of page) {
        const child = (entry.subdir ?? entry.name).slice(prefix.length).replace(/\/$/, "");
        // "" is the folder's own marker object ("prefix/").
        if (child === "" || seen.has(child)) continue;
        seen.add(child);
        yield child;
      }
    }
  }

  /**
   * Deletes every object under a path (default: the whole dataset, marker objects
   * included) and answers how many were deleted: the objects listed that are gone
   * afterwards, exact even when a request is replayed after a lost answer (an
   * object someone else deletes at the same moment counts too). Uses bulk delete
   * when the cluster offers it (batches of 100 to 1,000 names, sent concurrently),
   * else one DELETE per object.
   *
   * @example
   * ```ts ignore
   * const n = await store.deletePrefix("/scratch");
   * ```
   */
  async deletePrefix(path: string = "/", opts: RequestOptions = {}): Promise<number> {
    const prefix = objectPrefixForPath(this.prefix, path);
    this.#checkWritable("DELETE", `deleting ${path}`);
    const info = await this.#clusterInfo(opts.signal);
    const max = info?.bulk_delete ? info.bulk_delete.max_deletes_per_request ?? 10_000 : 0;
    const concurrency = this.#client.limiter.limit;
    let deleted = 0;
    let previous: Promise<unknown> = Promise.resolve();
    const pages = listContainerPages(this.#client, this.container, { prefix, signal: opts.signal });
    for await (const page of pages) {
      const names = page.flatMap((entry) => entry.name === undefined ? [] : [entry.name]);
      const work: Promise<void>[] = [];
      const batch = max > 0 ? bulkBatch(names.length, concurrency, max) : 0;
      if (batch > 0) {
        for (let i = 0; i < names.length; i += batch) {
          const part = names.slice(i, i + batch);
          work.push(
            bulkDelete(this.#client, this.container, part, opts.signal).then((r) => {
              deleted += r.deleted + r.notFound;
            }),
          );
        }
      } else {
        for (const name of names) {
          work.push(
            this.#deleteObject(name, opts.signal).then(() => {
              deleted++;
            }),
          );
        }
      }
      // Keep one page of deletes running while the next page is listed, no more.
      await previous;
      previous = Promise.all(work);
      previous.catch(() => {});
    }
    await previous;
    return deleted;
  }

  #clusterInfo(signal?: AbortSignal): Promise<ClusterInfo | undefined> {
    if (this.#info === undefined) {
      const info = fetchInfo(this.#storageUrl, this.#fetch, this.#client.policy, signal);
      this.#info = info;
      info.catch(() => {
        if (this.#info === info) this.#info = undefined;
      });
    }
    return this.#info;
  }

  /** Shows the container, prefix and URL, never credentials. */
  toJSON(): { container: string; prefix: string; url: string; readOnly: boolean } {
    return { container: this.container, prefix: this.prefix, url: this.url, readOnly: this.readOnly };
  }
}

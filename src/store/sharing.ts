/**
 * Sharing a store's dataset: TempURL keys, {@link shareUrl} (one link to the whole
 * dataset), CORS for browsers, and the cluster's capabilities.
 *
 * @example Share a dataset for a week
 * ```ts ignore
 * import { SwiftStore, setCors, shareUrl } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "data", prefix: "run-42" });
 * await setCors(store, { origins: ["https://notebook.example.org"] });
 * const link = await shareUrl(store, { expiresIn: 7 * 24 * 3600 });
 * // A colleague, or a browser: SwiftStore.fromUrl(link)
 * ```
 * @module
 */

import type { ClusterInfo } from "../swift/info.ts";
import { tempUrl, type TempUrlDigest } from "../util/tempurl.ts";
import type { SwiftStore } from "./store.ts";

/**
 * A header value as the text it was written as: `fetch` gives header bytes one
 * character each (Latin-1), while Swift stores metadata as UTF-8.
 */
function utf8Header(value: string): string {
  // deno-lint-ignore no-control-regex
  if (!/[\x80-\xff]/.test(value) || /[^\x00-\xff]/.test(value)) return value;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(value, (c) => c.charCodeAt(0)));
  } catch {
    return value;
  }
}

/**
 * Options of {@link setTempUrlKey}.
 *
 * @example
 * ```ts
 * import type { TempUrlKeyOptions } from "@zarrswift/store";
 * const options: TempUrlKeyOptions = { scope: "container", second: true };
 * ```
 */
export interface TempUrlKeyOptions {
  /** Where the key lives: the account (all containers) or this store's container. */
  scope: "account" | "container";
  /** Set the second key (`…-Key-2`), for rotating keys without breaking links. */
  second?: boolean;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/**
 * Sets a TempURL key on the account or on the store's container (needs an admin).
 * An empty key removes it.
 *
 * @example
 * ```ts ignore
 * await setTempUrlKey(store, crypto.randomUUID(), { scope: "container" });
 * ```
 */
export async function setTempUrlKey(
  store: SwiftStore,
  key: string,
  options: TempUrlKeyOptions,
): Promise<void> {
  if (options?.scope !== "account" && options?.scope !== "container") {
    throw new TypeError(`Expected scope "account" or "container", found ${JSON.stringify(options?.scope)}`);
  }
  if (typeof key !== "string") throw new TypeError("Expected the TempURL key to be a string");
  if (/[\r\n\0]/.test(key)) {
    throw new TypeError("Expected a TempURL key without CR, LF or NUL (it goes into a header)");
  }
  store.swiftContainer.checkWritable("Setting a TempURL key on");
  const scope = options.scope === "account" ? "Account" : "Container";
  const name = `X-${scope}-Meta-Temp-URL-Key${options.second ? "-2" : ""}`;
  const headers = key === "" ? { [`X-Remove-${name.slice(2)}`]: "x" } : { [name]: key };
  const container = store.swiftContainer;
  if (options.scope === "account") await container.account.updateMetadata(headers, options.signal);
  else await container.updateMetadata(headers, options.signal, "Setting a TempURL key on");
}

/**
 * The TempURL keys set on the container and on the account (needs an admin; a
 * non-admin sees none). Keys are secrets: do not log them.
 *
 * @example
 * ```ts ignore
 * const { container, account } = await getTempUrlKeys(store);
 * console.log(container.length > 0 ? "container key set" : "no container key");
 * ```
 */
export async function getTempUrlKeys(
  store: SwiftStore,
  signal?: AbortSignal,
): Promise<{ container: string[]; account: string[] }> {
  const [container, account] = await Promise.all([
    store.swiftContainer.metadata(signal),
    store.swiftContainer.account.metadata(signal),
  ]);
  const keys = (headers: Headers, scope: string) =>
    [headers.get(`X-${scope}-Meta-Temp-URL-Key`), headers.get(`X-${scope}-Meta-Temp-URL-Key-2`)]
      .filter((k): k is string => k !== null && k !== "").map(utf8Header);
  return { container: keys(container, "Container"), account: keys(account, "Account") };
}

/**
 * Options of {@link shareUrl}: one of `expiresIn` (seconds) and `expiresAt`.
 *
 * @example
 * ```ts
 * import type { ShareOptions } from "@zarrswift/store";
 * const options: ShareOptions = { expiresIn: 7 * 24 * 3600 };
 * ```
 */
export interface ShareOptions {
  /** Seconds from now until the link expires. */
  expiresIn?: number;
  /** When the link expires. */
  expiresAt?: Date;
  /** The TempURL key to sign with (default: the container's or account's; a new container key when there is none). */
  key?: string;
  /** The HMAC digest (default `"sha256"`). */
  digest?: TempUrlDigest;
  /** Share a store without prefix: a link to every object of the container (required then). */
  wholeContainer?: boolean;
  /** Allow an expiry more than a year away (see `MAX_TEMPURL_LIFETIME`). */
  allowLongExpiry?: boolean;
  /** Aborts the requests. */
  signal?: AbortSignal;
}

/**
 * One link to every key of the store's dataset: a prefix TempURL over the store's
 * prefix (the whole container when it has none). Without `key`, it signs with the
 * container's TempURL key, else the account's, and sets a new random container key
 * when neither exists. Open the link with `SwiftStore.fromUrl`.
 *
 * @example
 * ```ts ignore
 * const link = await shareUrl(store, { expiresIn: 24 * 3600 });
 * const shared = SwiftStore.fromUrl(link); // no credentials needed
 * ```
 */
export async function shareUrl(store: SwiftStore, options: ShareOptions): Promise<string> {
  const sign = (key: string) =>
    tempUrl({
      url: `${store.url}/`,
      key,
      expiresIn: options.expiresIn,
      expiresAt: options.expiresAt,
      digest: options.digest,
      prefix: true,
      wholeContainer: options.wholeContainer,
      allowLongExpiry: options.allowLongExpiry,
    });
  // Everything that can be refused is refused before any request.
  await sign(options.key ?? "check");
  let key = options.key;
  if (key === undefined) {
    const keys = await getTempUrlKeys(store, options.signal);
    key = keys.container[0] ?? keys.account[0];
    if (key === undefined) {
      const bytes = crypto.getRandomValues(new Uint8Array(32));
      key = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      await setTempUrlKey(store, key, { scope: "container", signal: options.signal });
    }
  }
  return await sign(key);
}

/**
 * Options of {@link setCors}.
 *
 * @example
 * ```ts
 * import type { CorsOptions } from "@zarrswift/store";
 * const cors: CorsOptions = { origins: ["https://example.org"], maxAge: 3600 };
 * ```
 */
export interface CorsOptions {
  /** Origins allowed to read from a browser (`*` for any). */
  origins: string[];
  /** Seconds browsers may cache the preflight answer. */
  maxAge?: number;
  /** Response headers scripts may read, besides `Content-Range`, `ETag` and `Content-Length` (always exposed). */
  exposeHeaders?: string[];
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Headers a browser needs to see for ranged reads and integrity checks. */
const EXPOSED = ["Content-Range", "ETag", "Content-Length", "Accept-Ranges"];

/**
 * Lets web pages from `origins` read the container from a browser (container CORS
 * metadata), exposing the headers ranged reads and MD5 checks need.
 *
 * @example
 * ```ts ignore
 * await setCors(store, { origins: ["http://localhost:8000"], maxAge: 600 });
 * ```
 */
export async function setCors(store: SwiftStore, options: CorsOptions): Promise<void> {
  if (
    !Array.isArray(options?.origins) || options.origins.some((o) => typeof o !== "string" || /\s/.test(o))
  ) {
    throw new TypeError("Expected origins to be a list of origins without spaces");
  }
  if (options.maxAge !== undefined && !(Number.isInteger(options.maxAge) && options.maxAge >= 0)) {
    throw new RangeError(`Expected maxAge to be a non-negative integer, found ${options.maxAge}`);
  }
  store.swiftContainer.checkWritable("Setting CORS on");
  const expose = [...new Set([...EXPOSED, ...(options.exposeHeaders ?? [])])];
  const headers: Record<string, string> = {
    "X-Container-Meta-Access-Control-Allow-Origin": options.origins.join(" "),
    "X-Container-Meta-Access-Control-Expose-Headers": expose.join(" "),
  };
  if (options.maxAge !== undefined) {
    headers["X-Container-Meta-Access-Control-Max-Age"] = String(options.maxAge);
  } else headers["X-Remove-Container-Meta-Access-Control-Max-Age"] = "x";
  if (options.origins.length === 0) {
    delete headers["X-Container-Meta-Access-Control-Allow-Origin"];
    headers["X-Remove-Container-Meta-Access-Control-Allow-Origin"] = "x";
  }
  await store.swiftContainer.updateMetadata(headers, options.signal, "Setting CORS on");
}

/**
 * The cluster's `/info` document: limits (`swift.max_file_size`,
 * `swift.container_listing_limit`), middlewares and their settings (bulk delete,
 * TempURL methods and digests, SLO). `undefined` when the cluster hides it.
 *
 * @example
 * ```ts ignore
 * const info = await capabilities(store);
 * console.log(info?.tempurl);
 * ```
 */
export function capabilities(store: SwiftStore, signal?: AbortSignal): Promise<ClusterInfo | undefined> {
  return store.swiftContainer.capabilities(signal);
}

/**
 * TempURLs: links that grant time-limited access to an object (or to every object
 * under a prefix) without credentials, signed with HMAC by SubtleCrypto. The output
 * is byte-identical to python-swiftclient's `swift tempurl` for the same inputs.
 *
 * The signature is an HMAC over `METHOD\nEXPIRES\nPATH` with the decoded path
 * `/v1/ACCOUNT/CONTAINER/OBJECT` (`prefix:/v1/…/PREFIX` for prefix URLs, and
 * `ip=RANGE\n` first when restricted to an IP range): hex for sha1 and sha256,
 * `sha512:` + URL-safe base64 without padding for sha512.
 *
 * @example
 * ```ts
 * import { tempUrl } from "@zarrswift/store";
 * const link = await tempUrl({
 *   url: "http://127.0.0.1:8080/v1/AUTH_test/data/zarr-demo/zarr.json",
 *   key: "my-temp-url-key",
 *   expiresIn: 3600,
 * });
 * ```
 * @module
 */

/**
 * The HMAC digests Swift's tempurl middleware accepts.
 *
 * @example
 * ```ts
 * import type { TempUrlDigest } from "@zarrswift/store";
 * const digest: TempUrlDigest = "sha256";
 * ```
 */
export type TempUrlDigest = "sha1" | "sha256" | "sha512";

/**
 * Options of {@link tempUrl}. Give exactly one of `expiresIn` and `expiresAt`.
 *
 * @example
 * ```ts
 * import type { TempUrlOptions } from "@zarrswift/store";
 * const options: TempUrlOptions = {
 *   url: "https://swift.example.org/v1/AUTH_x/c/o",
 *   key: "secret",
 *   method: "GET",
 *   expiresAt: new Date("2030-01-01T00:00:00Z"),
 * };
 * ```
 */
export interface TempUrlOptions {
  /** The full object URL (or, with `prefix`, the URL of the prefix), e.g. `store.url + key`. */
  url: string;
  /** The account's or container's TempURL key. */
  key: string;
  /** The method the link allows (default `"GET"`; a GET link also allows HEAD). */
  method?: "GET" | "HEAD" | "PUT" | "POST" | "DELETE";
  /** Seconds from now until the link expires. */
  expiresIn?: number;
  /** When the link expires. */
  expiresAt?: Date;
  /** The HMAC digest (default `"sha256"`). */
  digest?: TempUrlDigest;
  /** Sign every object whose name starts with the URL's object part (`temp_url_prefix`). */
  prefix?: boolean;
  /** Only clients in this IP range may use the link, e.g. `"192.168.0.0/16"`. */
  ipRange?: string;
  /** Put the expiry in the URL as `YYYY-MM-DDThh:mm:ssZ` instead of epoch seconds. */
  isoTime?: boolean;
  /** The file name browsers save the download as (`filename`). */
  filename?: string;
  /** Ask browsers to show rather than download (`inline`). */
  inline?: boolean;
  /**
   * With `prefix` and a URL that names no object part (`…/CONTAINER/`): sign the whole
   * container. Required, so that a link to everything is never signed by accident.
   */
  wholeContainer?: boolean;
  /**
   * Allow an expiry further than {@link MAX_TEMPURL_LIFETIME} (one year) from now. A
   * link cannot be revoked except by changing the key, which breaks every other link.
   */
  allowLongExpiry?: boolean;
}

/**
 * The longest a TempURL may live unless `allowLongExpiry` is set: 365 days, in
 * seconds. A leaked link works until it expires or the key changes.
 *
 * @example The documented maximum
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_TEMPURL_LIFETIME } from "@zarrswift/store";
 * assert.equal(MAX_TEMPURL_LIFETIME, 365 * 86400);
 * ```
 */
export const MAX_TEMPURL_LIFETIME = 365 * 86400;

const METHODS = new Set(["GET", "HEAD", "PUT", "POST", "DELETE"]);
const DIGESTS: Record<TempUrlDigest, string> = { sha1: "SHA-1", sha256: "SHA-256", sha512: "SHA-512" };
const encoder = new TextEncoder();

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Query values as python-swiftclient writes them: raw where URLs allow it. */
function queryValue(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, "/").replace(/%3A/g, ":");
}

function isoSeconds(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Signs `METHOD\nEXPIRES\nPATH` (with `ip=RANGE\n` first when given) with `key`;
 * answers the signature as it goes into `temp_url_sig`.
 *
 * @example
 * ```ts
 * import { signTempUrl } from "@zarrswift/store";
 * const sig = await signTempUrl({ key: "k", method: "GET", expires: 2000000000, path: "/v1/AUTH_a/c/o", digest: "sha1" });
 * console.log(sig.length); // 40
 * ```
 */
export async function signTempUrl(
  input: {
    key: string;
    method: string;
    expires: number;
    path: string;
    digest: TempUrlDigest;
    ipRange?: string;
  },
): Promise<string> {
  const algorithm = DIGESTS[input.digest];
  if (!algorithm) {
    throw new TypeError(
      `Expected a digest among sha1, sha256, sha512, found ${JSON.stringify(input.digest)}`,
    );
  }
  const body = (input.ipRange ? `ip=${input.ipRange}\n` : "") +
    `${input.method}\n${input.expires}\n${input.path}`;
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    encoder.encode(input.key),
    { name: "HMAC", hash: algorithm },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(body)));
  return input.digest === "sha512" ? `sha512:${base64Url(mac)}` : hex(mac);
}

/**
 * Builds a TempURL for an object, or for every object under a prefix.
 * Invalid input (no expiry or both, an expiry in the past, an unknown method or
 * digest, a URL that is not `…/v1/ACCOUNT/CONTAINER/OBJECT`) is a `TypeError` or
 * `RangeError`.
 *
 * @example
 * ```ts
 * import { tempUrl } from "@zarrswift/store";
 * const link = await tempUrl({
 *   url: "http://127.0.0.1:8080/v1/AUTH_test/data/zarr-demo/",
 *   key: "my-temp-url-key",
 *   expiresIn: 7 * 24 * 3600,
 *   prefix: true,
 * });
 * ```
 */
export async function tempUrl(options: TempUrlOptions): Promise<string> {
  const method = options.method ?? "GET";
  if (!METHODS.has(method)) {
    throw new TypeError(
      `Expected a method among ${[...METHODS].join(", ")}, found ${JSON.stringify(method)}`,
    );
  }
  const digest = options.digest ?? "sha256";
  if (typeof options.key !== "string" || options.key === "") {
    throw new TypeError("Expected a non-empty TempURL key");
  }
  const expires = expiryOf(options);
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new TypeError(`Expected a full URL, found ${JSON.stringify(options.url)}`);
  }
  if (url.search || url.hash) {
    throw new TypeError("Expected an object URL without query or fragment");
  }
  const path = decodeURIComponent(url.pathname);
  const at = path.search(/\/v1\/[^/]+\/[^/]+\//);
  const parts = at < 0 ? [] : path.slice(at + 1).split("/");
  // parts: v1, account, container, object…
  const object = parts.slice(3).join("/");
  if (at < 0 || (!options.prefix && object === "")) {
    throw new TypeError(
      `Expected a URL like …/v1/ACCOUNT/CONTAINER/${
        options.prefix ? "PREFIX" : "OBJECT"
      }, found ${url.pathname}`,
    );
  }
  if (options.prefix && object === "" && !options.wholeContainer) {
    throw new TypeError(
      `Expected a prefix under the container in ${url.pathname}, found none: that signs every object of the container; pass wholeContainer: true if that is meant`,
    );
  }
  const signedPath = (options.prefix ? "prefix:" : "") + path.slice(at);
  const sig = await signTempUrl({
    key: options.key,
    method,
    expires,
    path: signedPath,
    digest,
    ipRange: options.ipRange,
  });
  let query = `?temp_url_sig=${sig}&temp_url_expires=${options.isoTime ? isoSeconds(expires) : expires}`;
  if (options.ipRange) query += `&temp_url_ip_range=${queryValue(options.ipRange)}`;
  if (options.prefix) query += `&temp_url_prefix=${queryValue(object)}`;
  if (options.filename !== undefined) query += `&filename=${encodeURIComponent(options.filename)}`;
  if (options.inline) query += "&inline";
  return `${url.origin}${url.pathname}${query}`;
}

function expiryOf(options: TempUrlOptions): number {
  const { expiresIn, expiresAt } = options;
  if ((expiresIn === undefined) === (expiresAt === undefined)) {
    throw new TypeError("Expected exactly one of expiresIn (seconds) and expiresAt (a Date)");
  }
  const now = Date.now() / 1000;
  let expires: number;
  if (expiresIn !== undefined) {
    if (typeof expiresIn !== "number" || !Number.isSafeInteger(Math.floor(expiresIn)) || expiresIn <= 0) {
      throw new RangeError(`Expected expiresIn to be a positive safe integer of seconds, found ${expiresIn}`);
    }
    expires = Math.floor(now + expiresIn);
  } else {
    const time = expiresAt instanceof Date ? expiresAt.getTime() : Number.NaN;
    if (Number.isNaN(time)) throw new TypeError(`Expected expiresAt to be a valid Date, found ${expiresAt}`);
    expires = Math.floor(time / 1000);
  }
  if (expires <= now) {
    throw new RangeError(`Expected an expiry in the future, found ${new Date(expires * 1000).toISOString()}`);
  }
  if (!Number.isSafeInteger(expires) || (expires - now > MAX_TEMPURL_LIFETIME && !options.allowLongExpiry)) {
    const days = Math.round((expires - now) / 86400);
    throw new RangeError(
      `Expected an expiry within ${MAX_TEMPURL_LIFETIME / 86400} days, found one ${
        Number.isFinite(days) ? `${days} days` : "forever"
      } away: pass allowLongExpiry: true if that is meant (a link cannot be revoked without changing the key)`,
    );
  }
  return expires;
}

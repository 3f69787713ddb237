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
 * @example A download link valid until 2100 (an explicit choice), as `swift tempurl` signs it
 * ```ts
 * import assert from "node:assert/strict";
 * import { tempUrl } from "@zarrswift/store";
 *
 * const url = "http://127.0.0.1:8080/v1/AUTH_test/data/zarr-demo/zarr.json";
 * const link = await tempUrl({ url, key: "my-temp-url-key", expiresAt: new Date("2100-01-01T00:00:00Z"), allowLongExpiry: true });
 * // python-swiftclient's generate_temp_url for the same path, expiry, key and digest (sha256):
 * const sig = "6667b391e267735e300d8a19cd18b297f42b51fa0f343b085e467b411f30acdb";
 * assert.equal(link, `${url}?temp_url_sig=${sig}&temp_url_expires=4102444800`);
 * ```
 * @module
 */

/**
 * The HMAC digests Swift's tempurl middleware accepts.
 *
 * @example Sign with SHA-512
 * ```ts
 * import assert from "node:assert/strict";
 * import { tempUrl, type TempUrlDigest } from "@zarrswift/store";
 *
 * const digest: TempUrlDigest = "sha512";
 * const url = "https://swift.example.org/v1/AUTH_x/c/o";
 * const link = await tempUrl({ url, key: "k", expiresIn: 60, digest });
 * assert.match(new URL(link).searchParams.get("temp_url_sig")!, /^sha512:[\w-]{86}$/);
 * ```
 */
export type TempUrlDigest = "sha1" | "sha256" | "sha512";

/**
 * Options of {@link tempUrl}. Give exactly one of `expiresIn` and `expiresAt`.
 *
 * @example An upload link, restricted to an IP range, expiring at a given time
 * ```ts
 * import assert from "node:assert/strict";
 * import { tempUrl, type TempUrlOptions } from "@zarrswift/store";
 *
 * const options: TempUrlOptions = {
 *   url: "https://swift.example.org/v1/AUTH_x/inbox/file.bin",
 *   key: "secret",
 *   method: "PUT",
 *   expiresAt: new Date("2100-01-01T00:00:00Z"),
 *   allowLongExpiry: true, // more than a year away: an explicit choice
 *   ipRange: "192.168.0.0/16",
 *   isoTime: true,
 * };
 * const query = new URL(await tempUrl(options)).searchParams;
 * assert.equal(query.get("temp_url_expires"), "2100-01-01T00:00:00Z");
 * assert.equal(query.get("temp_url_ip_range"), "192.168.0.0/16");
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
 * @param input The TempURL key, the method, the expiry in epoch seconds, the path as
 * signed (decoded `/v1/ACCOUNT/CONTAINER/OBJECT`, or `prefix:/v1/…/PREFIX`), the digest,
 * and the IP range the link is restricted to, if any.
 * @returns The signature: hex for sha1 and sha256, `sha512:` + URL-safe base64 for sha512.
 * @throws {TypeError} When the digest is not one of {@link TempUrlDigest}.
 *
 * @example Sign with SHA-1
 * ```ts
 * import assert from "node:assert/strict";
 * import { signTempUrl } from "@zarrswift/store";
 *
 * const input = { key: "k", method: "GET", expires: 2000000000, path: "/v1/AUTH_a/c/o" };
 * const sig = await signTempUrl({ ...input, digest: "sha1" });
 * // HMAC-SHA1("k", "GET\n2000000000\n/v1/AUTH_a/c/o"), by Python's hmac module:
 * assert.equal(sig, "00ac420e679ecdf39a97002d775216ef1ad67cc5");
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
 * @param options The object (or prefix) URL, the key, the expiry and the optional
 * restrictions, see {@link TempUrlOptions}.
 * @returns The link: the URL with `temp_url_sig`, `temp_url_expires` and the options'
 * query parameters.
 * @throws {TypeError} For a missing key, no expiry or two, an unknown method or digest, or a
 * URL that is not `…/v1/ACCOUNT/CONTAINER/OBJECT`.
 * @throws {RangeError} For an expiry that is not in the future.
 *
 * @example One link to every object of a dataset
 * ```ts
 * import assert from "node:assert/strict";
 * import { tempUrl } from "@zarrswift/store";
 *
 * const link = await tempUrl({
 *   url: "http://127.0.0.1:8080/v1/AUTH_test/data/zarr-demo/",
 *   key: "my-temp-url-key",
 *   expiresAt: new Date("2100-01-01T00:00:00Z"),
 *   allowLongExpiry: true, // more than a year away: an explicit choice
 *   prefix: true,
 * });
 * // python-swiftclient's generate_temp_url(…, prefix=True) for the same inputs:
 * const sig = "0e80df7bfa18fe5b291f92fe193ea4987ac959d495377faa2228c8c96cf14911";
 * const query = `temp_url_sig=${sig}&temp_url_expires=4102444800&temp_url_prefix=zarr-demo/`;
 * assert.equal(link, `http://127.0.0.1:8080/v1/AUTH_test/data/zarr-demo/?${query}`);
 * ```
 *
 * @example An expiry in the past is refused
 * ```ts
 * import assert from "node:assert/strict";
 * import { tempUrl } from "@zarrswift/store";
 *
 * const url = "http://127.0.0.1:8080/v1/AUTH_test/data/o";
 * await assert.rejects(tempUrl({ url, key: "k", expiresAt: new Date("2000-01-01") }), RangeError);
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

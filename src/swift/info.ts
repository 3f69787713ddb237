/**
 * The cluster's `/info` document (capabilities and limits), read from the proxy
 * root that serves the storage URL. It needs no token.
 *
 * @module
 */

import { MAX_REDIRECTS } from "../http/exchange.ts";
import { requestOnce } from "../http/once.ts";
import { parseJson, throwForStatus } from "../http/response.ts";
import { ProtocolError } from "../util/errors.ts";
import type { RetryPolicy } from "../http/retry.ts";

/**
 * The parts of `/info` this library reads; the document holds more, kept as is.
 *
 * @example How many names one bulk delete may carry
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ClusterInfo, SwiftAccount } from "@zarrswift/store";
 * const info: ClusterInfo | undefined = await (await SwiftAccount.open()).capabilities();
 * assert.ok((info?.bulk_delete?.max_deletes_per_request ?? 0) > 0);
 * assert.equal(typeof info?.swift?.version, "string");
 * ```
 */
export interface ClusterInfo {
  /** Core limits and the server version. */
  swift?: {
    version?: string;
    container_listing_limit?: number;
    max_file_size?: number;
    [key: string]: unknown;
  };
  /** Present when the bulk middleware is installed. */
  bulk_delete?: { max_deletes_per_request?: number; max_failed_deletes?: number };
  /** Other middlewares' sections (tempurl, slo, …). */
  [section: string]: unknown;
}

/** The `/info` URL of the proxy that serves `storageUrl` (`…/v1/AUTH_x` → `…/info`). */
export function infoUrl(storageUrl: string): string {
  const url = new URL(storageUrl);
  const at = url.pathname.search(/\/v1(\/|$)/);
  const root = at >= 0 ? url.pathname.slice(0, at) : "";
  return `${url.origin}${root}/info`;
}

/**
 * Fetches `/info`; answers `undefined` when the cluster does not expose it (a 4xx
 * answer), and throws the typed error when it fails after the retries.
 */
export function fetchInfo(
  connection: { fetch: typeof fetch; policy: RetryPolicy },
  storageUrl: string,
  signal?: AbortSignal,
): Promise<ClusterInfo | undefined> {
  const url = infoUrl(storageUrl);
  const target = {
    method: "GET",
    what: "Reading cluster info at",
    target: url,
    signal,
    follow: MAX_REDIRECTS,
  };
  return requestOnce(connection, url, { headers: { Accept: "application/json" } }, target, async (res) => {
    if (res.ok) {
      const info = parseJson(await res.text(), target);
      if (typeof info !== "object" || info === null || Array.isArray(info)) {
        throw new ProtocolError(
          `Expected a JSON object from ${url}, found ${Array.isArray(info) ? "an array" : typeof info}`,
          {
            method: "GET",
            path: url,
          },
        );
      }
      return info as ClusterInfo;
    }
    // A cluster that does not expose /info; a failing one is retried.
    if (res.status < 500) {
      await res.body?.cancel();
      return undefined;
    }
    return await throwForStatus(res, target);
  });
}

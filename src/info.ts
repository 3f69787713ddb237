/**
 * The cluster's `/info` document (capabilities and limits), read from the proxy
 * root that serves the storage URL. It needs no token.
 *
 * @module
 */

import { NetworkError } from "./errors.ts";
import { redact } from "./http.ts";

/**
 * The parts of `/info` this library reads; the document holds more, kept as is.
 *
 * @example
 * ```ts
 * import type { ClusterInfo } from "@zarrswift/store";
 * const info: ClusterInfo = { swift: { version: "2.30.1" }, bulk_delete: { max_deletes_per_request: 10000 } };
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
 * Fetches `/info`; answers `undefined` when the cluster does not expose it (any
 * non-2xx answer), and throws a {@link NetworkError} when nothing answers.
 */
export async function fetchInfo(
  storageUrl: string,
  doFetch: typeof fetch,
  signal?: AbortSignal,
): Promise<ClusterInfo | undefined> {
  const url = infoUrl(storageUrl);
  let res: Response;
  try {
    res = await doFetch(url, { headers: { Accept: "application/json" }, signal });
  } catch (cause) {
    if (signal?.aborted) throw signal.reason;
    throw new NetworkError(`Reading cluster info at ${url} failed: no response (${redact(String(cause))})`, {
      method: "GET",
      path: url,
    });
  }
  if (!res.ok) {
    await res.body?.cancel();
    return undefined;
  }
  try {
    return await res.json() as ClusterInfo;
  } catch {
    return undefined;
  }
}

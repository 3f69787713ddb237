/**
 * Shared links: a prefix TempURL (`…/v1/ACCOUNT/CONTAINER/PREFIX/?temp_url_sig=…`)
 * or the URL of a public container (or of a prefix inside one), split into what a
 * store needs to read through it.
 *
 * @module
 */

import { checkContainerName, normalizePrefix } from "../util/names.ts";
import { redact } from "../util/redact.ts";

/** What a shared URL names. */
export interface SharedUrl {
  /** The account's storage URL. */
  storageUrl: string;
  /** The container. */
  container: string;
  /** The store prefix inside it. */
  prefix: string;
  /** The TempURL query to send with every request (no `?`), when the link is a TempURL. */
  query: string | undefined;
}

/**
 * Splits a shared URL (`…/v1/ACCOUNT/CONTAINER[/PREFIX][?temp_url_…]`) into the
 * storage URL, container, store prefix and the TempURL query to send along.
 */
export function parseSharedUrl(url: string): SharedUrl {
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

/**
 * The storage URL a login hands back, checked: an `https` login that answers an
 * `http` storage URL would send the token in clear from then on, so it is refused
 * unless the user opts in (`allowInsecureStorageUrl`). Loopback `http` stays
 * allowed (a local test cluster, or a tunnel).
 *
 * @module
 */

import { AuthError } from "../util/errors.ts";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * `storageUrl` without trailing `/`, after checking it is a URL and, when the login
 * at `authUrl` used https, that it does too (or is loopback, or `allowInsecure`).
 */
export function checkStorageUrl(authUrl: string, storageUrl: string, allowInsecure = false): string {
  let url: URL;
  try {
    url = new URL(storageUrl);
  } catch {
    throw new AuthError(
      `Expected the login at ${authUrl} to hand back a storage URL, found an unreadable one`,
    );
  }
  const secure = new URL(authUrl).protocol === "https:";
  if (secure && url.protocol !== "https:" && !allowInsecure && !LOOPBACK.test(url.hostname)) {
    throw new AuthError(
      `Expected an https storage URL from the https login at ${authUrl}, found ${url.protocol}//${url.host}: ` +
        "the token would travel in clear; pass allowInsecureStorageUrl: true to use it anyway",
      { method: "GET", path: authUrl },
    );
  }
  return storageUrl.replace(/\/+$/, "");
}

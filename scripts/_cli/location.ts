/**
 * The `<container>[/<prefix-or-object>]` syntax every script takes, and opening a
 * store or the account for it.
 *
 * @module
 */

import { SwiftAccount, SwiftStore } from "../../mod.ts";
import { UsageError, type Values } from "./args.ts";
import { connection } from "./auth.ts";

/** A location `<container>[/<prefix-or-object>]`. */
export interface Location {
  /** The container. */
  container: string;
  /** What follows the first `/`, without leading or trailing `/` (`""` for none). */
  path: string;
  /** Whether the argument ended with `/` (it names a prefix, not an object). */
  trailingSlash: boolean;
}

/** A URL (`https://…`, `swift://…`): never a location, though `/` would split it as one. */
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Splits `<container>[/<path>]`. A URL is refused (it would name a container `https:`),
 * with the location it most likely means: what follows the account in a storage URL
 * (`…/v1/AUTH_x/<container>/<path>`), or what follows `swift://`.
 */
export function location(arg: string): Location {
  if (URL_LIKE.test(arg)) throw new UsageError(urlAdvice(arg));
  const at = arg.indexOf("/");
  const container = at < 0 ? arg : arg.slice(0, at);
  if (container === "") {
    // A local path where a location belongs: the arguments the wrong way round, most likely.
    throw new UsageError(
      `expected <container>[/<prefix>], found ${JSON.stringify(arg)}${
        arg.startsWith("/") ? " (a local path? the arguments may be the wrong way round)" : ""
      }`,
    );
  }
  // `fetch` would resolve them away and reach another object: the library refuses such names.
  if (arg.split("/").some((segment) => segment === "." || segment === "..")) {
    throw new UsageError(`expected a location without "." or ".." segments, found ${JSON.stringify(arg)}`);
  }
  return {
    container,
    path: at < 0 ? "" : arg.slice(at + 1).replace(/^\/+|\/+$/g, ""),
    trailingSlash: at >= 0 && arg.endsWith("/"),
  };
}

/** The refusal of a URL given as a location, with the location it most likely means. */
function urlAdvice(arg: string): string {
  // Shown without its user info, query and fragment: a password or a TempURL signature may be there.
  const bare = arg.replace(/^([^:]+:\/\/)[^/?#]*@/, "$1").replace(/[?#].*$/s, "");
  const expected = `expected a location <container>[/<prefix>], found the URL ${JSON.stringify(bare)}`;
  let url: URL;
  try {
    url = new URL(arg);
  } catch {
    return expected;
  }
  const segments = url.pathname.split("/").filter(Boolean);
  const account = segments.findIndex((s, i) => /^v\d+(\.\d+)?$/.test(s) && i + 1 < segments.length);
  const rest = url.protocol === "swift:"
    ? [url.host, ...segments]
    : account < 0
    ? []
    : segments.slice(account + 2);
  let meant: string;
  try {
    meant = rest.map(decodeURIComponent).join("/");
  } catch {
    return expected;
  }
  if (meant === "") return expected;
  return `${expected}: for this URL, use ${JSON.stringify(meant + (url.pathname.endsWith("/") ? "/" : ""))}`;
}

/** `container/path` as a user wrote it (for messages). */
export function describeLocation(loc: Location): string {
  return loc.path === "" ? loc.container : `${loc.container}/${loc.path}`;
}

/** Opens a store over a location's container and prefix (read-only and never creating, unless told). */
export async function openStore(
  loc: Location,
  values: Values,
  options: { readOnly?: boolean; concurrency?: number; createContainer?: boolean; prefix?: string } = {},
): Promise<SwiftStore> {
  return await SwiftStore.open({
    container: loc.container,
    prefix: options.prefix ?? loc.path,
    readOnly: options.readOnly ?? true,
    createContainer: options.createContainer ?? false,
    ...connection(values, options.concurrency),
  });
}

/** Opens the account. */
export async function openAccount(values: Values): Promise<SwiftAccount> {
  return await SwiftAccount.open(connection(values));
}

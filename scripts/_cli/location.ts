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

/** Splits `<container>[/<path>]`. */
export function location(arg: string): Location {
  const at = arg.indexOf("/");
  const container = at < 0 ? arg : arg.slice(0, at);
  if (container === "") throw new UsageError(`expected <container>[/<prefix>], found ${JSON.stringify(arg)}`);
  return {
    container,
    path: at < 0 ? "" : arg.slice(at + 1).replace(/^\/+|\/+$/g, ""),
    trailingSlash: at >= 0 && arg.endsWith("/"),
  };
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

/**
 * The header flags of the scripts that write objects (upload, sync, cp, mv, post):
 * `-H/--header "Name: value"`, `-m/--meta key:value`, `--delete-after DURATION` and
 * `--delete-at TIME` (Swift's object expiry), parsed by the library
 * (`parseHeader`, `parseMetaHeader`, `deleteAfterHeader`, `deleteAtHeader`).
 *
 * @module
 */

import { deleteAfterHeader, deleteAtHeader, parseHeader, parseMetaHeader } from "../../mod.ts";
import { list, type Options, str, UsageError, type Values } from "./args.ts";

/** The header flags. */
export const HEADER_OPTIONS: Options = {
  header: { type: "string", short: "H", multiple: true },
  meta: { type: "string", short: "m", multiple: true },
  "delete-after": { type: "string" },
  "delete-at": { type: "string" },
};

/** The header flags, for `--help` texts. */
export const HEADER_HELP = `Headers of the objects written:
  -H, --header "Name: value"  a header (repeatable): Content-Type, Content-Disposition,
                              Cache-Control, X-Object-Meta-*, …
  -m, --meta key:value        metadata, as X-Object-Meta-key (repeatable)
  --delete-after DURATION     Swift deletes the object after 90, 30m, 12h or 7d
  --delete-at TIME            Swift deletes the object at TIME: Unix seconds, or ISO 8601
                              with a zone (2030-01-31, 2030-01-31T12:00:00Z)`;

/** Headers for the objects written, from the flags. */
export interface ObjectHeaders {
  /** The headers but `Content-Type`, by name as given. */
  headers: Record<string, string>;
  /** A `Content-Type` given with `-H`, if any. */
  contentType: string | undefined;
  /** Whether any header flag was given. */
  given: boolean;
}

/** The headers the flags ask for; malformed values are usage errors (exit 2). */
export function objectHeaders(values: Values): ObjectHeaders {
  const pairs: [string, string][] = [];
  try {
    for (const text of list(values, "header")) pairs.push(parseHeader(text));
    for (const text of list(values, "meta")) pairs.push(parseMetaHeader(text));
    const after = str(values, "delete-after");
    const at = str(values, "delete-at");
    if (after !== undefined && at !== undefined) {
      throw new UsageError("give --delete-after or --delete-at, not both");
    }
    if (after !== undefined) pairs.push(deleteAfterHeader(after));
    if (at !== undefined) pairs.push(deleteAtHeader(at));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const message = (err as Error).message;
    throw new UsageError(message.replace(/^Expected/, "expected"));
  }
  const headers: Record<string, string> = {};
  let contentType: string | undefined;
  for (const [name, value] of pairs) {
    if (name.toLowerCase() === "content-type") contentType = value;
    else headers[name] = value;
  }
  return { headers, contentType, given: pairs.length > 0 };
}

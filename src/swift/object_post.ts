/**
 * Changing an object's metadata and headers without rewriting it: one `POST`. Swift
 * replaces an object's user metadata (`X-Object-Meta-*`) and the other headers it
 * keeps (`Content-Disposition`, `X-Delete-At`, …) with what a POST carries: those not
 * sent are dropped. {@link updateObject} therefore merges by default (one HEAD first,
 * what is not changed is sent again), or replaces when asked, as `swift post` does.
 *
 * @module
 */

import { expectOk, headersOf, okOr404 } from "../http/response.ts";
import { objectRequest } from "./connection.ts";
import { containerRef, type SwiftContainer } from "./container.ts";

/**
 * The headers besides `X-Object-Meta-*` that an object keeps from its PUT and that a POST
 * replaces (Swift's object-server `allowed_headers`): what a merging update carries over.
 */
export const KEPT_HEADERS: readonly string[] = [
  "content-disposition",
  "content-encoding",
  "content-language",
  "cache-control",
  "expires",
  "x-robots-tag",
  "x-delete-at",
  "x-object-manifest",
];

/**
 * Options of {@link updateObject}.
 *
 * @example Replace the metadata instead of merging
 * ```ts
 * import assert from "node:assert/strict";
 * import type { UpdateObjectOptions } from "@zarrswift/store";
 * const options: UpdateObjectOptions = { replace: true };
 * assert.equal(options.replace, true);
 * ```
 */
export interface UpdateObjectOptions {
  /**
   * Send only the headers given, as Swift's POST means (metadata and kept headers not
   * given are dropped). Default `false`: what is not named stays as it is.
   */
  replace?: boolean;
  /** Aborts the requests. */
  signal?: AbortSignal;
}

/**
 * Changes an object's metadata and headers with one POST, without rewriting its bytes:
 * `X-Object-Meta-*`, `Content-Type`, `Content-Disposition` and the other headers Swift
 * keeps, and its expiry (`X-Delete-At`, `X-Delete-After`). By default the change
 * merges: the object's current metadata and kept headers (one HEAD) are sent again
 * unless named; a header with an empty value, or `X-Remove-Object-Meta-<key>`, removes
 * it; `X-Remove-Delete-At` cancels the expiry. With `replace`, only the given headers
 * are sent (Swift's own meaning of POST).
 *
 * @param container The container of the object.
 * @param name The object name.
 * @param headers The headers to set (names in any case).
 * @param options `replace`, and a signal.
 * @returns The headers that were sent (lowercase names), or `undefined` when there is no such object.
 *
 * @example Add one key, keep the rest
 * ```ts
 * import assert from "node:assert/strict";
 * import { SwiftContainer, updateObject } from "@zarrswift/store";
 * const container = await SwiftContainer.open({ container: "docs-examples" });
 * const name = `${crypto.randomUUID()}/notes.txt`;
 * await container.put(name, new TextEncoder().encode("hi"), { headers: { "X-Object-Meta-Origin": "model-x" } });
 * await updateObject(container, name, { "X-Object-Meta-Run": "42", "X-Delete-After": "3600" });
 * const head = await container.stat(name);
 * assert.equal(head?.headers.get("X-Object-Meta-Origin"), "model-x");
 * assert.equal(head?.headers.get("X-Object-Meta-Run"), "42");
 * assert.ok(Number(head?.headers.get("X-Delete-At")) > Date.now() / 1000);
 * assert.equal(await updateObject(container, `${name}-missing`, {}), undefined);
 * await container.delete(name);
 * ```
 */
export async function updateObject(
  container: SwiftContainer,
  name: string,
  headers: Record<string, string>,
  options: UpdateObjectOptions = {},
): Promise<Record<string, string> | undefined> {
  container.checkWritable("Updating the metadata of", "POST");
  const ref = containerRef(container);
  const given = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  let sent: Record<string, string> = {};
  if (!options.replace) {
    const head = await container.stat(name, options.signal);
    if (head === undefined) return undefined;
    head.headers.forEach((value, key) => {
      if (key.startsWith("x-object-meta-") || KEPT_HEADERS.includes(key)) sent[key] = value;
    });
    if ("x-delete-after" in given || "x-remove-delete-at" in given) delete sent["x-delete-at"];
  }
  for (const [key, value] of Object.entries(given)) {
    if (key.startsWith("x-remove-object-meta-")) delete sent[`x-object-meta-${key.slice(21)}`];
    else if (key !== "x-remove-delete-at") sent[key] = value;
  }
  // An empty value removes a key (merging); Swift drops empty metadata on its own.
  if (!options.replace) sent = Object.fromEntries(Object.entries(sent).filter(([, v]) => v !== ""));
  const req = {
    ...objectRequest(ref, "POST", name, "Updating the metadata of", options.signal),
    idempotent: true,
  };
  req.headers = sent;
  const done = await ref.conn.client.request(req, okOr404(expectOk(headersOf), undefined));
  return done === undefined ? undefined : sent;
}

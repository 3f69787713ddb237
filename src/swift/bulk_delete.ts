/**
 * Bulk delete (`POST /v1/ACCOUNT?bulk-delete`): up to the server's
 * `max_deletes_per_request` names per request. The server answers 200 whatever
 * happened (and may stream whitespace while it works): the outcome is in the JSON
 * body's `Response Status`, `Number Deleted` and `Errors`.
 *
 * @module
 */

import type { SwiftClient } from "../http/client.ts";
import { expectOk, parseJson } from "../http/response.ts";
import { AuthError, PermissionError, SwiftError } from "../util/errors.ts";
import { errorForStatus } from "../util/status.ts";
import { encodeObjectName } from "../util/names.ts";

interface BulkDeleteAnswer {
  "Response Status"?: string;
  "Response Body"?: string;
  "Number Deleted"?: number;
  "Number Not Found"?: number;
  Errors?: [string, string][];
}

/**
 * The outcome of one bulk-delete request. A replay after a lost answer (ours, or one
 * the runtime's `fetch` makes by itself on a dropped keep-alive connection, which
 * Deno's does) finds what the first attempt deleted "not found": callers that
 * listed the names just before count both.
 */
export interface BulkDeleteResult {
  /** Objects deleted. */
  deleted: number;
  /** Objects that were already gone. */
  notFound: number;
  /** Whether this answer is a replay's after an attempt that may have deleted some of them. */
  replayed: boolean;
}

/**
 * Deletes `names` (object names in `container`) in one bulk request. Throws a
 * typed error when the server reports any failure.
 */
export function bulkDelete(
  client: SwiftClient,
  container: string,
  names: readonly string[],
  signal?: AbortSignal,
): Promise<BulkDeleteResult> {
  const prefix = `/${encodeObjectName(container)}/`;
  const body = names.map((name) => prefix + encodeObjectName(name)).join("\n");
  const req = {
    method: "POST",
    path: "",
    query: "?bulk-delete",
    headers: { "Content-Type": "text/plain", Accept: "application/json" },
    body,
    signal,
    target: container,
    what: `Bulk-deleting ${names.length} objects in`,
    // A replay is safe (what is gone is "not found"), and the server streams
    // whitespace while it works: time out only when it goes quiet.
    idempotent: true,
    streaming: true,
  };
  return client.request(
    req,
    expectOk(async (res, ctx) => {
      const answer = parseJson((await res.text()).trim(), req) as BulkDeleteAnswer;
      const status = parseInt(answer["Response Status"] ?? "", 10);
      const errors = answer.Errors ?? [];
      if (!(status >= 200 && status < 300) || errors.length > 0) {
        const statusText = (answer["Response Status"] ?? "").replace(/^\d+\s*/, "");
        const first = errors.slice(0, 3).map(([name, why]) => `${name}: ${why}`).join("; ");
        const detail = `${answer["Number Deleted"] ?? 0} deleted, ${errors.length} failed${
          first ? `: ${first}` : ""
        }`;
        const details = { method: "POST", path: container, what: req.what, detail };
        // A refused token shows only here, inside a 200 answer: surface it as the 401
        // it is so that the client re-authenticates and replays.
        if (status === 401 || errors.some(([, why]) => why.startsWith("401"))) {
          throw errorForStatus(401, "Unauthorized", details, AuthError);
        }
        if (errors.some(([, why]) => why.startsWith("403"))) {
          throw errorForStatus(403, "Forbidden", details, PermissionError);
        }
        throw status >= 400
          ? errorForStatus(status, statusText, details, SwiftError)
          : new SwiftError(`${req.what} ${container} partly failed (${detail})`, {
            method: "POST",
            path: container,
          });
      }
      return {
        deleted: answer["Number Deleted"] ?? 0,
        notFound: answer["Number Not Found"] ?? 0,
        replayed: ctx.uncertain,
      };
    }),
  );
}

/**
 * Typed errors: one class per kind of failure, each carrying the HTTP status, the
 * method and the object path (never a token, key or TempURL signature).
 *
 * | Status        | Class                      |
 * | ------------- | -------------------------- |
 * | 401           | {@link AuthError}          |
 * | 403           | {@link PermissionError}    |
 * | 404 container | {@link ContainerNotFoundError} |
 * | 409           | {@link ConflictError}      |
 * | 412           | {@link PreconditionError}  |
 * | 413           | {@link PayloadTooLargeError} |
 * | 416           | {@link RangeNotSatisfiableError} |
 * | 422           | {@link IntegrityError}     |
 * | 429, 498      | {@link RateLimitError}     |
 * | 5xx           | {@link ServerError}        |
 * | 3xx           | {@link RedirectError}      |
 * | no response   | {@link NetworkError}, {@link TimeoutError} |
 * | broken answer | {@link ProtocolError}      |
 * | other         | {@link SwiftError}         |
 *
 * A missing object is never an error: reads answer `undefined`.
 *
 * @example Tell a missing container from other failures
 * ```ts
 * import assert from "node:assert/strict";
 * import { ContainerNotFoundError, SwiftError, SwiftStore } from "@zarrswift/store";
 *
 * // Credentials from the environment (ST_AUTH, ST_USER, ST_KEY): see authFromEnv.
 * const missing = `missing-${crypto.randomUUID()}`;
 * const err = await SwiftStore.open({ container: missing, readOnly: true }).catch((e) => e);
 * assert.ok(err instanceof ContainerNotFoundError && err instanceof SwiftError);
 * assert.deepEqual([err.status, err.path], [404, missing]);
 * ```
 * @module
 */

/**
 * What an error is about: the HTTP status (absent when no response came), the
 * request method and the `container/object` path.
 *
 * @example Describe a failed HEAD of a container
 * ```ts
 * import assert from "node:assert/strict";
 * import { SwiftError, type SwiftErrorDetails } from "@zarrswift/store";
 *
 * const details: SwiftErrorDetails = { status: 404, method: "HEAD", path: "my-container" };
 * const err = new SwiftError("Reading container my-container failed with 404", details);
 * assert.deepEqual([err.status, err.method, err.path], [404, "HEAD", "my-container"]);
 * ```
 */
export interface SwiftErrorDetails {
  /** The HTTP status, when the server answered. */
  status?: number;
  /** The HTTP method of the failed request. */
  method?: string;
  /** The `container/object` path the request was about (never a URL with a signature). */
  path?: string;
  /** The underlying error, if any. */
  cause?: unknown;
  /** Milliseconds the server asked to wait (`Retry-After`), when it did. */
  retryAfter?: number;
}

/**
 * Base class of every error this library throws about a request.
 *
 * @example Read what a failure is about
 * ```ts
 * import assert from "node:assert/strict";
 * import { SwiftError } from "@zarrswift/store";
 *
 * const cause = new Error("socket closed");
 * const err = new SwiftError("Writing object c/o failed with 400", { status: 400, method: "PUT", cause });
 * assert.deepEqual([err.name, err.status, err.method, err.cause], ["SwiftError", 400, "PUT", cause]);
 * ```
 */
export class SwiftError extends Error {
  /** The HTTP status, or `undefined` when no response came. */
  readonly status: number | undefined;
  /** The HTTP method of the failed request. */
  readonly method: string | undefined;
  /** The `container/object` path the request was about. */
  readonly path: string | undefined;
  /** Milliseconds the server asked to wait before a retry (`Retry-After`), when it did. */
  readonly retryAfter: number | undefined;

  /**
   * Creates an error with a message and the request it is about.
   *
   * @param message What failed and why, in a sentence (never a secret).
   * @param details The status, method, path, cause and `Retry-After` of the failure.
   */
  constructor(message: string, details: SwiftErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.retryAfter = details.retryAfter;
  }
}

/**
 * The server refused the credentials (401), or authentication itself failed.
 *
 * @example Wrong credentials are an AuthError
 * ```ts
 * import assert from "node:assert/strict";
 * import { AuthError, loginTempAuth } from "@zarrswift/store";
 *
 * const authUrl = process.env.ST_AUTH!; // e.g. http://127.0.0.1:8080/auth/v1.0
 * const wrong = loginTempAuth({ authUrl, user: "test:tester", key: "not-the-key" });
 * await assert.rejects(wrong, (err) => err instanceof AuthError && err.status === 401);
 * ```
 */
export class AuthError extends SwiftError {}

/**
 * Authenticated, but not allowed (403): missing ACL grant or not an admin.
 *
 * @example Catch a refusal
 * ```ts
 * import assert from "node:assert/strict";
 * import { PermissionError, SwiftError } from "@zarrswift/store";
 *
 * const err = new PermissionError("Reading container c failed with 403 Forbidden", { status: 403 });
 * assert.ok(err instanceof SwiftError && err.status === 403);
 * ```
 */
export class PermissionError extends SwiftError {}

/**
 * The container does not exist (404 on a container, or on a write into it).
 *
 * @example Opening a missing container read-only
 * ```ts
 * import assert from "node:assert/strict";
 * import { ContainerNotFoundError, SwiftStore } from "@zarrswift/store";
 *
 * const opening = SwiftStore.open({ container: `missing-${crypto.randomUUID()}`, readOnly: true });
 * await assert.rejects(opening, ContainerNotFoundError);
 * ```
 */
export class ContainerNotFoundError extends SwiftError {}

/**
 * The request conflicts with the resource's state (409), e.g. deleting a non-empty
 * container.
 *
 * @example Catch a conflict
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConflictError, SwiftError } from "@zarrswift/store";
 *
 * const err = new ConflictError("Deleting container c failed with 409 Conflict", { status: 409 });
 * assert.ok(err instanceof SwiftError && err.status === 409);
 * ```
 */
export class ConflictError extends SwiftError {}

/**
 * A precondition failed (412), e.g. `If-None-Match: *` on an existing object.
 *
 * @example Catch a failed precondition
 * ```ts
 * import assert from "node:assert/strict";
 * import { PreconditionError, SwiftError } from "@zarrswift/store";
 *
 * const err = new PreconditionError("Writing object c/o failed with 412", { status: 412, method: "PUT" });
 * assert.ok(err instanceof SwiftError && err.status === 412);
 * ```
 */
export class PreconditionError extends SwiftError {}

/**
 * The body is too large for one object, or a quota is exhausted (413).
 *
 * @example Catch an object too large for one PUT
 * ```ts
 * import assert from "node:assert/strict";
 * import { PayloadTooLargeError, SwiftError } from "@zarrswift/store";
 *
 * const err = new PayloadTooLargeError("Writing object c/o failed with 413", { status: 413, method: "PUT" });
 * assert.ok(err instanceof SwiftError && err.status === 413);
 * ```
 */
export class PayloadTooLargeError extends SwiftError {}

/**
 * A byte range starts at or past the end of the object (416).
 *
 * @example A range past the end of a 4-byte object
 * ```ts
 * import assert from "node:assert/strict";
 * import { RangeNotSatisfiableError, SwiftStore } from "@zarrswift/store";
 *
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
 * await store.set("/data", new Uint8Array(4));
 * await assert.rejects(store.getRange("/data", { offset: 10, length: 2 }), RangeNotSatisfiableError);
 * await store.deletePrefix("/"); // clean up
 * ```
 */
export class RangeNotSatisfiableError extends SwiftError {}

/**
 * Bytes were corrupted on the way: Swift refused a body whose MD5 did not match
 * its `ETag` (422), or a downloaded body did not match the server's `ETag`.
 *
 * @example Catch corrupted bytes
 * ```ts
 * import assert from "node:assert/strict";
 * import { IntegrityError, SwiftError } from "@zarrswift/store";
 *
 * const err = new IntegrityError("Writing object c/o failed with 422", { status: 422, method: "PUT" });
 * assert.ok(err instanceof SwiftError && err.status === 422);
 * ```
 */
export class IntegrityError extends SwiftError {}

/**
 * The server asked the client to slow down (429 or 498).
 *
 * @example Read how long the server asked to wait
 * ```ts
 * import assert from "node:assert/strict";
 * import { RateLimitError } from "@zarrswift/store";
 *
 * const err = new RateLimitError("Reading object c/o failed with 429", { status: 429, retryAfter: 2000 });
 * assert.deepEqual([err.status, err.retryAfter], [429, 2000]);
 * ```
 */
export class RateLimitError extends SwiftError {}

/**
 * The server failed (5xx).
 *
 * @example Catch a server failure
 * ```ts
 * import assert from "node:assert/strict";
 * import { ServerError, SwiftError } from "@zarrswift/store";
 *
 * const err = new ServerError("Reading object c/o failed with 503", { status: 503, method: "GET" });
 * assert.ok(err instanceof SwiftError && err.status === 503);
 * ```
 */
export class ServerError extends SwiftError {}

/**
 * No response: connection refused or reset, DNS failure, TLS failure.
 *
 * @example Nothing listens on the port
 * ```ts
 * import assert from "node:assert/strict";
 * import { NetworkError, PreAuth, SwiftStore } from "@zarrswift/store";
 *
 * const auth = new PreAuth({ storageUrl: "http://127.0.0.1:9/v1/AUTH_nobody" }); // port 9: discard
 * const err = await SwiftStore.open({ container: "c", auth, retries: 0 }).catch((e) => e);
 * assert.ok(err instanceof NetworkError);
 * assert.equal(err.status, undefined); // no response
 * ```
 */
export class NetworkError extends SwiftError {}

/**
 * No response within the allowed time.
 *
 * @example Catch a timeout
 * ```ts
 * import assert from "node:assert/strict";
 * import { SwiftError, TimeoutError } from "@zarrswift/store";
 *
 * const err = new TimeoutError("Reading object c/o got no answer within 60000 ms", { method: "GET" });
 * assert.ok(err instanceof SwiftError && err.status === undefined);
 * ```
 */
export class TimeoutError extends SwiftError {}

/**
 * A write (set, delete) was attempted on a store opened with `readOnly: true`.
 *
 * @example Writing through a read-only store
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReadOnlyError, SwiftStore } from "@zarrswift/store";
 *
 * await SwiftStore.open({ container: "docs-examples" }); // creates the container when missing
 * const reader = await SwiftStore.open({ container: "docs-examples", readOnly: true });
 * const write = reader.set(`/${crypto.randomUUID()}`, new Uint8Array(1));
 * await assert.rejects(write, (err) => err instanceof ReadOnlyError && err.method === "PUT");
 * ```
 */
export class ReadOnlyError extends SwiftError {}

/**
 * The server answered with a redirect (3xx) where this library does not follow
 * one: a request carrying credentials (a token, or a login's key, password or
 * secret) is never sent on to another URL, and anonymous reads follow at most five
 * hops. The message names the status and the origin the redirect pointed to, never
 * a secret.
 *
 * @example A redirect refused
 * ```ts
 * import assert from "node:assert/strict";
 * import { RedirectError, SwiftError } from "@zarrswift/store";
 * const err = new RedirectError("Reading object c/k was redirected (302) to https://elsewhere.example.org", { status: 302 });
 * assert.ok(err instanceof SwiftError);
 * assert.equal(err.status, 302);
 * ```
 */
export class RedirectError extends SwiftError {}

/**
 * The server broke the protocol: a listing that is not an array of entries or
 * whose marker does not advance, names outside the prefix asked for, JSON that does
 * not parse, a `206` that is not the range asked for, a body that does not match
 * what its headers declare. Retrying does not help; the answer is never used.
 *
 * @example A broken listing
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProtocolError } from "@zarrswift/store";
 * const err = new ProtocolError("Expected a listing of container c to be a JSON array, found an object", { method: "GET", path: "c" });
 * assert.equal(err.name, "ProtocolError");
 * ```
 */
export class ProtocolError extends SwiftError {}

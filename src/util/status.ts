/**
 * From an HTTP status to the typed error: which class (`401` → `AuthError`, …) and
 * a hint of what it means, in one table.
 *
 * @module
 */

import {
  AuthError,
  ConflictError,
  ContainerNotFoundError,
  IntegrityError,
  PayloadTooLargeError,
  PermissionError,
  PreconditionError,
  RangeNotSatisfiableError,
  RateLimitError,
  ServerError,
  SwiftError,
} from "./errors.ts";

const STATUS_CLASSES: Record<number, typeof SwiftError> = {
  401: AuthError,
  403: PermissionError,
  409: ConflictError,
  412: PreconditionError,
  413: PayloadTooLargeError,
  416: RangeNotSatisfiableError,
  422: IntegrityError,
  429: RateLimitError,
  498: RateLimitError,
};

const STATUS_HINTS: Record<number, string> = {
  401: "the token is missing, expired or invalid",
  403: "the credentials do not grant this access",
  404: "the container does not exist",
  409: "it conflicts with the current state",
  412: "a precondition failed",
  413: "the object is too large or a quota is exhausted",
  416: "the range starts past the end of the object",
  422: "the body did not match its MD5 ETag",
  429: "the server is rate limiting",
  498: "the server is rate limiting",
};

/**
 * Builds the typed error for an unexpected HTTP status.
 *
 * @param status The HTTP status.
 * @param statusText The status text, possibly empty.
 * @param details The request's method and path, `what` it did in words (e.g. "Reading object"), a
 * detail quoted from the body, and `Retry-After`.
 * @param notFound The class of a 404 (default {@link ContainerNotFoundError}).
 * @returns The error to throw.
 */
export function errorForStatus(
  status: number,
  statusText: string,
  details: { method: string; path: string; what: string; detail?: string; retryAfter?: number },
  notFound: typeof SwiftError = ContainerNotFoundError,
): SwiftError {
  const Class = status === 404
    ? notFound
    : STATUS_CLASSES[status] ?? (status >= 500 ? ServerError : SwiftError);
  // A read answered 409 is a large object Swift cannot serve: a segment is gone or changed.
  const hint = status === 409 && details.method === "GET"
    ? "a segment of this large object is missing or was changed"
    : STATUS_HINTS[status] ?? (status >= 500 ? "the server failed" : undefined);
  const text = `${status}${statusText ? ` ${statusText}` : ""}`;
  const message = `${details.what} ${details.path} failed with ${text}` +
    (hint ? `: ${hint}` : "") + (details.detail ? ` (${details.detail})` : "");
  return new Class(message, {
    status,
    method: details.method,
    path: details.path,
    retryAfter: details.retryAfter,
  });
}

/**
 * Reading answers: the typed error for a status ({@link throwForStatus}), and the
 * readers every request uses so that no call site repeats how a body is consumed
 * or cancelled: {@link expectOk}, {@link okOr404}, {@link headersOf},
 * {@link bytesOf}, {@link jsonOf}.
 *
 * @module
 */

import { ContainerNotFoundError, ProtocolError, type SwiftError } from "../util/errors.ts";
import { errorForStatus } from "../util/status.ts";
import { redact } from "../util/redact.ts";
import { parseRetryAfter } from "./retry.ts";

/** What a reader knows about the request whose answer it reads. */
export interface ReadContext {
  /** The request, for messages. */
  req: { method: string; target: string; what: string };
  /** An earlier attempt failed after it was sent, so it may have taken effect. */
  uncertain: boolean;
  /** The MD5 (hex) of the streamed body this attempt sent, when it was asked for. */
  sentMd5?: () => string;
  /** Secrets the request carries (its token), kept out of every message. */
  secrets?: readonly string[];
}

/** Reads a response; it must consume or cancel the body (or hand it on). */
export type Reader<T> = (res: Response, ctx: ReadContext) => Promise<T>;

/** The most bytes of an error body read for its message. */
const ERROR_BODY_BYTES = 4096;

/** The start of an error body as one line of text, at most 200 characters. */
async function errorDetail(res: Response, secrets: readonly string[] = []): Promise<string | undefined> {
  if (!res.body) return undefined;
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < ERROR_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      size += value.length;
    }
  } catch {
    // The body is only for the message.
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) bytes.set(part, (at += part.length) - part.length);
  // Redacted before it is cut, so that no part of a secret survives at the cut.
  const text = redact(new TextDecoder().decode(bytes.subarray(0, ERROR_BODY_BYTES)), secrets)
    .replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return text ? text.slice(0, 200) : undefined;
}

/**
 * Throws the typed error for a response that is not 2xx, after reading at most a
 * few KiB of its body for the message. `notFound` picks the class for a 404.
 */
export async function throwForStatus(
  res: Response,
  req: { method: string; target: string; what: string },
  notFound: typeof SwiftError = ContainerNotFoundError,
  secrets: readonly string[] = [],
): Promise<never> {
  const detail = await errorDetail(res, secrets);
  throw errorForStatus(
    res.status,
    res.statusText,
    {
      method: req.method,
      path: req.target,
      what: req.what,
      detail,
      retryAfter: parseRetryAfter(res.headers.get("Retry-After")),
    },
    notFound,
  );
}

/** The headers of a 2xx answer (its body cancelled). */
export const headersOf: Reader<Headers> = async (res) => {
  await res.body?.cancel();
  return res.headers;
};

/** The body of a 2xx answer as bytes, without a copy. */
export const bytesOf: Reader<Uint8Array<ArrayBuffer>> = async (res) =>
  new Uint8Array(await res.arrayBuffer());

/** The body of a 2xx answer parsed as JSON; a body that is not JSON is a {@link ProtocolError}. */
export const jsonOf: Reader<unknown> = async (res, ctx) => parseJson(await res.text(), ctx.req);

/** `text` parsed as JSON, or a {@link ProtocolError} naming the request. */
export function parseJson(text: string, req: { method: string; target: string; what: string }): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtocolError(
      `Expected JSON from ${req.what.toLowerCase()} ${req.target}, found ${text.length} bytes that do not parse`,
      { method: req.method, path: req.target },
    );
  }
}

/** `read` for 2xx answers; the typed error for any other. */
export function expectOk<T>(read: Reader<T>, notFound?: typeof SwiftError): Reader<T> {
  return async (res, ctx) =>
    res.ok ? await read(res, ctx) : await throwForStatus(res, ctx.req, notFound, ctx.secrets);
}

/** `read` for 2xx answers, `missing` for a 404; the typed error for any other. */
export function okOr404<T, M>(read: Reader<T>, missing: M): Reader<T | M> {
  return async (res, ctx) => {
    if (res.status !== 404) return await expectOk(read)(res, ctx);
    await res.body?.cancel();
    return missing;
  };
}

/**
 * Object requests on a container: whole, ranged and streamed reads, HEAD, whole and
 * streamed writes with MD5 checks, and DELETE. Each builds its request and reads the
 * answer with the readers of `http/response.ts`.
 *
 * | Request          | 2xx             | 404                    | other       |
 * | ---------------- | --------------- | ---------------------- | ----------- |
 * | GET (whole, range, stream) | the bytes | `undefined`      | typed error |
 * | HEAD             | what it says    | `undefined`            | typed error |
 * | PUT              | done            | ContainerNotFoundError | typed error |
 * | DELETE           | `true`          | `false`                | typed error |
 *
 * A ranged read answered 200 (the server ignored the range) is sliced here; a suffix
 * longer than the object answers the whole object; a range starting past the end is
 * a {@link RangeNotSatisfiableError}.
 *
 * @module
 */

import type { ReadContext } from "../http/response.ts";
import { bytesOf, expectOk, headersOf, okOr404 } from "../http/response.ts";
import { IntegrityError } from "../util/errors.ts";
import { md5Hex } from "../util/md5.ts";
import { type ContainerRef, objectRequest } from "./connection.ts";

/**
 * What the headers of an object say.
 *
 * @example An object's size, MD5 and date
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ObjectHead, SwiftContainer } from "@zarrswift/store";
 * const container = await SwiftContainer.open({ container: "docs-examples" });
 * const name = `${crypto.randomUUID()}/a.txt`;
 * await container.put(name, new TextEncoder().encode("hello"));
 * const head: ObjectHead | undefined = await container.stat(name);
 * assert.equal(head?.size, 5);
 * assert.equal(head?.etag, "5d41402abc4b2a76b9719d911017c592"); // md5("hello")
 * assert.ok(head?.lastModified instanceof Date && !head.largeObject);
 * await container.delete(name);
 * ```
 */
export interface ObjectHead {
  /** Size in bytes. */
  size: number;
  /** The `ETag`, unquoted: the body's MD5, except for large objects. */
  etag: string | undefined;
  /** The content type. */
  contentType: string | undefined;
  /** Last modification. */
  lastModified: Date | undefined;
  /** Whether it is a large object (SLO or DLO) served from segments. */
  largeObject: boolean;
  /** All the headers (user metadata is `X-Object-Meta-*`). */
  headers: Headers;
}

/**
 * An object opened for streaming: what its headers say, and its body.
 *
 * @example Stream an object
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ObjectStream, SwiftContainer } from "@zarrswift/store";
 * const container = await SwiftContainer.open({ container: "docs-examples" });
 * const name = `${crypto.randomUUID()}/blob`;
 * await container.put(name, new Uint8Array(1000).fill(7));
 * const opened: ObjectStream | undefined = await container.getStream(name);
 * let size = 0;
 * for await (const chunk of opened!.body) size += chunk.length;
 * assert.equal(size, opened!.size);
 * await container.delete(name);
 * ```
 */
export type ObjectStream = ObjectHead & { body: ReadableStream<Uint8Array> };

/** What an object's headers say. */
export function objectHead(headers: Headers): ObjectHead {
  const modified = headers.get("Last-Modified");
  return {
    size: Number(headers.get("Content-Length") ?? 0),
    etag: headers.get("ETag")?.replace(/^"|"$/g, "") ?? undefined,
    contentType: headers.get("Content-Type") ?? undefined,
    lastModified: modified ? new Date(modified) : undefined,
    largeObject: headers.has("X-Static-Large-Object") || headers.has("X-Object-Manifest"),
    headers,
  };
}

/**
 * Checks a whole-object body against the `ETag` Swift sent (its MD5). Large objects
 * (SLO, DLO) carry the manifest's ETag instead and are not checked.
 */
async function checkEtag(res: Response, bytes: Uint8Array, ctx: ReadContext): Promise<void> {
  const etag = res.headers.get("ETag");
  if (
    etag === null || !/^[0-9a-f]{32}$/i.test(etag) || res.headers.has("X-Static-Large-Object") ||
    res.headers.has("X-Object-Manifest")
  ) return;
  const actual = await md5Hex(bytes);
  if (actual !== etag.toLowerCase()) {
    throw new IntegrityError(
      `Expected the body of ${ctx.req.target} to have MD5 ${etag}, found ${actual} (${bytes.length} bytes): corrupted in transit`,
      { status: res.status, method: ctx.req.method, path: ctx.req.target },
    );
  }
}

/** A whole object's bytes (checked against its MD5 when the container verifies), or `undefined`. */
export function getObject(
  ref: ContainerRef,
  name: string,
  signal?: AbortSignal,
): Promise<Uint8Array | undefined> {
  const req = objectRequest(ref, "GET", name, "Reading object", signal);
  return ref.conn.client.request(
    req,
    okOr404(async (res, ctx) => {
      const bytes = await bytesOf(res, ctx);
      if (ref.verify) await checkEtag(res, bytes, ctx);
      return bytes;
    }, undefined),
  );
}

/** An object's body as a stream with what its headers say, or `undefined`. The body is timed per read. */
export function getObjectStream(
  ref: ContainerRef,
  name: string,
  signal?: AbortSignal,
): Promise<ObjectStream | undefined> {
  const req = objectRequest(ref, "GET", name, "Reading object", signal);
  // The stream outlives the request: only the waits for the network are timed.
  req.streaming = true;
  return ref.conn.client.request(
    req,
    okOr404(
      (res) => Promise.resolve({ ...objectHead(res.headers), body: res.body ?? new Blob([]).stream() }),
      undefined,
    ),
  );
}

/** What an object's headers say (one HEAD), or `undefined` when it does not exist. */
export function headObject(
  ref: ContainerRef,
  name: string,
  signal?: AbortSignal,
): Promise<ObjectHead | undefined> {
  const req = objectRequest(ref, "HEAD", name, "Checking object", signal);
  return ref.conn.client.request(
    req,
    okOr404(async (res, ctx) => objectHead(await headersOf(res, ctx)), undefined),
  );
}

/**
 * Options of a write.
 *
 * @example A text object with user metadata
 * ```ts
 * import assert from "node:assert/strict";
 * import { type PutOptions, SwiftContainer } from "@zarrswift/store";
 * const container = await SwiftContainer.open({ container: "docs-examples" });
 * const name = `${crypto.randomUUID()}/notes.txt`;
 * const options: PutOptions = { contentType: "text/plain", headers: { "X-Object-Meta-Origin": "model-x" } };
 * await container.put(name, new TextEncoder().encode("hello"), options);
 * const head = await container.stat(name);
 * assert.equal(head?.contentType, "text/plain");
 * assert.equal(head?.headers.get("X-Object-Meta-Origin"), "model-x");
 * await container.delete(name);
 * ```
 */
export interface PutOptions {
  /** The content type (default `application/octet-stream`). */
  contentType?: string;
  /** More headers (metadata, expiry). */
  headers?: Record<string, string>;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Writes a whole object (one PUT), sent with its MD5 when the container verifies. */
export async function putObject(
  ref: ContainerRef,
  name: string,
  bytes: Uint8Array<ArrayBuffer>,
  options: PutOptions = {},
): Promise<void> {
  const req = objectRequest(ref, "PUT", name, "Writing object", options.signal);
  req.headers = { ...options.headers, "Content-Type": options.contentType ?? "application/octet-stream" };
  req.body = bytes;
  // Swift refuses (422) a body whose MD5 does not match: corruption on the way in.
  req.md5 = ref.verify;
  await ref.conn.client.request(req, expectOk(headersOf));
}

/**
 * Writes an object from a stream (one PUT): `open` must give the same bytes each
 * time, as a retry calls it again. The body is hashed on the way and the MD5
 * checked against the `ETag` Swift answers (`verify` overrides the container's
 * setting: segments are always checked).
 */
export async function putObjectStream(
  ref: ContainerRef,
  name: string,
  open: () => ReadableStream<Uint8Array>,
  options: PutOptions & { size?: number; what?: string; verify?: boolean } = {},
): Promise<{ etag: string }> {
  const req = objectRequest(ref, "PUT", name, options.what ?? "Writing object", options.signal);
  req.headers = { ...options.headers, "Content-Type": options.contentType ?? "application/octet-stream" };
  if (options.size !== undefined) req.headers["Content-Length"] = String(options.size);
  req.body = open;
  req.md5 = options.verify ?? ref.verify;
  return await ref.conn.client.request(
    req,
    expectOk(async (res, ctx) => {
      await res.body?.cancel();
      const etag = res.headers.get("ETag")?.replace(/^"|"$/g, "") ?? "";
      const sent = ctx.sentMd5?.();
      if (sent !== undefined && etag !== sent) {
        throw new IntegrityError(
          `Expected Swift to store ${req.target} with MD5 ${sent}, found ETag ${
            etag || "(none)"
          }: corrupted in transit`,
          { status: res.status, method: req.method, path: req.target },
        );
      }
      return { etag };
    }),
  );
}

/**
 * Deletes one object; answers whether it existed. A replay after a lost answer that
 * finds it gone answers `true`, as the first attempt deleted it.
 */
export function deleteObject(ref: ContainerRef, name: string, signal?: AbortSignal): Promise<boolean> {
  const req = objectRequest(ref, "DELETE", name, "Deleting object", signal);
  return ref.conn.client.request(req, async (res, ctx) => {
    // After an attempt that may have deleted it, "not found" is that attempt's work.
    if (res.status === 404) {
      await res.body?.cancel();
      return ctx.uncertain;
    }
    await expectOk(headersOf)(res, ctx);
    return true;
  });
}

/**
 * Server-side copies: Swift copies an object into another (`PUT` with `X-Copy-From`,
 * from another account with `X-Copy-From-Account` where the cluster allows it), and no
 * byte of it passes through the client. A Static Large Object is copied as its
 * manifest (`?multipart-manifest=get`): the copy points at the source's segments, which
 * are not duplicated; a DLO keeps its `X-Object-Manifest`. With `copySegments`, each
 * segment is copied too (server-side), under the copy's own segment path, so that the
 * copy owns its segments as an upload's do. The source's metadata and expiry come
 * along, as Swift copies them, unless `freshMetadata`.
 *
 * @module
 */

import type { SwiftRequest } from "../http/client.ts";
import { expectOk, headersOf } from "../http/response.ts";
import { ContainerNotFoundError, IntegrityError } from "../util/errors.ts";
import { checkContainerName, encodeObjectName } from "../util/names.ts";
import { type ContainerRef, objectRequest } from "./connection.ts";
import { containerRef, type SwiftContainer } from "./container.ts";
import { deleteNames } from "./deleting.ts";
import { ownSegments, readManifest, type Segment, segmentContainerOf } from "./manifest.ts";
import { containerExists, ensureContainer } from "./metadata.ts";
import { KEPT_HEADERS } from "./object_post.ts";

/**
 * Options of {@link copyObject}.
 *
 * @example Copy from another container, with one more metadata key
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CopyOptions } from "@zarrswift/store";
 * const options: CopyOptions = { fromContainer: "raw-data", headers: { "X-Object-Meta-Stage": "archived" } };
 * assert.equal(options.copySegments, undefined); // a large object's segments are shared, not copied
 * ```
 */
export interface CopyOptions {
  /** The container of the source (default: the container copied into). */
  fromContainer?: string;
  /** The account of the source, as its storage URL names it (`AUTH_other`): `X-Copy-From-Account`. */
  fromAccount?: string;
  /**
   * Headers of the copy: metadata (`X-Object-Meta-*`), `Content-Type`, expiry
   * (`X-Delete-At`, `X-Delete-After`). They add to the source's unless `freshMetadata`.
   */
  headers?: Record<string, string>;
  /** Leave the source's metadata behind (`X-Fresh-Metadata`). */
  freshMetadata?: boolean;
  /**
   * For a Static Large Object: copy its segments too (server-side), under the copy's own
   * segment path, instead of sharing the source's. Not with `fromAccount`.
   */
  copySegments?: boolean;
  /** Where copied segments go (default `<container>_segments`). */
  segmentContainer?: string;
  /** Aborts the requests. */
  signal?: AbortSignal;
}

/**
 * What a copy made.
 *
 * @example A plain copy's result
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CopyResult } from "@zarrswift/store";
 * const result: CopyResult = { etag: "5d41402abc4b2a76b9719d911017c592", segmentsCopied: 0 };
 * assert.equal(result.segmentsCopied, 0);
 * ```
 */
export interface CopyResult {
  /** The copy's ETag, unquoted (a large object's is its manifest's). */
  etag: string;
  /** Segments copied (with `copySegments`, for a Static Large Object), else 0. */
  segmentsCopied: number;
}

/** `/container/object` as `X-Copy-From` takes it (percent-encoded). */
function copySource(container: string, name: string): string {
  return `/${encodeObjectName(container)}/${encodeObjectName(name)}`;
}

/** One server-side copy (a PUT with an empty body); `undefined` on a 404. */
async function putCopy(
  ref: ContainerRef,
  name: string,
  headers: Record<string, string>,
  query: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const req: SwiftRequest = objectRequest(ref, "PUT", name, "Copying into", signal);
  req.query = query;
  req.headers = headers;
  req.body = new Uint8Array(0); // not a string: fetch would add a text Content-Type to the copy
  return await ref.conn.client.request(req, async (res, ctx) => {
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    return (await expectOk(headersOf)(res, ctx)).get("ETag")?.replace(/^"|"$/g, "") ?? "";
  });
}

/**
 * Copies the object `from` into `name` of `container` on the server: no byte passes
 * through the client. A Static Large Object is copied as its manifest, so the copy
 * shares the source's segments (deleting the source with its segments would break the
 * copy); with `copySegments` its segments are copied too, under the copy's own segment
 * path, and segments an overwritten large object owned are deleted. The source's
 * metadata, content type and expiry come along unless `freshMetadata`; `headers` add
 * to them.
 *
 * @param container The container to copy into.
 * @param name The name of the copy.
 * @param from The source's object name (in `fromContainer`, default `container`).
 * @param options The source's container and account, headers, `copySegments`, a signal.
 * @returns The copy's ETag and the segments copied, or `undefined` when the source does not exist.
 * @throws {ContainerNotFoundError} The container to copy into does not exist.
 *
 * @example Copy an object with one more metadata key
 * ```ts
 * import assert from "node:assert/strict";
 * import { copyObject, SwiftContainer } from "@zarrswift/store";
 * const container = await SwiftContainer.open({ container: "docs-examples" });
 * const dir = crypto.randomUUID();
 * await container.put(`${dir}/a.txt`, new TextEncoder().encode("hello"), { contentType: "text/plain" });
 * const copied = await copyObject(container, `${dir}/b.txt`, `${dir}/a.txt`, {
 *   headers: { "X-Object-Meta-Copy": "yes" },
 * });
 * assert.equal(copied?.etag, "5d41402abc4b2a76b9719d911017c592"); // md5("hello")
 * const head = await container.stat(`${dir}/b.txt`);
 * assert.equal(head?.contentType, "text/plain");
 * assert.equal(head?.headers.get("X-Object-Meta-Copy"), "yes");
 * assert.equal(await copyObject(container, `${dir}/c.txt`, `${dir}/missing`), undefined);
 * await container.deletePrefix(`${dir}/`);
 * ```
 */
export async function copyObject(
  container: SwiftContainer,
  name: string,
  from: string,
  options: CopyOptions = {},
): Promise<CopyResult | undefined> {
  container.checkWritable("Copying an object into", "PUT");
  const ref = containerRef(container);
  const fromContainer = checkContainerName(options.fromContainer ?? ref.name);
  if (options.fromAccount !== undefined && !/^[^/\0\r\n]+$/.test(options.fromAccount)) {
    throw new TypeError(`Expected an account name without "/", found ${JSON.stringify(options.fromAccount)}`);
  }
  if (options.copySegments && options.fromAccount !== undefined) {
    throw new TypeError("Expected copySegments without fromAccount (segments are copied within one account)");
  }
  const headers: Record<string, string> = {
    ...options.headers,
    "X-Copy-From": copySource(fromContainer, from),
  };
  if (options.fromAccount !== undefined) headers["X-Copy-From-Account"] = options.fromAccount;
  if (options.freshMetadata) headers["X-Fresh-Metadata"] = "true";
  const segments = options.copySegments
    ? await readManifest({ ...ref, name: fromContainer }, from, options.signal)
    : undefined;
  const etag = segments
    ? await copyWithSegments(ref, name, { ...ref, name: fromContainer }, from, segments, options)
    : await putCopy(ref, name, headers, "?multipart-manifest=get", options.signal);
  if (etag !== undefined) return { etag, segmentsCopied: segments?.length ?? 0 };
  // A 404: the source is missing, or the container to copy into.
  if (await containerExists(ref, options.signal)) return undefined;
  throw new ContainerNotFoundError(`Expected container ${ref.name} to exist, found none (404)`, {
    status: 404,
    method: "PUT",
    path: ref.name,
  });
}

/**
 * Copies a Static Large Object with its segments: each segment copied server-side to
 * `<segment container>/<name>/slo/<now>/<size>/<segment size>/<index>`, then a manifest
 * with the source's content type and metadata (unless `freshMetadata`) and `headers`;
 * then the segments an overwritten large object owned go. Answers the manifest's ETag,
 * or `undefined` when the source disappeared.
 */
async function copyWithSegments(
  ref: ContainerRef,
  name: string,
  source: ContainerRef,
  from: string,
  segments: Segment[],
  options: CopyOptions,
): Promise<string | undefined> {
  const { signal } = options;
  const head = await source.conn.client.request(
    objectRequest(source, "HEAD", from, "Checking object", signal),
    async (res, ctx) =>
      res.status === 404 ? (await res.body?.cancel(), undefined) : expectOk(headersOf)(res, ctx),
  );
  if (head === undefined) return undefined;
  const carried: Record<string, string> = {
    "content-type": head.get("Content-Type") ?? "application/octet-stream",
  };
  if (!options.freshMetadata) {
    head.forEach((value, key) => {
      if (key.startsWith("x-object-meta-") || KEPT_HEADERS.includes(key)) carried[key] = value;
    });
  }
  for (const [key, value] of Object.entries(options.headers ?? {})) carried[key.toLowerCase()] = value;
  const target: ContainerRef = {
    ...ref,
    name: checkContainerName(segmentContainerOf(ref.name, options.segmentContainer)),
  };
  await ensureContainer(target, { create: true, signal });
  const old = ((await readManifest(ref, name, signal)) ?? []).map((s) => s.path);
  const total = segments.reduce((n, s) => n + s.size, 0);
  const base = `${name}/slo/${(Date.now() / 1000).toFixed(6)}/${total}/${segments[0]?.size ?? 0}/`;
  const written = await Promise.all(segments.map(async (segment, index) => {
    const segmentName = base + String(index).padStart(8, "0");
    const from = { "X-Copy-From": `/${encodeObjectName(segment.path.slice(1))}` };
    const etag = await putCopy(target, segmentName, from, "", signal);
    if (etag !== segment.etag) {
      throw new IntegrityError(
        `Expected the copy of segment ${segment.path} to have MD5 ${segment.etag}, found ${
          etag ?? "no segment (404)"
        }`,
        { method: "PUT", path: `${target.name}/${segmentName}` },
      );
    }
    return { path: `/${target.name}/${segmentName}`, etag, size_bytes: segment.size };
  }));
  const manifest = objectRequest(ref, "PUT", name, "Writing the manifest of", signal);
  manifest.query = "?multipart-manifest=put";
  manifest.headers = carried;
  manifest.body = JSON.stringify(written);
  const etag = (await ref.conn.client.request(manifest, expectOk(headersOf))).get("ETag")?.replace(
    /^"|"$/g,
    "",
  );
  // The segments an overwritten large object owned are nobody's now.
  const fresh = new Set(written.map((s) => s.path));
  const { own } = ownSegments(old.filter((p) => !fresh.has(p)), name, target.name);
  await deleteNames(target, own, signal);
  return etag ?? "";
}

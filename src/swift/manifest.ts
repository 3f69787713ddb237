/**
 * Static Large Object manifests: reading one (`?multipart-manifest=get`), telling
 * the segments an object owns (in its segment container, under its own name) from
 * those a manifest merely points at, and deleting a large object with the segments
 * it owns. A manifest anyone could have written never makes this library delete
 * objects elsewhere: those are kept and reported.
 *
 * @module
 */

import { headersOf, okOr404, parseJson } from "../http/response.ts";
import { ProtocolError } from "../util/errors.ts";
import { type ContainerRef, objectRequest } from "./connection.ts";
import { type DeleteCounts, deleteNames } from "./deleting.ts";
import { deleteObject } from "./objects.ts";

/**
 * One segment of a Static Large Object, as its manifest lists it.
 *
 * @example The segments of a large object, from its manifest
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Segment, SwiftContainer } from "@zarrswift/store";
 * const container = await SwiftContainer.open({ container: "docs-examples" });
 * const dir = `${crypto.randomUUID()}/`;
 * await container.uploadLargeObject(`${dir}big.txt`, new Blob(["hello, world"]), {
 *   segmentSize: 5,
 *   segmentContainer: "docs-examples",
 * });
 * const segments: Segment[] | undefined = await container.largeObjectSegments(`${dir}big.txt`);
 * assert.deepEqual(segments?.map((s) => s.size), [5, 5, 2]);
 * assert.ok(segments?.every((s) => s.path.startsWith(`/docs-examples/${dir}big.txt/slo/`)));
 * await container.deletePrefix(dir);
 * ```
 */
export interface Segment {
  /** `/container/object` of the segment. */
  path: string;
  /** The segment's MD5. */
  etag: string;
  /** Its size in bytes. */
  size: number;
}

/** The segment container of an object of `container` unless told otherwise. */
export function segmentContainerOf(container: string, given?: string): string {
  return given ?? `${container}_segments`;
}

/**
 * The segments of the Static Large Object `name`, in order; `undefined` when there
 * is no object or it is not an SLO.
 */
export function readManifest(
  ref: ContainerRef,
  name: string,
  signal?: AbortSignal,
): Promise<Segment[] | undefined> {
  const req = objectRequest(ref, "GET", name, "Reading the manifest of", signal);
  req.query = "?multipart-manifest=get&format=raw";
  return ref.conn.client.request(
    req,
    okOr404(async (res) => {
      if (!res.headers.has("X-Static-Large-Object")) {
        await res.body?.cancel();
        return undefined;
      }
      const segments = parseJson(await res.text(), req);
      const valid = Array.isArray(segments) &&
        segments.every((s) =>
          typeof s?.path === "string" && typeof s?.etag === "string" && Number.isSafeInteger(s?.size_bytes)
        );
      if (!valid) {
        throw new ProtocolError(
          `Expected the manifest of ${req.target} to list segments with path, etag and size_bytes`,
          {
            method: "GET",
            path: req.target,
          },
        );
      }
      return (segments as { path: string; etag: string; size_bytes: number }[])
        .map((s) => ({ path: s.path, etag: s.etag, size: s.size_bytes }));
    }, undefined),
  );
}

/**
 * Splits segment paths (`/container/name`) into those the object `name` owns, by
 * segment container, and the others: owned means in `segmentContainer`, under
 * `name/`, where this library and python-swiftclient put them.
 */
export function ownSegments(
  paths: readonly string[],
  name: string,
  segmentContainer: string,
): { own: string[]; foreign: string[] } {
  const own: string[] = [];
  const foreign: string[] = [];
  for (const path of paths) {
    const [, container, ...rest] = path.split("/");
    const object = rest.join("/");
    if (container === segmentContainer && object.startsWith(`${name}/`)) own.push(object);
    else foreign.push(path);
  }
  return { own, foreign };
}

/** What deleting a large object did. */
export interface LargeDeleteResult extends DeleteCounts {
  /** Segments the manifest pointed at outside the object's own segment path: kept. */
  kept: string[];
}

/**
 * Deletes the large object `name` (its manifest) and, unless `keepSegments`, the
 * segments it owns (see {@link ownSegments}); other segments are kept and listed.
 * `deleted` counts the manifest and the segments deleted.
 */
export async function deleteLargeObject(
  ref: ContainerRef,
  name: string,
  segments: readonly Segment[],
  options: { keepSegments?: boolean; segmentContainer?: string; signal?: AbortSignal } = {},
): Promise<LargeDeleteResult> {
  const existed = await deleteObject(ref, name, options.signal);
  const result = { deleted: existed ? 1 : 0, notFound: existed ? 0 : 1, kept: [] as string[] };
  if (options.keepSegments) return result;
  const segmentContainer = segmentContainerOf(ref.name, options.segmentContainer);
  const { own, foreign } = ownSegments(segments.map((s) => s.path), name, segmentContainer);
  const counts = await deleteNames({ ...ref, name: segmentContainer }, own, options.signal);
  return {
    deleted: result.deleted + counts.deleted,
    notFound: result.notFound + counts.notFound,
    kept: foreign,
  };
}

/**
 * Deletes the object `name`: a plain one with one DELETE; a Static Large Object
 * (one HEAD tells) with the segments it owns unless `keepSegments`.
 */
export async function deleteOwning(
  ref: ContainerRef,
  name: string,
  options: {
    keepSegments?: boolean;
    segmentContainer?: string;
    signal?: AbortSignal;
    onResult?: (result: LargeDeleteResult) => void;
  } = {},
): Promise<boolean> {
  if (!options.keepSegments) {
    const req = objectRequest(ref, "HEAD", name, "Checking object", options.signal);
    const headers = await ref.conn.client.request(req, okOr404(headersOf, undefined));
    if (headers?.has("X-Static-Large-Object")) {
      const segments = await readManifest(ref, name, options.signal) ?? [];
      const result = await deleteLargeObject(ref, name, segments, options);
      options.onResult?.(result);
      return result.deleted > 0;
    }
  }
  const existed = await deleteObject(ref, name, options.signal);
  options.onResult?.({ deleted: existed ? 1 : 0, notFound: existed ? 0 : 1, kept: [] });
  return existed;
}

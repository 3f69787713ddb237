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
 * @example A segment entry
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Segment } from "@zarrswift/store";
 * const s: Segment = { path: "/data_segments/big.bin/slo/1/2/3/00000000", etag: "0cc175b9c0f1b6a831c399e269772661", size: 1024 };
 * assert.equal(s.size, 1024);
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

/** Whether an object's headers say it is a Static Large Object. */
export function isLargeObject(headers: Headers): boolean {
  return headers.has("X-Static-Large-Object");
}

/** Reads the headers of `name`: whether it exists, and whether it is an SLO. */
export async function headForDelete(
  ref: ContainerRef,
  name: string,
  signal?: AbortSignal,
): Promise<"missing" | "plain" | "large"> {
  const req = objectRequest(ref, "HEAD", name, "Checking object", signal);
  const headers = await ref.conn.client.request(req, okOr404(headersOf, undefined));
  return headers === undefined ? "missing" : isLargeObject(headers) ? "large" : "plain";
}

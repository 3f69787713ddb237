/**
 * Helpers for the zarr-layer tests: a fetch that counts requests, a store over the
 * local Swift with that fetch, an in-memory store, and spec-valid v3 array options.
 */

import type { AbsolutePath, SwiftStore } from "../mod.ts";
import { SwiftStore as Store } from "../mod.ts";
import { tempAuth } from "./_swift.ts";

/** One request a store sent. */
export interface Sent {
  method: string;
  /** The object name (path after the container), decoded; `""` for the container itself (listings). */
  object: string;
  range: string | undefined;
}

/** A fetch that records every request to the object store (not logins). */
export function countingFetch(): { fetch: typeof fetch; sent: Sent[]; reset(): void } {
  const sent: Sent[] = [];
  const counting: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.pathname.startsWith("/v1/")) {
      const object = decodeURIComponent(url.pathname.split("/").slice(4).join("/"));
      sent.push({ method: request.method, object, range: request.headers.get("Range") ?? undefined });
    }
    return fetch(input, init);
  };
  return { fetch: counting, sent, reset: () => void sent.splice(0) };
}

/** Opens a store on `container`/`prefix` as tester, counting its requests. */
export async function countedStore(
  container: string,
  prefix: string,
  options: { readOnly?: boolean } = {},
): Promise<{ store: SwiftStore; sent: Sent[]; reset(): void }> {
  const counter = countingFetch();
  const store = await Store.open({ container, prefix, auth: tempAuth(), fetch: counter.fetch, ...options });
  counter.reset(); // the container check at open
  return { store, sent: counter.sent, reset: counter.reset };
}

/** GETs (and ranged GETs) among the requests sent. */
export const gets = (sent: Sent[]) => sent.filter((s) => s.method === "GET" && s.object !== "");

/** Container listings among the requests sent. */
export const listings = (sent: Sent[]) => sent.filter((s) => s.method === "GET" && s.object === "");

/** An in-memory store with `get`, `getRange`, `set` and `list`, for tests without Swift. */
export class MemoryStore {
  readonly objects = new Map<string, Uint8Array>();
  readOnly = false;
  get(key: AbsolutePath): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.objects.get(key));
  }
  getRange(key: AbsolutePath, range: { offset: number; length: number } | { suffixLength: number }) {
    const bytes = this.objects.get(key);
    if (!bytes) return Promise.resolve(undefined);
    return Promise.resolve(
      "suffixLength" in range
        ? bytes.subarray(Math.max(0, bytes.length - range.suffixLength))
        : bytes.subarray(range.offset, range.offset + range.length),
    );
  }
  set(key: AbsolutePath, value: Uint8Array): Promise<void> {
    this.objects.set(key, value);
    return Promise.resolve();
  }
  async *list(path = "/"): AsyncGenerator<AbsolutePath> {
    const under = path === "/" ? "/" : `${path.replace(/\/$/, "")}/`;
    for (const key of [...this.objects.keys()].sort()) if (key.startsWith(under)) yield key as AbsolutePath;
  }
  /** Writes a JSON document. */
  put(key: string, doc: unknown): void {
    this.objects.set(key, new TextEncoder().encode(typeof doc === "string" ? doc : JSON.stringify(doc)));
  }
}

/** zarrita `create` options for a spec-valid v3 array that zarr-python 3 and xarray open. */
export function validArray(
  shape: number[],
  chunkShape: number[],
  dtype: "float32" | "float64" | "int32" | "int16",
  dims: string[],
) {
  return {
    shape,
    chunkShape,
    dtype,
    fillValue: dtype.startsWith("float") ? Number.NaN : 0,
    dimensionNames: dims,
    codecs: [{ name: "bytes", configuration: { endian: "little" } }, {
      name: "zstd",
      configuration: { level: 3, checksum: false },
    }],
  };
}

/** A valid v3 array document (for hand-built fixtures). */
export function arrayDoc(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    zarr_format: 3,
    node_type: "array",
    shape: [4, 4],
    data_type: "float32",
    chunk_grid: { name: "regular", configuration: { chunk_shape: [2, 2] } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: "NaN",
    codecs: [{ name: "bytes", configuration: { endian: "little" } }],
    dimension_names: ["y", "x"],
    attributes: {},
    ...extra,
  };
}

/** A v3 group document. */
export const groupDoc = (attributes: Record<string, unknown> = {}) => ({
  zarr_format: 3,
  node_type: "group",
  attributes,
});

/**
 * The Keystone v3 service catalog: where the object store is, by region and
 * interface.
 *
 * @module
 */

import { AuthError } from "../util/errors.ts";

/**
 * One service of a Keystone v3 catalog.
 *
 * @example An object store with a public and an internal endpoint
 * ```ts
 * import assert from "node:assert/strict";
 * import { type CatalogEntry, objectStoreEndpoint } from "@zarrswift/store";
 *
 * const swift: CatalogEntry = {
 *   type: "object-store",
 *   endpoints: [
 *     { interface: "public", region_id: "RegionOne", url: "https://swift.example.org/v1/AUTH_p" },
 *     { interface: "internal", region_id: "RegionOne", url: "http://10.0.0.5:8080/v1/AUTH_p" },
 *   ],
 * };
 * assert.equal(objectStoreEndpoint([swift], { interface: "internal" }), "http://10.0.0.5:8080/v1/AUTH_p");
 * ```
 */
export interface CatalogEntry {
  /** The service type, `object-store` for Swift. */
  type: string;
  /** Its endpoints. */
  endpoints: {
    /** `public`, `internal` or `admin`. */
    interface: string;
    /** Region name (older Keystones). */
    region?: string | null;
    /** Region ID. */
    region_id?: string | null;
    /** The endpoint's URL. */
    url: string;
  }[];
}

/**
 * Picks the object-store endpoint from a v3 service catalog; the error says which
 * regions and interfaces exist when none matches.
 *
 * @param catalog The `catalog` of a Keystone v3 token.
 * @param options The region (default: any) and the interface (default `"public"`) wanted.
 * @returns The endpoint's URL, without a trailing `/`.
 * @throws {AuthError} When the catalog has no object store, or none in that region or with
 * that interface.
 *
 * @example Pick the endpoint of a region
 * ```ts
 * import assert from "node:assert/strict";
 * import { type CatalogEntry, objectStoreEndpoint } from "@zarrswift/store";
 *
 * const catalog: CatalogEntry[] = [
 *   { type: "identity", endpoints: [{ interface: "public", region: "RegionOne", url: "http://ks/v3" }] },
 *   {
 *     type: "object-store",
 *     endpoints: [
 *       { interface: "public", region: "RegionOne", url: "http://127.0.0.1:8080/v1/AUTH_p/" },
 *       { interface: "public", region: "RegionTwo", url: "http://127.0.0.2:8080/v1/AUTH_p" },
 *     ],
 *   },
 * ];
 * assert.equal(objectStoreEndpoint(catalog, { region: "RegionOne" }), "http://127.0.0.1:8080/v1/AUTH_p");
 * ```
 *
 * @example An unknown region: the error lists those that exist
 * ```ts
 * import assert from "node:assert/strict";
 * import { AuthError, objectStoreEndpoint } from "@zarrswift/store";
 *
 * const endpoints = [{ interface: "public", region: "RegionOne", url: "http://127.0.0.1:8080/v1/AUTH_p" }];
 * assert.throws(
 *   () => objectStoreEndpoint([{ type: "object-store", endpoints }], { region: "Mars" }),
 *   (err) => err instanceof AuthError && err.message.includes('"RegionOne"'),
 * );
 * ```
 */
export function objectStoreEndpoint(
  catalog: readonly CatalogEntry[],
  options: { region?: string; interface?: string } = {},
): string {
  const wanted = options.interface ?? "public";
  const endpoints = catalog.filter((s) => s.type === "object-store").flatMap((s) => s.endpoints);
  if (endpoints.length === 0) {
    throw new AuthError(
      `Expected an object-store endpoint in the service catalog, found only ${
        [...new Set(catalog.map((s) => s.type))].join(", ") || "an empty catalog"
      }`,
    );
  }
  const regionOf = (e: CatalogEntry["endpoints"][number]) => e.region_id ?? e.region ?? "";
  const inRegion = options.region === undefined
    ? endpoints
    : endpoints.filter((e) => regionOf(e) === options.region);
  if (inRegion.length === 0) {
    throw new AuthError(
      `Expected an object-store endpoint in region ${JSON.stringify(options.region)}, found regions ${
        [...new Set(endpoints.map(regionOf))].map((r) => JSON.stringify(r)).join(", ")
      }`,
    );
  }
  const match = inRegion.find((e) => e.interface === wanted);
  if (!match) {
    throw new AuthError(
      `Expected a ${wanted} object-store endpoint${
        options.region ? ` in region ${options.region}` : ""
      }, found interfaces ${[...new Set(inRegion.map((e) => e.interface))].join(", ")}`,
    );
  }
  return match.url.replace(/\/+$/, "");
}

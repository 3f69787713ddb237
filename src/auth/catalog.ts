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
 * @example
 * ```ts
 * import type { CatalogEntry } from "@zarrswift/store";
 * const swift: CatalogEntry = { type: "object-store", endpoints: [{ interface: "public", region_id: "RegionOne", url: "http://127.0.0.1:8080/v1/AUTH_p" }] };
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
 * @example
 * ```ts
 * import { objectStoreEndpoint } from "@zarrswift/store";
 * const url = objectStoreEndpoint(
 *   [{ type: "object-store", endpoints: [{ interface: "public", region: "RegionOne", url: "http://127.0.0.1:8080/v1/AUTH_p" }] }],
 *   { region: "RegionOne" },
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

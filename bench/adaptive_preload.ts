/**
 * Loaded with `deno run --preload` before one of this library's programs (a script or
 * bench/workers.ts): replaces the global `fetch`, which the library calls at each
 * request, with one under an adaptive limit (bench/adaptive.ts). On exit it prints one
 * JSON line, `{"note": …}`, with the limits it went through, which the suite records
 * with the run.
 *
 * Imports: adaptive.ts.
 *
 * @module
 */

import { adaptiveFetch, AdaptiveLimit } from "./adaptive.ts";

const limit = new AdaptiveLimit();
const initial = limit.limit;
globalThis.fetch = adaptiveFetch(globalThis.fetch.bind(globalThis), limit);
globalThis.addEventListener("unload", () => {
  const steps = [initial, ...limit.changes.map((c) => c.limit)];
  const path = steps.length <= 8 ? steps.join("→") : `${steps.slice(0, 5).join("→")}→…→${steps.at(-1)}`;
  console.log(
    JSON.stringify({ note: `adaptive ${path} (peak ${limit.peak}, ${limit.changes.length} changes)` }),
  );
});

#!/usr/bin/env -S deno run -A
/**
 * Copies one object, or every object under a prefix, to another container or prefix
 * (or from another account, as its ACLs allow), on the server: Swift copies each
 * object (`X-Copy-From`), no byte passes through this machine. A Static Large Object
 * is copied as its manifest (its segments shared, not duplicated) unless
 * `--copy-segments`. The destination container is created when missing; metadata,
 * content type and expiry come along, and `-H`/`-m`/`--delete-after` add to them.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/cp.ts my-container/run-42 archive/2026/run-42
 * deno run -A jsr:@zarrswift/store/scripts/cp.ts --from-account AUTH_team shared/data.zarr mine/data.zarr
 * ```
 *
 * @module
 */

import { COPY_OPTIONS, copyCommand, copyHelp, run } from "./_cli/mod.ts";

await run(
  "cp.ts",
  { options: COPY_OPTIONS, help: copyHelp(false), positionals: { min: 2, max: 2 } },
  copyCommand(false),
);

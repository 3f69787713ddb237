#!/usr/bin/env -S deno run -A
/**
 * Moves one object, or every object under a prefix, to another container or prefix,
 * on the server: each object is copied by Swift (`X-Copy-From`, no byte through this
 * machine), and the sources are deleted only once every copy succeeded, so a failed
 * run deletes nothing. A Static Large Object moves as its manifest: its segments stay
 * where they are unless `--copy-segments`. The destination container is created
 * when missing.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/mv.ts scratch/run-42 results/run-42
 * deno run -A jsr:@zarrswift/store/scripts/mv.ts --dry-run scratch/run-42/zarr.json results/run-42/
 * ```
 *
 * @module
 */

import { COPY_OPTIONS, copyCommand, copyHelp, run } from "./_cli/mod.ts";

await run(
  "mv.ts",
  { options: COPY_OPTIONS, help: copyHelp(true), positionals: { min: 2, max: 2 } },
  copyCommand(true),
);

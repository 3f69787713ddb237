/**
 * What every script shares, one concern per file: arguments (`args.ts`),
 * credentials and connection flags (`auth.ts`), the `<container>[/<prefix>]`
 * syntax (`location.ts`), running and exit codes (`run.ts`), jobs with counts,
 * the outage stop and Ctrl-C (`job.ts`), progress on a terminal (`progress.ts`),
 * human output (`format.ts`), local files (`files.ts`), where downloads write
 * (`targets.ts`), deleting (`deleting.ts`),
 * secrets typed without echo (`prompt.ts`), filters (`filters.ts`), header flags
 * (`headers.ts`), moving one file or object (`transfer.ts`) and the sides of a sync or
 * a check (`sides.ts`), and copying or moving on the server (`copying.ts`).
 *
 * Imports: the public module (`mod.ts`) only, plus `node:util` and `Deno` APIs.
 * Nothing here is published API: it is the scripts' own shared code.
 *
 * @module
 */

export * from "./args.ts";
export * from "./auth.ts";
export * from "./deleting.ts";
export * from "./files.ts";
export * from "./targets.ts";
export * from "./format.ts";
export * from "./job.ts";
export * from "./location.ts";
export * from "./progress.ts";
export * from "./prompt.ts";
export * from "./run.ts";
export * from "./filters.ts";
export * from "./headers.ts";
export * from "./transfer.ts";
export * from "./sides.ts";
export * from "./copying.ts";

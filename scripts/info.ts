#!/usr/bin/env -S deno run -A
/**
 * Prints the cluster's capabilities (`/info`): version, limits, middlewares and
 * their settings.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/info.ts
 * ```
 *
 * @module
 */

import { AUTH_HELP, AUTH_OPTIONS, openAccount, run } from "./_cli/mod.ts";

const HELP = `
Usage: info.ts [--json]

Prints the cluster's capabilities (its /info document): version, limits, middlewares
and their settings.

Options:
  --json       compact JSON on one line
  -h, --help   this help

${AUTH_HELP}

Exit status: 0 when printed, 1 when the cluster hides /info or the request failed, 2 on bad usage.`;

await run("info.ts", {
  options: { ...AUTH_OPTIONS, json: { type: "boolean" } },
  help: HELP,
  positionals: { min: 0, max: 0 },
}, async ({ values }) => {
  const info = await (await openAccount(values)).capabilities();
  if (info === undefined) throw new TypeError("The cluster does not publish /info");
  console.log(values.json ? JSON.stringify(info) : JSON.stringify(info, null, 2));
});

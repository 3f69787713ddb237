#!/usr/bin/env -S deno run -A
/**
 * Changes the metadata and headers of an existing container or object, without
 * rewriting anything: `-m key:value` (metadata), `-H "Name: value"` (headers such as
 * `Content-Type`, `Content-Disposition`, `X-Container-Read`), `--delete-after` and
 * `--delete-at` (an object's expiry). An object's other metadata and headers stay as
 * they are (the library's `updateObject` merges, where Swift's POST alone would drop
 * them) unless `--replace`; `-m key:` with an empty value removes a key.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/post.ts -m project:ocean -m stage:final my-container/run-42/zarr.json
 * deno run -A jsr:@zarrswift/store/scripts/post.ts --delete-after 7d my-container/scratch.bin
 * ```
 *
 * @module
 */

import { updateObject } from "../mod.ts";
import {
  AUTH_HELP,
  AUTH_OPTIONS,
  describeLocation,
  HEADER_HELP,
  HEADER_OPTIONS,
  location,
  objectHeaders,
  openStore,
  run,
  terminalSafe,
  UsageError,
} from "./_cli/mod.ts";

const HELP = `
Usage: post.ts [options] <container>[/<object>]

Sets metadata and headers of a container, or of an object (without rewriting it).
For an object, what is not named stays as it is (one HEAD, then one POST), unless
--replace. An empty value (-m key:) removes a key.

Options:
  --remove-delete-at   an object: cancel its expiry
  --replace            an object: send only the headers given (Swift's POST: the
                       metadata and headers not given are dropped)
  --json               print what was sent as one JSON object
  -h, --help           this help

${HEADER_HELP}
  For a container, -m sets X-Container-Meta-key; expiry applies to objects only.

${AUTH_HELP}

Exit status: 0 when updated, 1 when there is no such object or the server refused,
2 on bad usage.`;

await run("post.ts", {
  options: {
    ...AUTH_OPTIONS,
    ...HEADER_OPTIONS,
    "remove-delete-at": { type: "boolean" },
    replace: { type: "boolean" },
    json: { type: "boolean" },
  },
  help: HELP,
  positionals: { min: 1, max: 1 },
}, async ({ values, positionals }) => {
  const loc = location(positionals[0]);
  const { headers, contentType, given } = objectHeaders(values);
  if (contentType !== undefined) headers["Content-Type"] = contentType;
  if (!given && !values["remove-delete-at"]) {
    throw new UsageError("nothing to change: give -m, -H, --delete-after, --delete-at or --remove-delete-at");
  }
  const store = await openStore({ ...loc, path: "" }, values, { readOnly: false });
  const what = describeLocation(loc);
  let sent: Record<string, string>;
  if (loc.path === "") {
    if (values["remove-delete-at"] || values["delete-after"] || values["delete-at"] || values.replace) {
      throw new UsageError("--delete-after, --delete-at, --remove-delete-at and --replace apply to objects");
    }
    // Container metadata merges on its own; an empty value removes a key.
    sent = {};
    for (const [name, value] of Object.entries(headers)) {
      const meta = /^x-object-meta-(.+)$/i.exec(name);
      if (meta && value === "") sent[`X-Remove-Container-Meta-${meta[1]}`] = "x";
      else sent[meta ? `X-Container-Meta-${meta[1]}` : name] = value;
    }
    await store.swiftContainer.updateMetadata(sent);
  } else {
    if (values["remove-delete-at"]) headers["X-Remove-Delete-At"] = "1";
    const done = await updateObject(store.swiftContainer, loc.path, headers, {
      replace: Boolean(values.replace),
    });
    if (done === undefined) {
      console.error(terminalSafe(`post.ts: no object ${what}`));
      return 1;
    }
    sent = done;
  }
  // What the user asked for, by name: a merge sends what stays too, and a removal is an absence.
  const requested = Object.entries(headers).filter(([name]) => name !== "X-Remove-Delete-At")
    .map(([name, value]) => [name.replace(/^x-object-meta-/i, "metadata "), value]);
  const set = requested.filter(([, value]) => value !== "").map(([name]) => name);
  const removed = [
    ...requested.filter(([, value]) => value === "").map(([name]) => name),
    ...(values["remove-delete-at"] ? ["the expiry"] : []),
  ];
  if (values.json) {
    console.log(
      JSON.stringify({ container: loc.container, object: loc.path || null, set, removed, headers: sent }),
    );
  } else {
    const parts = [
      ...(set.length ? [`set ${set.join(", ")}`] : []),
      ...(removed.length ? [`removed ${removed.join(", ")}`] : []),
    ];
    console.log(terminalSafe(`updated ${what}: ${parts.join("; ")}`));
  }
  return 0;
});

#!/usr/bin/env -S deno run -A
/**
 * Shows the account, a container or an object: counts and bytes, ACLs, whether a
 * TempURL key is set (never the key), CORS, storage policy, quota; for an object its
 * size, MD5, type, date and whether it is a large object.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/stat.ts my-container
 * deno run -A jsr:@zarrswift/store/scripts/stat.ts my-container/run-42/zarr.json
 * ```
 *
 * @module
 */

import { SwiftStore } from "../mod.ts";
import { AUTH_HELP, AUTH_OPTIONS, connection, location, openAccount, run } from "./_cli/mod.ts";

const HELP = `
Usage: stat.ts [--json] [<container>[/<object>]]

Without an argument: the account. With a container: its counts, bytes, ACLs, TempURL key
presence, CORS, policy and quota. With an object: its size, MD5, type, date.

Options:
  --json       one JSON object
  -h, --help   this help

${AUTH_HELP}`;

await run("stat.ts", {
  options: { ...AUTH_OPTIONS, json: { type: "boolean" } },
  help: HELP,
  positionals: { min: 0, max: 1 },
}, async ({ values, positionals }) => {
  let out: Record<string, unknown>;
  if (positionals.length === 0) {
    const account = await openAccount(values);
    const s = await account.stat();
    out = {
      Account: account.url,
      Containers: s.containers,
      Objects: s.objects,
      Bytes: s.bytes,
      "TempURL keys set": s.tempUrlKeys,
      ...(s.quotaBytes === undefined ? {} : { "Quota bytes": s.quotaBytes }),
      ...Object.fromEntries(Object.entries(s.metadata).map(([k, v]) => [`Meta ${k}`, v])),
    };
  } else {
    const loc = location(positionals[0]);
    const store = await SwiftStore.open({ container: loc.container, readOnly: true, ...connection(values) });
    if (loc.path === "") {
      const h = await store.swiftContainer.metadata();
      const keys = ["X-Container-Meta-Temp-Url-Key", "X-Container-Meta-Temp-Url-Key-2"].filter((k) =>
        h.has(k)
      );
      out = {
        Container: store.url,
        Objects: Number(h.get("X-Container-Object-Count") ?? 0),
        Bytes: Number(h.get("X-Container-Bytes-Used") ?? 0),
        "Read ACL": h.get("X-Container-Read") ?? "",
        "Write ACL": h.get("X-Container-Write") ?? "",
        "TempURL key set": keys.length > 0 ? `yes (${keys.length})` : "no",
        "CORS origins": h.get("X-Container-Meta-Access-Control-Allow-Origin") ?? "",
        "Storage policy": h.get("X-Storage-Policy") ?? "",
        ...(h.has("X-Container-Meta-Quota-Bytes")
          ? { "Quota bytes": Number(h.get("X-Container-Meta-Quota-Bytes")) }
          : {}),
      };
    } else {
      const info = await store.stat(`/${loc.path}`);
      if (!info) throw new TypeError(`No object ${loc.container}/${loc.path}`);
      out = {
        Object: `${store.url}/${loc.path}`,
        Size: info.size,
        ETag: info.etag ?? "",
        "Content type": info.contentType ?? "",
        "Last modified": info.lastModified?.toISOString() ?? "",
        "Large object": info.largeObject ? "yes" : "no",
      };
    }
  }
  if (values.json) console.log(JSON.stringify(out));
  else {
    const width = Math.max(...Object.keys(out).map((k) => k.length));
    for (const [k, v] of Object.entries(out)) console.log(`${k.padStart(width)}: ${v}`);
  }
});

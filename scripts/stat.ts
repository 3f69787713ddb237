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

import { encodeObjectName, SwiftStore } from "../mod.ts";
import { AUTH_HELP, AUTH_OPTIONS, connection, location, openAccount, run, terminalSafe } from "./_cli/mod.ts";

const HELP = `
Usage: stat.ts [--json] [<container>[/<object>]]

Without an argument: the account. With a container: its counts, bytes, ACLs, TempURL key
presence (never the key), CORS, policy, quota and metadata (X-Container-Meta-*). With an
object: its size, MD5, type, date, whether it is a large object, when Swift deletes it
(X-Delete-At), the other headers set at upload or by post.ts (Content-Disposition,
Content-Encoding, Cache-Control, …) and its metadata (X-Object-Meta-*).

Options:
  --json       one JSON object, with stable snake_case keys (metadata under "metadata")
  -h, --help   this help

${AUTH_HELP}

Exit status: 0 when shown, 1 when there is no such object or container or a request failed, 2 on bad
usage.`;

/** Headers an object keeps from its upload or a POST, shown when set (JSON key: lowercase name). */
const OBJECT_HEADERS = [
  "Content-Disposition",
  "Content-Encoding",
  "Content-Language",
  "Cache-Control",
  "Expires",
  "X-Robots-Tag",
  "X-Object-Manifest",
];

/** One line of output: its JSON key, its label, its value. */
type Field = [key: string, label: string, value: string | number | boolean | null];

/** `X-<kind>-Meta-*` headers, by lowercase name without the prefix, except the TempURL keys and `skip`. */
function metadataOf(headers: Headers, kind: string, skip: string[] = []): Record<string, string> {
  const prefix = `x-${kind}-meta-`;
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!name.startsWith(prefix)) return;
    const key = name.slice(prefix.length);
    if (key.startsWith("temp-url-key") || skip.includes(key)) return;
    out[key] = value;
  });
  return out;
}

await run("stat.ts", {
  options: { ...AUTH_OPTIONS, json: { type: "boolean" } },
  help: HELP,
  positionals: { min: 0, max: 1 },
}, async ({ values, positionals }) => {
  let fields: Field[];
  let metadata: Record<string, string>;
  let headers: Record<string, string> | undefined;
  if (positionals.length === 0) {
    const account = await openAccount(values);
    const s = await account.stat();
    fields = [
      ["account", "Account", account.url],
      ["containers", "Containers", s.containers],
      ["objects", "Objects", s.objects],
      ["bytes", "Bytes", s.bytes],
      ["temp_url_keys", "TempURL keys set", s.tempUrlKeys],
      ...(s.quotaBytes === undefined ? [] : [["quota_bytes", "Quota bytes", s.quotaBytes] as Field]),
    ];
    metadata = Object.fromEntries(Object.entries(s.metadata).filter(([k]) => k !== "quota-bytes"));
  } else {
    const loc = location(positionals[0]);
    const store = await SwiftStore.open({ container: loc.container, readOnly: true, ...connection(values) });
    if (loc.path === "") {
      const h = await store.swiftContainer.metadata();
      const keys = ["X-Container-Meta-Temp-Url-Key", "X-Container-Meta-Temp-Url-Key-2"].filter((k) =>
        h.has(k)
      );
      fields = [
        ["container", "Container", loc.container],
        ["url", "URL", store.url],
        ["objects", "Objects", Number(h.get("X-Container-Object-Count") ?? 0)],
        ["bytes", "Bytes", Number(h.get("X-Container-Bytes-Used") ?? 0)],
        ["read_acl", "Read ACL", h.get("X-Container-Read") ?? ""],
        ["write_acl", "Write ACL", h.get("X-Container-Write") ?? ""],
        ["temp_url_keys", "TempURL keys set", keys.length],
        ["cors_origins", "CORS origins", h.get("X-Container-Meta-Access-Control-Allow-Origin") ?? ""],
        ["storage_policy", "Storage policy", h.get("X-Storage-Policy") ?? ""],
        ...(h.has("X-Container-Meta-Quota-Bytes")
          ? [["quota_bytes", "Quota bytes", Number(h.get("X-Container-Meta-Quota-Bytes"))] as Field]
          : []),
      ];
      // CORS settings (share.ts --cors) are shown above or are no user metadata.
      metadata = metadataOf(h, "container", [
        "access-control-allow-origin",
        "access-control-expose-headers",
        "access-control-max-age",
        "quota-bytes",
      ]);
    } else {
      const info = await store.stat(`/${loc.path}`);
      if (!info) {
        // A prefix is no object, but a user who names one wants to hear where its objects are.
        let under = false;
        for await (const _ of store.scan(`/${loc.path}`)) {
          under = true;
          break;
        }
        const hint = under
          ? ` (there are objects under ${loc.container}/${loc.path}/: ls.ts or du.ts shows them)`
          : "";
        throw new TypeError(`no object ${loc.container}/${loc.path}${hint}`);
      }
      fields = [
        ["object", "Object", loc.path],
        ["container", "Container", loc.container],
        ["url", "URL", `${store.url}/${encodeObjectName(loc.path)}`],
        ["size", "Size", info.size],
        ["etag", "ETag", info.etag ?? ""],
        ["content_type", "Content type", info.contentType ?? ""],
        ["last_modified", "Last modified", info.modified?.toISOString() ?? ""],
        ["large_object", "Large object", info.largeObject],
        ["delete_at", "Delete at", info.deleteAt?.toISOString() ?? null],
      ];
      metadata = info.metadata;
      const head = await store.swiftContainer.stat(loc.path);
      headers = {};
      for (const name of OBJECT_HEADERS) {
        const value = head?.headers.get(name);
        if (value !== null && value !== undefined) headers[name.toLowerCase()] = value;
      }
    }
  }
  if (values.json) {
    console.log(
      JSON.stringify({
        ...Object.fromEntries(fields.map(([key, , value]) => [key, value])),
        ...(headers ? { headers } : {}),
        metadata,
      }),
    );
    return;
  }
  const lines: [string, string][] = fields.map(([, label, value]) => [
    label,
    value === null ? "never" : typeof value === "boolean" ? (value ? "yes" : "no") : String(value),
  ]);
  for (const name of OBJECT_HEADERS) {
    if (headers?.[name.toLowerCase()] !== undefined) lines.push([name, headers[name.toLowerCase()]]);
  }
  for (const [name, value] of Object.entries(metadata)) lines.push([`Meta ${name}`, value]);
  const width = Math.max(...lines.map(([label]) => label.length));
  for (const [label, value] of lines) console.log(terminalSafe(`${label.padStart(width)}: ${value}`));
});

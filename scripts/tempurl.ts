#!/usr/bin/env -S deno run -A
/**
 * Prints a TempURL for an object or a prefix, with the same inputs as
 * `swift tempurl` and the same output. The key comes from the argument,
 * `--temp-url-key`, `OS_TEMP_URL_KEY`, or else the container's or account's key
 * (read with your credentials). The printed link is the script's job; the key is
 * never printed.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/tempurl.ts GET 1h my-container/run-42/zarr.json
 * deno run -A jsr:@zarrswift/store/scripts/tempurl.ts --prefix --digest sha512 GET 7d my-container/run-42/
 * ```
 *
 * @module
 */

import { getTempUrlKeys, SwiftStore, tempUrl, type TempUrlDigest } from "../mod.ts";
import { AUTH_HELP, AUTH_OPTIONS, connection, location, run, UsageError } from "./_cli/mod.ts";

const HELP = `
Usage: tempurl.ts [--digest d] [--prefix] [--ip-range r] [--iso8601] [--absolute]
                  <method> <time> <container>/<object> [<key>]

<time> is seconds from now, optionally with a unit (30m, 12h, 7d), an ISO 8601 time
(2027-01-01T00:00:00Z or 2027-01-01), or with --absolute a Unix timestamp.

Options:
  --digest sha1|sha256|sha512   HMAC digest (default sha256)
  --prefix                      sign every object whose name starts with <object>
  --ip-range RANGE              only clients in RANGE may use the link
  --iso8601                     put the expiry in the link as an ISO 8601 time
  --absolute                    <time> is a Unix timestamp
  --temp-url-key KEY            the TempURL key (or argument <key>, or OS_TEMP_URL_KEY)
  -h, --help                    this help

${AUTH_HELP} (Credentials give the storage URL, and the key when none is given.)`;

/** `<time>` as python-swiftclient reads it: an expiry in epoch seconds. */
function parseTime(text: string, absolute: boolean, now: number = Date.now() / 1000): number {
  if (/^\d+$/.test(text) && absolute) return Number(text);
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/.exec(text);
  if (iso) return Math.floor(Date.parse(iso[1] ? text : `${text}T00:00:00Z`) / 1000);
  const match = /^(\d+)(s|m|min|h|hr|d)?$/.exec(text);
  if (!match) {
    throw new UsageError(
      `time must be seconds (with s, m, h or d), an ISO 8601 time, or a timestamp with --absolute; found ${text}`,
    );
  }
  const scale = { s: 1, m: 60, min: 60, h: 3600, hr: 3600, d: 86400 }[match[2] ?? "s"]!;
  return Math.floor(now + Number(match[1]) * scale);
}

await run("tempurl.ts", {
  options: {
    ...AUTH_OPTIONS,
    digest: { type: "string" },
    prefix: { type: "boolean" },
    "prefix-based": { type: "boolean" },
    "ip-range": { type: "string" },
    iso8601: { type: "boolean" },
    absolute: { type: "boolean" },
    "temp-url-key": { type: "string" },
  },
  help: HELP,
  positionals: { min: 3, max: 4 },
}, async ({ values, positionals }) => {
  const [method, time, path, keyArg] = positionals;
  const digest = (values.digest ?? "sha256") as TempUrlDigest;
  if (!["sha1", "sha256", "sha512"].includes(digest)) {
    throw new UsageError(`--digest must be sha1, sha256 or sha512`);
  }
  if (!["GET", "HEAD", "PUT", "POST", "DELETE"].includes(method.toUpperCase())) {
    throw new UsageError(`method must be GET, HEAD, PUT, POST or DELETE, found ${method}`);
  }
  const prefix = Boolean(values.prefix || values["prefix-based"]);
  const loc = location(path);
  if (loc.path === "" && !prefix) throw new UsageError("give <container>/<object> (or --prefix)");
  const expires = parseTime(time, Boolean(values.absolute));
  const store = await SwiftStore.open({ container: loc.container, readOnly: true, ...connection(values) });
  let key = keyArg ?? (values["temp-url-key"] as string | undefined) ?? Deno.env.get("OS_TEMP_URL_KEY");
  if (!key) {
    const keys = await getTempUrlKeys(store);
    key = keys.container[0] ?? keys.account[0];
    if (!key) throw new TypeError("No TempURL key given and none is set on the container or account");
  }
  // Keep the trailing "/" of a prefix: it is part of what is signed.
  const object = path.slice(path.indexOf("/") + 1);
  const url = `${store.url}/${object.split("/").map(encodeURIComponent).join("/")}`;
  console.log(
    await tempUrl({
      url,
      key,
      method: method.toUpperCase() as "GET",
      expiresAt: new Date(expires * 1000),
      digest,
      prefix,
      ipRange: values["ip-range"] as string | undefined,
      isoTime: Boolean(values.iso8601),
    }),
  );
});

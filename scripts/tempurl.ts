#!/usr/bin/env -S deno run -A
/**
 * Prints a TempURL for an object or a prefix, with the same inputs as
 * `swift tempurl` and the same output. The object is a full URL, swift's path form
 * `/v1/AUTH_account/container/object` (printed back in that form), or
 * `<container>/<object>` under your storage URL. With the key given (argument,
 * `--temp-url-key` or `OS_TEMP_URL_KEY`) and a URL or path, nothing is sent: it
 * works offline. Else the key is read from the container or the account with your
 * credentials (`key.ts` sets one). The key is never printed.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/tempurl.ts GET 1h my-container/run-42/zarr.json
 * deno run -A jsr:@zarrswift/store/scripts/tempurl.ts GET 1h /v1/AUTH_me/my-container/a.nc "$KEY"
 * deno run -A jsr:@zarrswift/store/scripts/tempurl.ts --prefix --digest sha512 GET 7d my-container/run-42/
 * ```
 *
 * @module
 */

import { getTempUrlKeys, MAX_TEMPURL_LIFETIME, SwiftStore, tempUrl, type TempUrlDigest } from "../mod.ts";
import { AUTH_HELP, AUTH_OPTIONS, connection, run, str, UsageError, type Values } from "./_cli/mod.ts";

const HELP = `
Usage: tempurl.ts [--digest d] [--prefix] [--ip-range r] [--iso8601] [--absolute]
                  <method> <time> <object> [<key>]

<object> is a full URL (https://host/v1/AUTH_account/container/object), swift's path
form (/v1/AUTH_account/container/object, printed back as a path), or
<container>/<object> under your storage URL (OS_STORAGE_URL or --os-storage-url, or
from a login with your credentials).

<time> is seconds from now, optionally with a unit (30m, 12h, 7d), an ISO 8601 time
(2027-01-01T00:00:00Z or 2027-01-01), or with --absolute a Unix timestamp; at most
365 days away unless --allow-long-expiry.

The key is <key>, --temp-url-key or OS_TEMP_URL_KEY; with one given and a URL or
path (or OS_STORAGE_URL), nothing is sent to the server. Without one, the container's
or the account's key is read with your credentials (set one with key.ts).

Options:
  --digest sha1|sha256|sha512   HMAC digest (default sha256)
  --prefix                      sign every object whose name starts with <object>
                                (<container> or <container>/ alone: the whole
                                container, which needs --whole-container)
  --whole-container             allow a --prefix link to every object of the container
  --ip-range RANGE              only clients in RANGE may use the link
  --iso8601                     put the expiry in the link as an ISO 8601 time
  --absolute                    <time> is a Unix timestamp
  --allow-long-expiry           allow an expiry past 365 days
  --temp-url-key KEY            the TempURL key (or argument <key>, or OS_TEMP_URL_KEY)
  -h, --help                    this help

${AUTH_HELP}
Credentials give the storage URL, and the key when none is given.

Exit status: 0 when the link is printed, 1 when reading the key failed, 2 on bad usage.`;

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

/** Where the link points: an origin (`""` for swift's path form), the account path, the container, the object part. */
interface Target {
  origin: string;
  account: string | undefined;
  container: string;
  object: string;
}

/** Reads `<object>` in any of its three forms. */
function parseTarget(text: string): Target {
  const full = /^(https?:\/\/[^/]+)?(\/v1\/[^/]+)\/([^/]+)(?:\/(.*))?$/.exec(text);
  if (full) return { origin: full[1] ?? "", account: full[2], container: full[3], object: full[4] ?? "" };
  if (/^https?:/.test(text) || text.startsWith("/")) {
    throw new UsageError(`expected a URL or path like /v1/AUTH_account/container/object, found ${text}`);
  }
  const at = text.indexOf("/");
  if (at === 0 || text === "") {
    throw new UsageError(`expected <container>/<object>, found ${JSON.stringify(text)}`);
  }
  return {
    origin: "",
    account: undefined,
    container: at < 0 ? text : text.slice(0, at),
    // Keep a prefix's trailing "/": it is part of what is signed.
    object: at < 0 ? "" : text.slice(at + 1).split("/").map(encodeURIComponent).join("/"),
  };
}

await run("tempurl.ts", {
  options: {
    ...AUTH_OPTIONS,
    digest: { type: "string" },
    prefix: { type: "boolean" },
    "prefix-based": { type: "boolean" },
    "whole-container": { type: "boolean" },
    "ip-range": { type: "string" },
    iso8601: { type: "boolean" },
    absolute: { type: "boolean" },
    "allow-long-expiry": { type: "boolean" },
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
  const target = parseTarget(path);
  if (target.object === "" && !prefix) throw new UsageError("give <container>/<object> (or --prefix)");
  const wholeContainer = Boolean(values["whole-container"]);
  if (prefix && target.object === "" && !wholeContainer) {
    throw new UsageError(
      `--prefix over ${target.container} with no prefix signs every object of the container; pass --whole-container if that is meant`,
    );
  }
  const expires = parseTime(time, Boolean(values.absolute));
  if (!(expires > Date.now() / 1000)) {
    const when = Number.isFinite(expires) ? ` (${new Date(expires * 1000).toISOString()})` : "";
    throw new UsageError(`expected a <time> in the future, found ${time}${when}`);
  }
  if (expires - Date.now() / 1000 > MAX_TEMPURL_LIFETIME && !values["allow-long-expiry"]) {
    throw new UsageError(
      `the expiry is past ${
        MAX_TEMPURL_LIFETIME / 86400
      } days: pass --allow-long-expiry if that is meant (a link cannot be revoked without changing the key)`,
    );
  }
  let key = keyArg ?? str(values, "temp-url-key") ?? Deno.env.get("OS_TEMP_URL_KEY");
  if (key === "") throw new UsageError("the TempURL key is empty");
  // The storage URL: from the argument, OS_STORAGE_URL, or a login (also when the key must be read).
  let base = target.account === undefined ? undefined : `${target.origin}${target.account}`;
  base ??= key === undefined ? undefined : storageUrlWithoutLogin(values);
  if (base === undefined || key === undefined) {
    const store = await SwiftStore.open({
      container: target.container,
      readOnly: true,
      ...connection(values),
    });
    base ??= store.url.slice(0, store.url.lastIndexOf("/"));
    if (key === undefined) {
      const keys = await getTempUrlKeys(store);
      key = keys.container[0] ?? keys.account[0];
      if (!key) {
        throw new TypeError(
          `No TempURL key given and none is set on ${target.container} or the account: set one with key.ts set ${target.container} (then pass it with --temp-url-key or OS_TEMP_URL_KEY to sign offline)`,
        );
      }
    }
  }
  // swift's path form is signed over a placeholder origin and printed back as a path.
  const placeholder = "http://path.invalid";
  const origin = base.startsWith("/") ? placeholder : "";
  const container = target.account === undefined ? encodeURIComponent(target.container) : target.container;
  const url = await tempUrl({
    url: `${origin}${base}/${container}/${target.object}`,
    key,
    method: method.toUpperCase() as "GET",
    expiresAt: new Date(expires * 1000),
    digest,
    prefix,
    wholeContainer,
    allowLongExpiry: Boolean(values["allow-long-expiry"]),
    ipRange: values["ip-range"] as string | undefined,
    isoTime: Boolean(values.iso8601),
  });
  console.log(origin ? url.slice(placeholder.length) : url);
});

/** The storage URL of `--os-storage-url` or `OS_STORAGE_URL` (no login needed to sign with a given key). */
function storageUrlWithoutLogin(values: Values): string | undefined {
  const url = str(values, "os-storage-url") ?? Deno.env.get("OS_STORAGE_URL");
  return url ? url.replace(/\/+$/, "") : undefined;
}

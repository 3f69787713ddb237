#!/usr/bin/env -S deno run -A
/**
 * Prints one link to a whole dataset (a prefix TempURL over `<container>[/<prefix>]`)
 * and the two lines that open it with zarrita, anywhere, without credentials. Uses
 * the container's TempURL key, or the account's; sets a new container key when
 * neither exists, and says so (never printing the key). `--cors` adds origins to
 * those the container allows. With `--viewer`, first uploads a self-contained HTML
 * viewer into the dataset and prints the link that opens it in any browser.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/share.ts --expires 7d my-container/run-42
 * deno run -A jsr:@zarrswift/store/scripts/share.ts --viewer my-container/run-42
 * ```
 *
 * @module
 */

import {
  getTempUrlKeys,
  MAX_TEMPURL_LIFETIME,
  setCors,
  shareUrl,
  type SwiftStore,
  uploadViewer,
} from "../mod.ts";
import {
  AUTH_HELP,
  AUTH_OPTIONS,
  describeLocation,
  list,
  location,
  openStore,
  run,
  shellWord,
  terminalSafe,
  UsageError,
} from "./_cli/mod.ts";

const HELP = `
Usage: share.ts [--expires 7d] [--cors ORIGIN]... [--viewer] <container>/<prefix>
       share.ts --whole-container [--expires 7d] [--cors ORIGIN]... <container>

Prints one link to a dataset (every object under <prefix>) that opens it without
credentials, and the two lines that open it with zarrita; with --viewer, a link to a
page that shows it in any browser.

A prefix with nothing under it is an error (exit status 1). For a link to one object,
use tempurl.ts GET 7d <container>/<object>. A link to a whole container (every object
in it, now and later) needs --whole-container.

Links are signed with the container's TempURL key, else the account's; when neither
has one, share.ts sets a new container key and says so (the key is never printed).
A link works until it expires or its key is removed: key.ts remove <container>
revokes every link signed with the container's key (key.ts rotate <container> keeps
them working until the next rotate).

--cors adds ORIGIN to the origins the container allows already (stat.ts <container>
shows them). To set the list instead, or to remove every origin:
  post.ts -m "access-control-allow-origin:https://a.org https://b.org" <container>
  post.ts -m access-control-allow-origin: <container>

Options:
  --expires TIME        how long the link works: a positive number of seconds, or with s,
                        m, h, d (default 7d, at most 365d unless --allow-long-expiry)
  --cors ORIGIN         also let web pages from ORIGIN read it (repeatable; * for any)
  --viewer              upload viewer.html into the dataset and print the link that opens
                        it in a browser (the tree, attributes, quick looks of arrays)
  --whole-container     share the whole container (no prefix)
  --allow-long-expiry   allow --expires past 365 days (a link cannot be revoked without
                        changing the key)
  -h, --help            this help

${AUTH_HELP}

Exit status: 0 when the link is printed, 1 when nothing is under <prefix> or a request failed, 2 on
bad usage.`;

/** What --expires takes, for messages. */
const EXPIRES_FORMS = "a positive number of seconds, optionally with a unit s, m, h or d (90, 30m, 12h, 7d)";

/** `--expires` in seconds; a usage error when it is not a positive time span. */
function expirySeconds(text: string): number {
  const match = /^(\d+)(s|m|h|d)?$/.exec(text);
  const seconds = match ? Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] ?? "s"]! : NaN;
  if (!(seconds > 0)) throw new UsageError(`expected --expires to be ${EXPIRES_FORMS}, found ${text}`);
  return seconds;
}

/**
 * Adds `origins` to the container's allowed CORS origins (no duplicates), keeping its
 * preflight cache time and exposed headers. Answers all the allowed origins and those added.
 */
async function addCors(
  store: SwiftStore,
  origins: string[],
): Promise<{ allowed: string[]; added: string[] }> {
  const headers = await store.swiftContainer.metadata();
  const words = (name: string) => (headers.get(name) ?? "").split(/\s+/).filter((w) => w !== "");
  const before = words("X-Container-Meta-Access-Control-Allow-Origin");
  const allowed = [...new Set([...before, ...origins])];
  const maxAge = headers.get("X-Container-Meta-Access-Control-Max-Age");
  await setCors(store, {
    origins: allowed,
    maxAge: maxAge !== null && /^\d+$/.test(maxAge) ? Number(maxAge) : undefined,
    exposeHeaders: words("X-Container-Meta-Access-Control-Expose-Headers"),
  });
  return { allowed, added: allowed.filter((o) => !before.includes(o)) };
}

await run("share.ts", {
  options: {
    ...AUTH_OPTIONS,
    expires: { type: "string" },
    cors: { type: "string", multiple: true },
    viewer: { type: "boolean" },
    "whole-container": { type: "boolean" },
    "allow-long-expiry": { type: "boolean" },
  },
  help: HELP,
  positionals: { min: 1, max: 1 },
}, async ({ values, positionals }) => {
  const expires = String(values.expires ?? "7d");
  const expiresIn = expirySeconds(expires);
  if (expiresIn > MAX_TEMPURL_LIFETIME && !values["allow-long-expiry"]) {
    throw new UsageError(
      `--expires is past ${
        MAX_TEMPURL_LIFETIME / 86400
      } days: pass --allow-long-expiry if that is meant (a link cannot be revoked without changing the key)`,
    );
  }
  if (!Number.isSafeInteger(expiresIn) || Number.isNaN(new Date(Date.now() + expiresIn * 1000).getTime())) {
    throw new UsageError(`expected --expires to end before the year 275760, found ${expires}`);
  }
  const origins = list(values, "cors");
  const badOrigin = origins.find((o) => o === "" || /[\s,]/.test(o));
  if (badOrigin !== undefined) {
    throw new UsageError(
      `expected --cors to be one origin (https://host[:port], or *), found ${JSON.stringify(badOrigin)}`,
    );
  }
  const loc = location(positionals[0]);
  const wholeContainer = Boolean(values["whole-container"]);
  if (loc.path === "" && !wholeContainer) {
    throw new UsageError(
      `${loc.container} has no prefix: that shares every object of the container; pass --whole-container if that is meant`,
    );
  }
  if (loc.path !== "" && wholeContainer) {
    throw new UsageError("--whole-container takes <container> without a prefix");
  }
  if (wholeContainer && values.viewer) throw new UsageError("--viewer needs <container>/<prefix>");
  if (values.viewer && values["allow-long-expiry"]) {
    throw new UsageError("--viewer links last at most 365 days");
  }
  const store = await openStore(loc, values, { readOnly: false });
  const what = describeLocation(loc);
  if (loc.path !== "") {
    let any = false;
    for await (const _ of store.list("/")) {
      any = true;
      break;
    }
    if (!any && await store.swiftContainer.stat(loc.path) !== undefined) {
      const parent = loc.path.includes("/")
        ? `${loc.container}/${loc.path.slice(0, loc.path.lastIndexOf("/"))}`
        : undefined;
      throw new TypeError(
        `expected a prefix with objects under it, found the object ${what}: share.ts shares a dataset (a prefix${
          parent === undefined ? "" : `, such as ${parent}`
        }); for a link to this one object: tempurl.ts GET ${expires} ${shellWord(what)}`,
      );
    }
    if (!any) throw new TypeError(`nothing under ${what}/: nothing to share`);
  }
  // Whether signing sets a new container key: none on the container or the account.
  // (shareUrl reads them itself, and reports when they cannot be read.)
  const keys = await getTempUrlKeys(store).catch(() => undefined);
  const newKey = keys !== undefined && keys.container.length === 0 && keys.account.length === 0;
  const until = new Date(Date.now() + expiresIn * 1000).toISOString().slice(0, 19) + "Z";
  const out: string[] = [];
  if (values.viewer) {
    const viewer = await uploadViewer(store, { expiresIn });
    const nodes = viewer.hierarchy.nodes.length;
    out.push(
      `${viewer.link}\n`,
      `Valid until ${until}. Opens in any browser: the tree of ${nodes} groups and arrays and a quick look of any array`,
      `(${viewer.key.slice(1)}, ${Math.round(viewer.bytes / 1024)} KiB, uploaded into the dataset).\n`,
      `The dataset's own link, for zarrita:\n\n  SwiftStore.fromUrl(${JSON.stringify(viewer.dataset)})`,
    );
  } else {
    const link = await shareUrl(store, {
      expiresIn,
      wholeContainer,
      allowLongExpiry: Boolean(values["allow-long-expiry"]),
    });
    out.push(
      `${link}\n`,
      `Valid until ${until}. Open it with zarrita (Deno, Node, Bun or a browser):\n`,
      `  const store = SwiftStore.fromUrl(${JSON.stringify(link)});`,
      `  const group = await zarr.open(store, { kind: "group" });`,
    );
  }
  if (newKey) {
    const container = shellWord(loc.container);
    console.error(terminalSafe(
      `share.ts: set a new TempURL key on container ${loc.container} (neither it nor the account had one) and signed the link with it; key.ts remove ${container} revokes every link signed with it`,
    ));
  }
  for (const line of out) console.log(line);
  // CORS last, once the link is out: a refusal then costs no link.
  if (origins.length) {
    const { allowed, added } = await addCors(store, origins);
    const anyOrigin = allowed.includes("*") ? " (* lets any origin read it)" : "";
    console.error(terminalSafe(
      `share.ts: container ${loc.container} lets web pages from these origins read it: ${
        allowed.join(", ")
      }${anyOrigin}; ${added.length ? `added ${added.join(", ")}` : "all were allowed already"}`,
    ));
  }
});

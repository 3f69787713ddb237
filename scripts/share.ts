#!/usr/bin/env -S deno run -A
/**
 * Prints one link to a whole dataset (a prefix TempURL over `<container>[/<prefix>]`)
 * and the two lines that open it with zarrita, anywhere, without credentials. Uses
 * the container's TempURL key, or the account's; sets a new container key when
 * neither exists. With `--viewer`, first uploads a self-contained HTML viewer into the
 * dataset and prints the link that opens it in any browser.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/share.ts --expires 7d my-container/run-42
 * deno run -A jsr:@zarrswift/store/scripts/share.ts --viewer my-container/run-42
 * ```
 *
 * @module
 */

import { MAX_TEMPURL_LIFETIME, setCors, shareUrl, uploadViewer } from "../mod.ts";
import {
  AUTH_HELP,
  AUTH_OPTIONS,
  describeLocation,
  location,
  openStore,
  run,
  UsageError,
} from "./_cli/mod.ts";

const HELP = `
Usage: share.ts [--expires 7d] [--cors ORIGIN]... [--viewer] <container>/<prefix>
       share.ts --whole-container [--expires 7d] [--cors ORIGIN]... <container>

A prefix with nothing under it is an error (exit status 1). A link to a whole
container (every object in it, now and later) needs --whole-container.

Options:
  --expires TIME        how long the link works: seconds, or with s, m, h, d (default 7d,
                        at most 365d unless --allow-long-expiry)
  --cors ORIGIN         also let web pages from ORIGIN read it (repeatable; * for any)
  --viewer              upload viewer.html into the dataset and print the link that opens
                        it in a browser (the tree, attributes, quick looks of arrays)
  --whole-container     share the whole container (no prefix)
  --allow-long-expiry   allow --expires past 365 days (a link cannot be revoked without
                        changing the key)
  -h, --help            this help

${AUTH_HELP}`;

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
  const match = /^(\d+)(s|m|h|d)?$/.exec(String(values.expires ?? "7d"));
  if (!match) {
    throw new UsageError(`--expires takes seconds or a number with s, m, h or d, found ${values.expires}`);
  }
  const expiresIn = Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] ?? "s"]!;
  if (expiresIn > MAX_TEMPURL_LIFETIME && !values["allow-long-expiry"]) {
    throw new UsageError(
      `--expires is past ${
        MAX_TEMPURL_LIFETIME / 86400
      } days: pass --allow-long-expiry if that is meant (a link cannot be revoked without changing the key)`,
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
  if (loc.path !== "") {
    let any = false;
    for await (const _ of store.list("/")) {
      any = true;
      break;
    }
    if (!any) throw new TypeError(`nothing under ${describeLocation(loc)}/: nothing to share`);
  }
  const origins = (values.cors as unknown as string[] | undefined) ?? [];
  if (origins.length) await setCors(store, { origins });
  const until = new Date(Date.now() + expiresIn * 1000).toISOString().slice(0, 19) + "Z";
  if (values.viewer) {
    const viewer = await uploadViewer(store, { expiresIn });
    const nodes = viewer.hierarchy.nodes.length;
    console.log(`${viewer.link}\n`);
    console.log(
      `Valid until ${until}. Opens in any browser: the tree of ${nodes} groups and arrays and a quick look of any array`,
    );
    console.log(
      `(${viewer.key.slice(1)}, ${Math.round(viewer.bytes / 1024)} KiB, uploaded into the dataset).\n`,
    );
    console.log(
      `The dataset's own link, for zarrita:\n\n  SwiftStore.fromUrl(${JSON.stringify(viewer.dataset)})`,
    );
    return;
  }
  const link = await shareUrl(store, {
    expiresIn,
    wholeContainer,
    allowLongExpiry: Boolean(values["allow-long-expiry"]),
  });
  console.log(`${link}\n`);
  console.log(`Valid until ${until}. Open it with zarrita (Deno, Node, Bun or a browser):\n`);
  console.log(`  const store = SwiftStore.fromUrl(${JSON.stringify(link)});`);
  console.log(`  const group = await zarr.open(store, { kind: "group" });`);
});

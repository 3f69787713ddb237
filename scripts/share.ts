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

import { setCors, shareUrl, uploadViewer } from "../mod.ts";
import { AUTH_HELP, AUTH_OPTIONS, location, openStore, run, UsageError } from "./_cli/mod.ts";

const HELP = `
Usage: share.ts [--expires 7d] [--cors ORIGIN]... [--viewer] <container>[/<prefix>]

Options:
  --expires TIME   how long the link works: seconds, or with s, m, h, d (default 7d)
  --cors ORIGIN    also let web pages from ORIGIN read it (repeatable; * for any)
  --viewer         upload viewer.html into the dataset and print the link that opens
                   it in a browser (the tree, attributes, quick looks of arrays)
  -h, --help       this help

${AUTH_HELP}`;

await run("share.ts", {
  options: {
    ...AUTH_OPTIONS,
    expires: { type: "string" },
    cors: { type: "string", multiple: true },
    viewer: { type: "boolean" },
  },
  help: HELP,
  positionals: { min: 1, max: 1 },
}, async ({ values, positionals }) => {
  const match = /^(\d+)(s|m|h|d)?$/.exec(String(values.expires ?? "7d"));
  if (!match) {
    throw new UsageError(`--expires takes seconds or a number with s, m, h or d, found ${values.expires}`);
  }
  const expiresIn = Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] ?? "s"]!;
  const store = await openStore(location(positionals[0]), values, { readOnly: false });
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
  const link = await shareUrl(store, { expiresIn });
  console.log(`${link}\n`);
  console.log(`Valid until ${until}. Open it with zarrita (Deno, Node, Bun or a browser):\n`);
  console.log(`  const store = SwiftStore.fromUrl(${JSON.stringify(link)});`);
  console.log(`  const group = await zarr.open(store, { kind: "group" });`);
});

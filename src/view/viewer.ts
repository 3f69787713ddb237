/**
 * A dataset anyone can open in a browser: one self-contained HTML page uploaded next
 * to the dataset (inside its prefix, `viewer.html` by default) and one link to it.
 *
 * The page shows the hierarchy as it was when uploaded (the tree, with attributes) and
 * draws a quick look of any array of 2 or more dimensions, reading the data live with
 * zarrita and this library through the link the page was opened with: the prefix
 * TempURL's query (`temp_url_sig`, `temp_url_expires`, `temp_url_prefix`) is taken
 * from the page's own address, so the page and the data share one origin and no CORS
 * setting is needed. The page holds no credentials and no signature (those are only in
 * the link), loads nothing from anywhere else (no CDN; its script is this library's
 * own code with zarrita, bundled and embedded), and its Content-Security-Policy lets it
 * connect to its own origin only and run no script but its own. A copy saved and opened from another origin cannot
 * read the data: open the link instead (a page on another origin that should read the
 * dataset needs the container's CORS, `setCors` or `share.ts --cors`).
 *
 * Swift's TempURL middleware answers `Content-Disposition: attachment` (a download)
 * unless the query has `inline`: the link carries `&inline`.
 *
 * @module
 */

import { type AbsolutePath, ReadOnlyError, shareUrl, type SwiftStore } from "./_deps.ts";
import { describeHierarchy, type Hierarchy } from "./describe.ts";
import { escapeHtml, hierarchyHtml } from "./display.ts";
import { VIEWER_APP } from "./viewer_app.ts";

/**
 * Options of {@link uploadViewer}.
 *
 * @example A month, under another name
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import type { ViewerOptions } from "@zarrswift/store";
 * const options: ViewerOptions = { name: "index.html", expiresIn: 30 * 86400 };
 * assertEquals(options.name, "index.html");
 * ```
 */
export interface ViewerOptions {
  /** The page's object name inside the dataset (default `viewer.html`; letters, digits, `.`, `_`, `-`, ending in `.html`). */
  name?: string;
  /** `tempurl` (default): a prefix TempURL; `public`: the plain URL, for a container readable by anyone (`.r:*`). */
  access?: "tempurl" | "public";
  /** Seconds from now until the TempURL expires (default 7 days). */
  expiresIn?: number;
  /** When the TempURL expires (instead of `expiresIn`). */
  expiresAt?: Date;
  /** The TempURL key (default: the container's or account's; a new container key when there is none). */
  key?: string;
  /** Share a store without prefix: the whole container (required then, as for `shareUrl`). */
  wholeContainer?: boolean;
  /** Allow an expiry more than a year away (as for `shareUrl`). */
  allowLongExpiry?: boolean;
  /** Aborts the requests. */
  signal?: AbortSignal;
}

/**
 * What {@link uploadViewer} did.
 *
 * @example What comes back
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import type { ViewerUpload } from "@zarrswift/store";
 * const upload: Pick<ViewerUpload, "key" | "bytes"> = { key: "/viewer.html", bytes: 690_000 };
 * assertEquals(upload.key, "/viewer.html");
 * ```
 */
export interface ViewerUpload {
  /** The link that opens the viewer in any browser (a secret while it is valid: it grants reading the dataset). */
  link: string;
  /** The dataset's own link, for `SwiftStore.fromUrl` (the same grant). */
  dataset: string;
  /** The page's key in the store. */
  key: AbsolutePath;
  /** The page's size in bytes. */
  bytes: number;
  /** The hierarchy shown in the page. */
  hierarchy: Hierarchy;
}

/**
 * Builds the viewer page for a hierarchy: the tree rendered in HTML, the viewer's
 * script (embedded, gzip-compressed) and a strict Content-Security-Policy.
 *
 * @param hierarchy From `describeHierarchy`.
 * @param options The page's title (default: the root's `title` attribute, else the store's URL).
 * @returns The HTML document.
 *
 * @example A page for an empty hierarchy
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { viewerHtml } from "@zarrswift/store";
 * const html = await viewerHtml({ path: "/", nodes: [], source: "listing", sizes: false, truncated: 0, readAt: "2025-01-01T00:00:00Z" });
 * assertEquals(html.startsWith("<!doctype html>"), true);
 * assertEquals(html.includes("connect-src 'self'"), true);
 * ```
 */
export async function viewerHtml(hierarchy: Hierarchy, options: { title?: string } = {}): Promise<string> {
  const rootTitle = hierarchy.nodes.find((n) => n.path === hierarchy.path)?.attributes.title;
  const title = options.title ??
    (typeof rootTitle === "string" ? rootTitle : hierarchy.url ?? "zarr dataset");
  const loader = `const s=document.getElementById("zs-app").textContent.trim();` +
    `const b=Uint8Array.from(atob(s),(c)=>c.charCodeAt(0));` +
    `const code=await new Response(new Blob([b]).stream().pipeThrough(new DecompressionStream("gzip"))).text();` +
    `await import(URL.createObjectURL(new Blob([code],{type:"text/javascript"})));`;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(loader)));
  const hash = btoa(String.fromCharCode(...digest));
  const csp = [
    "default-src 'none'",
    // The loader by its hash, the bundle it makes (a blob: URL), and eval: emscripten's embind in
    // numcodecs' zstd, blosc and lz4 decoders builds functions with `new Function`.
    `script-src 'sha256-${hash}' blob: 'unsafe-eval'`,
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  const tree = hierarchyHtml(hierarchy, { actions: true, title });
  const snapshot = `read ${hierarchy.readAt.slice(0, 19).replace("T", " ")} UTC`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>
body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#222;background:#fafafa}
header{padding:.6em 1em;background:#1f3b57;color:#fff}header h1{font-size:1.1em;margin:0}
header p{margin:.2em 0 0;font-size:.85em;opacity:.8}
main{display:flex;gap:1em;padding:1em;align-items:flex-start;flex-wrap:wrap}
#tree{flex:1 1 520px;min-width:0;overflow:auto;background:#fff;border:1px solid #ddd;padding:.6em}
#look{flex:1 1 480px;position:sticky;top:1em;background:#fff;border:1px solid #ddd;padding:.6em;min-height:8em}
#look img{max-width:100%;image-rendering:pixelated;display:block;margin:.5em 0}
#look .controls label{margin-right:1em;white-space:nowrap}#look .controls input[type=number]{width:5em}
#look .error{color:#c0392b;white-space:pre-wrap}#look .info{color:#666;font-size:.85em}
footer{padding:0 1em 1em;color:#777;font-size:.8em}
</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>zarr dataset in OpenStack Swift, tree ${snapshot}</p></header>
<main>
<section id="tree">${tree}</section>
<section id="look" aria-live="polite"><p>Press <b>quick look</b> beside an array to draw it.</p></section>
</main>
<footer>This page reads the dataset from the address it was opened with and contacts nothing else.
Made with zarrswift and zarrita.</footer>
<script type="application/octet-stream" id="zs-app">${VIEWER_APP}</script>
<script type="module">${loader}</script>
</body>
</html>
`;
}

/**
 * Uploads the viewer page for the store's dataset (one PUT, after one listing and the
 * metadata reads of `describeHierarchy`) and answers the link that opens it: a prefix
 * TempURL to the page with `&inline`, or its plain URL for a public container. The
 * store must be writable, and for a TempURL be able to read or set a TempURL key.
 *
 * @param store A writable `SwiftStore` opened with credentials.
 * @param options Page name, access, expiry, TempURL key, abort signal.
 * @returns The link, the page's key and size, and the hierarchy it shows.
 * @throws {TypeError} When the name is not a plain `.html` file name.
 * @throws {ReadOnlyError} When the store is read-only (before any request).
 *
 * @example Share a dataset with a viewer
 * ```ts
 * import assert from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import { SwiftStore, uploadViewer } from "@zarrswift/store";
 * const store = await SwiftStore.open({ container: "docs-examples", prefix: crypto.randomUUID() });
 * await zarr.create(store, { attributes: { title: "shared" } });
 * const { link } = await uploadViewer(store, { expiresIn: 7 * 86400 });
 * assert.match(link, /viewer\.html\?temp_url_sig=.*&inline/);
 * const page = await fetch(link); // anyone with the link: no credentials
 * assert.equal(page.status, 200);
 * assert.match(await page.text(), /<html/i);
 * await store.deletePrefix();
 * ```
 */
export async function uploadViewer(store: SwiftStore, options: ViewerOptions = {}): Promise<ViewerUpload> {
  const name = options.name ?? "viewer.html";
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.html$/.test(name)) {
    throw new TypeError(
      `Expected a plain file name ending in .html for the viewer, found ${JSON.stringify(name)}`,
    );
  }
  const access = options.access ?? "tempurl";
  if (access !== "tempurl" && access !== "public") {
    throw new TypeError(`Expected access to be "tempurl" or "public", found ${JSON.stringify(access)}`);
  }
  if (store.readOnly) {
    throw new ReadOnlyError(
      "Expected a writable store to upload the viewer, found one opened with readOnly: true",
      {
        method: "PUT",
        path: `${store.container}/${store.prefix ? `${store.prefix}/` : ""}${name}`,
      },
    );
  }
  const hierarchy = await describeHierarchy(store, { signal: options.signal });
  const page = new TextEncoder().encode(await viewerHtml(hierarchy));
  const key = `/${name}` as AbsolutePath;
  await store.setStream(key, () => new Blob([page]).stream(), {
    size: page.length,
    contentType: "text/html; charset=utf-8",
    signal: options.signal,
  });
  let dataset = store.url;
  let link = `${store.url}/${name}`;
  if (access === "tempurl") {
    dataset = await shareUrl(store, {
      expiresIn: options.expiresAt ? undefined : options.expiresIn ?? 7 * 86400,
      expiresAt: options.expiresAt,
      key: options.key,
      wholeContainer: options.wholeContainer,
      allowLongExpiry: options.allowLongExpiry,
      signal: options.signal,
    });
    const share = new URL(dataset);
    share.pathname += name;
    link = `${share.href}&inline`;
  }
  return { link, dataset, key, bytes: page.length, hierarchy };
}

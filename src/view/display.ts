/**
 * Rich display of zarr hierarchies, in the spirit of xarray's HTML view: a
 * collapsible tree (HTML `<details>`, no script) of groups and arrays with shape and
 * dimension names, data type, chunk shape, codecs, fill value, stored objects and
 * bytes, and attributes; plain text for every other front end (`jupyter.ts` puts them
 * in notebooks).
 *
 * Every name and attribute is HTML-escaped: a dataset cannot inject markup.
 *
 * @module
 */

import type { Hierarchy } from "./describe.ts";
import type { NodeSummary } from "./metadata.ts";

/**
 * Options of {@link hierarchyHtml}.
 *
 * @example Everything open, with quick-look buttons
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { hierarchyHtml, type HtmlOptions } from "@zarrswift/store";
 * const options: HtmlOptions = { openDepth: 10, actions: true, title: "run 42" };
 * const html = hierarchyHtml({ path: "/", nodes: [], source: "listing", sizes: false, truncated: 0, readAt: "" }, options);
 * assertEquals(html.includes("run 42"), true);
 * ```
 */
export interface HtmlOptions {
  /** Groups shown open, by depth: 1 opens the root only, 2 its child groups too (default 2, or 1 above 100 nodes). */
  openDepth?: number;
  /** A "quick look" button on each array of 2 or more dimensions, with its path and zarr format in `data-path`, `data-format`. */
  actions?: boolean;
  /** The title (default: "zarr hierarchy", and the store's URL). */
  title?: string;
}

/**
 * A Jupyter media bundle: HTML, and plain text for other front ends.
 *
 * @example HTML and text
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import type { MediaBundle } from "@zarrswift/store";
 * const bundle: MediaBundle = { "text/html": "<b>x</b>", "text/plain": "x" };
 * assertEquals(bundle["text/plain"], "x");
 * ```
 */
export interface MediaBundle {
  /** The HTML view. */
  "text/html": string;
  /** The plain-text view. */
  "text/plain": string;
}

const STYLE = `<style>
.zs-tree{--zs-fg:var(--jp-content-font-color0,inherit);--zs-fg2:var(--jp-content-font-color2,#777);
--zs-line:var(--jp-border-color2,#ddd);--zs-accent:var(--jp-brand-color1,#2a6fb0);
font:13px/1.45 var(--jp-code-font-family,ui-monospace,SFMono-Regular,Menlo,Consolas,monospace);color:var(--zs-fg);padding:0 .3em}
.zs-tree summary{cursor:pointer;list-style-position:outside;margin-left:1em}
.zs-tree summary>*{margin-right:.7em;white-space:nowrap;display:inline-block}
.zs-tree .zs-head{margin-bottom:.3em}.zs-tree .zs-head b{color:var(--zs-accent)}
.zs-tree .zs-name{font-weight:600}.zs-tree .zs-group>summary>.zs-name{color:var(--zs-accent)}
.zs-tree .zs-kind,.zs-tree .zs-dtype,.zs-tree .zs-chunks,.zs-tree .zs-stored,.zs-tree .zs-note{color:var(--zs-fg2)}
.zs-tree .zs-dims{font-style:italic}.zs-tree .zs-problem{color:#c0392b}
.zs-tree .zs-body{margin:0 0 .2em 1.35em;padding-left:.7em;border-left:1px solid var(--zs-line)}
.zs-tree dl{display:grid;grid-template-columns:max-content auto;gap:0 1em;margin:.1em 0}
.zs-tree dt{color:var(--zs-fg2)}.zs-tree dd{margin:0;white-space:pre-wrap;word-break:break-word}
.zs-tree button.zs-look{font:inherit;font-size:11px;padding:0 .5em;cursor:pointer}
</style>`;

/**
 * The HTML view of a hierarchy: a header with counts and where the metadata came from,
 * then the tree.
 *
 * @param hierarchy From {@link describeHierarchy}.
 * @param options How deep groups start open, quick-look buttons, the title.
 * @returns One HTML fragment (a `<style>` and a `<div class="zs-tree">`).
 *
 * @example An array's name and shape appear, escaped
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { hierarchyHtml } from "@zarrswift/store";
 * const html = hierarchyHtml({
 *   path: "/", source: "listing", sizes: false, truncated: 0, readAt: "2025-01-01T00:00:00Z",
 *   nodes: [
 *     { path: "/", kind: "group", zarrFormat: 3, attributes: { title: "<b>x</b>" } },
 *     { path: "/t", kind: "array", zarrFormat: 3, attributes: {}, shape: [2, 3], dtype: "int8", chunks: [1, 3] },
 *   ],
 * });
 * assertEquals(html.includes("&lt;b&gt;x&lt;/b&gt;"), true);
 * assertEquals(html.includes(">[2, 3]<"), true);
 * ```
 */
export function hierarchyHtml(hierarchy: Hierarchy, options: HtmlOptions = {}): string {
  const openDepth = options.openDepth ?? (hierarchy.nodes.length > 100 ? 1 : 2);
  const children = childrenOf(hierarchy.nodes);
  const parts: string[] = [STYLE, `<div class="zs-tree">`];
  parts.push(
    `<div class="zs-head"><b>${esc(options.title ?? "zarr hierarchy")}</b> ${esc(hierarchy.url ?? "")}`,
    `<div class="zs-note">${esc(summaryLine(hierarchy))}</div></div>`,
  );
  const render = (node: NodeSummary, depth: number, parent: string | undefined) => {
    const name = parent === undefined ? node.path : relative(parent, node.path);
    if (node.kind === "group") {
      const kids = children.get(node.path) ?? [];
      const counts = `${plural(kids.filter((k) => k.kind === "group").length, "group")}, ${
        plural(kids.filter((k) => k.kind === "array").length, "array")
      }`;
      parts.push(
        `<details class="zs-node zs-group" data-path="${esc(node.path)}"${depth < openDepth ? " open" : ""}>`,
        `<summary><span class="zs-name">${esc(name)}</span><span class="zs-kind">group</span>`,
        `<span class="zs-note">${counts}${node.zarrFormat === 2 ? ", zarr v2" : ""}</span></summary>`,
        `<div class="zs-body">`,
        attributesHtml(node),
      );
      for (const kid of kids) render(kid, depth + 1, node.path);
      parts.push(`</div></details>`);
      return;
    }
    const look = options.actions && (node.shape?.length ?? 0) >= 2
      ? `<button class="zs-look" data-path="${
        esc(node.path)
      }" data-format="${node.zarrFormat}">quick look</button>`
      : "";
    parts.push(
      `<details class="zs-node zs-array" data-path="${esc(node.path)}">`,
      `<summary><span class="zs-name">${esc(name)}</span>${look}<span class="zs-dims">${
        esc(dimsText(node))
      }</span>`,
      `<span class="zs-dtype">${esc(node.dtype ?? "?")}</span>`,
      `<span class="zs-chunks">chunks ${esc(shapeText(node.chunks))}</span>`,
      node.storedObjects === undefined
        ? ""
        : `<span class="zs-stored">${plural(node.storedObjects, "object")}, ${
          formatBytes(node.storedBytes ?? 0)
        }</span>`,
      `</summary><div class="zs-body"><dl>`,
      row("codecs", (node.codecs ?? []).join("\n") || "none"),
      node.innerChunks ? row("inner chunks", shapeText(node.innerChunks)) : "",
      row("fill value", JSON.stringify(node.fillValue) ?? "none"),
      row("zarr format", String(node.zarrFormat)),
      `</dl>`,
      attributesHtml(node),
      `</div></details>`,
    );
  };
  const roots = children.get(undefined) ?? [];
  if (roots.length === 0) parts.push(`<div class="zs-note">no zarr groups or arrays here</div>`);
  for (const node of roots) render(node, 0, undefined);
  parts.push(`</div>`);
  return parts.join("");
}

/**
 * The plain-text view of a hierarchy: one line per node, indented by depth.
 *
 * @param hierarchy From {@link describeHierarchy}.
 * @returns The text.
 *
 * @example One group and one array
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { hierarchyText } from "@zarrswift/store";
 * const text = hierarchyText({
 *   path: "/", source: "listing", sizes: false, truncated: 0, readAt: "2025-01-01T00:00:00Z",
 *   nodes: [
 *     { path: "/", kind: "group", zarrFormat: 3, attributes: {} },
 *     { path: "/t", kind: "array", zarrFormat: 3, attributes: {}, shape: [2], dtype: "int8", chunks: [1], dimensionNames: ["x"] },
 *   ],
 * });
 * assertEquals(text.split("\n").slice(1), ["/  group", "  t  (x: 2)  int8  chunks [1]"]);
 * ```
 */
export function hierarchyText(hierarchy: Hierarchy): string {
  const children = childrenOf(hierarchy.nodes);
  const what = hierarchy.nodes.length === 1 && hierarchy.nodes[0].kind === "array"
    ? "zarr array"
    : "zarr hierarchy";
  const lines = [`${what} ${hierarchy.url ?? ""}: ${summaryLine(hierarchy)}`.replace(" :", ":")];
  const render = (node: NodeSummary, depth: number, parent: string | undefined) => {
    const name = parent === undefined ? node.path : relative(parent, node.path);
    const attrs = Object.keys(node.attributes).length;
    const tail = [
      ...(node.kind === "group"
        ? ["group"]
        : [dimsText(node), node.dtype ?? "?", `chunks ${shapeText(node.chunks)}`]),
      ...(node.storedObjects === undefined
        ? []
        : [`${plural(node.storedObjects, "object")}, ${formatBytes(node.storedBytes ?? 0)}`]),
      ...(attrs ? [plural(attrs, "attribute")] : []),
      ...(node.problem ? [node.problem] : []),
    ];
    lines.push(`${"  ".repeat(depth)}${name}  ${tail.join("  ")}`);
    for (const kid of children.get(node.path) ?? []) render(kid, depth + 1, node.path);
  };
  for (const node of children.get(undefined) ?? []) render(node, 0, undefined);
  return lines.join("\n");
}

function childrenOf(nodes: NodeSummary[]): Map<string | undefined, NodeSummary[]> {
  const paths = new Set(nodes.map((n) => n.path));
  const children = new Map<string | undefined, NodeSummary[]>();
  for (const node of nodes) {
    let parent: string | undefined;
    for (let p = parentPath(node.path); p !== undefined; p = parentPath(p)) {
      if (paths.has(p)) {
        parent = p;
        break;
      }
    }
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent)!.push(node);
  }
  return children;
}

function parentPath(path: string): string | undefined {
  if (path === "/") return undefined;
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

function relative(parent: string, path: string): string {
  return path.slice(parent === "/" ? 1 : parent.length + 1);
}

function summaryLine(h: Hierarchy): string {
  const groups = h.nodes.filter((n) => n.kind === "group").length;
  const arrays = h.nodes.length - groups;
  const from = h.source === "consolidated"
    ? "consolidated metadata"
    : h.source === "listing"
    ? "a listing"
    : "the root's metadata (no listing allowed, no consolidated metadata)";
  const oneArray = h.nodes.length === 1 && h.nodes[0].kind === "array";
  return [
    ...(oneArray ? [] : [`${plural(groups, "group")}, ${plural(arrays, "array")}`]),
    h.sizes ? `${plural(h.objects ?? 0, "object")}, ${formatBytes(h.bytes ?? 0)}` : "sizes unknown",
    `from ${from}`,
    ...(h.truncated ? [`${h.truncated} more not read`] : []),
  ].join("; ");
}

function attributesHtml(node: NodeSummary): string {
  const entries = Object.entries(node.attributes);
  const problem = node.problem ? `<div class="zs-problem">${esc(node.problem)}</div>` : "";
  if (entries.length === 0) return problem;
  return `${problem}<dl class="zs-attrs">${
    entries.map(([k, v]) => row(k, typeof v === "string" ? v : JSON.stringify(v))).join("")
  }</dl>`;
}

function row(name: string, value: string): string {
  const shown = value.length > 300 ? `${value.slice(0, 300)}…` : value;
  return `<dt>${esc(name)}</dt><dd>${esc(shown)}</dd>`;
}

function dimsText(node: NodeSummary): string {
  const shape = node.shape ?? [];
  const names = node.dimensionNames;
  if (names && names.length === shape.length && names.some((n) => n)) {
    return `(${shape.map((n, i) => `${names[i] ?? `dim_${i}`}: ${n}`).join(", ")})`;
  }
  return shapeText(shape);
}

function shapeText(shape: number[] | undefined): string {
  return shape ? `[${shape.join(", ")}]` : "?";
}

/**
 * Bytes in binary units, as the scripts print them (`1.5 KiB`).
 *
 * @param n A byte count.
 * @returns The text.
 *
 * @example A few sizes
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { formatBytes } from "./display.ts";
 * assertEquals([formatBytes(512), formatBytes(1536), formatBytes(3 * 2 ** 30)], ["512 B", "1.5 KiB", "3.0 GiB"]);
 * ```
 */
export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${n.toFixed(1)} KiB`.replace("KiB", units[i]);
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Text made safe to put in HTML, attributes included.
 *
 * @param text Any text.
 * @returns The text with `&`, `<`, `>`, `"` and `'` as entities.
 *
 * @example Markup from a dataset
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { escapeHtml } from "./display.ts";
 * assertEquals(escapeHtml(`<b title="x">'&'</b>`), "&lt;b title=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const esc = escapeHtml;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

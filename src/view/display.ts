/**
 * Rich display of zarr hierarchies, in the spirit of xarray's HTML view: a
 * collapsible tree (HTML `<details>`, no script) of groups and arrays with shape and
 * dimension names, data type, chunk shape, codecs, fill value, stored objects and
 * bytes, and attributes; plain text for every other front end. In a Jupyter notebook
 * (Deno's kernel) a store, group or array wrapped by {@link withDisplay} (or opened
 * by {@link openForDisplay}) shows itself this way, an array with a quick look.
 *
 * Every name and attribute is HTML-escaped: a dataset cannot inject markup.
 *
 * @module
 */

import * as zarr from "zarrita";
import { type DescribableStore, describeHierarchy, type Hierarchy, type NodeSummary } from "./describe.ts";
import { base64 } from "./png.ts";
import type { AbsolutePath } from "./_deps.ts";
import { quickLook } from "./quicklook.ts";
import type { QuickLookArray } from "./sample.ts";

/** Options of {@link hierarchyHtml}. */
export interface HtmlOptions {
  /** Groups shown open, by depth: 1 opens the root only, 2 its child groups too (default 2, or 1 above 100 nodes). */
  openDepth?: number;
  /** A "quick look" button on each array of 2 or more dimensions, with its path and zarr format in `data-path`, `data-format`. */
  actions?: boolean;
  /** The title (default: "zarr hierarchy", and the store's URL). */
  title?: string;
}

/** A Jupyter media bundle: HTML, and plain text for other front ends. */
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

/** A zarrita group or array (from `zarr.open` or `zarr.create`), as {@link jupyterDisplay} reads it. */
export interface ZarrNode {
  /** `group` or `array`. */
  readonly kind: "group" | "array";
  /** The node's path in its store. */
  readonly path: string;
  /** The store it was opened from. */
  readonly store: unknown;
  /** Its attributes. */
  readonly attrs: Record<string, unknown>;
}

/** What {@link jupyterDisplay} shows: a store, or a zarrita group or array. */
export type Displayable = DescribableStore | ZarrNode;

/** A store zarrita can read: `get` answers an object's bytes (or a promise of them), `undefined` when missing. */
export interface ReadableStore {
  /** Reads an object. */
  get(
    key: AbsolutePath,
    options?: { signal?: AbortSignal },
  ): Promise<Uint8Array | undefined> | Uint8Array | undefined;
}

/**
 * The Jupyter media bundle of a store (its whole hierarchy), a zarrita group (the
 * hierarchy under it) or a zarrita array (its card and a quick look when it has 2 or
 * more dimensions of numbers). This is what `[Symbol.for("Jupyter.display")]()` answers.
 *
 * @param target A `SwiftStore` (or a store with `get` and `scan`), a zarrita group or array.
 * @returns HTML and plain text.
 *
 * @example A group in memory
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import { jupyterDisplay } from "@zarrswift/store";
 * const group = await zarr.create(new Map(), { attributes: { title: "demo" } });
 * const bundle = await jupyterDisplay(group);
 * assertEquals(bundle["text/plain"].split("\n")[1], "/  group  1 attribute");
 * ```
 */
export async function jupyterDisplay(target: Displayable): Promise<MediaBundle> {
  const node = target as { kind?: string; store?: DescribableStore; path?: string };
  if ((node.kind === "group" || node.kind === "array") && node.store && node.path) {
    const store = node.store as DescribableStore;
    const hierarchy = await describeHierarchy(wrapStore(store), { path: node.path });
    if (node.kind === "group") {
      return { "text/html": hierarchyHtml(hierarchy), "text/plain": hierarchyText(hierarchy) };
    }
    const array = target as unknown as QuickLookArray;
    let image = "";
    let note = "";
    if (array.shape.length >= 2) {
      try {
        const png = await quickLook(array, null, { maxSize: 256, maxBytes: 64 * 2 ** 20 });
        image = `<img alt="quick look" src="data:image/png;base64,${base64(png)}">`;
      } catch (error) {
        note = `<div class="zs-note">no quick look: ${esc((error as Error).message)}</div>`;
      }
    }
    const html = hierarchyHtml(hierarchy, { title: `array ${node.path}` })
      .replace(`<details class="zs-node zs-array"`, `<details class="zs-node zs-array" open`);
    return { "text/html": html + image + note, "text/plain": hierarchyText(hierarchy) };
  }
  const hierarchy = await describeHierarchy(target as DescribableStore);
  return {
    "text/html": hierarchyHtml(hierarchy, { title: "SwiftStore" }),
    "text/plain": hierarchyText(hierarchy),
  };
}

/**
 * Makes a store, group or array show itself in Jupyter (Deno's kernel): defines its
 * `[Symbol.for("Jupyter.display")]` to call {@link jupyterDisplay}. Outside Jupyter
 * nothing calls it and nothing is read.
 *
 * @param target A `SwiftStore`, a zarrita group or array.
 * @returns The same object.
 *
 * @example Wrap a group
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import { withDisplay } from "@zarrswift/store";
 * const group = withDisplay(await zarr.create(new Map()));
 * assertEquals(Symbol.for("Jupyter.display") in group, true);
 * ```
 */
export function withDisplay<T extends Displayable>(target: T): T {
  Object.defineProperty(target, Symbol.for("Jupyter.display"), {
    value: () => jupyterDisplay(target),
    configurable: true,
    enumerable: false,
  });
  return target;
}

/**
 * Opens the group or array at `path` with zarrita and makes it show itself in Jupyter.
 * For zarrita's own types (to read the array with `zarr.get`), use
 * `withDisplay(await zarr.open(…))` instead.
 *
 * @param store A `SwiftStore` (or any zarrita store).
 * @param path The node's path (default `/`).
 * @returns The zarrita group or array, with its display.
 *
 * @example Open the root group of an in-memory store
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import { openForDisplay } from "@zarrswift/store";
 * const map = new Map<string, Uint8Array>();
 * await zarr.create(map, { attributes: { title: "demo" } });
 * const node = await openForDisplay(map);
 * assertEquals(node.kind, "group");
 * ```
 */
export async function openForDisplay(store: ReadableStore, path = "/"): Promise<ZarrNode> {
  const node = await zarr.open(zarr.root(store as zarr.Readable).resolve(path));
  return withDisplay(node as ZarrNode);
}

/** zarrita's in-memory store is a Map: let it be described like a store. */
function wrapStore(store: DescribableStore): DescribableStore {
  if (store instanceof Map) {
    const map = store as Map<string, Uint8Array>;
    return {
      get: (key) => Promise.resolve(map.get(key)),
      async *scan(path = "/") {
        const under = path === "/" ? "/" : `${path}/`;
        for (const [key, value] of map) {
          if (key.startsWith(under)) yield { key: key as `/${string}`, bytes: value.length };
        }
      },
    };
  }
  return store;
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

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

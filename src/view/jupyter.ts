/**
 * Notebook display: in a Jupyter notebook (Deno's kernel) a store, group or array
 * wrapped by {@link withDisplay} (or opened by {@link openForDisplay}) shows itself as
 * the hierarchy's tree, an array with a quick look. Outside Jupyter nothing calls the
 * display and nothing is read.
 *
 * @module
 */

import * as zarr from "zarrita";
import { type AbsolutePath, SwiftStore } from "./_deps.ts";
import { type DescribableStore, describeHierarchy } from "./describe.ts";
import { escapeHtml, hierarchyHtml, hierarchyText, type MediaBundle } from "./display.ts";
import type { QuickLookArray } from "./plan.ts";
import { base64 } from "./png.ts";
import { quickLook } from "./quicklook.ts";

/**
 * A zarrita group or array (from `zarr.open` or `zarr.create`), as {@link jupyterDisplay} reads it.
 *
 * @example A zarrita group is one
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import type { ZarrNode } from "@zarrswift/store";
 * const node: ZarrNode = await zarr.create(new Map(), { attributes: { title: "t" } });
 * assertEquals([node.kind, node.path], ["group", "/"]);
 * ```
 */
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

/**
 * What {@link jupyterDisplay} shows: a store, or a zarrita group or array.
 *
 * @example A store or a node
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import * as zarr from "zarrita";
 * import type { Displayable } from "@zarrswift/store";
 * const shown: Displayable[] = [await zarr.create(new Map()), { get: () => Promise.resolve(undefined) }];
 * assertEquals(shown.length, 2);
 * ```
 */
export type Displayable = DescribableStore | ZarrNode;

/**
 * A store zarrita can read: `get` answers an object's bytes (or a promise of them), `undefined` when missing.
 *
 * @example A Map is one
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import type { ReadableStore } from "@zarrswift/store";
 * const store: ReadableStore = new Map<string, Uint8Array>();
 * assertEquals(store.get("/zarr.json"), undefined);
 * ```
 */
export interface ReadableStore {
  /**
   * Reads an object.
   *
   * @param key The key.
   * @param options A signal.
   * @returns Its bytes, or `undefined` when missing.
   */
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
        note = `<div class="zs-note">no quick look: ${escapeHtml((error as Error).message)}</div>`;
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

// Every SwiftStore shows its hierarchy in Deno's Jupyter kernel once this layer is loaded (the public module
// loads it): the store layer below cannot import the display, so the display attaches itself here. Nothing is
// read until a notebook shows the store.
Object.defineProperty(SwiftStore.prototype, Symbol.for("Jupyter.display"), {
  value(this: SwiftStore) {
    return jupyterDisplay(this);
  },
  configurable: true,
  enumerable: false,
});

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

/// <reference lib="dom" />
/**
 * The viewer page's script (bundled by `dev/build_viewer.ts` into `viewer_app.ts`,
 * not imported by the library): opens the dataset through the address the page was
 * opened with and draws a quick look of the array whose button is pressed, with an
 * index picker for every extra dimension, a colormap picker and a vertical flip (maps
 * whose latitudes ascend).
 *
 * @module
 */

import * as zarr from "zarrita";
import { SwiftStore } from "./_deps.ts";
import { type ColormapName, COLORMAPS } from "./colormap.ts";
import { quickLook } from "./quicklook.ts";

const panel = document.getElementById("look") as HTMLElement;
let store: SwiftStore | undefined;
let current = 0;

/** The dataset's link: this page's folder, with the TempURL's parameters (none for a public container). */
function datasetLink(): string {
  const here = new URL(location.href);
  const folder = here.pathname.slice(0, here.pathname.lastIndexOf("/") + 1);
  const query = new URLSearchParams([...here.searchParams].filter(([name]) => name.startsWith("temp_url_")));
  return `${here.origin}${folder}${query.size ? `?${query}` : ""}`;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

/** A value with 5 significant digits. */
function fmt(v: number | undefined): string {
  return v === undefined ? "" : String(Number(v.toPrecision(5)));
}

async function show(
  path: string,
  format: string | undefined,
  indices?: number[],
  cmap: ColormapName = "viridis",
  flip = false,
): Promise<void> {
  const turn = ++current;
  panel.replaceChildren(element("h2", { textContent: path }), element("p", { textContent: "reading…" }));
  panel.dataset.state = "loading";
  try {
    store ??= SwiftStore.fromUrl(datasetLink());
    // The format is known from the tree: no probing for the other format's keys.
    const location = zarr.root(store).resolve(path);
    const array = format === "2"
      ? await zarr.open.v2(location, { kind: "array" })
      : format === "3"
      ? await zarr.open.v3(location, { kind: "array" })
      : await zarr.open(location, { kind: "array" });
    const extra = array.shape.length - 2;
    const picked = indices ?? Array.from({ length: extra }, () => 0);
    const png = await quickLook(array, [...picked, null, null], {
      colormap: cmap,
      origin: flip ? "lower" : "upper",
      maxSize: 512,
      minSize: 480,
    });
    if (turn !== current) return;
    const names = array.dimensionNames ??
      (array.attrs._ARRAY_DIMENSIONS as string[] | undefined) ?? array.shape.map((_, i) => `dim_${i}`);
    const controls = element("div", { className: "controls" });
    const inputs = picked.map((value, d) => {
      const input = element("input", {
        type: "number",
        min: "0",
        max: String(array.shape[d] - 1),
        value: String(value),
      });
      controls.append(element("label", {}, `${names[d]} `, input, ` of ${array.shape[d]}`));
      return input;
    });
    const select = element(
      "select",
      {},
      ...COLORMAPS.map((n) => element("option", { value: n, textContent: n })),
    );
    select.value = cmap;
    controls.append(element("label", {}, "colormap ", select));
    const flipped = element("input", { type: "checkbox", checked: flip });
    controls.append(element("label", {}, flipped, " first row at the bottom"));
    const redraw = () =>
      show(path, format, inputs.map((i) => Number(i.value)), select.value as ColormapName, flipped.checked);
    for (const control of [...inputs, select, flipped]) control.addEventListener("change", redraw);
    const { info } = png;
    const plan = info.plan!;
    const image = element("img", {
      src: URL.createObjectURL(new Blob([png], { type: "image/png" })),
      alt: `quick look of ${path}`,
    });
    const range = info.vmin === undefined
      ? "no valid values"
      : `values ${fmt(info.vmin)} to ${fmt(info.vmax)}`;
    const every = plan.stride === 1 ? "every element" : `every ${plan.stride}th row and column`;
    const text =
      `${names[plan.axes[0]]} × ${names[plan.axes[1]]}: ${plan.shape.join(" × ")} samples (${every}), ` +
      `${range}; read ${plan.chunks} of ${plan.chunksInSelection} chunks`;
    panel.replaceChildren(
      element("h2", { textContent: path }),
      controls,
      image,
      element("p", { className: "info", textContent: text }),
    );
    panel.dataset.state = "done";
  } catch (error) {
    if (turn !== current) return;
    panel.replaceChildren(
      element("h2", { textContent: path }),
      element("p", { className: "error", textContent: explain(error) }),
    );
    panel.dataset.state = "error";
  }
}

/** An error's message and its causes' ("… : because …"). */
function explain(error: unknown): string {
  const parts: string[] = [];
  for (
    let e = error as { message?: string; cause?: unknown } | undefined;
    e && parts.length < 4;
    e = e.cause as typeof e
  ) {
    parts.push(e.message ?? String(e));
  }
  return parts.join(": ");
}

document.addEventListener("click", (event) => {
  const button = (event.target as Element | null)?.closest?.("button.zs-look") as HTMLButtonElement | null;
  if (!button?.dataset.path) return;
  event.preventDefault(); // the button sits in a <summary>: do not fold the array's details
  show(button.dataset.path, button.dataset.format);
});
document.body.dataset.ready = "true";

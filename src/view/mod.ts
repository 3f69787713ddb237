/**
 * Looking at data: quick-look PNGs of arrays, rich display of hierarchies in
 * notebooks, and a browser viewer uploaded next to a dataset. The public module
 * (`mod.ts`) re-exports all of this.
 *
 * @module
 */

export { colormap, type ColormapName, COLORMAPS } from "./colormap.ts";
export {
  type DescribableStore,
  describeHierarchy,
  type DescribeOptions,
  type Hierarchy,
} from "./describe.ts";
export type { NodeSummary } from "./metadata.ts";
export { hierarchyHtml, hierarchyText, type HtmlOptions, type MediaBundle } from "./display.ts";
export {
  type Displayable,
  jupyterDisplay,
  openForDisplay,
  type ReadableStore,
  withDisplay,
  type ZarrNode,
} from "./jupyter.ts";
export { encodePng } from "./png.ts";
export { quickLook, type QuickLookOptions } from "./quicklook.ts";
export { type QuickLookImage, type QuickLookInfo, type RenderOptions, renderQuickLook } from "./render.ts";
export {
  type PlanOptions,
  planQuickLook,
  type QuickLookArray,
  type QuickLookPlan,
  type QuickLookSelection,
  type SliceLike,
} from "./plan.ts";
export { uploadViewer, viewerHtml, type ViewerOptions, type ViewerUpload } from "./viewer.ts";

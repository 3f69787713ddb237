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
  type NodeSummary,
} from "./describe.ts";
export {
  type Displayable,
  hierarchyHtml,
  hierarchyText,
  type HtmlOptions,
  jupyterDisplay,
  type MediaBundle,
  openForDisplay,
  type ReadableStore,
  withDisplay,
  type ZarrNode,
} from "./display.ts";
export { encodePng } from "./png.ts";
export {
  quickLook,
  type QuickLookImage,
  type QuickLookInfo,
  type QuickLookOptions,
  type RenderOptions,
  renderQuickLook,
} from "./quicklook.ts";
export {
  type PlanOptions,
  planQuickLook,
  type QuickLookArray,
  type QuickLookPlan,
  type QuickLookSelection,
  type SliceLike,
} from "./sample.ts";
export { uploadViewer, viewerHtml, type ViewerOptions, type ViewerUpload } from "./viewer.ts";

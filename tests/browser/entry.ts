/** Browser bundle entry for the browser test: the library and zarrita, nothing else. */
import * as zarr from "zarrita";
import { SwiftStore } from "../../mod.ts";

/** Opens a shared dataset and answers every array's values, by path. */
export async function readShared(link: string, paths: string[]): Promise<Record<string, number[]>> {
  const store = SwiftStore.fromUrl(link);
  const out: Record<string, number[]> = {};
  const group = await zarr.open(store, { kind: "group" });
  out["attrs:title"] = [String(group.attrs.title).length];
  for (const path of paths) {
    const arr = await zarr.open(zarr.root(store).resolve(path), { kind: "array" });
    const { data } = await zarr.get(arr);
    out[path] = Array.from(data as ArrayLike<number>);
  }
  return out;
}

/**
 * What the workloads prepare before they are timed: objects to list, read or delete, a
 * zarr-like file tree, a big file, and a zarr v3 hierarchy of many small arrays with its
 * metadata consolidated. Setup goes over the loopback, never through a link.
 *
 * Imports: ../mod.ts (the public module), zarrita and contenders.ts. Nothing else of bench/.
 *
 * @module
 */

import * as zarr from "zarrita";
import { consolidateMetadata } from "../mod.ts";
import { type Session, store } from "./contenders.ts";

// File trees live on tmpfs: deleting and re-creating 5,000 files on the disk's filesystem
// costs seconds of system time that grow from run to run, whoever the client is.
/** Where the workloads' file trees live. */
export const WORK = "/dev/shm/zarrswift-bench";

/** Writes `n` objects of `size` bytes under `prefix`, 64 at a time. */
export async function fill(s: Session, prefix: string, n: number, size = 16): Promise<void> {
  const st = await store(s, prefix);
  const body = new Uint8Array(size);
  let next = 0;
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < n) await st.set(`/${String(next++).padStart(6, "0")}`, body);
  }));
}

/** Writes a zarr-like tree of `files` files; answers their total size in bytes. */
export async function makeTree(dir: string, files: number): Promise<number> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(`${dir}/temperature/c`, { recursive: true });
  const meta = new TextEncoder().encode('{"zarr_format":3,"node_type":"group","attributes":{}}');
  await Deno.writeFile(`${dir}/zarr.json`, meta);
  const chunk = new Uint8Array(4096);
  let bytes = meta.length;
  for (let i = 0; i < files - 1; i++) {
    crypto.getRandomValues(chunk.subarray(0, 64));
    await Deno.writeFile(`${dir}/temperature/c/${i}`, chunk);
    bytes += chunk.length;
  }
  return bytes;
}

/** Writes a file of `bytes` random bytes at `path`. */
export async function makeBigFile(path: string, bytes: number): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const block = new Uint8Array(8 << 20);
  for (let i = 0; i < block.length; i += 65536) crypto.getRandomValues(block.subarray(i, i + 65536));
  for (let done = 0; done < bytes; done += block.length) await file.write(block);
  file.close();
}

/**
 * Writes a v3 group under `prefix` with `arrays` arrays `a0`, `a1`, … of 100 float32 in
 * one chunk each (element 0 of `a<i>` is i), and consolidates its metadata into the
 * group's zarr.json (which readers that do not ask for it ignore).
 */
export async function makeHierarchy(s: Session, prefix: string, arrays: number): Promise<void> {
  const st = await store(s, prefix);
  const root = await zarr.create(st, { attributes: { arrays } });
  await Promise.all(Array.from({ length: arrays }, async (_, i) => {
    const arr = await zarr.create(root.resolve(`a${i}`), {
      shape: [100],
      chunkShape: [100],
      dtype: "float32",
      fillValue: Number.NaN,
      dimensionNames: ["x"],
      codecs: [{ name: "bytes", configuration: { endian: "little" } }],
    });
    const data = Float32Array.from({ length: 100 }, (_, j) => i + j);
    await zarr.set(arr, null, { data, shape: [100], stride: [1] });
  }));
  await consolidateMetadata(st);
}

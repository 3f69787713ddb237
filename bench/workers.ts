/**
 * One benchmark contender per invocation, run by bench/run.ts as its own process so
 * that its CPU time and peak RSS are its own:
 *
 *   deno run -A bench/workers.ts <workload> <contender> <container> <prefix> <n> [<dir>]
 *
 * Credentials: OS_STORAGE_URL and OS_AUTH_TOKEN (no login in the measured run). Requests
 * in flight: BENCH_CONCURRENCY (default 32).
 * Prints one JSON line: {"objects": n, "bytes": n}.
 *
 * @module
 */

import * as zarr from "zarrita";
import { encodeObjectName, md5Hex, PreAuth, SwiftStore } from "../mod.ts";

const [workload, contender, container, prefix, count, dir] = Deno.args;
const n = Number(count);
const storageUrl = Deno.env.get("OS_STORAGE_URL")!;
const token = Deno.env.get("OS_AUTH_TOKEN")!;
const CONCURRENCY = Number(Deno.env.get("BENCH_CONCURRENCY") ?? 32);
const CHUNK = 64 * 1024;

const open = (readOnly = false) =>
  SwiftStore.open({
    container,
    prefix,
    auth: new PreAuth({ storageUrl, token }),
    readOnly,
    createContainer: false,
    concurrency: CONCURRENCY,
    // For analysis only: BENCH_VERIFY=0 measures the cost of the MD5 checks.
    verify: Deno.env.get("BENCH_VERIFY") !== "0",
  });

/** Every file below `root`, as paths relative to it. */
async function localFiles(root: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(rel ? `${root}/${rel}` : root)) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...await localFiles(root, path));
    else if (e.isFile) out.push(path);
  }
  return out;
}

/** The raw floor: a minimal pool of `fetch` calls, nothing else. */
async function rawPool(count: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) await task(next++);
  }));
}

/** Every object name under the prefix: sequential listing requests until an empty page. */
async function rawNames(): Promise<string[]> {
  const names: string[] = [];
  let marker = "";
  for (;;) {
    const url = `${storageUrl}/${container}?format=json&prefix=${encodeURIComponent(`${prefix}/`)}${
      marker ? `&marker=${encodeURIComponent(marker)}` : ""
    }`;
    const page = await (await fetch(url, { headers: { "X-Auth-Token": token } })).json() as {
      name: string;
    }[];
    if (page.length === 0) return names;
    for (const entry of page) names.push(entry.name);
    marker = page[page.length - 1].name;
  }
}

function chunkData(): Int32Array {
  const data = new Int32Array((n * CHUNK) / 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) | 0;
  return data;
}

const base = `${storageUrl}/${container}/${prefix}`;
let result = { objects: 0, bytes: 0 };

switch (`${workload} ${contender}`) {
  case "zarr-write store": {
    const store = await open();
    const arr = await zarr.create(zarr.root(store).resolve("a"), {
      shape: [(n * CHUNK) / 4],
      chunkShape: [CHUNK / 4],
      dtype: "int32",
    });
    const data = chunkData();
    await zarr.set(arr, null, { data, shape: [data.length], stride: [1] });
    result = { objects: n, bytes: n * CHUNK };
    break;
  }
  case "zarr-write raw": {
    const data = new Uint8Array(chunkData().buffer as ArrayBuffer);
    await rawPool(n, async (i) => {
      const res = await fetch(`${base}/a/c/${i}`, {
        method: "PUT",
        headers: { "X-Auth-Token": token },
        body: data.subarray(i * CHUNK, (i + 1) * CHUNK),
      });
      await res.body?.cancel();
      if (res.status !== 201) throw new Error(`PUT ${res.status}`);
    });
    result = { objects: n, bytes: n * CHUNK };
    break;
  }
  case "zarr-read store": {
    const store = await SwiftStore.open({
      container,
      prefix,
      auth: new PreAuth({ storageUrl, token }),
      readOnly: true,
      concurrency: CONCURRENCY,
      verify: Deno.env.get("BENCH_VERIFY") !== "0",
    });
    const arr = await zarr.open.v3(zarr.root(store).resolve("a"), { kind: "array" });
    const { data } = await zarr.get(arr);
    result = { objects: n, bytes: (data as Int32Array).byteLength };
    break;
  }
  case "zarr-read raw": {
    let bytes = 0;
    await rawPool(n, async (i) => {
      const res = await fetch(`${base}/a/c/${i}`, { headers: { "X-Auth-Token": token } });
      // Read first, then add: `bytes += await …` would add to the value before the wait.
      const body = await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET ${res.status}`);
      bytes += body.byteLength;
    });
    result = { objects: n, bytes };
    break;
  }
  case "zarr-read work": {
    // The raw floor plus the work any verified zarr read does: each chunk's MD5 checked
    // against its ETag and its values copied into one array of the whole (what zarr.get
    // answers). Nothing of this library but md5Hex.
    const data = new Int32Array((n * CHUNK) / 4);
    await rawPool(n, async (i) => {
      const res = await fetch(`${base}/a/c/${i}`, { headers: { "X-Auth-Token": token } });
      const body = new Uint8Array(await res.arrayBuffer());
      if (res.status !== 200) throw new Error(`GET ${res.status}`);
      if (await md5Hex(body) !== res.headers.get("ETag")) throw new Error(`Chunk ${i}: MD5 differs`);
      data.set(new Int32Array(body.buffer, 0, CHUNK / 4), (i * CHUNK) / 4);
    });
    result = { objects: n, bytes: data.byteLength };
    break;
  }
  case "open-hierarchy v3":
  case "open-hierarchy auto":
  case "open-hierarchy consolidated": {
    // Open the group, then each of its n arrays, and read element 0 of each (one chunk).
    const store = await open(true);
    const base = contender === "consolidated"
      ? await zarr.withConsolidatedMetadata(store, { format: "v3" })
      : store;
    const openNode = (contender === "auto" ? zarr.open : zarr.open.v3) as typeof zarr.open;
    const root = await openNode(zarr.root(base), { kind: "group" });
    const values = await Promise.all(Array.from({ length: n }, async (_, i) => {
      const arr = await openNode(root.resolve(`a${i}`), { kind: "array" });
      return await zarr.get(arr, [0]);
    }));
    if (values.some((v, i) => v !== i)) {
      throw new Error(`Expected element 0 of a<i> to be i, found ${values}`);
    }
    result = { objects: n, bytes: 0 };
    break;
  }
  case "list store": {
    const store = await open(true);
    let objects = 0;
    for await (const _ of store.list("/")) objects++;
    result = { objects, bytes: 0 };
    break;
  }
  case "list raw": {
    result = { objects: (await rawNames()).length, bytes: 0 };
    break;
  }
  case "delete store": {
    const store = await open();
    result = { objects: await store.deletePrefix("/"), bytes: 0 };
    break;
  }
  case "upload raw": {
    // Read each file, PUT it: no MD5, no retries, no progress.
    const files = await localFiles(dir);
    let bytes = 0;
    await rawPool(files.length, async (i) => {
      const body = await Deno.readFile(`${dir}/${files[i]}`);
      bytes += body.length;
      const res = await fetch(`${base}/${encodeObjectName(files[i])}`, {
        method: "PUT",
        headers: { "X-Auth-Token": token },
        body,
      });
      await res.body?.cancel();
      if (res.status !== 201) throw new Error(`PUT ${res.status}`);
    });
    result = { objects: files.length, bytes };
    break;
  }
  case "download raw": {
    // One listing pass, then GET each object into its file: no MD5, no retries.
    const names = await rawNames();
    const made = new Set<string>();
    let bytes = 0;
    await rawPool(names.length, async (i) => {
      const res = await fetch(
        `${storageUrl}/${container}/${encodeObjectName(names[i])}`,
        {
          headers: { "X-Auth-Token": token },
        },
      );
      const body = new Uint8Array(await res.arrayBuffer());
      if (res.status !== 200) throw new Error(`GET ${res.status}`);
      const path = `${dir}/${names[i].slice(prefix.length + 1)}`;
      const parent = path.slice(0, path.lastIndexOf("/"));
      if (!made.has(parent)) {
        await Deno.mkdir(parent, { recursive: true });
        made.add(parent);
      }
      await Deno.writeFile(path, body);
      bytes += body.length;
    });
    result = { objects: names.length, bytes };
    break;
  }
  case "delete sequential": {
    // The plainest client: one DELETE after another.
    const names = await rawNames();
    for (const name of names) {
      const res = await fetch(`${storageUrl}/${container}/${name}`, {
        method: "DELETE",
        headers: { "X-Auth-Token": token },
      });
      await res.body?.cancel();
    }
    result = { objects: names.length, bytes: 0 };
    break;
  }
  case "delete raw": {
    // One DELETE per object, names from one listing pass (as a store would need them).
    const names = await rawNames();
    await rawPool(names.length, async (i) => {
      const res = await fetch(`${storageUrl}/${container}/${names[i]}`, {
        method: "DELETE",
        headers: { "X-Auth-Token": token },
      });
      await res.body?.cancel();
    });
    result = { objects: names.length, bytes: 0 };
    break;
  }
  default:
    console.error(`unknown workload/contender: ${workload} ${contender}`);
    Deno.exit(2);
}
// A contender that moved less than its workload must not be timed as if it had done it all.
if (workload.startsWith("zarr-") && result.bytes !== n * CHUNK) {
  throw new Error(`Expected ${n * CHUNK} bytes from ${workload} ${contender}, found ${result.bytes}`);
}
console.log(JSON.stringify(result));

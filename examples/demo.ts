/**
 * The quick-start demo: writes a small zarr group with two arrays into Swift,
 * consolidates its metadata, reads it back and prints what it did and where.
 *
 * The arrays are written the way Python users can open them too (zarr-python 3,
 * xarray): an explicit `bytes` codec with its endianness, a compressor both sides
 * have (zstd), a fill value, and dimension names. zarrita's defaults (`codecs: []`,
 * `fill_value: null`) are refused by zarr-python 3.
 *
 * Credentials come from the environment as python-swiftclient reads them
 * (`OS_STORAGE_URL` + `OS_AUTH_TOKEN`, or `ST_AUTH` + `ST_USER` + `ST_KEY`). With
 * none set, it starts the local test Swift (`dev/swift.sh start`, installing
 * Debian's packages when missing) and uses its `test:tester` user.
 *
 * ```sh
 * deno task demo
 * ```
 *
 * @module
 */

import * as zarr from "zarrita";
import {
  authFromEnv,
  type AuthProvider,
  consolidateMetadata,
  SwiftStore,
  TempAuth,
  validateHierarchy,
} from "../mod.ts";

async function pickAuth(): Promise<{ auth: AuthProvider; where: string }> {
  try {
    return { auth: authFromEnv(), where: "the Swift named by your environment" };
  } catch {
    const script = new URL("../dev/swift.sh", import.meta.url).pathname;
    console.log(
      "No Swift credentials in the environment: starting the local test Swift (dev/swift.sh start)…",
    );
    const status = await new Deno.Command("bash", {
      args: [script, "start"],
      stdout: "inherit",
      stderr: "inherit",
    })
      .spawn().status;
    if (!status.success) throw new Error("Starting the local Swift failed: see the messages above");
    const port = Deno.env.get("ZARRSWIFT_SWIFT_PORT") ?? "8080";
    return {
      auth: new TempAuth({
        authUrl: `http://127.0.0.1:${port}/auth/v1.0`,
        user: "test:tester",
        key: "testing",
      }),
      where: "the local test Swift",
    };
  }
}

const container = Deno.env.get("ZARRSWIFT_DEMO_CONTAINER") ?? "zarrswift-demo";
const prefix = "zarr-demo";
const { auth, where } = await pickAuth();
const started = performance.now();
const store = await SwiftStore.open({ container, prefix, auth });
console.log(`Writing a zarr v3 group to ${where}: ${store.url}`);

// Start from a clean dataset.
const removed = await store.deletePrefix("/");
if (removed) console.log(`  removed ${removed} objects left by an earlier run`);

const root = await zarr.create(store, {
  attributes: { title: "zarrswift demo", created: new Date().toISOString() },
});
// What every array needs so that zarr-python 3 and xarray open it: an array-to-bytes
// codec with its endianness, a compressor both sides have, a fill value, dimension names.
const codecs = [
  { name: "bytes", configuration: { endian: "little" } },
  { name: "zstd", configuration: { level: 3, checksum: false } },
];
const days = 365;
const stations = ["hamburg", "bergen", "lindenberg", "hohenpeissenberg"];
const temperature = await zarr.create(root.resolve("temperature"), {
  shape: [days, stations.length],
  chunkShape: [100, stations.length],
  dtype: "float32",
  fillValue: Number.NaN,
  dimensionNames: ["day", "station"],
  codecs,
  attributes: { units: "degC" },
});
const values = Float32Array.from(
  { length: days * stations.length },
  (_, i) =>
    Math.round(
      (10 - 8 * Math.cos((2 * Math.PI * Math.floor(i / stations.length)) / days) + (i % stations.length)) *
        10,
    ) / 10,
);
await zarr.set(temperature, null, {
  data: values,
  shape: [days, stations.length],
  stride: [stations.length, 1],
});
const elevation = await zarr.create(root.resolve("elevation"), {
  shape: [stations.length],
  chunkShape: [stations.length],
  dtype: "int32",
  fillValue: -1,
  dimensionNames: ["station"],
  codecs,
  attributes: { units: "m", stations },
});
const heights = Int32Array.from([11, 12, 98, 977]);
await zarr.set(elevation, null, { data: heights, shape: [stations.length], stride: [1] });

// Every node's metadata in the root's zarr.json, so readers open the group in one request;
// the check reports anything zarr-python or xarray would refuse.
const check = await validateHierarchy(store);
const consolidated = await consolidateMetadata(store);

// Read it back through a fresh, read-only store, as a colleague would.
const reader = await zarr.withConsolidatedMetadata(
  await SwiftStore.open({ container, prefix, auth, readOnly: true }),
  { format: "v3" },
);
const group = await zarr.open.v3(reader, { kind: "group" });
const t = await zarr.open.v3(zarr.root(reader).resolve("temperature"), { kind: "array" });
const e = await zarr.open.v3(zarr.root(reader).resolve("elevation"), { kind: "array" });
const all = await zarr.get(t);
const firstWeek = await zarr.get(t, [zarr.slice(0, 7), 0]);
const elevations = await zarr.get(e);
const same = (all.data as Float32Array).every((v, i) => v === values[i]) &&
  (elevations.data as Int32Array).every((v, i) => v === heights[i]);

const keys: string[] = [];
for await (const key of store.list()) keys.push(key);
console.log(`  group attributes: ${JSON.stringify(group.attrs)}`);
console.log(`  temperature: ${t.shape.join(" x ")} ${t.dtype}, chunks ${t.chunks.join(" x ")}`);
console.log(
  `  elevation:   ${e.shape.join(" x ")} ${e.dtype}: ${[...(elevations.data as Int32Array)].join(", ")} m`,
);
console.log(`  hamburg, first week: ${[...(firstWeek.data as Float32Array)].join(", ")} degC`);
console.log(
  `  check: ${
    check.valid ? "valid for zarr-python and xarray" : "INVALID"
  } (${check.nodes} nodes, ${check.problems.length} problems); consolidated ${consolidated.nodes} nodes into ${
    consolidated.key.slice(1)
  }`,
);
console.log(`  ${keys.length} objects in ${container}/${prefix}: ${keys.join(" ")}`);
console.log(
  `${same ? "Read back every value as written" : "MISMATCH between written and read values"} in ${
    ((performance.now() - started) / 1000).toFixed(2)
  } s.`,
);
if (!same || !check.valid) Deno.exit(1);

/** What the shipped examples write opens in Python: the demo's dataset passes validateHierarchy; zarrita's defaults do not. */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { validateHierarchy } from "../src/zarr/mod.ts";
import { SwiftStore } from "../mod.ts";
import { AUTH_URL, dropContainer, tempAuth, uniqueName, USERS } from "./_swift.ts";

const ROOT = new URL("..", import.meta.url).pathname;

Deno.test("examples/demo.ts writes a hierarchy valid for zarr-python 3 and xarray, consolidated; zarrita's defaults are reported", async () => {
  const container = uniqueName("demo");
  try {
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}examples/demo.ts`],
      env: {
        ST_AUTH: AUTH_URL,
        ST_USER: USERS.tester.user,
        ST_KEY: USERS.tester.key,
        ZARRSWIFT_DEMO_CONTAINER: container,
        NO_COLOR: "1",
        PATH: Deno.env.get("PATH") ?? "",
      },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(run.stdout);
    assert.ok(run.success, new TextDecoder().decode(run.stderr) + stdout);
    assert.match(
      stdout,
      /check: valid for zarr-python and xarray \(3 nodes, 0 problems\); consolidated 3 nodes into zarr\.json/,
    );

    const store = await SwiftStore.open({ container, prefix: "zarr-demo", auth: tempAuth() });
    const report = await validateHierarchy(store);
    assert.deepEqual(report, { format: 3, nodes: 3, valid: true, problems: [] });
    const root = JSON.parse(new TextDecoder().decode(await store.get("/zarr.json")));
    assert.deepEqual(Object.keys(root.consolidated_metadata.metadata).sort(), ["elevation", "temperature"]);
    for (const meta of Object.values(root.consolidated_metadata.metadata) as Record<string, unknown>[]) {
      assert.deepEqual((meta.codecs as { name: string }[]).map((c) => c.name), ["bytes", "zstd"]);
      assert.notEqual(meta.fill_value, null);
      assert.equal((meta.dimension_names as string[]).length, (meta.shape as number[]).length);
    }

    // The same array with zarrita's defaults: what zarr-python 3 refuses, named.
    await zarr.create(zarr.root(store).resolve("defaults"), {
      shape: [4],
      chunkShape: [2],
      dtype: "float32",
    });
    const after = await validateHierarchy(store);
    assert.equal(after.valid, false);
    assert.deepEqual(after.problems.map((p) => `${p.key} ${p.rule}`), [
      "/defaults/zarr.json array-bytes-codec",
      "/defaults/zarr.json dimension-names",
      "/defaults/zarr.json fill-value",
      "/zarr.json consolidated-stale",
    ]);
  } finally {
    await dropContainer(container);
  }
});

/**
 * `tree.ts` on hierarchies with corrupt metadata, run as a subprocess against the real
 * Swift: a node whose document is not JSON, or is JSON but not zarr metadata, shows as
 * a `✗` line naming the object at fault while the rest of the tree still prints (exit
 * 1; `--check` reports it with its rule; `--json` carries it as the node's `error`); a
 * consolidated document that is not usable is reported and every node read instead;
 * Python's bare `NaN` is JSON, not corruption; a failed read (503) is still an error,
 * never a node shown as missing.
 */
import assert from "node:assert/strict";
import { FaultProxy } from "./_fault_proxy.ts";
import { envThrough, writeTree } from "./_movers.ts";
import { python } from "./_python.ts";
import { type Ran, script } from "./_scripts.ts";
import { AUTH_URL, dropContainer, uniqueName } from "./_swift.ts";
import { arrayDoc, groupDoc } from "./_zarr.ts";

/** The `--json` lines of a run. */
const jsonLines = (ran: Ran): Record<string, unknown>[] =>
  ran.stdout.trim().split("\n").map((line) => JSON.parse(line));

/** A regular expression matching `text` literally. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Writes the CF dataset with Python (zarr v2, not consolidated, or consolidated) into a temp dir. */
async function pythonDataset(consolidate: boolean): Promise<{ dir: string; out: string }> {
  const dir = await Deno.makeTempDir({ prefix: "zs-tree-" });
  const out = `${dir}/cf.zarr`;
  await python("write_cf.py", out, `${dir}/dump.json`, ...(consolidate ? [] : ["--no-consolidate"]));
  return { dir, out };
}

async function upload(dir: string, target: string): Promise<void> {
  const up = await script("upload", [dir, target]);
  assert.equal(up.code, 0, up.stderr);
}

Deno.test("tree.ts shows the rest of an xarray dataset and its node whose .zarray is not JSON, naming the object (exit 1)", async () => {
  const container = uniqueName("treebroken");
  const { dir, out } = await pythonDataset(false);
  try {
    await Deno.writeTextFile(`${out}/temperature/.zarray`, "{not json\n");
    await upload(out, `${container}/broken`);
    const brokenLine = new RegExp(
      `^ {2}temperature {2}✗ Expected JSON metadata in ${
        literal(`${container}/broken/temperature/.zarray`)
      }, found "not json\\\\n" at line 1, column 2$`,
      "m",
    );

    const tree = await script("tree", [`${container}/broken`]);
    assert.equal(tree.code, 1, tree.stdout + tree.stderr);
    assert.equal(tree.stderr, "");
    assert.match(tree.stdout, brokenLine);
    assert.match(
      tree.stdout,
      /^ {2}pressure {2}array <i2 \[10, 4\] chunks \[5, 2\], 4 stored \(\d+ B\) \(zarr v2\)$/m,
    );
    assert.match(tree.stdout, /^ {6}counts {2}array <u2 \[6, 5\] chunks \[4, 4\], 4 stored/m);
    assert.match(tree.stdout, /^ {2}time {2}array <i8 \[10\]/m);
    assert.match(tree.stdout, /^metadata: one read per node, 12 reads$/m);
    assert.equal(tree.stdout.trim().split("\n").length, 13, "the root, 11 nodes, the metadata line");

    const check = await script("tree", ["--check", `${container}/broken`]);
    assert.equal(check.code, 1, check.stdout + check.stderr);
    assert.equal(check.stderr, "");
    assert.match(check.stdout, brokenLine);
    assert.match(check.stdout, /^error: \/temperature\/\.zarray: .*\[json\]$/m);
    assert.match(check.stdout, /^check: \d+ nodes, 1 error, \d+ warnings?$/m);

    const json = await script("tree", ["--json", `${container}/broken`]);
    assert.equal(json.code, 1, json.stderr);
    const nodes = jsonLines(json);
    assert.equal(nodes.length, 12);
    assert.deepEqual(nodes.filter((n) => n.error !== undefined).map((n) => [n.path, n.kind, n.error]), [[
      "/temperature",
      "array",
      `Expected JSON metadata in ${container}/broken/temperature/.zarray, found "not json\\n" at line 1, column 2`,
    ]]);
    assert.deepEqual(nodes.find((n) => n.path === "/pressure")?.shape, [10, 4]);
  } finally {
    await dropContainer(container);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tree.ts shows each v3 zarr.json that is not JSON, or not zarr metadata, as a ✗ line; --json carries the error", async () => {
  const container = uniqueName("treebroken3");
  const dir = await Deno.makeTempDir({ prefix: "zs-tree-" });
  try {
    await writeTree(dir, {
      "zarr.json": JSON.stringify(groupDoc()),
      "ok/zarr.json": JSON.stringify(arrayDoc()),
      "ok/c/0/0": new Uint8Array(16),
      "garbled/zarr.json": '{"zarr_format": 3, "node_type": "array", "shape": [4,',
      "empty/zarr.json": "",
      "binary/zarr.json": Uint8Array.of(0xff, 0xfe, 0x00),
      "list/zarr.json": "[1, 2]",
      "noshape/zarr.json": JSON.stringify(arrayDoc({ shape: undefined })),
      "nokind/zarr.json": JSON.stringify({ zarr_format: 3, node_type: "dataset" }),
      "g/zarr.json": JSON.stringify(groupDoc()),
      "g/v2/zarr.json": JSON.stringify({ ...groupDoc(), zarr_format: 2 }),
    });
    await upload(dir, `${container}/ds`);
    const at = (rel: string) => literal(`${container}/ds/${rel}/zarr.json`);

    const tree = await script("tree", [`${container}/ds`]);
    assert.equal(tree.code, 1, tree.stdout + tree.stderr);
    assert.equal(tree.stderr, "");
    const expected = [
      /^http:\S+ {2}group$/,
      new RegExp(
        `^ {2}binary {2}✗ Expected JSON metadata in ${at("binary")}, found bytes that are not UTF-8 text$`,
      ),
      new RegExp(`^ {2}empty {2}✗ Expected JSON metadata in ${at("empty")}, found 0 bytes$`),
      /^ {2}g {2}group$/,
      new RegExp(`^ {4}v2 {2}✗ Expected zarr_format 3 in ${at("g/v2")}, found 2$`),
      new RegExp(
        `^ {2}garbled {2}✗ Expected JSON metadata in ${
          at("garbled")
        }, found the end of the text at line 1, column 54$`,
      ),
      new RegExp(`^ {2}list {2}✗ Expected a JSON object in ${at("list")}, found an array$`),
      new RegExp(
        `^ {2}nokind {2}✗ Expected node_type "array" or "group" in ${at("nokind")}, found "dataset"$`,
      ),
      new RegExp(
        `^ {2}noshape {2}✗ Expected shape to be a list of integers ≥ 0 in ${at("noshape")}, found nothing$`,
      ),
      /^ {2}ok {2}array float32 \[4, 4\] chunks \[2, 2\], 1 stored \(16 B\)$/,
      /^metadata: one read per node, 10 reads$/,
    ];
    const lines = tree.stdout.trim().split("\n");
    assert.equal(lines.length, expected.length, tree.stdout);
    lines.forEach((line, i) => assert.match(line, expected[i]));

    const json = await script("tree", ["--json", `${container}/ds`]);
    assert.equal(json.code, 1, json.stderr);
    assert.deepEqual(
      jsonLines(json).map((n) => [n.path, n.kind ?? null, typeof n.error === "string"]),
      [
        ["/", "group", false],
        ["/binary", null, true],
        ["/empty", null, true],
        ["/g", "group", false],
        ["/g/v2", "group", true],
        ["/garbled", null, true],
        ["/list", null, true],
        ["/nokind", null, true],
        ["/noshape", "array", true],
        ["/ok", "array", false],
      ],
    );

    // --check reports each of them with its rule, and the tree still prints.
    const check = await script("tree", ["--check", `${container}/ds`]);
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stdout, /^ {2}ok {2}array float32/m);
    for (const rel of ["binary", "empty", "garbled", "list"]) {
      assert.match(check.stdout, new RegExp(`^error: /${rel}/zarr\\.json: .*\\[json\\]$`, "m"));
    }
    assert.match(check.stdout, /^error: \/noshape\/zarr\.json: .*\[shape\]$/m);
    assert.match(check.stdout, /^error: \/nokind\/zarr\.json: .*\[node-type\]$/m);
  } finally {
    await dropContainer(container);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tree.ts with a root zarr.json that is not JSON shows the root as ✗ and the nodes below it", async () => {
  const container = uniqueName("treeroot");
  const dir = await Deno.makeTempDir({ prefix: "zs-tree-" });
  try {
    await writeTree(dir, {
      "zarr.json": "{nope",
      "a/zarr.json": JSON.stringify(arrayDoc()),
    });
    await upload(dir, `${container}/ds`);
    const tree = await script("tree", [`${container}/ds`]);
    assert.equal(tree.code, 1, tree.stdout + tree.stderr);
    assert.equal(tree.stderr, "");
    assert.match(
      tree.stdout,
      new RegExp(
        `^http:\\S+/${container}/ds {2}✗ Expected JSON metadata in ${
          literal(`${container}/ds/zarr.json`)
        }, found "nope" at line 1, column 2\n {2}a {2}array float32 \\[4, 4\\]`,
      ),
    );
  } finally {
    await dropContainer(container);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tree.ts with consolidated metadata that is not usable reads every node, and says so (exit 1)", async () => {
  const container = uniqueName("treecons");
  const { dir, out } = await pythonDataset(true);
  const v3 = await Deno.makeTempDir({ prefix: "zs-tree-" });
  try {
    // v2: a .zmetadata cut short.
    const zmetadata = await Deno.readTextFile(`${out}/.zmetadata`);
    await Deno.writeTextFile(`${out}/.zmetadata`, zmetadata.slice(0, 40));
    await upload(out, `${container}/v2`);
    const tree = await script("tree", [`${container}/v2`]);
    assert.equal(tree.code, 1, tree.stdout + tree.stderr);
    assert.equal(tree.stderr, "");
    assert.match(tree.stdout, /^ {2}temperature {2}array <f4 \[10, 4\] chunks \[4, 4\]/m);
    assert.match(
      tree.stdout,
      new RegExp(
        `^metadata: one read per node, 13 reads ✗ Expected JSON metadata in ${
          literal(`${container}/v2/.zmetadata`)
        }, found the end of the text at line \\d+, column \\d+$`,
        "m",
      ),
    );
    const json = jsonLines(await script("tree", ["--json", `${container}/v2`]));
    assert.equal(json.filter((n) => n.metadata === "node").length, 12);
    assert.match(
      String(json.find((n) => n.path === undefined)?.error),
      /^Expected JSON metadata in .*\/\.zmetadata, /,
    );

    // v3: an entry of consolidated_metadata that is no zarr metadata names the entry.
    await writeTree(v3, {
      "zarr.json": JSON.stringify({
        ...groupDoc(),
        consolidated_metadata: {
          kind: "inline",
          must_understand: false,
          metadata: { a: arrayDoc(), b: arrayDoc({ shape: "4" }) },
        },
      }),
      "a/zarr.json": JSON.stringify(arrayDoc()),
      "b/zarr.json": JSON.stringify(arrayDoc()),
    });
    await upload(v3, `${container}/v3`);
    const cons = await script("tree", [`${container}/v3`]);
    assert.equal(cons.code, 1, cons.stdout + cons.stderr);
    assert.match(cons.stdout, /^ {2}a {2}array float32 \[4, 4\]/m);
    assert.match(
      cons.stdout,
      new RegExp(
        `^ {2}b {2}✗ Expected shape to be a list of integers ≥ 0 in the entry b of the consolidated metadata in ${
          literal(`${container}/v3/zarr.json`)
        }, found "4"$`,
        "m",
      ),
    );
    assert.match(cons.stdout, /^metadata: consolidated metadata \(zarr\.json\), 1 read$/m);
  } finally {
    await dropContainer(container);
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(v3, { recursive: true });
  }
});

Deno.test("tree.ts reads the bare NaN and Infinity Python writes in consolidated attributes: JSON, not corruption", async () => {
  const container = uniqueName("treenan");
  const dir = await Deno.makeTempDir({ prefix: "zs-tree-" });
  // As zarr 2.13 writes them (json.dumps, indent 4, sorted keys, allow_nan).
  const zarray = {
    chunks: [4],
    compressor: null,
    dtype: "<f8",
    fill_value: "NaN",
    filters: null,
    order: "C",
    shape: [4],
    zarr_format: 2,
  };
  const attrs = '{\n    "_ARRAY_DIMENSIONS": [\n        "t"\n    ],\n    "valid_min": NaN\n}';
  const zmetadata = `{\n    "metadata": {\n        ".zattrs": {\n            "x": -Infinity\n        },\n` +
    `        ".zgroup": {\n            "zarr_format": 2\n        },\n` +
    `        "temp/.zarray": ${JSON.stringify(zarray)},\n        "temp/.zattrs": ${attrs}\n    },\n` +
    `    "zarr_consolidated_format": 1\n}`;
  try {
    await writeTree(dir, {
      ".zgroup": '{\n    "zarr_format": 2\n}',
      ".zattrs": '{\n    "x": -Infinity\n}',
      ".zmetadata": zmetadata,
      "temp/.zarray": JSON.stringify(zarray),
      "temp/.zattrs": attrs,
      "temp/0": new Uint8Array(32),
    });
    await upload(dir, `${container}/ds`);
    const tree = await script("tree", [`${container}/ds`]);
    assert.equal(tree.code, 0, tree.stdout + tree.stderr);
    assert.doesNotMatch(tree.stdout, /✗/);
    assert.match(tree.stdout, /^ {2}temp {2}array <f8 \[4\] chunks \[4\], 1 stored \(32 B\) \(zarr v2\)$/m);
    assert.match(tree.stdout, /^metadata: consolidated metadata \(\.zmetadata\), 1 read$/m);
  } finally {
    await dropContainer(container);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tree.ts: a metadata read that fails (503) is an error, never a node shown as missing", async () => {
  const container = uniqueName("tree503");
  const dir = await Deno.makeTempDir({ prefix: "zs-tree-" });
  const proxy = await FaultProxy.start(new URL(AUTH_URL).origin, { status503: 1 });
  proxy.filter = () => false;
  try {
    await writeTree(dir, {
      "zarr.json": JSON.stringify(groupDoc()),
      "a/zarr.json": JSON.stringify(arrayDoc()),
      "b/zarr.json": JSON.stringify(arrayDoc()),
    });
    await upload(dir, `${container}/ds`);
    proxy.filter = (method, url) =>
      method === "GET" && new URL(url, "http://x").pathname.endsWith("/ds/b/zarr.json");
    for (const flags of [[], ["--json"], ["--check"]]) {
      const ran = await script("tree", [...flags, "--retries", "0", `${container}/ds`], {
        env: envThrough(proxy),
      });
      assert.equal(ran.code, 1, `${flags}: ${ran.stdout}${ran.stderr}`);
      assert.equal(ran.stdout, "", `${flags}: nothing printed as if b were not there`);
      assert.match(ran.stderr, /^tree\.ts: .*503.*\(the server failed; try again later\)\n$/);
    }
    assert.ok(proxy.counts.status503 >= 3);
  } finally {
    await proxy.close();
    await dropContainer(container);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tree.ts under a root that is no zarr node: a header, and each node named by its path from its nearest ancestor node", async () => {
  const container = uniqueName("treeroot");
  const dir = await Deno.makeTempDir({ prefix: "zs-tree-root-" });
  try {
    await writeTree(dir, {
      "datasets/run42/zarr.json": JSON.stringify(groupDoc()),
      "datasets/run42/t/zarr.json": JSON.stringify(arrayDoc()),
      "other/zarr.json": JSON.stringify(groupDoc()),
    });
    await upload(dir, container);
    const tree = await script("tree", [container]);
    assert.equal(tree.code, 0, tree.stderr);
    const lines = tree.stdout.trim().split("\n");
    assert.match(lines[0], new RegExp(`/${container} {2}\\(no zarr node here\\)$`));
    assert.match(lines[1], /^ {2}datasets\/run42 {2}group$/);
    assert.match(lines[2], /^ {4}t {2}array /);
    assert.match(lines[3], /^ {2}other {2}group$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await dropContainer(container);
  }
});

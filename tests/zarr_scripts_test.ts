/** upload.ts --consolidate, tree.ts on consolidated metadata, tree.ts --check: run as subprocesses against the real Swift. */
import assert from "node:assert/strict";
import { AUTH_URL, dropContainer, uniqueName, USERS } from "./_swift.ts";
import { arrayDoc, groupDoc } from "./_zarr.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const CREDS = { ST_AUTH: AUTH_URL, ST_USER: USERS.tester.user, ST_KEY: USERS.tester.key };

async function script(
  name: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}scripts/${name}.ts`, ...args],
    env: { ...CREDS, NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

async function writeTree(dir: string, files: Record<string, unknown>): Promise<void> {
  for (const [path, doc] of Object.entries(files)) {
    await Deno.mkdir(`${dir}/${path.slice(0, path.lastIndexOf("/") + 1)}`, { recursive: true });
    await (doc instanceof Uint8Array
      ? Deno.writeFile(`${dir}/${path}`, doc)
      : Deno.writeTextFile(`${dir}/${path}`, JSON.stringify(doc)));
  }
}

Deno.test("upload.ts --consolidate, then tree.ts reads one consolidated document", async () => {
  const container = uniqueName("upcons");
  const src = await Deno.makeTempDir();
  try {
    await writeTree(src, {
      "zarr.json": groupDoc({ title: "t" }),
      "g/zarr.json": groupDoc(),
      "g/a/zarr.json": arrayDoc(),
      "g/a/c/0/0": new Uint8Array(16),
      "b/zarr.json": arrayDoc({ data_type: "int16", fill_value: 0 }),
    });
    const before = await script("tree", [`${container}/ds`]);
    assert.equal(before.code, 1, "no container yet");

    const up = await script("upload", ["--consolidate", src, `${container}/ds`]);
    assert.equal(up.code, 0, up.stderr);
    assert.match(
      up.stdout,
      /^consolidated the metadata of 4 zarr v3 nodes into zarr\.json \(\d+(\.\d)? KiB\)$/m,
    );

    const tree = await script("tree", [`${container}/ds`]);
    assert.equal(tree.code, 0, tree.stderr);
    assert.match(tree.stdout, /^ {4}a {2}array float32 \[4, 4\] chunks \[2, 2\], 1 stored \(16 B\)$/m);
    assert.match(tree.stdout, /^ {2}b {2}array int16 \[4, 4\]/m);
    assert.match(tree.stdout, /^metadata: consolidated metadata \(zarr\.json\), 1 read$/m);
    const json = (await script("tree", ["--json", `${container}/ds`])).stdout.trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    assert.deepEqual(json.map((n) => [n.path, n.kind, n.metadata]), [
      ["/", "group", "consolidated"],
      ["/b", "array", "consolidated"],
      ["/g", "group", "consolidated"],
      ["/g/a", "array", "consolidated"],
    ]);

    // --json upload summary names what it consolidated.
    const again = await script("upload", ["--changed", "--consolidate", "--json", src, `${container}/ds`]);
    assert.deepEqual(JSON.parse(again.stdout.trim()).consolidated, { format: 3, nodes: 4 });
  } finally {
    await dropContainer(container);
    await Deno.remove(src, { recursive: true });
  }
});

Deno.test("tree.ts --check names each broken node and rule, and exits 1; upload.ts --consolidate refuses them", async () => {
  const container = uniqueName("check");
  const src = await Deno.makeTempDir();
  try {
    await writeTree(src, {
      "zarr.json": groupDoc(),
      "ok/zarr.json": arrayDoc(),
      "zarrita/zarr.json": arrayDoc({ codecs: [], fill_value: null, dimension_names: undefined }),
    });
    const up = await script("upload", ["--consolidate", src, `${container}/ds`]);
    assert.equal(up.code, 1);
    assert.match(
      up.stderr,
      /^upload\.ts: Expected a hierarchy valid for zarr readers, found 2 problems: \S+\/ds\/zarrita\/zarr\.json: .*\[array-bytes-codec\]/m,
    );
    const check = await script("tree", ["--check", `${container}/ds`]);
    assert.equal(check.code, 1);
    assert.match(check.stdout, /^metadata: one read per node, 3 reads$/m);
    assert.match(
      check.stdout,
      /^error: \/zarrita\/zarr\.json: Expected codecs to hold an array-to-bytes codec .*\[array-bytes-codec\]$/m,
    );
    assert.match(check.stdout, /^error: \/zarrita\/zarr\.json: Expected fill_value .*\[fill-value\]$/m);
    assert.match(
      check.stdout,
      /^warning: \/zarrita\/zarr\.json: Expected dimension_names .*\[dimension-names\]$/m,
    );
    assert.match(check.stdout, /^check: 3 nodes, 2 errors, 1 warning$/m);

    await Deno.remove(`${src}/zarrita`, { recursive: true });
    await script("rm", ["--recursive", "--yes", `${container}/ds/zarrita`]);
    const fixed = await script("tree", ["--check", `${container}/ds`]);
    assert.equal(fixed.code, 0, fixed.stdout);
    assert.match(fixed.stdout, /^check: 2 nodes, 0 errors, 0 warnings$/m);
  } finally {
    await dropContainer(container);
    await Deno.remove(src, { recursive: true });
  }
});

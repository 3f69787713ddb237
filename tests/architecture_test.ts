/**
 * The shape of the code, checked on the module graph `deno info --json` builds: no
 * import cycle anywhere in `src/`, `scripts/` and `bench/`; layers depend only on
 * the ones below them; scripts reach the library only through `mod.ts`; no file in
 * `src/` is too long to read in one sitting.
 */
import assert from "node:assert/strict";

const ROOT = new URL("..", import.meta.url);
const ROOT_PATH = ROOT.pathname;

/** The layers of `src/`, bottom first: a file may import only from its own layer or one below. */
const LAYERS: [string, RegExp][] = [
  ["util", /^src\/util\//],
  ["provider interface", /^src\/auth\/provider\.ts$/],
  ["http", /^src\/http\//],
  ["auth", /^src\/auth\//],
  ["swift", /^src\/swift\//],
  ["store", /^src\/store\//],
  ["above the store", /^src\/(zarr|view)\//],
];

function layerOf(file: string): number {
  const index = LAYERS.findIndex(([, pattern]) => pattern.test(file));
  assert.ok(index >= 0, `${file} lies in no layer: add its folder to LAYERS`);
  return index;
}

/** Local files (relative to the repository) and the local files each imports. */
async function graph(roots: string[]): Promise<Map<string, Set<string>>> {
  const edges = new Map<string, Set<string>>();
  for (const root of roots) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", root],
      cwd: ROOT_PATH,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      modules: {
        specifier: string;
        dependencies?: { code?: { specifier: string }; type?: { specifier: string } }[];
      }[];
    };
    const local = (specifier: string) =>
      specifier.startsWith(ROOT.href) ? specifier.slice(ROOT.href.length) : undefined;
    for (const module of info.modules) {
      const from = local(module.specifier);
      if (from === undefined) continue;
      const targets = edges.get(from) ?? new Set<string>();
      for (const dep of module.dependencies ?? []) {
        for (const target of [dep.code?.specifier, dep.type?.specifier]) {
          const to = target && local(target);
          if (to) targets.add(to);
        }
      }
      edges.set(from, targets);
    }
  }
  return edges;
}

/** Every cycle reachable in `edges`, each as the list of files around it. */
function cycles(edges: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return found;
}

const scripts = [...Deno.readDirSync(new URL("scripts", ROOT))]
  .filter((e) => e.isFile && e.name.endsWith(".ts")).map((e) => `scripts/${e.name}`);
const bench = [...Deno.readDirSync(new URL("bench", ROOT))]
  .filter((e) => e.isFile && e.name.endsWith(".ts")).map((e) => `bench/${e.name}`);

Deno.test("the cycle finder finds a cycle (so that finding none means something)", () => {
  const ring = new Map([["a", new Set(["b"])], ["b", new Set(["c"])], ["c", new Set(["a"])], [
    "d",
    new Set(["a"]),
  ]]);
  assert.deepEqual(cycles(ring), [["a", "b", "c", "a"]]);
  assert.deepEqual(cycles(new Map([["a", new Set(["b"])], ["b", new Set<string>()]])), []);
});

Deno.test("no import cycle in src/, scripts/ or bench/", async () => {
  const edges = await graph(["mod.ts", ...scripts, ...bench]);
  assert.ok([...edges.keys()].filter((f) => f.startsWith("src/")).length > 30, "the graph covers src/");
  assert.deepEqual(cycles(edges).map((c) => c.join(" → ")), []);
});

Deno.test("each layer of src/ imports only from its own layer or the ones below", async () => {
  const edges = await graph(["mod.ts"]);
  const upward: string[] = [];
  for (const [from, targets] of edges) {
    if (!from.startsWith("src/")) continue;
    for (const to of targets) {
      if (!to.startsWith("src/")) {
        upward.push(`${from} → ${to} (outside src/)`);
      } else if (layerOf(to) > layerOf(from)) {
        upward.push(`${from} (${LAYERS[layerOf(from)][0]}) → ${to} (${LAYERS[layerOf(to)][0]})`);
      }
    }
  }
  assert.deepEqual(upward, []);
});

Deno.test("scripts reach the library only through mod.ts", async () => {
  const edges = await graph(scripts);
  const back: string[] = [];
  for (const [from, targets] of edges) {
    if (!from.startsWith("scripts/")) continue;
    for (const to of targets) if (to.startsWith("src/")) back.push(`${from} → ${to}`);
  }
  assert.deepEqual(back, []);
});

Deno.test("no file in src/ is longer than 350 lines", async () => {
  const long: string[] = [];
  const walk = async (dir: URL, rel: string) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(new URL(`${e.name}/`, dir), `${rel}${e.name}/`);
      else if (e.name.endsWith(".ts")) {
        const lines = (await Deno.readTextFile(new URL(e.name, dir))).split("\n").length;
        if (lines > 350) long.push(`${rel}${e.name}: ${lines} lines`);
      }
    }
  };
  await walk(new URL("src/", ROOT), "src/");
  assert.deepEqual(long, []);
});

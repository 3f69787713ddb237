/** The published library stays on Web standards: no Deno.* and no node: imports in mod.ts or src/. */
import assert from "node:assert/strict";

Deno.test("mod.ts and src/ use no Deno namespace and import no node: modules", async () => {
  const root = new URL("..", import.meta.url);
  const walk = (dir: string): string[] =>
    [...Deno.readDirSync(new URL(dir, root))].flatMap((e) =>
      e.isDirectory ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]
    );
  const files = ["mod.ts", ...walk("src")];
  assert.ok(files.length > 10);
  for (const file of files) {
    const text = await Deno.readTextFile(new URL(file, root));
    const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    assert.ok(!/\bDeno\s*\./.test(code), `${file} uses the Deno namespace`);
    assert.ok(!/(from|import)\s*\(?\s*["']node:/.test(code), `${file} imports a node: module`);
    assert.ok(!/from\s+["'](jsr:|https?:)/.test(code), `${file} imports from JSR or a URL`);
    // Bare imports must be mapped to npm packages in deno.json (they become package.json dependencies).
    for (const [, spec] of code.matchAll(/from\s+["']([^."'][^"']*)["']/g)) {
      assert.ok(
        ["hash-wasm", "zarrita"].includes(spec),
        `${file} imports ${spec}, which is not an allowed runtime dependency`,
      );
    }
  }
});

/**
 * Every script's `--help`: exit 0, a usage line first, plain text only (no control
 * character written raw, as `ls.ts` once wrote ESC and CR where it meant to show
 * `\x1b` and `\r`), wrapped for an ordinary terminal, with what its exit statuses mean.
 */
import assert from "node:assert/strict";
import { ROOT, script } from "./_scripts.ts";

/** The widest line a help text may have. */
const WIDTH = 100;

Deno.test("every script's --help is plain text, starts with its usage and is wrapped", async () => {
  const names: string[] = [];
  for await (const e of Deno.readDir(`${ROOT}scripts`)) {
    if (e.isFile && /^[a-z]\w*\.ts$/.test(e.name)) names.push(e.name.slice(0, -3));
  }
  assert.ok(names.length >= 19, `scripts found: ${names}`);
  await Promise.all(
    names.sort().map(async (name) => {
      const ran = await script(name, ["--help"]);
      assert.equal(ran.code, 0, `${name}.ts --help: exit ${ran.code}, ${ran.stderr}`);
      assert.ok(
        ran.stdout.startsWith(`Usage: ${name}.ts`),
        `${name}.ts --help starts with ${ran.stdout.slice(0, 40)}`,
      );
      // deno-lint-ignore no-control-regex
      const control = /[\x00-\x09\x0b-\x1f\x7f]/.exec(ran.stdout);
      assert.equal(
        control,
        null,
        `${name}.ts --help writes U+${control?.[0].charCodeAt(0).toString(16)} raw`,
      );
      assert.match(ran.stdout, /\nExit status: 0 /, `${name}.ts --help says what its exit statuses mean`);
      const wide = ran.stdout.split("\n").filter((line) => [...line].length > WIDTH);
      assert.deepEqual(wide, [], `${name}.ts --help has lines over ${WIDTH} characters`);
    }),
  );
});

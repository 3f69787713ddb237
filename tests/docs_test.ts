/**
 * The public API is documented as Deno std documents its own: every export of
 * `mod.ts` has a doc comment and an example; every function and method says what
 * each parameter is (`@param`) and what it answers (`@returns`); every example has a
 * title, runs (no `ignore`: `deno test --doc` runs them in CI) and asserts its
 * results instead of printing them.
 */
import assert from "node:assert/strict";

interface JsDoc {
  doc?: string;
  tags?: { kind: string; name?: string; doc?: string }[];
}
interface Param {
  kind: string;
  name?: string;
  left?: { name?: string };
}
interface FunctionDef {
  params: Param[];
  returnType?: { repr: string };
}
interface Symbol {
  name: string;
  declarations: {
    kind: string;
    jsDoc?: JsDoc;
    def: FunctionDef & {
      methods?: ({
        name: string;
        jsDoc?: JsDoc;
        accessibility?: string;
        kind: string;
        functionDef?: FunctionDef;
      } & Partial<FunctionDef>)[];
      constructors?: { jsDoc?: JsDoc; accessibility?: string; params: Param[] }[];
    };
  }[];
}

async function publicSymbols(): Promise<Symbol[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", "mod.ts"],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
  }).output();
  const json = JSON.parse(new TextDecoder().decode(out.stdout));
  return (Object.values(json.nodes)[0] as { symbols: Symbol[] }).symbols;
}

function paramName(p: Param): string | undefined {
  return p.name ?? p.left?.name;
}

/** What is missing from a function's or method's doc. */
function functionGaps(where: string, jsDoc: JsDoc | undefined, def: FunctionDef): string[] {
  const gaps: string[] = [];
  const tags = jsDoc?.tags ?? [];
  for (const p of def.params) {
    const name = paramName(p);
    if (name && !tags.some((t) => t.kind === "param" && t.name === name)) {
      gaps.push(`${where}: no @param ${name}`);
    }
  }
  const returns = def.returnType?.repr ?? "";
  if (!/^(void|Promise<void>|)$/.test(returns) && !tags.some((t) => t.kind === "return")) {
    gaps.push(`${where}: no @returns`);
  }
  return gaps;
}

/** What is wrong with the examples of one doc comment; `required` when one must exist. */
function exampleGaps(where: string, jsDoc: JsDoc | undefined, required: boolean): string[] {
  const examples = (jsDoc?.tags ?? []).filter((t) => t.kind === "example");
  if (examples.length === 0) return required ? [`${where}: no @example`] : [];
  const gaps: string[] = [];
  for (const example of examples) {
    const text = example.doc ?? "";
    const title = text.split("\n")[0].trim();
    if (title === "" || title.startsWith("```")) gaps.push(`${where}: an @example without a title`);
    if (/```ts\s+ignore/.test(text)) gaps.push(`${where}: an @example that does not run (ignore)`);
    if (!/\bassert/.test(text)) gaps.push(`${where}: an @example that asserts nothing`);
  }
  return gaps;
}

Deno.test("every public symbol, function and method is documented with @param, @returns and a titled, asserting example that runs", async () => {
  const symbols = await publicSymbols();
  assert.ok(symbols.length > 80, `mod.ts exports ${symbols.length} symbols`);
  const gaps: string[] = [];
  for (const symbol of symbols) {
    for (const decl of symbol.declarations) {
      gaps.push(...exampleGaps(symbol.name, decl.jsDoc, true));
      if (decl.kind === "function") gaps.push(...functionGaps(symbol.name, decl.jsDoc, decl.def));
      for (const method of decl.def.methods ?? []) {
        if (method.accessibility === "private" || method.accessibility === "protected") continue;
        const where = `${symbol.name}.${method.name}`;
        // Class methods carry a functionDef; interface methods their params directly.
        const def = method.functionDef ?? { params: method.params ?? [], returnType: method.returnType };
        if (method.kind === "method") gaps.push(...functionGaps(where, method.jsDoc, def));
        gaps.push(...exampleGaps(where, method.jsDoc, false));
      }
      for (const ctor of decl.def.constructors ?? []) {
        if (ctor.accessibility === "private") continue;
        gaps.push(...functionGaps(`new ${symbol.name}`, ctor.jsDoc, { params: ctor.params }));
      }
    }
  }
  assert.deepEqual(gaps, []);
});

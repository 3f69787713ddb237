#!/usr/bin/env bash
# Runs the cross-runtime tests (tests/runtime/*.mjs) under Node and Bun against the
# package JSR would publish for npm users: mod.ts and src/ transpiled to JavaScript with
# type declarations (TypeScript's emit, relative imports rewritten to .js), npm
# dependencies from deno.json's import map in package.json. JSR itself is not reachable
# from our machines, so this is its emulation. Needs the local Swift (dev/swift.sh start).
# Before the runtime tests, a TypeScript project as `npm init` makes one (CommonJS by
# default, `moduleResolution: node10`) must find the package's types (`types`/`main`
# fallbacks next to `exports`) and load it with `import()`.
#
#   dev/npm_test.sh [node|bun|tsc]...   (default: node bun; tsc alone: build and type check only)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/dist
runtimes=("$@")
[ ${#runtimes[@]} -gt 0 ] || runtimes=(node bun)

if ! command -v bun >/dev/null 2>&1 && [[ " ${runtimes[*]} " == *" bun "* ]]; then
  echo "npm_test.sh: installing Bun from npm" >&2
  npm install -g bun@1 >/dev/null 2>&1
fi

# 1. The build toolchain (TypeScript) and the sources.
rm -rf "$OUT/build" "$OUT/package" "$OUT/consumer" "$OUT/ts-consumer"
mkdir -p "$OUT/build" "$OUT/package" "$OUT/consumer"
cp -r mod.ts src "$OUT/build/"
version=$(deno eval 'console.log(JSON.parse(Deno.readTextFileSync("deno.json")).version)')
deps=$(deno eval '
  const imports = JSON.parse(Deno.readTextFileSync("deno.json")).imports;
  const walk = (dir) => [...Deno.readDirSync(dir)].flatMap((e) => e.isDirectory ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]);
  const src = walk("src").map((file) => Deno.readTextFileSync(file)).join("\n");
  const deps = {};
  for (const [name, spec] of Object.entries(imports)) {
    if (!spec.startsWith("npm:") || !src.includes(`"${name}"`)) continue;
    deps[name] = spec.slice(4).slice(spec.slice(4).lastIndexOf("@") + 1);
  }
  console.log(JSON.stringify(deps));')
cat >"$OUT/build/package.json" <<JSON
{ "name": "build", "private": true, "type": "module", "dependencies": $deps }
JSON
(cd "$OUT/build" && npm install --silent --no-audit --no-fund typescript@5 >/dev/null 2>&1)

# 2. What JSR publishes for npm: JavaScript and declarations, per module.
(cd "$OUT/build" && npx tsc --outDir "$OUT/package" --declaration --rewriteRelativeImportExtensions \
  --module nodenext --moduleResolution nodenext --target es2022 --lib es2024,dom,dom.iterable,dom.asynciterable \
  --strict --skipLibCheck mod.ts)
cat >"$OUT/package/package.json" <<JSON
{
  "name": "@zarrswift/store",
  "version": "$version",
  "type": "module",
  "exports": { ".": { "types": "./mod.d.ts", "default": "./mod.js" } },
  "main": "./mod.js",
  "types": "./mod.d.ts",
  "dependencies": $deps
}
JSON
cp README.md LICENSE "$OUT/package/"

# 3. A consumer project, as a user's: the package plus zarrita.
zarrita=$(deno eval 'console.log(JSON.parse(Deno.readTextFileSync("deno.json")).imports.zarrita.replace("npm:zarrita@", ""))')
cat >"$OUT/consumer/package.json" <<JSON
{ "name": "consumer", "private": true, "type": "module",
  "dependencies": { "@zarrswift/store": "file:../package", "zarrita": "$zarrita" } }
JSON
cp tests/runtime/*.mjs "$OUT/consumer/"
(cd "$OUT/consumer" && npm install --silent --no-audit --no-fund --install-links >/dev/null 2>&1)

# 4. A TypeScript project with npm's defaults: CommonJS ("type" unset), moduleResolution
# node10, which reads "types" and not "exports". tsc must find real types (the
# @ts-expect-error fails if the import were untyped), and node must load the package
# from CommonJS with import().
mkdir -p "$OUT/ts-consumer"
cat >"$OUT/ts-consumer/package.json" <<JSON
{ "name": "ts-consumer", "private": true,
  "dependencies": { "@zarrswift/store": "file:../package", "zarrita": "$zarrita" } }
JSON
cat >"$OUT/ts-consumer/tsconfig.json" <<'JSON'
{ "compilerOptions": { "module": "commonjs", "moduleResolution": "node10", "target": "es2022",
    "lib": ["es2022", "dom", "dom.iterable"], "strict": true, "noEmit": true, "skipLibCheck": true },
  "files": ["check.ts"] }
JSON
cat >"$OUT/ts-consumer/check.ts" <<'TS'
import type { SwiftStore, SwiftStoreOptions } from "@zarrswift/store";

export const options: SwiftStoreOptions = { container: "data", prefix: "run-42", readOnly: true };
// @ts-expect-error: a container is a string; this line errs only if the types were found
export const wrong: SwiftStoreOptions = { container: 42 };

/** The module loaded from CommonJS: ES modules come in through import(). */
export async function open(): Promise<SwiftStore> {
  const { SwiftStore, authFromEnv } = await import("@zarrswift/store");
  return await SwiftStore.open({ ...options, auth: authFromEnv() });
}
TS
cat >"$OUT/ts-consumer/load.cjs" <<'JS'
import("@zarrswift/store").then((m) => {
  if (typeof m.SwiftStore?.open !== "function") throw new Error("no SwiftStore.open");
  console.log("CommonJS import() of @zarrswift/store: ok");
});
JS
(cd "$OUT/ts-consumer" && npm install --silent --no-audit --no-fund --install-links >/dev/null 2>&1)
echo "== tsc --noEmit (CommonJS, moduleResolution node10)"
(cd "$OUT/ts-consumer" && "$OUT/build/node_modules/.bin/tsc" -p . && node load.cjs)

# 5. The tests, in each runtime.
cd "$OUT/consumer"
for runtime in "${runtimes[@]}"; do
  [ "$runtime" = tsc ] && continue
  echo "== $runtime $("$runtime" --version)"
  case "$runtime" in
  node) node --test --test-reporter=spec ./*_test.mjs ;;
  bun) bun test --timeout 60000 ./*_test.mjs ;;
  *) echo "unknown runtime $runtime" >&2; exit 2 ;;
  esac
done

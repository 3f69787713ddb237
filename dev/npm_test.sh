#!/usr/bin/env bash
# Runs the cross-runtime tests (tests/runtime/*.mjs) under Node and Bun against the
# package JSR would publish for npm users: mod.ts and src/ transpiled to JavaScript with
# type declarations (TypeScript's emit, relative imports rewritten to .js), npm
# dependencies from deno.json's import map in package.json. JSR itself is not reachable
# from our machines, so this is its emulation. Needs the local Swift (dev/swift.sh start).
#
#   dev/npm_test.sh [node|bun]...   (default: both)
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
rm -rf "$OUT/build" "$OUT/package" "$OUT/consumer"
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
  --module nodenext --moduleResolution nodenext --target es2022 --lib es2024,dom,dom.iterable \
  --strict --skipLibCheck mod.ts)
cat >"$OUT/package/package.json" <<JSON
{
  "name": "@zarrswift/store",
  "version": "$version",
  "type": "module",
  "exports": { ".": { "types": "./mod.d.ts", "default": "./mod.js" } },
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

# 4. The tests, in each runtime.
cd "$OUT/consumer"
for runtime in "${runtimes[@]}"; do
  echo "== $runtime $("$runtime" --version)"
  case "$runtime" in
  node) node --test --test-reporter=spec ./*_test.mjs ;;
  bun) bun test --timeout 60000 ./*_test.mjs ;;
  *) echo "unknown runtime $runtime" >&2; exit 2 ;;
  esac
done

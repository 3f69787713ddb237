/**
 * Helpers for the Python interop tests: Debian's Python (`/usr/bin/python3`, with
 * python3-xarray, python3-zarr 2.13 and python3-numcodecs, which `dev/python.sh`
 * installs), the scripts in `tests/python/`, and python-swiftclient's `swift` CLI.
 * Nothing skips: without them the tests fail and say what to install.
 */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { AUTH_URL, USERS } from "./_swift.ts";

const PYTHON = "/usr/bin/python3";
const SCRIPTS = new URL("./python/", import.meta.url).pathname;

async function run(cmd: string, args: string[], what: string): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    stdout: "piped",
    stderr: "piped",
    env: { PYTHONWARNINGS: "ignore" },
  })
    .output()
    .catch((err) => {
      throw new Error(`${what}: cannot run ${cmd} (${err.message})`);
    });
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${what} failed (exit ${out.code}):\n${stderr}`);
  return new TextDecoder().decode(out.stdout);
}

/** Runs `tests/python/<script>` with Debian's Python; answers its stdout. */
export async function python(script: string, ...args: string[]): Promise<string> {
  const probe = await new Deno.Command(PYTHON, {
    args: ["-c", "import xarray, zarr, numcodecs"],
    stderr: "null",
  })
    .output().catch(() => undefined);
  if (!probe?.success) {
    throw new Error(
      "Expected Debian's python3-xarray, python3-zarr and python3-numcodecs for /usr/bin/python3, found them missing: run bash dev/python.sh",
    );
  }
  return await run(PYTHON, [SCRIPTS + script, ...args], `python ${script}`);
}

/** Runs python-swiftclient's `swift` CLI as tester against the local Swift. */
export function swiftCli(...args: string[]): Promise<string> {
  return run(
    "swift",
    ["-A", AUTH_URL, "-U", USERS.tester.user, "-K", USERS.tester.key, ...args],
    `swift ${args[0]}`,
  );
}

/** One array as write_cf.py dumped it. */
export interface Dumped {
  dtype: string;
  shape: number[];
  order: "C" | "F";
  values: (number | string | boolean)[];
}

/** Reads the dump write_cf.py wrote. */
export async function readDump(path: string): Promise<Record<string, Dumped>> {
  return JSON.parse(await Deno.readTextFile(path));
}

/**
 * A zarrita result as the dump writes values: row-major whatever its strides,
 * floats' NaN/±inf as strings, 64-bit integers as strings.
 */
export function asDumped(chunk: zarr.Chunk<zarr.DataType>): (number | string | boolean)[] {
  const { data, shape, stride } = chunk;
  const out: (number | string | boolean)[] = [];
  const size = shape.reduce((a, b) => a * b, 1);
  const at = (flat: number) => {
    let offset = 0;
    for (let d = shape.length - 1, rest = flat; d >= 0; d--) {
      offset += (rest % shape[d]) * stride[d];
      rest = Math.floor(rest / shape[d]);
    }
    return offset;
  };
  const get = (i: number): unknown =>
    data instanceof zarr.BoolArray || data instanceof zarr.UnicodeStringArray ||
      data instanceof zarr.ByteStringArray
      ? data.get(i)
      : (data as unknown as ArrayLike<unknown>)[i];
  for (let i = 0; i < size; i++) {
    const v = get(at(i));
    if (typeof v === "bigint") out.push(String(v));
    else if (typeof v === "number" && !Number.isFinite(v)) {
      out.push(Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    } else out.push(v as number | string | boolean);
  }
  return out;
}

/** Checks one array read by zarrita against the dump. */
export function assertSameAsDumped(path: string, chunk: zarr.Chunk<zarr.DataType>, dumped: Dumped): void {
  assert.deepEqual(chunk.shape, dumped.shape, `${path}: shape`);
  assert.deepEqual(asDumped(chunk), dumped.values, `${path}: values`);
}

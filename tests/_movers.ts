/**
 * Helpers for the tests of the movers' toolkit (issue 16): a counting proxy in front
 * of the real Swift with the scripts' credentials pointed at it, python-swiftclient's
 * `swift`, local trees written and read back, object listings, and scripts run under
 * a pseudo-terminal (`script`).
 */
import assert from "node:assert/strict";
import { SwiftStore } from "../mod.ts";
import { FaultProxy } from "./_fault_proxy.ts";
import { ROOT } from "./_scripts.ts";
import { AUTH_URL, dropContainer, raw, tempAuth, uniqueName, USERS } from "./_swift.ts";

export const MiB = 1 << 20;

/** What a test scope offers for cleanup (a `Scope` of `_hostile.ts`). */
interface Deferring {
  defer(fn: () => unknown): void;
}

/** A container name no other test uses; the container and its segment container are dropped when `t` ends. */
export function scopedContainer(t: Deferring, label: string): string {
  const name = uniqueName(label);
  t.defer(async () => {
    await dropContainer(name);
    await dropContainer(`${name}_segments`);
  });
  return name;
}

/** A temporary directory, removed with everything in it when `t` ends. */
export async function scopedTempDir(t: Deferring, prefix: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix });
  t.defer(() => Deno.remove(dir, { recursive: true }));
  return dir;
}

/** The scripts' credentials through `proxy`. */
export function envThrough(proxy: FaultProxy): Record<string, string> {
  return { ST_AUTH: `${proxy.url}/auth/v1.0`, ST_USER: USERS.tester.user, ST_KEY: USERS.tester.key };
}

/** A proxy without faults (it counts requests and bytes) in front of the local Swift. */
export function countingProxy(): Promise<FaultProxy> {
  return FaultProxy.start(new URL(AUTH_URL).origin, {});
}

/** Requests that change something (PUT, POST, DELETE, COPY) among those a proxy saw. */
export function writes(proxy: FaultProxy): string[] {
  return proxy.traffic.filter((e) => !["GET", "HEAD"].includes(e.method)).map((e) => `${e.method} ${e.url}`);
}

/** The python-swiftclient CLI as tester; answers stdout. */
export async function swiftCli(args: string[]): Promise<string> {
  const out = await new Deno.Command("swift", {
    args: ["-A", AUTH_URL, "-U", USERS.tester.user, "-K", USERS.tester.key, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, `swift ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout);
}

/** Writes files (relative path → bytes or text) under `dir`. */
export async function writeTree(dir: string, files: Record<string, Uint8Array | string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const path = `${dir}/${rel}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
  }
}

/** Every regular file under `dir`: relative path → bytes (an absent dir is empty). */
export async function readTree(dir: string, rel = ""): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const here = rel ? `${dir}/${rel}` : dir;
  if (!(await Deno.stat(here).catch(() => undefined))) return files;
  for await (const e of Deno.readDir(here)) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) { for (const [k, v] of await readTree(dir, r)) files.set(k, v); }
    else if (e.isFile) files.set(r, await Deno.readFile(`${dir}/${r}`));
  }
  return files;
}

/** Object names in a container (under `prefix`), sorted; a missing container has none. */
export async function names(container: string, prefix = ""): Promise<string[]> {
  const res = await raw(
    "GET",
    `/${encodeURIComponent(container)}?format=json&prefix=${encodeURIComponent(prefix)}`,
  );
  if (res.status === 404) {
    await res.body?.cancel();
    return [];
  }
  return ((await res.json()) as { name: string }[]).map((e) => e.name).sort();
}

/** Whether a container exists. */
export async function containerExists(container: string): Promise<boolean> {
  const res = await raw("HEAD", `/${encodeURIComponent(container)}`);
  await res.body?.cancel();
  return res.status === 204 || res.status === 200;
}

/** A store over a container (created), as tester. */
export function storeOver(container: string, prefix = ""): Promise<SwiftStore> {
  return SwiftStore.open({ container, prefix, auth: tempAuth() });
}

/** Drops containers (and their `_segments`) when the test ends. */
export async function dropAll(containers: string[]): Promise<void> {
  for (const c of containers) {
    await dropContainer(c);
    await dropContainer(`${c}_segments`);
  }
}

/** Runs a script under a pseudo-terminal (`script`), answering its exit code and all it wrote. */
export async function underPty(
  name: string,
  args: string[],
  env: Record<string, string>,
  limit = 90_000,
): Promise<{ code: number; out: string }> {
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const command = [Deno.execPath(), "run", "-A", `${ROOT}scripts/${name}.ts`, ...args].map(quote).join(" ");
  const out = await new Deno.Command("script", {
    args: ["-q", "-e", "-c", command, "/dev/null"],
    env: { ...env, NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "/root" },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(limit),
  }).output();
  return { code: out.code, out: new TextDecoder().decode(out.stdout) };
}

/** `md5` of bytes, hex. */
export { md5 } from "./_hostile.ts";

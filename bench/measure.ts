/**
 * Running processes on this machine and timing them: a plain command (`sh`), the local
 * Swift's start and reclaim (`dev/swift.sh`), and a timed run under GNU time once the
 * machine is idle, with the CPU Swift's servers spent meanwhile (from /proc).
 *
 * Imports: stats.ts (the `Run` it answers). Nothing else of bench/.
 *
 * @module
 */

import type { Run } from "./stats.ts";

/** The counters of a latency proxy before and after a run, and what the run cost it (see link.ts). */
export interface Observer<C, U> {
  counters(): Promise<C>;
  use(before: C, after: C): U;
}

/** The repository's root directory (with a trailing slash). */
export const ROOT: string = new URL("..", import.meta.url).pathname;

/**
 * Runs `cmd` to its end; answers its standard output.
 *
 * @throws {Error} When it fails (with the end of its standard error).
 */
export async function sh(cmd: string[], env: Record<string, string> = {}, cwd?: string): Promise<string> {
  const out = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    env,
    cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    throw new Error(
      `${cmd.slice(0, 3).join(" ")} failed: ${new TextDecoder().decode(out.stderr).slice(-500)}`,
    );
  }
  return new TextDecoder().decode(out.stdout);
}

/** Starts the local Swift as the tests do (`dev/swift.sh start`, idempotent). */
export async function startSwift(): Promise<void> {
  await new Deno.Command("bash", { args: [`${ROOT}dev/swift.sh`, "start"] }).output();
}

/** Drops the tombstones of the deletes so far (`dev/swift.sh reclaim`). */
export async function reclaim(): Promise<void> {
  await sh(["bash", `${ROOT}dev/swift.sh`, "reclaim"]);
}

/** CPU clock ticks (USER_HZ, 100 on Linux) used so far by each of Swift's servers and memcached. */
async function serverTicks(): Promise<Map<string, number>> {
  const ticks = new Map<string, number>();
  for await (const e of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const args = (await Deno.readTextFile(`/proc/${e.name}/cmdline`)).split("\0");
      if (!/\/swift-(proxy|object|container|account)-/.test(args[1] ?? "") && !/memcached$/.test(args[0])) {
        continue;
      }
      const stat = await Deno.readTextFile(`/proc/${e.name}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks.set(e.name, Number(fields[11]) + Number(fields[12])); // utime, stime
    } catch {
      // The process ended.
    }
  }
  return ticks;
}

/** The longest wait for an idle machine before each run, in seconds (`--settle`). */
let settleSeconds = 20;

/** Sets the longest wait for an idle machine before each run (0: none; for quick runs on a busy machine). */
export function setSettle(seconds: number): void {
  settleSeconds = seconds;
}

/** Waits (up to `settleSeconds`) until the machine is idle, so that no run pays for the last one's aftermath. */
async function settle(): Promise<void> {
  const sample = async () => {
    const f = (await Deno.readTextFile("/proc/stat")).split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    return { idle: f[3] + f[4], total: f.reduce((a, b) => a + b, 0) };
  };
  const deadline = Date.now() + settleSeconds * 1000;
  while (Date.now() < deadline) {
    const a = await sample();
    await new Promise((r) => setTimeout(r, 500));
    const b = await sample();
    if ((b.idle - a.idle) / (b.total - a.total) > 0.9) return;
  }
}

/**
 * Runs `cmd` under GNU time once the machine is idle; answers wall seconds, user+sys CPU
 * seconds and peak RSS of the client, the CPU seconds the server spent meanwhile, what
 * the run cost the latency proxy when there is one (`link`), and the `note` the command
 * printed when its last line of output is JSON with one.
 */
export async function measure<C>(
  cmd: string[],
  env: Record<string, string>,
  link?: Observer<C, Partial<Run>>,
): Promise<Run> {
  await settle();
  const load = Deno.loadavg()[0];
  const before = await serverTicks();
  const linkBefore = await link?.counters();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "TIME %e %U %S %M", ...cmd],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${cmd.slice(0, 4).join(" ")} failed: ${stderr.slice(-800)}`);
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr);
  if (!m) throw new Error(`no timing from ${cmd[0]}: ${stderr.slice(-300)}`);
  const used = link && linkBefore !== undefined ? link.use(linkBefore, await link.counters()) : {};
  const last = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "";
  let note: string | undefined;
  try {
    note = last.startsWith("{") ? JSON.parse(last).note : undefined;
  } catch { /* not JSON */ }
  return {
    ...used,
    ...(note ? { note } : {}),
    load,
    seconds: Number(m[1]),
    cpu: Number(m[2]) + Number(m[3]),
    rssMiB: Number(m[4]) / 1024,
    // A process that ended meanwhile (an updater's sweep) takes its share with it.
    serverCpu: [...(await serverTicks())].reduce((sum, [pid, t]) => sum + t - (before.get(pid) ?? 0), 0) /
      100,
  };
}

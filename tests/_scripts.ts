/**
 * Running the command-line scripts as subprocesses (as `scripts_test.ts` does),
 * with a hard time limit, signals sent mid-run, an optional wrapper command (e.g.
 * `setpriv` to drop root's permission to read every file), and a check that no
 * script printed a token or key.
 */
import assert from "node:assert/strict";
import { AUTH_URL, login, USERS } from "./_swift.ts";

/** The repository root. */
export const ROOT = new URL("..", import.meta.url).pathname;

/** TempAuth credentials of the local Swift, as the scripts read them. */
export const CREDS: Record<string, string> = {
  ST_AUTH: AUTH_URL,
  ST_USER: USERS.tester.user,
  ST_KEY: USERS.tester.key,
};

/** How a script run ended. */
export interface Ran {
  /** Exit code (128 + signal number when a signal ended it). */
  code: number;
  /** The signal that ended it, `null` when it exited by itself. */
  signal: Deno.Signal | null;
  /** Its standard output. */
  stdout: string;
  /** Its standard error. */
  stderr: string;
  /** Whether the time limit killed it. */
  timedOut: boolean;
}

/** Options of {@link start}. */
export interface ScriptOptions {
  /** The environment (default: {@link CREDS}); nothing else is inherited but `PATH` and `HOME`. */
  env?: Record<string, string>;
  /** A command to run the script under, e.g. `["setpriv", "--inh-caps=-all", "--"]`. */
  wrapper?: string[];
  /** Milliseconds before the script is killed (default 60,000). */
  limit?: number;
  /** Secrets that must not appear in its output (besides the TempAuth key and a fresh token). */
  secrets?: string[];
  /** Text written to its standard input (default: none, stdin is closed). */
  stdin?: string;
}

/** A running script: its process and how it ends. */
export interface Running {
  /** The process (to send signals). */
  child: Deno.ChildProcess;
  /** Resolves when it has ended; checks that it printed no secret. */
  done: Promise<Ran>;
}

/** Starts `scripts/<name>.ts` with `args`. */
export function start(name: string, args: string[], options: ScriptOptions = {}): Running {
  const wrapper = options.wrapper ?? [];
  const argv = [Deno.execPath(), "run", "-A", `${ROOT}scripts/${name}.ts`, ...args];
  const command = [...wrapper, ...argv];
  const child = new Deno.Command(command[0], {
    args: command.slice(1),
    env: {
      ...(options.env ?? CREDS),
      NO_COLOR: "1",
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "/root",
    },
    clearEnv: true,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    writer.write(new TextEncoder().encode(options.stdin)).then(() => writer.close()).catch(() => {});
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }, options.limit ?? 60_000);
  const done = (async () => {
    const out = await child.output().finally(() => clearTimeout(timer));
    const ran: Ran = {
      code: out.code,
      signal: out.signal,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
      timedOut,
    };
    const { token } = await login();
    for (const secret of [token, USERS.tester.key, ...(options.secrets ?? [])]) {
      assert.ok(!ran.stdout.includes(secret) && !ran.stderr.includes(secret), `${name}.ts printed a secret`);
    }
    return ran;
  })();
  return { child, done };
}

/** Runs `scripts/<name>.ts` with `args` to its end. */
export function script(name: string, args: string[], options: ScriptOptions = {}): Promise<Ran> {
  return start(name, args, options).done;
}

/** The last JSON line of a script's output (its `--json` summary). */
export function summary(ran: Ran): Record<string, number> {
  const line = ran.stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(line);
  } catch {
    throw new assert.AssertionError({
      message: `Expected a JSON summary as the last line, found ${
        JSON.stringify(line)
      } (exit ${ran.code}; stderr: ${ran.stderr.slice(0, 500)})`,
    });
  }
}

/** Waits until `ready()` is true, polling. */
export async function until(ready: () => boolean, what: string, limit = 30_000): Promise<void> {
  const end = Date.now() + limit;
  while (!ready()) {
    if (Date.now() > end) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

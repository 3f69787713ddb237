/**
 * What every script shares: argument parsing (`node:util` `parseArgs`), credentials
 * from python-swiftclient's environment variables and `swift` CLI flags, the
 * `<container>[/<prefix>]` location syntax, exit codes (0 success, 1 failure, 2 bad
 * usage), a progress bar on terminals, and error output without secrets.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import {
  authFromEnv,
  type AuthProvider,
  NetworkError,
  PreAuth,
  type RetryEvent,
  SwiftAccount,
  SwiftError,
  SwiftStore,
  TempAuth,
} from "../mod.ts";

/** Bad command-line usage: exit code 2 with a one-line reason. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The swift CLI's Keystone flags; each maps to the environment variable of the same name. */
const KEYSTONE_FLAGS = [
  "os-auth-url",
  "os-username",
  "os-user-id",
  "os-password",
  "os-user-domain-name",
  "os-user-domain-id",
  "os-project-name",
  "os-project-id",
  "os-project-domain-name",
  "os-project-domain-id",
  "os-region-name",
  "os-interface",
  "os-application-credential-id",
  "os-application-credential-name",
  "os-application-credential-secret",
];

/** The credential flags of the `swift` CLI. */
export const AUTH_OPTIONS: Options = {
  auth: { type: "string", short: "A" },
  user: { type: "string", short: "U" },
  key: { type: "string", short: "K" },
  "os-storage-url": { type: "string" },
  "os-auth-token": { type: "string" },
  "retries": { type: "string" },
  verbose: { type: "boolean", short: "v" },
  // Keystone v3, as the swift CLI names them.
  ...Object.fromEntries(KEYSTONE_FLAGS.map((flag) => [flag, { type: "string" as const }])),
};

/** Credentials and connection flags, for `--help` texts. */
export const AUTH_HELP =
  `Credentials (as the swift CLI): -A/--auth URL -U/--user ACCOUNT:USER -K/--key KEY, or
--os-storage-url URL --os-auth-token TOKEN; else the environment: OS_STORAGE_URL +
OS_AUTH_TOKEN, or ST_AUTH + ST_USER + ST_KEY. --retries N (default 5), -v/--verbose
reports retries on stderr.`;

/** Parsed arguments. */
export interface Parsed {
  /** Option values by name. */
  values: Record<string, string | boolean | undefined>;
  /** Positional arguments. */
  positionals: string[];
}

/**
 * Parses `args`; prints `help` and exits 0 on `--help`; throws {@link UsageError}
 * on unknown options or a wrong number of positionals.
 */
export function parse(
  args: string[],
  options: Options,
  help: string,
  positionals: { min: number; max: number },
): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split("\n")[0]);
  }
  if (parsed.values.help) {
    console.log(help.trim());
    Deno.exit(0);
  }
  const n = parsed.positionals.length;
  if (n < positionals.min || n > positionals.max) {
    const want = positionals.min === positionals.max
      ? `${positionals.min}`
      : `${positionals.min} to ${positionals.max}`;
    throw new UsageError(`expected ${want} argument${positionals.max === 1 ? "" : "s"}, found ${n}`);
  }
  return { values: parsed.values as Parsed["values"], positionals: parsed.positionals };
}

/** A positive integer flag, or `fallback`. */
export function intFlag(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new UsageError(`--${name} expects a non-negative integer, found ${value}`);
  }
  return n;
}

/** A size such as `1073741824`, `512M`, `1G` or `64KiB`. */
export function sizeFlag(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const match = /^(\d+)\s*([KMGT]?)(i?B)?$/i.exec(String(value));
  if (!match) throw new UsageError(`--${name} expects a size like 1073741824, 512M or 1G, found ${value}`);
  const scale = { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[match[2].toUpperCase()]!;
  const n = Number(match[1]) * scale;
  if (n < 1) throw new UsageError(`--${name} must be positive`);
  return n;
}

/** The credentials: flags first, then the environment. */
export function authFrom(values: Parsed["values"]): AuthProvider {
  const str = (name: string) => typeof values[name] === "string" ? values[name] as string : undefined;
  const storageUrl = str("os-storage-url");
  const token = str("os-auth-token");
  if (storageUrl || token) {
    if (!storageUrl || !token) throw new UsageError("--os-storage-url and --os-auth-token go together");
    return new PreAuth({ storageUrl, token });
  }
  const authUrl = str("auth") ?? Deno.env.get("ST_AUTH");
  const user = str("user") ?? Deno.env.get("ST_USER");
  const key = str("key") ?? Deno.env.get("ST_KEY");
  if (str("auth") || str("user") || str("key")) {
    if (!authUrl || !user || !key) {
      throw new UsageError("-A, -U and -K go together (or set ST_AUTH, ST_USER, ST_KEY)");
    }
    return new TempAuth({ authUrl, user, key });
  }
  // Keystone flags override the matching OS_* variables.
  const env = Deno.env.toObject();
  for (const flag of KEYSTONE_FLAGS) {
    const value = str(flag);
    if (value !== undefined) env[flag.toUpperCase().replaceAll("-", "_")] = value;
  }
  try {
    return authFromEnv(env);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}; or pass -A, -U, -K`);
  }
}

/** Connection settings shared by stores and accounts opened by scripts. */
export function connection(values: Parsed["values"], concurrency?: number) {
  return {
    auth: authFrom(values),
    retries: intFlag(values.retries, "retries", 5),
    ...(concurrency === undefined ? {} : { concurrency }),
    onRetry: values.verbose
      ? (e: RetryEvent) =>
        console.error(
          `retry ${e.attempt}/${e.retries} of ${e.method} ${e.path} in ${e.delay} ms: ${e.error.message}`,
        )
      : undefined,
  };
}

/** A location `<container>[/<prefix-or-object>]`. */
export interface Location {
  /** The container. */
  container: string;
  /** What follows the first `/`, without leading or trailing `/` (`""` for none). */
  path: string;
}

/** Splits `<container>[/<path>]`. */
export function location(arg: string): Location {
  const at = arg.indexOf("/");
  const container = at < 0 ? arg : arg.slice(0, at);
  if (container === "") throw new UsageError(`expected <container>[/<prefix>], found ${JSON.stringify(arg)}`);
  return { container, path: at < 0 ? "" : arg.slice(at + 1).replace(/^\/+|\/+$/g, "") };
}

/** Opens a store over a location's container and prefix. */
export async function openStore(
  loc: Location,
  values: Parsed["values"],
  options: { readOnly?: boolean; concurrency?: number; createContainer?: boolean } = {},
): Promise<SwiftStore> {
  return await SwiftStore.open({
    container: loc.container,
    prefix: loc.path,
    readOnly: options.readOnly ?? true,
    createContainer: options.createContainer ?? false,
    ...connection(values, options.concurrency),
  });
}

/** Opens the account. */
export async function openAccount(values: Parsed["values"]): Promise<SwiftAccount> {
  return await SwiftAccount.open(connection(values));
}

/**
 * Runs a script's main function: exit 0 when it resolves, 2 with a one-line reason
 * on bad usage, 1 with the error's message on any other failure (messages of this
 * library never hold secrets).
 */
export async function run(name: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${name}: ${err.message} (see --help)`);
      Deno.exit(2);
    }
    if (err instanceof SwiftError || err instanceof TypeError || err instanceof RangeError) {
      const hint = err instanceof NetworkError ? " (is the server reachable?)" : "";
      console.error(`${name}: ${err.message}${hint}`);
      Deno.exit(1);
    }
    console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    Deno.exit(1);
  }
}

/** Human-readable bytes. */
export function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? Math.round(n) : n.toFixed(1)} ${units[i]}`;
}

/** A progress line on stderr when it is a terminal; silent otherwise. */
export class Progress {
  #total: number | undefined;
  #done = 0;
  #bytes = 0;
  #started = performance.now();
  #last = 0;
  #on: boolean;

  /** Shows progress when `enabled` and stderr is a terminal. */
  constructor(enabled: boolean, total?: number) {
    this.#on = enabled && Deno.stderr.isTerminal();
    this.#total = total;
  }

  /** Whether a progress line is shown (stderr is a terminal and it was asked for). */
  get shown(): boolean {
    return this.#on;
  }

  /** Sets the total, once known. */
  set total(n: number) {
    this.#total = n;
  }

  /** Counts one object of `size` bytes as done. */
  tick(size: number): void {
    this.#done++;
    this.#bytes += size;
    const now = performance.now();
    if (this.#on && now - this.#last > 100) {
      this.#last = now;
      this.#draw(now);
    }
  }

  #draw(now: number): void {
    const seconds = (now - this.#started) / 1000;
    const rate = this.#bytes / Math.max(seconds, 1e-3);
    const total = this.#total;
    const width = 24;
    const filled = total ? Math.round((this.#done / Math.max(total, 1)) * width) : 0;
    const bar = total ? `[${"#".repeat(filled)}${" ".repeat(width - filled)}] ` : "";
    const eta = total && this.#done > 0
      ? ` ETA ${Math.max(0, Math.round(((total - this.#done) * seconds) / this.#done))} s`
      : "";
    const line = `${bar}${this.#done}${total ? `/${total}` : ""} objects, ${bytes(this.#bytes)}, ${
      bytes(rate)
    }/s${eta}`;
    Deno.stderr.writeSync(new TextEncoder().encode(`\r${line}\x1b[K`));
  }

  /** Clears the line. */
  done(): void {
    if (this.#on) Deno.stderr.writeSync(new TextEncoder().encode("\r\x1b[K"));
  }
}

/** Runs `task` over `items` with at most `limit` at once. */
export async function pool<T>(
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  task: (item: T) => Promise<void>,
) {
  const running = new Set<Promise<void>>();
  let failure: unknown;
  for await (const item of items) {
    if (failure !== undefined) break;
    const p: Promise<void> = task(item).catch((err) => {
      failure ??= err;
    }).finally(() => running.delete(p));
    running.add(p);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
  if (failure !== undefined) throw failure;
}

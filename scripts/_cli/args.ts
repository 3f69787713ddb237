/**
 * Command-line arguments: `node:util`'s `parseArgs` with a `--help` flag, one-line
 * usage errors, and flags for counts and sizes. Nothing here exits the process:
 * {@link parseCommand} answers the help text or throws a {@link UsageError}, and
 * `run.ts` turns those into output and an exit code.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";

/** Bad command-line usage: exit code 2 with a one-line reason. */
export class UsageError extends Error {}

/** The options a script accepts, as `parseArgs` takes them. */
export type Options = NonNullable<ParseArgsConfig["options"]>;

/** Option values by name. */
export type Values = Record<string, string | boolean | string[] | undefined>;

/** Parsed arguments, or the request for help. */
export type Parsed =
  | { help: true; text: string }
  | { help: false; values: Values; positionals: string[] };

/** Turns `parseArgs`' multi-line messages into one line that names the flag. */
function usageMessage(err: Error, options: Options): string {
  const first = err.message.split("\n")[0];
  const unknown = /^Unknown option '([^']+)'/.exec(first);
  if (unknown) return `unknown option ${unknown[1]}`;
  const ambiguous = /^Option '(--?[\w-]+)/.exec(first);
  if (ambiguous && / argument is ambiguous/.test(first)) {
    const flag = ambiguous[1];
    // Only the long form takes an inline value (`-d=1` would be the value "=1").
    const long = flag.startsWith("--")
      ? flag
      : `--${Object.entries(options).find(([, o]) => `-${o.short}` === flag)?.[0] ?? flag.slice(1)}`;
    return `${flag} expects a value, found an option after it (a value that starts with - is written ${long}=<value>)`;
  }
  return first.replace(/\.$/, "").replace(/^./, (c) => c.toLowerCase());
}

/**
 * A single-dash word that is a long option's name (`-changed`): `parseArgs` would
 * report its first letter alone (`unknown option -c`). Named whole, with the option
 * meant. Only such words are echoed: any other may be a secret (`-Kkey`, a value).
 */
function singleDashWord(args: string[], options: Options): string | undefined {
  const all: Options = { ...options, help: { type: "boolean", short: "h" } };
  const shorts = new Map(Object.values(all).filter((o) => o.short).map((o) => [o.short!, o.type]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") return undefined;
    // The value after a string option is no option, whatever it looks like.
    const long = /^--([^=]+)$/.exec(arg)?.[1];
    if (
      (long !== undefined && all[long]?.type === "string") ||
      (/^-\w$/.test(arg) && shorts.get(arg[1]) === "string")
    ) {
      i++;
      continue;
    }
    const word = /^-([A-Za-z][\w-]+)$/.exec(arg)?.[1];
    if (word !== undefined && word in options && !isShortCluster(word, shorts)) {
      return `unknown option ${arg}: did you mean --${word}?`;
    }
  }
  return undefined;
}

/** Whether `-<word>` is short flags as `parseArgs` reads them (`-lv`, or `-K<value>` after any of them). */
function isShortCluster(word: string, shorts: Map<string | undefined, string>): boolean {
  for (const c of word) {
    const type = shorts.get(c);
    if (type === undefined) return false;
    if (type === "string") return true;
  }
  return true;
}

/**
 * Parses `args`: `{ help: true, text }` on `-h`/`--help`, else the values and
 * positionals; throws {@link UsageError} on an unknown option, a missing value or a
 * wrong number of positionals.
 */
export function parseCommand(
  args: string[],
  options: Options,
  help: string,
  positionals: { min: number; max: number },
): Parsed {
  const word = singleDashWord(args, options);
  if (word !== undefined) throw new UsageError(word);
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(usageMessage(err as Error, options));
  }
  if (parsed.values.help) return { help: true, text: help.trim() };
  const n = parsed.positionals.length;
  if (n < positionals.min || n > positionals.max) {
    const want = positionals.min === positionals.max
      ? `${positionals.min}`
      : `${positionals.min} to ${positionals.max}`;
    throw new UsageError(`expected ${want} argument${positionals.max === 1 ? "" : "s"}, found ${n}`);
  }
  return { help: false, values: parsed.values as Values, positionals: parsed.positionals };
}

/** A non-negative integer flag, or `fallback`. */
export function intFlag(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new UsageError(`--${name} expects a non-negative integer, found ${value}`);
  }
  return n;
}

/** `--concurrency N`: at least 1 (0 would run nothing), or `fallback`. */
export function concurrencyFlag(values: Values, fallback: number): number {
  const n = intFlag(values.concurrency, "concurrency", fallback);
  if (n < 1) throw new UsageError(`--concurrency expects at least 1 request in flight, found ${n}`);
  return n;
}

/** A size such as `1073741824`, `512M`, `1G` or `64KiB`. */
export function sizeFlag(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const match = /^(\d+)\s*([KMGT]?)(i?B)?$/i.exec(String(value));
  if (!match) throw new UsageError(`--${name} expects a size like 1073741824, 512M or 1G, found ${value}`);
  const scale = { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[match[2].toUpperCase()]!;
  const n = Number(match[1]) * scale;
  if (n < 1) throw new UsageError(`--${name} expects a positive size, found ${value}`);
  return n;
}

/** A string flag's value, or `undefined`. */
export function str(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/** A repeatable string flag's values (`[]` when absent). */
export function list(values: Values, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
}

/**
 * How a script runs: arguments parsed (help printed, usage errors answered with
 * exit code 2), the main function run, failures printed as one line without
 * secrets (exit code 1), and the exit code the main function answers. The one place
 * that ends the process, with {@link exit} for the jobs' interruption handler.
 *
 * @module
 */

import {
  AuthError,
  ContainerNotFoundError,
  NetworkError,
  ServerError,
  SwiftError,
  TimeoutError,
} from "../../mod.ts";
import { type Options, parseCommand, UsageError, type Values } from "./args.ts";
import { terminalSafe } from "./format.ts";

/** What a script's main function gets. */
export interface Command {
  /** Option values by name. */
  values: Values;
  /** Positional arguments. */
  positionals: string[];
}

/** What a script accepts. */
export interface Spec {
  /** Its options (the credential flags are added by the script when it needs them). */
  options: Options;
  /** Its `--help` text. */
  help: string;
  /** How many positional arguments it takes. */
  positionals: { min: number; max: number };
}

let current = "";
/** The running script's option values (for advice that depends on how it was called). */
let currentValues: Values = {};

/** The running script's name (e.g. `upload.ts`), for messages. */
export function scriptName(): string {
  return current;
}

/** The running script's option values (`{}` before they are parsed). */
export function scriptValues(): Values {
  return currentValues;
}

/** Ends the process with `code`. */
export function exit(code: number): never {
  Deno.exit(code);
}

/** Advice for a CLI user, by the kind of failure. */
function advice(err: unknown): string {
  if (err instanceof NetworkError || err instanceof TimeoutError) return " (is the server reachable?)";
  if (err instanceof ServerError) return " (the server failed; try again later)";
  // A login (its path is the auth URL) that found no auth endpoint there.
  if (err instanceof SwiftError && /^https?:/.test(err.path ?? "")) {
    if (/\/v1\/[^/]+\/?$/.test(err.path!)) {
      return " (that is a storage URL, not an auth URL: TempAuth's usually ends in /auth/v1.0; or pass --os-storage-url with --os-auth-token)";
    }
    if ([400, 404, 405, 412].includes(err.status ?? 0)) {
      return " (check the auth URL: TempAuth's usually ends in /auth/v1.0, Keystone's in /v3)";
    }
  }
  if (err instanceof AuthError && err.status === 401) return tokenAdvice();
  if (err instanceof ContainerNotFoundError) {
    return " (check its name: ls.ts lists your containers; upload.ts creates a container it uploads to)";
  }
  return "";
}

/**
 * Where a refused pre-authenticated token came from, and how to get past it: a token in
 * the environment wins over ST_AUTH/ST_USER/ST_KEY there, which is easy to forget.
 */
function tokenAdvice(): string {
  if (currentValues["os-auth-token"] !== undefined) {
    return " (the token of --os-auth-token; token.ts gets a new one)";
  }
  const env = Deno.env.toObject();
  const flags = ["auth", "user", "key"].some((name) => currentValues[name] !== undefined);
  if (flags || !env.OS_AUTH_TOKEN || !env.OS_STORAGE_URL) return "";
  const login = env.ST_AUTH && env.ST_USER && env.ST_KEY
    ? ", or unset OS_STORAGE_URL and OS_AUTH_TOKEN to log in with ST_AUTH, ST_USER and ST_KEY"
    : "";
  return ` (the token is OS_AUTH_TOKEN's: eval "$(token.ts)" sets a new one${login})`;
}

/** The library's advice, in option names, and what a CLI user passes instead. */
const LIBRARY_ADVICE: [RegExp, string][] = [
  [/;? ?pass createContainer: true to create it/, ""],
  [/pass wholeContainer: true if that is meant/, "pass --whole-container if that is meant"],
  [/pass allowLongExpiry: true if that is meant/, "pass --allow-long-expiry if that is meant"],
];

/** An error's message as a CLI user should read it: advice given in flags, not in library options. */
export function cliMessage(err: unknown): string {
  let message = err instanceof Error ? err.message : String(err);
  for (const [library, cli] of LIBRARY_ADVICE) message = message.replace(library, cli);
  return message + (err instanceof SwiftError ? advice(err) : "");
}

/**
 * Runs a script: exit 0 when `main` resolves (or the code it answers), 2 with a
 * one-line reason on bad usage, 1 with the error's message on any other failure
 * (messages of this library never hold secrets).
 */
export async function run(
  name: string,
  spec: Spec,
  main: (command: Command) => Promise<number | void>,
  args: string[] = Deno.args,
): Promise<void> {
  let code: number;
  current = name;
  try {
    const parsed = parseCommand(args, spec.options, spec.help, spec.positionals);
    if (parsed.help) {
      console.log(parsed.text);
      code = 0;
    } else {
      currentValues = parsed.values;
      code = (await main(parsed)) ?? 0;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(terminalSafe(`${name}: ${err.message} (see --help)`));
      code = 2;
    } else {
      console.error(terminalSafe(`${name}: ${cliMessage(err)}`));
      code = 1;
    }
  }
  exit(code);
}

/**
 * Credentials and connection flags, as the `swift` CLI names them: `-A/-U/-K`
 * (TempAuth), `--os-storage-url`/`--os-auth-token` (a token), the `--os-*` Keystone
 * flags, else python-swiftclient's environment variables; `--retries`,
 * `--max-retry-time` and `--verbose` (retries reported on stderr).
 *
 * @module
 */

import {
  authFromEnv,
  type AuthProvider,
  type ConnectionOptions,
  DEFAULT_RETRY_POLICY,
  PreAuth,
  type RetryEvent,
  TempAuth,
} from "../../mod.ts";
import { intFlag, type Options, str, UsageError, type Values } from "./args.ts";
import { terminalSafe } from "./format.ts";
import { scriptName } from "./run.ts";

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
  retries: { type: "string" },
  "max-retry-time": { type: "string" },
  verbose: { type: "boolean", short: "v" },
  // Keystone v3, as the swift CLI names them.
  ...Object.fromEntries(KEYSTONE_FLAGS.map((flag) => [flag, { type: "string" as const }])),
};

/** Credentials and connection flags, for `--help` texts. */
export const AUTH_HELP =
  `Credentials (as the swift CLI): -A/--auth URL -U/--user ACCOUNT:USER -K/--key KEY (TempAuth), or
--os-storage-url URL --os-auth-token TOKEN, or Keystone v3: --os-auth-url URL with --os-username,
--os-password, --os-project-name (and the other --os-* flags of the swift CLI), or
--os-application-credential-id/-secret; else the environment: OS_STORAGE_URL + OS_AUTH_TOKEN,
ST_AUTH + ST_USER + ST_KEY, or OS_AUTH_URL with OS_* (Keystone).
Retries: a failed request is retried for up to --max-retry-time SECONDS (default 60), at most
--retries N times (default 20); -v/--verbose reports each retry on stderr.`;

/** The retry settings of `--retries`, `--max-retry-time` and `--verbose` (the library's defaults otherwise). */
export function retrySettings(values: Values): ConnectionOptions {
  const settings: ConnectionOptions = {};
  if (values.retries !== undefined) settings.retries = intFlag(values.retries, "retries", 0);
  const seconds = values["max-retry-time"];
  if (seconds !== undefined) {
    const n = Number(seconds);
    if (typeof seconds !== "string" || !/^\d+(\.\d+)?$/.test(seconds) || !(n <= 86_400)) {
      throw new UsageError(`--max-retry-time expects seconds (at most 86400), found ${seconds}`);
    }
    settings.maxRetryTime = Math.round(n * 1000);
  }
  if (values.verbose) {
    settings.onRetry = (e: RetryEvent) =>
      console.error(
        terminalSafe(
          `retry ${e.attempt}/${e.retries} of ${e.method} ${e.path} in ${e.delay} ms: ${e.error.message}`,
        ),
      );
  } else {
    // Without -v, one line the first time, so that a long wait is never silent.
    let told = false;
    settings.onRetry = (e: RetryEvent) => {
      if (told) return;
      told = true;
      const budget = (settings.maxRetryTime ?? DEFAULT_RETRY_POLICY.maxRetryTime) / 1000;
      console.error(
        terminalSafe(
          `${scriptName()}: retrying ${e.method} ${e.path}: ${e.error.message} (failed requests are retried for up to ${budget} s; -v shows each retry)`,
        ),
      );
    };
  }
  return settings;
}

/**
 * The credentials: flags first, then the environment (`env`, default the process's).
 * Logins retry as `--retries`/`--max-retry-time` say.
 */
export function authFrom(values: Values, env: Record<string, string> = Deno.env.toObject()): AuthProvider {
  const retry = retrySettings(values);
  const storageUrlFlag = str(values, "os-storage-url");
  const tokenFlag = str(values, "os-auth-token");
  if (storageUrlFlag || tokenFlag) {
    // As in the swift CLI, the other half may come from the environment.
    const storageUrl = storageUrlFlag ?? env.OS_STORAGE_URL;
    const token = tokenFlag ?? env.OS_AUTH_TOKEN;
    if (!storageUrl || !token) {
      throw new UsageError(
        "--os-storage-url (or OS_STORAGE_URL) and --os-auth-token (or OS_AUTH_TOKEN) go together",
      );
    }
    return new PreAuth({ storageUrl, token });
  }
  const authUrl = str(values, "auth") ?? env.ST_AUTH;
  const user = str(values, "user") ?? env.ST_USER;
  const key = str(values, "key") ?? env.ST_KEY;
  if (str(values, "auth") || str(values, "user") || str(values, "key")) {
    if (!authUrl || !user || !key) {
      throw new UsageError("-A, -U and -K go together (or set ST_AUTH, ST_USER, ST_KEY)");
    }
    return new TempAuth({ ...retry, authUrl, user, key });
  }
  // Keystone flags override the matching OS_* variables.
  const merged = { ...env };
  for (const flag of KEYSTONE_FLAGS) {
    const value = str(values, flag);
    if (value !== undefined) merged[flag.toUpperCase().replaceAll("-", "_")] = value;
  }
  try {
    return authFromEnv(merged, retry);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}; or pass -A, -U, -K`);
  }
}

/** Connection settings (credentials, retries, retry reports) for stores and accounts opened by scripts. */
export function connection(values: Values, concurrency?: number): ConnectionOptions & { auth: AuthProvider } {
  return {
    auth: authFrom(values),
    ...retrySettings(values),
    ...(concurrency === undefined ? {} : { concurrency }),
  };
}

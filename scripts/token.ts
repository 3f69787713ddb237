#!/usr/bin/env -S deno run -A
/**
 * Logs in with a TempAuth user and key, or with Keystone v3 (the `--os-*` flags or
 * `OS_*` variables), and prints `export OS_STORAGE_URL=…` and `export
 * OS_AUTH_TOKEN=…` lines for a shell (`eval "$(… token.ts …)"`). The one script
 * whose job is to print a token; the key or password is read from a hidden prompt
 * when not given.
 *
 * ```sh
 * eval "$(deno run -A jsr:@zarrswift/store/scripts/token.ts -A https://swift.dkrz.de/auth/v1.0 -U account:user)"
 * eval "$(deno run -A jsr:@zarrswift/store/scripts/token.ts --os-auth-url https://keystone.example.org/v3 \
 *   --os-username me --os-project-name my-project --os-user-domain-name Default --os-project-domain-name Default)"
 * ```
 *
 * @module
 */

import { acquireToken } from "../mod.ts";
import {
  AUTH_OPTIONS,
  authFrom,
  hiddenPrompt,
  retrySettings,
  run,
  shellQuote,
  str,
  UsageError,
} from "./_cli/mod.ts";

const HELP = `
Usage: token.ts [-A url -U user [-K key]] [--expires]
       token.ts --os-auth-url URL --os-username USER [--os-password P] --os-project-name P ...

Prints export lines for OS_STORAGE_URL and OS_AUTH_TOKEN.

TempAuth: -A, -U and -K default to ST_AUTH, ST_USER and ST_KEY; without a key, it is
read from a hidden prompt. Keystone v3: the swift CLI's --os-* flags (--os-auth-url,
--os-username or --os-user-id, --os-password, --os-user-domain-name,
--os-project-name, --os-project-domain-name, --os-region-name, --os-interface, or
--os-application-credential-id/-secret), each defaulting to its OS_* variable;
without a password or secret, the password is read from a hidden prompt.

Options:
  -A, --auth URL     TempAuth endpoint (…/auth/v1.0)
  -U, --user USER    account:user
  -K, --key KEY      the user's key
  --expires          also print when the token expires (a comment line; TempAuth)
  -h, --help         this help

Exit status: 0 when a token was printed, 1 when the login failed, 2 on bad usage.`;

/** The environment's Keystone variables only (a token or TempAuth variables there would win). */
function keystoneEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  return Object.fromEntries(
    Object.entries(env).filter(([name]) =>
      name.startsWith("OS_") && name !== "OS_STORAGE_URL" && name !== "OS_AUTH_TOKEN"
    ),
  );
}

await run("token.ts", {
  options: {
    ...AUTH_OPTIONS,
    expires: { type: "boolean" },
  },
  help: HELP,
  positionals: { min: 0, max: 0 },
}, async ({ values }) => {
  if (values["os-auth-token"] !== undefined || values["os-storage-url"] !== undefined) {
    throw new UsageError(
      "expected credentials to log in with, found --os-auth-token or --os-storage-url: token.ts gets a new token",
    );
  }
  const print = (storageUrl: string, token: string, expiresAt?: Date) => {
    console.log(`export OS_STORAGE_URL=${shellQuote(storageUrl)}`);
    console.log(`export OS_AUTH_TOKEN=${shellQuote(token)}`);
    if (values.expires && expiresAt) console.log(`# expires ${expiresAt.toISOString()}`);
  };
  const tempAuth = str(values, "auth") ?? str(values, "user") ?? str(values, "key") ??
    (str(values, "os-auth-url") ? undefined : Deno.env.get("ST_AUTH"));
  if (tempAuth !== undefined) {
    const authUrl = str(values, "auth") ?? Deno.env.get("ST_AUTH");
    const user = str(values, "user") ?? Deno.env.get("ST_USER");
    if (!authUrl || !user) throw new UsageError("give -A and -U (or set ST_AUTH and ST_USER)");
    const key = str(values, "key") ?? Deno.env.get("ST_KEY") ?? await hiddenPrompt(`Key for ${user}: `);
    if (!key) throw new UsageError("no key given");
    const token = await acquireToken({ ...retrySettings(values), authUrl, user, key });
    print(token.storageUrl, token.token, token.expiresAt);
    return;
  }
  const env = keystoneEnv();
  const authUrl = str(values, "os-auth-url") ?? env.OS_AUTH_URL;
  if (!authUrl) {
    throw new UsageError("give -A and -U (TempAuth), or --os-auth-url and --os-username (Keystone)");
  }
  const secret = str(values, "os-password") ?? env.OS_PASSWORD ??
    str(values, "os-application-credential-secret") ?? env.OS_APPLICATION_CREDENTIAL_SECRET;
  if (!secret) {
    const user = str(values, "os-username") ?? env.OS_USERNAME ?? str(values, "os-user-id") ?? env.OS_USER_ID;
    if (!user) throw new UsageError("give --os-username (or --os-user-id) with --os-auth-url");
    values["os-password"] = await hiddenPrompt(`Password for ${user}: `);
    if (!values["os-password"]) throw new UsageError("no password given");
  }
  const { storageUrl, token } = await authFrom(values, { ...env, OS_AUTH_URL: authUrl }).credentials();
  if (!token) throw new TypeError("Keystone answered no token");
  print(storageUrl, token);
});

#!/usr/bin/env -S deno run -A
/**
 * Logs in with a TempAuth user and key and prints `export OS_STORAGE_URL=…` and
 * `export OS_AUTH_TOKEN=…` lines for a shell (`eval "$(… token.ts …)"`). The one
 * script whose job is to print a token; the key is read from a hidden prompt when
 * not given.
 *
 * ```sh
 * eval "$(deno run -A jsr:@zarrswift/store/scripts/token.ts -A https://swift.dkrz.de/auth/v1.0 -U account:user)"
 * ```
 *
 * @module
 */

import { acquireToken } from "../mod.ts";
import { run, UsageError } from "./_cli/mod.ts";

const HELP = `
Usage: token.ts [-A url -U user -K key] [--expires]

Prints export lines for OS_STORAGE_URL and OS_AUTH_TOKEN. -A, -U and -K default to
ST_AUTH, ST_USER and ST_KEY; without a key, it is read from a hidden prompt.

Options:
  -A, --auth URL     TempAuth endpoint (…/auth/v1.0)
  -U, --user USER    account:user
  -K, --key KEY      the user's key
  --expires          also print when the token expires (a comment line)
  -h, --help         this help`;

/** Reads a line from the terminal without echoing it. */
async function hiddenPrompt(question: string): Promise<string> {
  const encoder = new TextEncoder();
  await Deno.stderr.write(encoder.encode(question));
  if (!Deno.stdin.isTerminal()) {
    const buffer = new Uint8Array(4096);
    const n = await Deno.stdin.read(buffer);
    return new TextDecoder().decode(buffer.subarray(0, n ?? 0)).split(/\r?\n/)[0];
  }
  Deno.stdin.setRaw(true);
  let text = "";
  try {
    const buffer = new Uint8Array(1);
    for (;;) {
      const n = await Deno.stdin.read(buffer);
      if (n === null || buffer[0] === 13 || buffer[0] === 10) break;
      if (buffer[0] === 3) throw new UsageError("cancelled");
      if (buffer[0] === 127) text = text.slice(0, -1);
      else text += String.fromCharCode(buffer[0]);
    }
  } finally {
    Deno.stdin.setRaw(false);
    await Deno.stderr.write(encoder.encode("\n"));
  }
  return new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0)));
}

await run("token.ts", {
  options: {
    auth: { type: "string", short: "A" },
    user: { type: "string", short: "U" },
    key: { type: "string", short: "K" },
    expires: { type: "boolean" },
  },
  help: HELP,
  positionals: { min: 0, max: 0 },
}, async ({ values }) => {
  const authUrl = (values.auth as string | undefined) ?? Deno.env.get("ST_AUTH");
  const user = (values.user as string | undefined) ?? Deno.env.get("ST_USER");
  if (!authUrl || !user) throw new UsageError("give -A and -U (or set ST_AUTH and ST_USER)");
  const key = (values.key as string | undefined) ?? Deno.env.get("ST_KEY") ??
    await hiddenPrompt(`Key for ${user}: `);
  if (!key) throw new UsageError("no key given");
  const token = await acquireToken({ authUrl, user, key });
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  console.log(`export OS_STORAGE_URL=${quote(token.storageUrl)}`);
  console.log(`export OS_AUTH_TOKEN=${quote(token.token)}`);
  if (values.expires && token.expiresAt) console.log(`# expires ${token.expiresAt.toISOString()}`);
});

/**
 * Secrets typed by the user: a line read without echo from the terminal (or the
 * first line of stdin when it is not a terminal).
 *
 * @module
 */

import { UsageError } from "./args.ts";

/** Reads a line from the terminal without echoing it; `question` goes to stderr. */
export async function hiddenPrompt(question: string): Promise<string> {
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

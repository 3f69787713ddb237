/**
 * Human output: sizes, and names made safe for a terminal (control characters in an
 * object name could move the cursor, clear the screen or retitle the window).
 * JSON output stays exact and never goes through {@link terminalSafe}.
 *
 * @module
 */

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

/**
 * `text` with every control character (C0, DEL, C1) shown as an escape (`\x1b`,
 * `\r`, `\n`, `\t`, `\x9b`), so that printing it cannot drive the terminal.
 */
export function terminalSafe(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => {
    const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
    return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}

/** The first three segment paths (`/container/name`) as locations, and "…" when there are more. */
export function segmentSample(paths: readonly string[]): string {
  return paths.slice(0, 3).map((p) => p.replace(/^\//, "")).join(", ") + (paths.length > 3 ? ", …" : "");
}

/** `text` in single quotes, as one POSIX shell word whatever it holds. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** `text` as one POSIX shell word: as it is when that is safe, else {@link shellQuote}d. */
export function shellWord(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : shellQuote(text);
}

/** Seconds since `started` (a `performance.now()`), rounded to 0.01. */
export function secondsSince(started: number): number {
  return Math.round((performance.now() - started) / 10) / 100;
}

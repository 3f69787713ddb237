/**
 * A progress line on stderr when it is a terminal (silent otherwise): objects done
 * out of a total, bytes moved, rate and ETA, and bytes hashed (`--changed`). Bytes
 * count as they are sent or received ({@link Progress.add}, {@link Progress.track})
 * or hashed ({@link Progress.hashed}), and the line is redrawn on a timer, so a
 * single 1.5 GiB file moves the bar too. Bytes sent are those handed to the
 * connection: what the operating system buffers (a few MiB per connection) counts
 * as sent a little before it leaves.
 *
 * @module
 */

import { bytes } from "./format.ts";

const encoder = new TextEncoder();

/** A progress line that redraws itself every `interval` ms while there is work. */
export class Progress {
  #total: number | undefined;
  #totalBytes: number | undefined;
  #done = 0;
  #bytes = 0;
  #hashed = 0;
  #started = performance.now();
  #on: boolean;
  #timer: ReturnType<typeof setInterval> | undefined;
  #write: (text: string) => void;

  /**
   * Shows progress when `enabled` and stderr is a terminal (or `options.force`, for
   * tests); `write` defaults to stderr.
   */
  constructor(
    enabled: boolean,
    options: { interval?: number; force?: boolean; write?: (text: string) => void } = {},
  ) {
    this.#on = enabled && (options.force || Deno.stderr.isTerminal());
    this.#write = options.write ?? ((text) => Deno.stderr.writeSync(encoder.encode(text)));
    if (this.#on) {
      this.#timer = setInterval(() => this.#draw(), options.interval ?? 200);
      // The timer must never keep the process alive.
      Deno.unrefTimer(this.#timer as unknown as number);
    }
  }

  /** Whether a progress line is shown. */
  get shown(): boolean {
    return this.#on;
  }

  /** Sets the totals, once known. */
  setTotal(objects: number, totalBytes?: number): void {
    this.#total = objects;
    this.#totalBytes = totalBytes;
  }

  /** Counts bytes moved (sent or received, or skipped as unchanged) as they move. */
  add(n: number): void {
    this.#bytes += n;
  }

  /** Counts bytes hashed to compare a local file with an object (shown apart from bytes moved). */
  hashed(n: number): void {
    this.#hashed += n;
  }

  /**
   * A counter for one object whose bytes may be sent more than once (a retry starts
   * again): call it with the bytes so far; a smaller number takes back what was counted.
   */
  track(): (soFar: number) => void {
    let counted = 0;
    return (soFar) => {
      this.#bytes += soFar - counted;
      counted = soFar;
    };
  }

  /** Counts one object as done (its bytes already counted by {@link add}). */
  tick(): void {
    this.#done++;
  }

  #draw(): void {
    const seconds = (performance.now() - this.#started) / 1000;
    const rate = this.#bytes / Math.max(seconds, 1e-3);
    const total = this.#total;
    const width = 24;
    // The bar follows bytes when their total is known, else objects.
    const fraction = this.#totalBytes
      ? this.#bytes / this.#totalBytes
      : total
      ? this.#done / Math.max(total, 1)
      : undefined;
    const filled = fraction === undefined ? 0 : Math.min(width, Math.round(fraction * width));
    const bar = fraction === undefined ? "" : `[${"#".repeat(filled)}${" ".repeat(width - filled)}] `;
    const eta = fraction !== undefined && fraction > 0
      ? ` ETA ${Math.max(0, Math.round(seconds * (1 - fraction) / fraction))} s`
      : "";
    const line = `${bar}${this.#done}${total === undefined ? "" : `/${total}`} objects, ${
      bytes(this.#bytes)
    }${this.#totalBytes ? ` of ${bytes(this.#totalBytes)}` : ""}, ${bytes(rate)}/s${eta}${
      this.#hashed ? `, ${bytes(this.#hashed)} hashed` : ""
    }`;
    this.#write(`\r${line}\x1b[K`);
  }

  /** Stops redrawing and clears the line. */
  done(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#on) this.#write("\r\x1b[K");
  }
}

/** Passes chunks through, telling `count` the bytes so far. */
export function counting(count: (soFar: number) => void): TransformStream<Uint8Array, Uint8Array> {
  let n = 0;
  return new TransformStream({
    transform(chunk, out) {
      n += chunk.length;
      count(n);
      out.enqueue(chunk);
    },
  });
}

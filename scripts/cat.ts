#!/usr/bin/env -S deno run -A
/**
 * Writes one object's bytes to stdout, streamed (a 2 GiB large object passes through
 * with bounded memory), or a byte range of it with `--range`. A whole plain object is
 * checked against its MD5 as it passes (exit 1 when it does not match). Bytes that
 * are not text are not written to a terminal unless `--force`: control characters
 * would drive it.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/cat.ts my-container/run-42/zarr.json
 * deno run -A jsr:@zarrswift/store/scripts/cat.ts --range 0-1023 my-container/run-42/c/0/0 > head.bin
 * ```
 *
 * @module
 */

import { createMd5, IntegrityError } from "../mod.ts";
import {
  AUTH_HELP,
  AUTH_OPTIONS,
  counting,
  describeLocation,
  location,
  openStore,
  Progress,
  run,
  segmentsGone,
  str,
  terminalSafe,
  UsageError,
} from "./_cli/mod.ts";

const HELP = `
Usage: cat.ts [--range A-B] [--force] <container>/<object>

Writes the object's bytes to stdout. A progress line shows on stderr when it is a
terminal and stdout is not.

Options:
  --range A-B   bytes A to B (inclusive, from 0); A- from A to the end; --range=-N the last N
  --force       write bytes that are not text to a terminal too
  -h, --help    this help

${AUTH_HELP}

Exit status: 0 when every byte was written, 1 on a failure (no such object, a
corrupted body, binary bytes refused on a terminal), 2 on bad usage.`;

/** Bytes read per ranged request: memory stays bounded whatever the range. */
const PIECE = 8 << 20;

/** Whether bytes are not text a terminal shows safely: NUL, control characters, or invalid UTF-8. */
function notText(chunk: Uint8Array, decoder: TextDecoder): boolean {
  for (const b of chunk) {
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x08) return true;
  }
  try {
    decoder.decode(chunk, { stream: true });
    return false;
  } catch {
    return true;
  }
}

/** `--range` as the first byte and the byte after the last, given the size. */
function parseRange(text: string, size: number): [number, number] {
  const m = /^(\d*)-(\d*)$/.exec(text.trim());
  if (!m || (m[1] === "" && m[2] === "")) {
    throw new UsageError(`--range expects A-B, A- or -N (bytes, from 0), found ${text}`);
  }
  if (m[1] === "") {
    if (Number(m[2]) === 0) {
      throw new UsageError(`--range expects the last N bytes with N ≥ 1, found ${text}`);
    }
    return [Math.max(0, size - Number(m[2])), size];
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size : Math.min(size, Number(m[2]) + 1);
  if (m[2] !== "" && Number(m[2]) < start) {
    throw new UsageError(`--range ${text}: the end is before the start`);
  }
  if (start >= size && size > 0) throw new RangeError(`--range ${text} starts past the end (${size} bytes)`);
  return [start, Math.max(start, end)];
}

await run("cat.ts", {
  options: { ...AUTH_OPTIONS, range: { type: "string" }, force: { type: "boolean" } },
  help: HELP,
  positionals: { min: 1, max: 1 },
}, async ({ values, positionals }) => {
  const loc = location(positionals[0]);
  if (loc.path === "" || loc.trailingSlash) {
    throw new UsageError(
      `expected <container>/<object>, found ${loc.path === "" ? "a container" : "a prefix"} (${
        JSON.stringify(positionals[0])
      }): ls.ts lists what is in it`,
    );
  }
  const store = await openStore({ ...loc, path: "" }, values);
  const key = `/${loc.path}` as const;
  const toTerminal = Deno.stdout.isTerminal() && !values.force;
  const info = await store.stat(key);
  if (info === undefined) {
    console.error(terminalSafe(`cat.ts: no object ${describeLocation(loc)}`));
    return 1;
  }
  const rangeText = str(values, "range");
  const [start, end] = rangeText === undefined ? [0, info.size] : parseRange(rangeText, info.size);
  const progress = new Progress(!Deno.stdout.isTerminal());
  progress.setTotal(1, end - start);
  const track = progress.track();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const md5 = rangeText === undefined && !info.largeObject && info.etag ? await createMd5() : undefined;

  /** The bytes, streamed: the whole object, or the range in pieces of {@link PIECE}. */
  let offset = start;
  const body = rangeText === undefined ? (await store.getStream(key))?.body : new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= end) return controller.close();
      const piece = await store.getRange(key, { offset, length: Math.min(PIECE, end - offset) });
      if (piece === undefined || piece.length === 0) {
        return controller.error(new Error(`${loc.path} changed while it was read`));
      }
      offset += piece.length;
      controller.enqueue(piece);
    },
  });
  if (body === undefined) throw new Error(`${loc.path} disappeared while it was read`);
  let refused = false;
  try {
    await body.pipeThrough(counting(track)).pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          if (toTerminal && notText(chunk, decoder)) {
            refused = true;
            throw new Error("binary");
          }
          md5?.update(chunk);
          out.enqueue(chunk);
        },
      }),
    ).pipeTo(Deno.stdout.writable, { preventClose: true });
  } catch (err) {
    progress.done();
    if (refused) {
      console.error(terminalSafe(
        `cat.ts: ${
          describeLocation(loc)
        } is not text: not written to the terminal (redirect stdout, or pass --force)`,
      ));
      return 1;
    }
    // The reader went away (`cat.ts … | head`): not a failure of ours.
    if (err instanceof Deno.errors.BrokenPipe) return 0;
    throw (info.largeObject ? await segmentsGone(store, key) : undefined) ?? err;
  }
  progress.done();
  const actual = md5?.digest();
  if (actual !== undefined && actual !== info.etag) {
    throw new IntegrityError(
      `Expected ${loc.path} to have MD5 ${info.etag}, found ${actual}: corrupted in transit`,
    );
  }
  return 0;
});

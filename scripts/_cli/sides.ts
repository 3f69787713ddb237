/**
 * The two sides of a sync or a check, as the library's `planSync` takes them: a local
 * directory's files and a prefix's objects as entries (sizes, MD5s from the listing),
 * and what a plan asks before it can decide: a file's MD5 (whole, or over a large
 * object's segment boundaries) or a large object's segments.
 *
 * @module
 */

import {
  largeObjectSegments,
  Limiter,
  missingSegments,
  planSync,
  type SwiftStore,
  type SyncCheck,
  type SyncEntry,
  type SyncOptions,
  type SyncPlan,
} from "../../mod.ts";
import { fileMd5, type LocalFile, type Passed, walk } from "./files.ts";
import type { Progress } from "./progress.ts";

/** A local directory as one side of a plan. */
export interface LocalSide {
  /** Its files as entries. */
  entries: SyncEntry[];
  /** Its files by path. */
  files: Map<string, LocalFile>;
  /** Paths never deleted: directories not followed or not readable (`dir/`), files not read. */
  keep: string[];
  /** Entries that could not be read (failures). */
  failed: Passed[];
  /** Special files and links to directories, not taken (skipped). */
  skipped: Passed[];
}

/** Every file under `dir` (none when it does not exist), by the walk's rule for links and special files. */
export async function localSide(dir: string): Promise<LocalSide> {
  const side: LocalSide = { entries: [], files: new Map(), keep: [], failed: [], skipped: [] };
  if (!(await Deno.stat(dir).catch(() => undefined))?.isDirectory) return side;
  const passed = (p: Passed) => {
    side.keep.push(p.directory ? `${p.key.slice(1)}/` : p.key.slice(1));
    (p.failed ? side.failed : side.skipped).push(p);
  };
  for await (const file of walk(dir, passed)) {
    const path = file.key.slice(1);
    side.entries.push({ path, size: file.size });
    side.files.set(path, file);
  }
  return side;
}

/** Every object under the store's prefix as entries (a large object's ETag is not its MD5). */
export async function remoteSide(store: SwiftStore | undefined, signal: AbortSignal): Promise<SyncEntry[]> {
  const entries: SyncEntry[] = [];
  if (store === undefined) return entries;
  for await (const e of store.scan("/", { signal })) {
    entries.push({
      path: e.key.slice(1),
      size: e.size,
      ...(e.largeObject ? { largeObject: true } : { md5: e.etag }),
    });
  }
  return entries;
}

/**
 * Answers a plan's checks: a local file's MD5 (whole, or over the sizes asked), a large
 * object's segments (`[]` when they cannot be read). A file that cannot be read gets an
 * MD5 no object has, so that it counts as different.
 */
export async function answerChecks(
  checks: readonly SyncCheck[],
  local: { side: "source" | "destination"; dir: string },
  store: SwiftStore | undefined,
  options: { progress: Progress; signal: AbortSignal; concurrency: number },
): Promise<void> {
  const hashed = (n: number) => options.progress.hashed(n);
  await new Limiter(options.concurrency).each(checks, async (check) => {
    const entry = check.entry;
    if (check.side !== local.side) {
      const segments = store && await largeObjectSegments(store, `/${check.path}`, options.signal);
      // A segment that is gone gets an MD5 no file has: the object cannot be read, so it differs.
      const missing = new Set(segments && await missingSegments(store!, segments, options.signal));
      entry.parts = segments?.map((s) => ({ size: s.size, md5: missing.has(s) ? "(missing)" : s.etag })) ??
        [];
      return;
    }
    const path = `${local.dir}/${check.path}`;
    try {
      if (check.need === "md5") entry.md5 = await fileMd5(path, 0, entry.size, hashed);
      else {
        const parts = [];
        let start = 0;
        for (const size of check.sizes ?? [entry.size]) {
          parts.push({ size, md5: await fileMd5(path, start, start + size, hashed) });
          start += size;
        }
        entry.parts = parts;
      }
    } catch {
      entry.md5 = "unreadable";
      entry.parts = [{ size: entry.size, md5: "unreadable" }];
    }
  });
}

/** Whether an argument is a local path: written as one (`/`, `./`, `../`, `~`), or an existing directory. */
export async function looksLocal(arg: string): Promise<boolean> {
  return /^(\/|\.\.?(\/|$)|~)/.test(arg) ||
    (await Deno.stat(arg).catch(() => undefined))?.isDirectory === true;
}

/**
 * The side of `a` and `b` that is a local directory: a path that starts with `/`, `./`,
 * `../` or `~`, is `.` or `..`, or names an existing directory. Answers the index (0
 * or 1), or `undefined` when both or neither look local.
 */
export async function localIndex(a: string, b: string): Promise<0 | 1 | undefined> {
  const [la, lb] = [await looksLocal(a), await looksLocal(b)];
  return la === lb ? undefined : la ? 0 : 1;
}

/**
 * The plan of `planSync` once every check is answered by `answer` (a file is hashed
 * only when its size matches; a file against a large object takes two rounds).
 */
export async function settledPlan(
  source: SyncEntry[],
  destination: SyncEntry[],
  options: SyncOptions,
  answer: (checks: readonly SyncCheck[]) => Promise<void>,
): Promise<SyncPlan> {
  let plan = planSync(source, destination, options);
  for (let round = 0; plan.check.length > 0; round++) {
    if (round === 3) {
      throw new Error(`${plan.check.length} comparisons stayed undecided (${plan.check[0].path})`);
    }
    await answer(plan.check);
    plan = planSync(source, destination, options);
  }
  return plan;
}

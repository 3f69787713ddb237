/**
 * What a one-way sync does, decided from the two sides' listings alone (no I/O):
 * {@link planSync} answers what to transfer, what to delete and why, and which
 * entries it cannot decide until a checksum is known. The same plan serves local →
 * Swift, Swift → local and a check of one against the other.
 *
 * The rule, per path: missing at the destination → transfer (`missing`); sizes differ
 * → transfer (`size`); same size → compare MD5s (`content` when they differ). A Static
 * Large Object's ETag is not its content's MD5: it is compared part by part, over its
 * segments' boundaries (the other side hashed over the same ranges). With `delete`,
 * what the destination has and the source does not is deleted (`extra`). Paths the
 * filter excludes are neither transferred nor deleted (rclone's rule), nor are paths
 * under a `keep` prefix deleted.
 *
 * @module
 */

/**
 * One part of an entry's content: a large object's segment, or a file's bytes over the same range.
 *
 * @example A segment of 1 MiB
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SyncPart } from "@zarrswift/store";
 * const part: SyncPart = { size: 1 << 20, md5: "b6d81b360a5672d80c27430f39153e2c" };
 * assert.equal(part.size, 1048576);
 * ```
 */
export interface SyncPart {
  /** Its size in bytes. */
  size: number;
  /** The MD5 of its bytes. */
  md5: string;
}

/**
 * A file or an object on one side of a sync: its path relative to that side's root and
 * what is known of its content.
 *
 * @example A local file not hashed yet, and a plain object from a listing
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SyncEntry } from "@zarrswift/store";
 * const file: SyncEntry = { path: "c/0", size: 3 };
 * const object: SyncEntry = { path: "c/0", size: 3, md5: "900150983cd24fb0d6963f7d28e17f72" };
 * assert.equal(file.md5, undefined);
 * assert.equal(object.largeObject, undefined);
 * ```
 */
export interface SyncEntry {
  /** The path relative to the side's root, `/`-separated, without a leading `/`. */
  path: string;
  /** Size in bytes. */
  size: number;
  /** The MD5 of the whole content, when known (a plain object's ETag; a file once hashed). */
  md5?: string;
  /** Whether it is a large object, whose ETag is not its content's MD5 (compared by `parts`). */
  largeObject?: boolean;
  /**
   * Its content in parts, when known: a large object's segments (`[]` when they cannot be
   * read), or a file hashed over the ranges a check asked for.
   */
  parts?: SyncPart[];
}

/**
 * Options of {@link planSync}.
 *
 * @example Mirror, leaving the temporary files alone
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SyncOptions } from "@zarrswift/store";
 * const options: SyncOptions = { delete: true, filter: (path) => !path.endsWith(".tmp") };
 * assert.equal(options.filter?.("a.tmp"), false);
 * ```
 */
export interface SyncOptions {
  /** Also plan to delete what the destination has and the source does not. */
  delete?: boolean;
  /** Whether a path takes part (default: all); an excluded one is never transferred nor deleted. */
  filter?: (path: string) => boolean;
  /**
   * Destination paths never deleted: a path ending in `/` keeps everything under it (a source
   * directory that could not be read), any other keeps that path (a source file not read).
   */
  keep?: readonly string[];
}

/**
 * Why an entry is transferred or deleted: `missing` at the destination, `size` or
 * `content` differ, or `extra` (only the destination has it).
 *
 * @example Reasons of a plan
 * ```ts
 * import assert from "node:assert/strict";
 * import { planSync, type SyncReason } from "@zarrswift/store";
 * const plan = planSync([{ path: "a", size: 1 }], [{ path: "b", size: 1, md5: "x" }], { delete: true });
 * const reasons: SyncReason[] = [...plan.transfer, ...plan.delete].map((item) => item.reason);
 * assert.deepEqual(reasons, ["missing", "extra"]);
 * ```
 */
export type SyncReason = "missing" | "size" | "content" | "extra";

/**
 * One entry to transfer or delete, and why.
 *
 * @example A transfer
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SyncItem } from "@zarrswift/store";
 * const item: SyncItem = { path: "zarr.json", size: 120, reason: "missing" };
 * assert.equal(item.reason, "missing");
 * ```
 */
export interface SyncItem {
  /** The path relative to the roots. */
  path: string;
  /** Its size: the source's for a transfer, the destination's for a delete. */
  size: number;
  /** `missing` at the destination, `size` or `content` differ, or `extra` (only at the destination). */
  reason: SyncReason;
}

/**
 * A comparison the plan cannot decide yet: fill in what `need` says on `entry`, then plan
 * again.
 *
 * @example What a check asks
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SyncCheck } from "@zarrswift/store";
 * const check: SyncCheck = { path: "big.bin", side: "source", entry: { path: "big.bin", size: 10 }, need: "md5" };
 * check.entry.md5 = "…the file's MD5…";
 * assert.equal(check.need, "md5");
 * ```
 */
export interface SyncCheck {
  /** The path relative to the roots. */
  path: string;
  /** Which side's entry needs it. */
  side: "source" | "destination";
  /** The entry to fill in. */
  entry: SyncEntry;
  /**
   * `md5`: the whole content's MD5 into `entry.md5`; `parts`: `entry.parts`, over the
   * sizes in `sizes` when given (hash those ranges), else its own (a large object's segments).
   */
  need: "md5" | "parts";
  /** The part sizes to hash over (for `parts` on the side that is not the large object). */
  sizes?: number[];
}

/**
 * What a sync does: transfers and deletes with their reasons, what is the same already,
 * and what needs a checksum before it can be decided.
 *
 * @example An empty plan
 * ```ts
 * import assert from "node:assert/strict";
 * import { planSync, type SyncPlan } from "@zarrswift/store";
 * const plan: SyncPlan = planSync([], []);
 * assert.deepEqual([plan.transfer, plan.delete, plan.check, plan.same], [[], [], [], 0]);
 * ```
 */
export interface SyncPlan {
  /** Entries to copy from the source to the destination, by path. */
  transfer: SyncItem[];
  /** Destination entries to delete (with `delete`), by path. */
  delete: SyncItem[];
  /** Comparisons that need a checksum first (plan again once they are filled in). */
  check: SyncCheck[];
  /** Entries the same on both sides. */
  same: number;
  /** Their bytes. */
  sameBytes: number;
  /** Entries the filter left out (both sides). */
  excluded: number;
  /** Bytes to transfer. */
  transferBytes: number;
  /** Bytes to delete. */
  deleteBytes: number;
}

/** Whether two part lists cover the same sizes with the same MD5s; `undefined` when the boundaries differ. */
function sameParts(a: SyncPart[], b: SyncPart[]): boolean | undefined {
  if (a.length !== b.length || a.some((p, i) => p.size !== b[i].size)) return undefined;
  return a.every((p, i) => p.md5 === b[i].md5);
}

const total = (parts: SyncPart[]) => parts.reduce((n, p) => n + p.size, 0);

/** Same, different, or the check that decides (entries of the same size). */
function compare(source: SyncEntry, destination: SyncEntry): boolean | Omit<SyncCheck, "path"> {
  const sides = [[source, "source"], [destination, "destination"]] as const;
  const large = sides.find(([e]) => e.largeObject);
  if (!large) {
    for (const [entry, side] of sides) if (entry.md5 === undefined) return { side, entry, need: "md5" };
    return source.md5 === destination.md5;
  }
  const [big, bigSide] = large;
  if (big.parts === undefined) return { side: bigSide, entry: big, need: "parts" };
  if (total(big.parts) !== big.size || big.parts.length === 0) return false; // unreadable or inconsistent
  const [other, otherSide] = big === source ? sides[1] : sides[0];
  if (other.parts !== undefined) {
    const same = sameParts(big.parts, other.parts);
    if (same !== undefined) return same;
  }
  if (other.largeObject) return false; // two large objects cut differently: not comparable, so copied
  if (big.parts.length === 1 && other.md5 !== undefined) return other.md5 === big.parts[0].md5;
  return { side: otherSide, entry: other, need: "parts", sizes: big.parts.map((p) => p.size) };
}

/**
 * Plans a one-way sync from the listings of both sides: what to transfer (missing at the
 * destination, or differing in size or content), what to delete (with `delete`: what only
 * the destination has), and the comparisons that need a checksum first. Fill in each
 * check's entry (`md5`, or `parts`) and call it again until `check` is empty: files are
 * hashed only when their sizes match.
 *
 * @param source The source's entries (paths unique).
 * @param destination The destination's entries (paths unique).
 * @param options `delete`, a `filter` on paths, and prefixes to `keep`.
 * @returns The plan; its lists are sorted by path.
 *
 * @example Plan, hash what the plan asks, plan again
 * ```ts
 * import assert from "node:assert/strict";
 * import { planSync, type SyncEntry } from "@zarrswift/store";
 * const local: SyncEntry[] = [{ path: "a", size: 1 }, { path: "b", size: 2 }, { path: "c", size: 3 }];
 * const remote: SyncEntry[] = [{ path: "b", size: 2, md5: "md5-of-b" }, { path: "c", size: 4, md5: "x" }, { path: "d", size: 5, md5: "y" }];
 * let plan = planSync(local, remote, { delete: true });
 * assert.deepEqual(plan.check.map((c) => [c.path, c.side, c.need]), [["b", "source", "md5"]]);
 * plan.check[0].entry.md5 = "md5-of-b"; // as hashing the local file found
 * plan = planSync(local, remote, { delete: true });
 * assert.deepEqual(plan.transfer.map((t) => [t.path, t.reason]), [["a", "missing"], ["c", "size"]]);
 * assert.deepEqual(plan.delete.map((d) => [d.path, d.reason]), [["d", "extra"]]);
 * assert.deepEqual([plan.same, plan.transferBytes, plan.deleteBytes], [1, 4, 5]);
 * ```
 */
export function planSync(
  source: readonly SyncEntry[],
  destination: readonly SyncEntry[],
  options: SyncOptions = {},
): SyncPlan {
  const take = options.filter ?? (() => true);
  const keep = options.keep ?? [];
  const plan: SyncPlan = {
    transfer: [],
    delete: [],
    check: [],
    same: 0,
    sameBytes: 0,
    excluded: 0,
    transferBytes: 0,
    deleteBytes: 0,
  };
  const there = new Map<string, SyncEntry>();
  for (const entry of destination) there.set(entry.path, entry);
  const here = new Set<string>();
  for (const entry of source) {
    here.add(entry.path);
    if (!take(entry.path)) {
      plan.excluded++;
      continue;
    }
    const other = there.get(entry.path);
    let reason: SyncReason | undefined;
    if (other === undefined) reason = "missing";
    else if (other.size !== entry.size) reason = "size";
    else {
      const verdict = compare(entry, other);
      if (typeof verdict === "object") plan.check.push({ path: entry.path, ...verdict });
      else if (verdict) {
        plan.same++;
        plan.sameBytes += entry.size;
      } else reason = "content";
    }
    if (reason) {
      plan.transfer.push({ path: entry.path, size: entry.size, reason });
      plan.transferBytes += entry.size;
    }
  }
  for (const entry of destination) {
    if (here.has(entry.path)) continue;
    if (!take(entry.path)) {
      plan.excluded++;
      continue;
    }
    if (!options.delete || keep.some((k) => k.endsWith("/") ? entry.path.startsWith(k) : entry.path === k)) {
      continue;
    }
    plan.delete.push({ path: entry.path, size: entry.size, reason: "extra" });
    plan.deleteBytes += entry.size;
  }
  const byPath = (
    a: { path: string },
    b: { path: string },
  ) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  plan.transfer.sort(byPath);
  plan.delete.sort(byPath);
  plan.check.sort(byPath);
  return plan;
}

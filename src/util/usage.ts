/**
 * Objects and bytes under a prefix, per sub-prefix down to a depth, as `du -d N`
 * counts a directory tree: {@link UsageTally} adds listed objects one at a time
 * (memory grows with the number of sub-prefixes shown, not of objects) and answers
 * one row per sub-prefix, each counting everything below it.
 *
 * @module
 */

/**
 * One row of a usage report.
 *
 * @example A row
 * ```ts
 * import assert from "node:assert/strict";
 * import type { UsageRow } from "@zarrswift/store";
 * const row: UsageRow = { prefix: "run-42/", objects: 3, bytes: 1024 };
 * assert.equal(row.prefix.endsWith("/"), true);
 * ```
 */
export interface UsageRow {
  /** The sub-prefix, relative to the tally's root, ending in `/`; `""` for the root itself. */
  prefix: string;
  /** Objects below it, at any depth. */
  objects: number;
  /** Their bytes. */
  bytes: number;
}

/**
 * Counts objects and bytes below a root and below each sub-prefix down to `depth`
 * levels (`a/` is level 1, `a/b/` level 2); depth 0 counts the root only.
 *
 * @example Usage two levels down
 * ```ts
 * import assert from "node:assert/strict";
 * import { UsageTally } from "@zarrswift/store";
 * const tally = new UsageTally(1);
 * for (const [path, size] of [["zarr.json", 10], ["t/c/0", 100], ["t/c/1", 100], ["u/zarr.json", 5]] as const) {
 *   tally.add(path, size);
 * }
 * assert.deepEqual(tally.rows(), [
 *   { prefix: "", objects: 4, bytes: 215 },
 *   { prefix: "t/", objects: 2, bytes: 200 },
 *   { prefix: "u/", objects: 1, bytes: 5 },
 * ]);
 * ```
 */
export class UsageTally {
  /** How many levels of sub-prefixes get a row. */
  readonly depth: number;
  #rows = new Map<string, UsageRow>();

  /**
   * A tally with nothing counted yet.
   *
   * @param depth Levels of sub-prefixes to count apart (0: the root only).
   * @throws {RangeError} The depth is not a non-negative integer.
   */
  constructor(depth = 0) {
    if (!Number.isSafeInteger(depth) || depth < 0) {
      throw new RangeError(`Expected the depth to be a non-negative integer, found ${depth}`);
    }
    this.depth = depth;
    this.#rows.set("", { prefix: "", objects: 0, bytes: 0 });
  }

  /**
   * Counts one object.
   *
   * @param path Its name relative to the root (`/`-separated, no leading `/`).
   * @param size Its size in bytes.
   */
  add(path: string, size: number): void {
    const parts = path.split("/").slice(0, -1);
    let prefix = "";
    this.#count("", size);
    for (const part of parts.slice(0, this.depth)) {
      prefix += `${part}/`;
      this.#count(prefix, size);
    }
  }

  #count(prefix: string, size: number): void {
    const row = this.#rows.get(prefix) ?? { prefix, objects: 0, bytes: 0 };
    row.objects++;
    row.bytes += size;
    this.#rows.set(prefix, row);
  }

  /**
   * The rows so far, the root first, then sub-prefixes in byte order.
   *
   * @returns One row per sub-prefix seen (copies).
   */
  rows(): UsageRow[] {
    return [...this.#rows.values()].map((r) => ({ ...r }))
      .sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
  }
}

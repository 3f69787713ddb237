/**
 * Path filters for the scripts (`--include`, `--exclude`, `--exclude-from`), with rclone's documented
 * filtering rules (rclone.org/filtering): the same flags select the same files as they would in rclone.
 *
 * | Pattern  | Matches                                                                                   |
 * | -------- | ----------------------------------------------------------------------------------------- |
 * | `*`, `?` | any run of characters except `/`; one character except `/`                                |
 * | `**`     | any run of characters, `/` included                                                       |
 * | `[a-z]`  | a class: `[!…]` or `[^…]` negated, `[[:alpha:]]`, `[\d]` (as in Go, `[^a]` matches `/` too) |
 * | `{a,b}`  | either pattern (nestable)                                                                 |
 * | `{{re}}` | a regular expression (JavaScript syntax, the subset it shares with Go's RE2)               |
 * | `\c`     | the character `c` itself; `\d \D \s \S \w \W` are classes                                  |
 * | `/x`     | `x` from the root of the transfer only; without `/`, `x` or `…/x` at any depth             |
 * | `x/`     | a directory: an exclude of everything under it (`x/**`); as an include it selects no file |
 *
 * The first rule that matches decides; a path no rule matches is included. As in rclone, {@link filterRules}
 * puts every `--include` before every `--exclude`, whatever their order on the command line, and, when there
 * is an `--include`, ends with an exclude of everything: given both, the excludes change nothing. rclone
 * only warns about that, and so do we, so that a command line means here what it means to rclone.
 *
 * @example Keep the zarr metadata, drop the temporary files
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * const { rules } = filterRules({ exclude: ["*.tmp", "/scratch/**"] });
 * const filter = new PathFilter(rules);
 * assertEquals(
 *   ["zarr.json", "a/c/0.tmp", "scratch/x", "a/scratch/x"].filter((p) => filter.matches(p)),
 *   ["zarr.json", "a/scratch/x"],
 * );
 * ```
 * @module
 */

import { compileGlob } from "./glob.ts";

/**
 * One filter rule: whether a path matching `pattern` (rclone glob syntax) is included or excluded.
 *
 * @example An exclude rule
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * const rule: FilterRule = { kind: "exclude", pattern: "*.bak" };
 * assertEquals(new PathFilter([rule]).matches("old/notes.bak"), false);
 * ```
 */
export interface FilterRule {
  /** Whether a matching path is taken (`include`) or left out (`exclude`). */
  readonly kind: "include" | "exclude";
  /** The pattern, in rclone's glob syntax (see {@link compileGlob}). */
  readonly pattern: string;
}

/**
 * An ordered list of filter rules, applied to file paths as rclone's `--filter` rules are: the first rule
 * that matches decides, and a path that no rule matches is included. A pattern ending in `/` is a directory
 * rule: as an exclude it excludes everything under such a directory (`x/` is `x/**`); as an include it
 * selects no file (rclone uses it only to skip listing other directories). Build the rules of the
 * `--include` and `--exclude` flags with {@link filterRules}.
 *
 * @example First match wins
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * const filter = new PathFilter([
 *   { kind: "exclude", pattern: "secret*.jpg" },
 *   { kind: "include", pattern: "*.jpg" },
 *   { kind: "exclude", pattern: "*" },
 * ]);
 * assertEquals(
 *   ["a.jpg", "secret1.jpg", "b.png"].map((p) => filter.matches(p)),
 *   [true, false, false],
 * );
 * ```
 */
export class PathFilter {
  /** The rules, in the order they are tried. */
  readonly rules: readonly FilterRule[];
  readonly #compiled: { include: boolean; re: RegExp | undefined }[];

  /**
   * Compiles the rules.
   *
   * @param rules The rules, in the order they are tried.
   * @param options `ignoreCase`: patterns match letters in either case (rclone's `--ignore-case`).
   * @throws {TypeError} A pattern is invalid (see {@link compileGlob}).
   */
  constructor(rules: readonly FilterRule[], options: { ignoreCase?: boolean } = {}) {
    this.rules = rules.map((r) => ({ ...r }));
    this.#compiled = rules.map(({ kind, pattern }) => {
      const include = kind === "include";
      if (kind !== "include" && kind !== "exclude") {
        throw new TypeError(
          `Expected a filter rule kind "include" or "exclude", found ${JSON.stringify(kind)}`,
        );
      }
      const dirOnly = pattern.endsWith("/");
      const re = compileGlob(dirOnly && !include ? pattern + "**" : pattern, options);
      return { include, re: dirOnly && include ? undefined : re };
    });
  }

  /**
   * Whether a file is selected.
   *
   * @param path The file's path relative to the transfer root, `/`-separated, without a leading `/`.
   * @returns `true` when the first rule that matches includes it, or when no rule matches.
   *
   * @example An exclude everywhere, and an exclude from the root only
   * ```ts
   * import { deepEqual as assertEquals } from "node:assert/strict";
   * const filter = new PathFilter([{ kind: "exclude", pattern: "/tmp/" }]);
   * assertEquals([filter.matches("tmp/a"), filter.matches("x/tmp/a")], [false, true]);
   * ```
   */
  matches(path: string): boolean {
    for (const { include, re } of this.#compiled) {
      if (re?.test(path)) return include;
    }
    return true;
  }
}

/**
 * The patterns of the scripts' filter flags, as given on the command line (each list in its own order).
 *
 * @example Two includes and a file of excludes
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * const flags: FilterFlags = { include: ["*.json", "c/**"], excludeFrom: ["*.tmp"] };
 * assertEquals(filterRules(flags).rules.length, 4);
 * ```
 */
export interface FilterFlags {
  /** `--include` patterns. */
  readonly include?: readonly string[];
  /** `--exclude` patterns. */
  readonly exclude?: readonly string[];
  /** The patterns of the `--exclude-from` files, in order (see {@link parseFilterFile}). */
  readonly excludeFrom?: readonly string[];
}

/**
 * Orders the filter flags' patterns into rules as rclone does: every `--include`, then every `--exclude`,
 * then the `--exclude-from` patterns, and, when there is an `--include`, a final exclude of everything
 * (`/**`), so that only included paths are selected. Also answers warnings to show the user: rclone's
 * warning when `--include` and `--exclude` are mixed (the excludes then change nothing), and one for an
 * `--include` ending in `/` (it selects no file).
 *
 * @param flags The patterns of each flag.
 * @returns The rules for {@link PathFilter}, and the warnings (sentences, possibly none).
 *
 * @example Only what is included
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * const { rules, warnings } = filterRules({ include: ["*.json"] });
 * const filter = new PathFilter(rules);
 * assertEquals([filter.matches("a/zarr.json"), filter.matches("a/c/0")], [true, false]);
 * assertEquals(warnings, []);
 * ```
 */
export function filterRules(flags: FilterFlags): { rules: FilterRule[]; warnings: string[] } {
  const include = flags.include ?? [];
  const exclude = [...(flags.exclude ?? []), ...(flags.excludeFrom ?? [])];
  const rules: FilterRule[] = [
    ...include.map((pattern) => ({ kind: "include" as const, pattern })),
    ...exclude.map((pattern) => ({ kind: "exclude" as const, pattern })),
  ];
  const warnings: string[] = [];
  if (include.length > 0) {
    rules.push({ kind: "exclude", pattern: "/**" });
    if (exclude.length > 0) {
      warnings.push(
        "Both --include and --exclude were given: as in rclone, every --include is applied first and " +
          "everything not included is excluded, so the --exclude patterns change nothing; " +
          "narrow the --include patterns instead",
      );
    }
    for (const pattern of include.filter((p) => p.endsWith("/"))) {
      warnings.push(
        `The --include pattern ${JSON.stringify(pattern)} ends in "/", so it matches directories ` +
          `only and selects no file (as in rclone); to select everything under it, use ` +
          JSON.stringify(pattern + "**"),
      );
    }
  }
  return { rules, warnings };
}

/**
 * Reads the patterns of a filter file (`--exclude-from`) as rclone does: one pattern a line, surrounding
 * whitespace removed, blank lines and lines starting with `#` or `;` skipped. There are no inline comments:
 * `a # b` is the pattern `a # b`.
 *
 * @param text The file's text (`\n` or `\r\n` line ends; a leading byte order mark is ignored).
 * @returns The patterns, in file order.
 *
 * @example An exclude file
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * const text = "# scratch files\n*.tmp\r\n\n; editors\n  *~  \n";
 * assertEquals(parseFilterFile(text), ["*.tmp", "*~"]);
 * ```
 */
export function parseFilterFile(text: string): string[] {
  return text.replace(/^\uFEFF/, "").split("\n").map((line) => line.trim())
    .filter((line) => line !== "" && line[0] !== "#" && line[0] !== ";");
}

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

/**
 * Compiles one rclone filter pattern into a regular expression over a `/`-separated path relative to the
 * transfer root (no leading `/`): rooted at the start when the pattern starts with `/`, otherwise matching
 * whole path elements at the end of the path. A pattern ending in `/` gives the regular expression of a
 * directory rule, matched against a directory path written with a trailing `/`.
 *
 * @param pattern The pattern, in rclone's glob syntax.
 * @param options `ignoreCase`: match letters in either case (rclone's `--ignore-case`).
 * @returns The regular expression (Unicode mode: `?` and classes match one code point).
 * @throws {TypeError} An unclosed `[`, `{` or `{{`, an unmatched `]` or `}`, `***`, an empty or unknown
 *   class, a reversed range, a trailing `\`, or an invalid `{{…}}` expression, naming the position.
 *
 * @example Match file names at any depth, or from the root only
 * ```ts
 * import { deepEqual as assertEquals, throws } from "node:assert/strict";
 * assertEquals(compileGlob("*.{jpg,png}").test("photos/cat.png"), true);
 * assertEquals(compileGlob("/*.jpg").test("photos/cat.jpg"), false);
 * throws(() => compileGlob("data[0-9"), TypeError);
 * ```
 */
export function compileGlob(pattern: string, options: { ignoreCase?: boolean } = {}): RegExp {
  const chars = Array.from(pattern);
  const fail = (what: string, at: number): never => {
    throw new TypeError(`Invalid filter pattern ${JSON.stringify(pattern)}: ${what} at position ${at + 1}`);
  };
  const rooted = chars[0] === "/";
  let out = rooted ? "^" : "(?:^|/)";
  const braces: number[] = []; // positions of the open `{`
  for (let i = rooted ? 1 : 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "\\") {
      if (i + 1 === chars.length) fail("expected a character after '\\', found the end", i);
      const set = classEscape(chars[++i]);
      out += set ? renderSet(set) : literal(chars[i]);
    } else if (c === "*") {
      let stars = 1;
      while (chars[i + stars] === "*") stars++;
      if (stars > 2) fail(`expected '*' or '**', found ${"*".repeat(stars)}`, i);
      out += stars === 2 ? "[^]*" : "[^/]*";
      i += stars - 1;
    } else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const [set, end] = parseClass(chars, i, fail);
      out += renderSet(set);
      i = end;
    } else if (c === "]") fail("unmatched ']'", i);
    else if (c === "{" && chars[i + 1] === "{") {
      let end = chars.indexOf("}", i + 2);
      while (end >= 0 && chars[end + 1] !== "}") end = chars.indexOf("}", end + 1);
      if (end < 0) fail("unclosed '{{'", i);
      while (chars[end + 2] === "}") end++; // `}}}` closes with its last two braces, as in rclone
      const source = chars.slice(i + 2, end).join("");
      try {
        new RegExp(source, "u");
      } catch (err) {
        fail(`invalid regular expression (${(err as Error).message})`, i);
      }
      out += `(?:${source})`;
      i = end + 1;
    } else if (c === "{") {
      braces.push(i);
      out += "(?:";
    } else if (c === "}") {
      if (braces.pop() === undefined) fail("unmatched '}'", i);
      out += ")";
    } else if (c === "," && braces.length > 0) out += "|";
    else out += literal(c);
  }
  if (braces.length > 0) fail("unclosed '{'", braces[braces.length - 1]);
  return new RegExp(out + "$", options.ignoreCase ? "iu" : "u");
}

/** Inclusive code point ranges. */
type CharSet = [number, number][];

const MAX = 0x10ffff;
const range = (lo: string, hi = lo): [number, number] => [lo.codePointAt(0)!, hi.codePointAt(0)!];
const DIGIT: CharSet = [range("0", "9")];
const WORD: CharSet = [range("0", "9"), range("A", "Z"), range("_"), range("a", "z")];
const SPACE: CharSet = [range("\t", "\n"), range("\f", "\r"), range(" ")];
/** Go's ASCII classes (`[[:name:]]`). */
const POSIX: Record<string, CharSet> = {
  alnum: [range("0", "9"), range("A", "Z"), range("a", "z")],
  alpha: [range("A", "Z"), range("a", "z")],
  ascii: [[0, 0x7f]],
  blank: [range("\t"), range(" ")],
  cntrl: [[0, 0x1f], [0x7f, 0x7f]],
  digit: DIGIT,
  graph: [range("!", "~")],
  lower: [range("a", "z")],
  print: [range(" ", "~")],
  punct: [range("!", "/"), range(":", "@"), range("[", "`"), range("{", "~")],
  space: [range("\t", "\r"), range(" ")],
  upper: [range("A", "Z")],
  word: WORD,
  xdigit: [range("0", "9"), range("A", "F"), range("a", "f")],
};

/** The set of a Perl class escape (`d`, `s`, `w`, upper case negated, ASCII as in Go), or undefined. */
function classEscape(c: string): CharSet | undefined {
  const set = { d: DIGIT, s: SPACE, w: WORD }[c.toLowerCase()];
  return set && c !== c.toLowerCase() ? complement(set) : set;
}

function complement(set: CharSet): CharSet {
  const out: CharSet = [];
  let next = 0;
  for (const [lo, hi] of [...set].sort((a, b) => a[0] - b[0])) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX) out.push([next, MAX]);
  return out;
}

function renderSet(set: CharSet): string {
  const hex = (n: number) => `\\u{${n.toString(16)}}`;
  return `[${set.map(([lo, hi]) => lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`).join("")}]`;
}

function literal(c: string): string {
  return /[\^$\\.*+?()[\]{}|/]/.test(c) ? "\\" + c : c;
}

/** Parses the class opening at `chars[start]` (`[`); answers its set and the index of its `]`. */
function parseClass(
  chars: string[],
  start: number,
  fail: (what: string, at: number) => never,
): [CharSet, number] {
  let i = start + 1;
  const negated = chars[i] === "!" || chars[i] === "^";
  if (negated) i++;
  const set: CharSet = [];
  /** One member at `i`: a class (a set) or one code point; advances `i` past it. */
  const member = (): CharSet | number => {
    const c = chars[i++];
    if (c === "\\" && i < chars.length) {
      const escaped = chars[i++];
      return classEscape(escaped) ?? escaped.codePointAt(0)!;
    }
    if (c === "[" && chars[i] === ":") {
      let close = i + 1;
      while (close < chars.length && !(chars[close] === ":" && chars[close + 1] === "]")) close++;
      if (close >= chars.length) fail("unclosed '[:'", i - 1);
      const name = chars.slice(i + 1, close).join("");
      const bare = name.startsWith("^") ? name.slice(1) : name;
      if (!Object.hasOwn(POSIX, bare)) fail(`unknown character class '[:${name}:]'`, i - 1);
      i = close + 2;
      return name === bare ? POSIX[bare] : complement(POSIX[bare]);
    }
    return c.codePointAt(0)!;
  };
  while (chars[i] !== "]") {
    if (i >= chars.length || (chars[i] === "\\" && i + 1 === chars.length)) fail("unclosed '['", start);
    const at = i;
    const lo = member();
    if (typeof lo !== "number") set.push(...lo);
    else if (chars[i] === "-" && i + 1 < chars.length && chars[i + 1] !== "]") {
      i++;
      if (chars[i] === "\\" && i + 1 === chars.length) fail("unclosed '['", start);
      const hi = member();
      if (typeof hi !== "number") fail("expected a character after '-', found a class", at);
      if ((hi as number) < lo) fail(`invalid range '${chars.slice(at, i).join("")}'`, at);
      set.push([lo, hi as number]);
    } else set.push([lo, lo]);
  }
  if (set.length === 0) fail("empty character class", start);
  return [negated ? complement(set) : set, i];
}

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

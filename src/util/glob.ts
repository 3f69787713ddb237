/**
 * rclone's glob syntax compiled into regular expressions over `/`-separated
 * relative paths (the patterns of `--include`, `--exclude` and `--exclude-from`;
 * the rules that combine them are in `filter.ts`).
 *
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

// Filters with rclone's rules. The expected values are those of rclone's documentation, docs/content/filtering.md
// (rclone.org/filtering), section named in each comment. Every GLOB_ROWS row was also run through rclone 1.60
// (`rclone lsf -R --files-only --exclude PATTERN` on a file of that name): it agrees except on the patterns
// marked "rclone 1.60 differs", where we follow the documented grammar.
import assert from "node:assert/strict";
import { compileGlob, filterRules, parseFilterFile, PathFilter } from "../mod.ts";

/** A pattern, a file path, and whether the pattern matches it. */
type Row = [pattern: string, path: string, expected: boolean];

const GLOB_ROWS: Row[] = [
  // "Pattern syntax": anchoring.
  ["file.jpg", "file.jpg", true],
  ["file.jpg", "directory/file.jpg", true],
  ["file.jpg", "afile.jpg", false],
  ["file.jpg", "directory/afile.jpg", false],
  ["/file.jpg", "file.jpg", true],
  ["/file.jpg", "afile.jpg", false],
  ["/file.jpg", "directory/file.jpg", false],
  // "Pattern syntax": case sensitive without --ignore-case.
  ["potato", "potato", true],
  ["potato", "POTATO", false],
  // "Filter pattern examples": Wildcard.
  ["*.jpg", "file.jpg", true],
  ["*.jpg", "dir/file.jpg", true],
  ["*.jpg", "file.png", false],
  ["*.jpg", "dir/file.png", false],
  // "Filter pattern examples": Rooted.
  ["/*.jpg", "file.jpg", true],
  ["/*.jpg", "file2.jpg", true],
  ["/*.jpg", "file.png", false],
  ["/*.jpg", "dir/file.jpg", false],
  // "Filter pattern examples": Alternates.
  ["*.{jpg,png}", "file.jpg", true],
  ["*.{jpg,png}", "dir/file.png", true],
  ["*.{jpg,png}", "file.gif", false],
  ["*.{jpg,png}", "dir/file.gif", false],
  // "Filter pattern examples": Path Wildcard.
  ["dir/**", "dir/anyfile", true],
  ["dir/**", "subdir/dir/subsubdir/anyfile", true],
  ["dir/**", "file.png", false],
  ["dir/**", "subdir/file.png", false],
  // "Filter pattern examples": Any Char.
  ["*.t?t", "file.txt", true],
  ["*.t?t", "dir/file.tzt", true],
  ["*.t?t", "file.qxt", false],
  ["*.t?t", "dir/file.png", false],
  // "Filter pattern examples": Range.
  ["*.[a-z]", "file.a", true],
  ["*.[a-z]", "dir/file.b", true],
  ["*.[a-z]", "file.0", false],
  ["*.[a-z]", "dir/file.1", false],
  // "Filter pattern examples": Escape.
  ["*.\\?\\?\\?", "file.???", true],
  ["*.\\?\\?\\?", "dir/file.???", true],
  ["*.\\?\\?\\?", "file.abc", false],
  ["*.\\?\\?\\?", "dir/file.def", false],
  // "Filter pattern examples": Class.
  ["*.\\d\\d\\d", "file.012", true],
  ["*.\\d\\d\\d", "dir/file.345", true],
  ["*.\\d\\d\\d", "file.abc", false],
  ["*.\\d\\d\\d", "dir/file.def", false],
  // "Filter pattern examples": Regexp.
  ["*.{{jpe?g}}", "file.jpeg", true],
  ["*.{{jpe?g}}", "dir/file.jpg", true],
  ["*.{{jpe?g}}", "file.png", false],
  ["*.{{jpe?g}}", "dir/file.jpeeg", false],
  // "Filter pattern examples": Rooted Regexp. The table also lists /dir/file.jpg as not matched, but
  // `/{{re}}` is `^(re)$` (section "Using regular expressions") and `.*` crosses `/`: rclone 1.60 matches it.
  ["/{{.*\\.jpe?g}}", "file.jpeg", true],
  ["/{{.*\\.jpe?g}}", "file.jpg", true],
  ["/{{.*\\.jpe?g}}", "file.png", false],
  ["/{{.*\\.jpe?g}}", "dir/file.jpg", true],
  // "Using regular expressions in filter patterns".
  ["{{start[^/]*end\\.jpg}}", "start-middle-end.jpg", true],
  ["{{start[^/]*end\\.jpg}}", "start/end.jpg", false],
  ["{{start.*end\\.jpg}}", "start/end.jpg", true],
  // "--exclude": literal brackets around a pattern list.
  ["*\\[{JP,KR,HK}\\]*", "movie [JP].mkv", true],
  ["*\\[{JP,KR,HK}\\]*", "dir/movie [HK] 2.mkv", true],
  ["*\\[{JP,KR,HK}\\]*", "movie [US].mkv", false],
  ["*\\[{JP,KR,HK}\\]*", "movie JP.mkv", false],
  // "--exclude": the root directory dir and everything under it.
  ["/dir/**", "dir/a", true],
  ["/dir/**", "dir/sub/b", true],
  ["/dir/**", "other/dir/a", false],
  // "--include": third character not punctuation (an ASCII class).
  ["??[^[:punct:]]*", "abc", true],
  ["??[^[:punct:]]*", "wheat/abcdef", true],
  ["??[^[:punct:]]*", "ab.c", false],
  ["??[^[:punct:]]*", "ab", false],
  // "--include": one pattern list for several directories.
  ["{A,B}/**", "A/x", true],
  ["{A,B}/**", "B/y/z", true],
  ["{A,B}/**", "C/x", false],
  // "How filter rules are applied to directories": pattern lists with `/` or `**`.
  ["{dir1/**,dir2/**}", "dir1/a", true],
  ["{dir1/**,dir2/**}", "dir3/a", false],
  ["{dir1,dir2}/**", "dir2/b/c", true],
  // "Pattern syntax": the grammar (character ranges, escapes in classes, `[!…]`, nested pattern lists).
  ["[\\]\\-]", "]", true], // rclone 1.60 differs: its bracket scan ignores `\`, "mismatched ']'"
  ["[\\]\\-]", "-", true],
  ["[\\]\\-]", "a", false],
  ["x[!0-9]", "xa", true], // rclone 1.60 differs: `!` is a member for Go; the grammar says negation
  ["x[!0-9]", "x1", false],
  ["[[:upper:]][[:digit:]]", "B7", true],
  ["[[:upper:]][[:digit:]]", "b7", false],
  ["*.{a{1,2},b}", "f.a2", true], // rclone 1.60 differs: "can't nest"; later rclone nests
  ["*.{a{1,2},b}", "f.a3", false],
  ["{,x}y", "y", true],
  // "Pattern syntax": `*` and `?` never cross `/`, `**` does.
  ["a*b", "a/b", false],
  ["a?b", "a/b", false],
  ["a**b", "a/x/b", true],
  // Characters that regular expressions give a meaning to are plain in globs.
  ["a+b(1).c$", "a+b(1).c$", true],
  ["a.c", "abc", false],
  ["ü?.txt", "dir/üß.txt", true], // `?` is one character, not one UTF-16 unit
  ["?", "😀", true],
];

Deno.test("compileGlob matches as rclone's documented examples do", () => {
  assert.ok(GLOB_ROWS.length >= 40);
  const wrong = GLOB_ROWS.filter(([pattern, path, expected]) => compileGlob(pattern).test(path) !== expected);
  assert.deepEqual(wrong, []);
});

Deno.test("compileGlob with ignoreCase matches either case (section --ignore-case)", () => {
  assert.equal(compileGlob("zaphod.txt").test("Zaphod.txt"), false);
  assert.equal(compileGlob("zaphod.txt", { ignoreCase: true }).test("Zaphod.txt"), true);
  assert.equal(compileGlob("potato", { ignoreCase: true }).test("POTATO"), true);
});

Deno.test("compileGlob refuses invalid patterns with a TypeError naming the pattern and position", () => {
  const cases: [pattern: string, message: RegExp][] = [
    ["data[0-9", /"data\[0-9": unclosed '\[' at position 5$/],
    ["*.{jpg,png", /"\*\.\{jpg,png": unclosed '\{' at position 3$/],
    ["{a,{b}", /unclosed '\{' at position 1$/],
    ["x{{jpe?g}", /unclosed '\{\{' at position 2$/],
    ["a]", /unmatched '\]' at position 2$/],
    ["a}", /unmatched '\}' at position 2$/],
    ["***.jpg", /expected '\*' or '\*\*', found \*\*\* at position 1$/],
    ["x[]", /empty character class at position 2$/],
    ["x[!]", /empty character class at position 2$/],
    ["[z-a]", /invalid range 'z-a' at position 2$/],
    ["[a-\\d]", /expected a character after '-', found a class at position 2$/],
    ["[[:nope:]]", /unknown character class '\[:nope:\]' at position 2$/],
    ["[[:alpha]", /unclosed '\[:' at position 2$/],
    ["a\\", /expected a character after '\\', found the end at position 2$/],
    ["[a\\", /unclosed '\[' at position 1$/],
    ["{{(}}", /invalid regular expression .* at position 1$/],
  ];
  for (const [pattern, message] of cases) {
    assert.throws(() => compileGlob(pattern), (err: unknown) => {
      assert.ok(err instanceof TypeError, pattern);
      assert.match(err.message, /^Invalid filter pattern /);
      assert.match(err.message, message);
      return true;
    });
  }
});

/** The files that a filter selects out of `paths`. */
function selected(filter: PathFilter, paths: string[]): string[] {
  return paths.filter((path) => filter.matches(path));
}

Deno.test("PathFilter: first match wins, unmatched paths are included (section --filter-from)", () => {
  const text = [
    "# a sample filter rule file",
    "- secret*.jpg",
    "+ *.jpg",
    "+ *.png",
    "+ file2.avi",
    "- /dir/tmp/**",
    "- /dir/Trash/**",
    "+ /dir/**",
    "# exclude everything else",
    "- *",
  ].join("\n");
  const rules = parseFilterFile(text).map((line) => ({
    kind: line[0] === "+" ? "include" as const : "exclude" as const,
    pattern: line.slice(2),
  }));
  const paths = [
    "file1.jpg",
    "secret17.jpg",
    "sub/file3.png",
    "file2.avi",
    "dir/tmp/x",
    "dir/tmp/a.jpg",
    "dir/Trash/y",
    "dir/notes.txt",
    "other.txt",
    "sub/file.doc",
  ];
  assert.deepEqual(selected(new PathFilter(rules), paths), [
    "file1.jpg",
    "sub/file3.png",
    "file2.avi",
    "dir/tmp/a.jpg", // `+ *.jpg` comes before `- /dir/tmp/**`
    "dir/notes.txt",
  ]);
  // The same rules in another order select other files.
  assert.deepEqual(selected(new PathFilter(rules.slice(1)), ["secret17.jpg"]), ["secret17.jpg"]);
  assert.deepEqual(selected(new PathFilter([]), paths), paths);
  assert.deepEqual(selected(new PathFilter([{ kind: "include", pattern: "*.jpg" }]), paths), paths);
});

Deno.test("PathFilter: directory rules (section How filter rules are applied to directories)", () => {
  const filter = new PathFilter([
    { kind: "exclude", pattern: "/dir1/" },
    { kind: "exclude", pattern: "/dir2/" },
    { kind: "include", pattern: "*.pdf" },
    { kind: "exclude", pattern: "**" },
  ]);
  const paths = ["dir1/a.pdf", "dir2/x/b.pdf", "a.pdf", "dir3/c.pdf", "a.txt", "x/dir1/d.pdf"];
  assert.deepEqual(selected(filter, paths), ["a.pdf", "dir3/c.pdf", "x/dir1/d.pdf"]);
  // An unrooted directory exclude applies at any depth; a directory include selects no file.
  const tmp = new PathFilter([{ kind: "exclude", pattern: "tmp/" }]);
  assert.deepEqual(selected(tmp, ["tmp/a", "x/tmp/b/c", "tmpx/d", "tmp"]), ["tmpx/d", "tmp"]);
  const dirInclude = new PathFilter([{ kind: "include", pattern: "/directory/" }]);
  assert.deepEqual(selected(dirInclude, ["directory/file"]), ["directory/file"]);
  assert.throws(() => new PathFilter([{ kind: "include", pattern: "[" }]), TypeError);
  assert.throws(() => new PathFilter([{ kind: "maybe" as "include", pattern: "a" }]), /"maybe"/);
});

Deno.test("filterRules: --include alone excludes everything else (section --include)", () => {
  const { rules, warnings } = filterRules({ include: ["*.{png,jpg}"] });
  assert.deepEqual(rules, [{ kind: "include", pattern: "*.{png,jpg}" }, { kind: "exclude", pattern: "/**" }]);
  assert.deepEqual(warnings, []);
  const paths = ["a.png", "d/b.jpg", "c.gif", "d/e.txt"];
  assert.deepEqual(selected(new PathFilter(rules), paths), ["a.png", "d/b.jpg"]);
  // "--include-from": the same as --include file2.avi --include "*.jpg".
  const two = new PathFilter(filterRules({ include: ["file2.avi", "*.jpg"] }).rules);
  assert.deepEqual(selected(two, ["file2.avi", "x/y.jpg", "file3.avi"]), ["file2.avi", "x/y.jpg"]);
  // `--include /directory/` matches no files, and says so.
  const dir = filterRules({ include: ["/directory/"] });
  assert.deepEqual(selected(new PathFilter(dir.rules), ["directory/file", "other"]), []);
  assert.equal(dir.warnings.length, 1);
  assert.match(dir.warnings[0], /"\/directory\/" ends in "\/".* use "\/directory\/\*\*"$/);
});

Deno.test("filterRules: --exclude and --exclude-from (sections --exclude, --exclude-from)", () => {
  const patterns = parseFilterFile("# a sample exclude rule file\n*.bak\nfile2.jpg\n");
  assert.deepEqual(patterns, ["*.bak", "file2.jpg"]);
  const { rules, warnings } = filterRules({ exclude: ["/excl/**"], excludeFrom: patterns });
  assert.deepEqual(rules.map((r) => r.kind), ["exclude", "exclude", "exclude"]);
  assert.deepEqual(warnings, []);
  const paths = ["excl/123.jpg", "incl/document.pdf", "a/b.bak", "file2.jpg", "x/file1.jpg", "y/excl/z"];
  assert.deepEqual(selected(new PathFilter(rules), paths), ["incl/document.pdf", "x/file1.jpg", "y/excl/z"]);
});

Deno.test("filterRules: mixed --include and --exclude follow rclone's order, with a warning", () => {
  // Includes come first whatever the command line order, then the implied exclude of everything, so the
  // exclude changes nothing (rclone only logs an error; sections "How filter rules are applied" and --include).
  const { rules, warnings } = filterRules({ exclude: ["secret*"], include: ["*.jpg"] });
  assert.deepEqual(rules, [
    { kind: "include", pattern: "*.jpg" },
    { kind: "exclude", pattern: "secret*" },
    { kind: "exclude", pattern: "/**" },
  ]);
  assert.deepEqual(selected(new PathFilter(rules), ["secret.jpg", "a.jpg", "secret.txt", "b.txt"]), [
    "secret.jpg",
    "a.jpg",
  ]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /^Both --include and --exclude were given/);
  assert.equal(filterRules({ include: ["a"], excludeFrom: ["b"] }).warnings.length, 1);
});

Deno.test("PathFilter with ignoreCase (section --ignore-case)", () => {
  const rules = filterRules({ include: ["zaphod.txt"] }).rules;
  assert.deepEqual(selected(new PathFilter(rules), ["Zaphod.txt"]), []);
  assert.deepEqual(selected(new PathFilter(rules, { ignoreCase: true }), ["Zaphod.txt"]), ["Zaphod.txt"]);
});

Deno.test("parseFilterFile skips comments and blank lines and trims, as rclone reads filter files", () => {
  const text = "\uFEFF# comment\r\n; another\r\n\r\n  *.tmp  \n\t/scratch/**\na # not a comment\n #x\n";
  assert.deepEqual(parseFilterFile(text), ["*.tmp", "/scratch/**", "a # not a comment"]);
  assert.deepEqual(parseFilterFile(""), []);
  assert.deepEqual(parseFilterFile("last-line-without-newline"), ["last-line-without-newline"]);
});

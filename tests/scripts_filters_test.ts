/**
 * The filter flags (issue 16, item 5) wired into every script that takes them:
 * upload, download, sync (both ways), check, ls, rm -r and cp, each run as a
 * subprocess against the real Swift with the same flags, must select exactly the
 * files or objects that rclone's documented rules (rclone.org/filtering) select.
 * The matcher itself is tested in filter_test.ts; the expected sets below are worked
 * out by hand from rclone's rules, for this tree.
 */
import assert from "node:assert/strict";
import { Limiter } from "../mod.ts";
import { dropAll, names, readTree, storeOver, writeTree } from "./_movers.ts";
import { script } from "./_scripts.ts";
import { uniqueName } from "./_swift.ts";

const FILES = [
  "zarr.json",
  "file.txt",
  "a.jpg",
  "sub/b.jpg",
  "sub/c.txt",
  "dir/d.jpg",
  "dir/deep/e.txt",
  "x/dir/f.txt",
  "x/file.txt",
];

/** Flags, and the paths rclone's rules select with them (the rest are left out). */
const ROWS: { flags: string[]; selected: string[]; why: string }[] = [
  { flags: ["--include", "*.jpg"], selected: ["a.jpg", "dir/d.jpg", "sub/b.jpg"], why: "* at any depth" },
  {
    flags: ["--exclude", "*.jpg"],
    selected: ["dir/deep/e.txt", "file.txt", "sub/c.txt", "x/dir/f.txt", "x/file.txt", "zarr.json"],
    why: "exclude only",
  },
  { flags: ["--include", "/file.txt"], selected: ["file.txt"], why: "a leading / anchors at the root" },
  { flags: ["--include", "file.txt"], selected: ["file.txt", "x/file.txt"], why: "unanchored: any depth" },
  {
    flags: ["--exclude", "dir/"],
    selected: ["a.jpg", "file.txt", "sub/b.jpg", "sub/c.txt", "x/file.txt", "zarr.json"],
    why: "a directory rule, at any depth",
  },
  {
    flags: ["--exclude", "/dir/**"],
    selected: ["a.jpg", "file.txt", "sub/b.jpg", "sub/c.txt", "x/dir/f.txt", "x/file.txt", "zarr.json"],
    why: "** crosses /, anchored",
  },
  {
    flags: ["--include", "{sub,x}/**"],
    selected: ["sub/b.jpg", "sub/c.txt", "x/dir/f.txt", "x/file.txt"],
    why: "alternatives",
  },
  {
    flags: ["--exclude-from", "EXCLUDE_FILE"],
    selected: ["a.jpg", "dir/d.jpg", "sub/b.jpg"],
    why: "patterns from a file, comments skipped",
  },
  {
    flags: ["--include", "*.jpg", "--exclude", "sub/**"],
    selected: ["a.jpg", "dir/d.jpg", "sub/b.jpg"],
    why: "includes first: the excludes change nothing (and rclone warns)",
  },
  { flags: ["--include", "[a-c].*"], selected: ["a.jpg", "sub/b.jpg", "sub/c.txt"], why: "a class" },
  { flags: ["--include", "**/deep/*"], selected: ["dir/deep/e.txt"], why: "** then a name" },
];

Deno.test("--include, --exclude and --exclude-from select the same paths in every script, as rclone's rules say", async () => {
  const c = uniqueName("filters");
  const dir = await Deno.makeTempDir({ prefix: "zs-filters-" });
  try {
    const tree = Object.fromEntries(FILES.map((f) => [f, `content of ${f}`]));
    await writeTree(`${dir}/src`, tree);
    await Deno.writeTextFile(`${dir}/exclude.txt`, "# text and metadata\n*.txt\n\n; zarr\nzarr.json\n");
    const root = await storeOver(c, "root");
    for (const f of FILES) await root.set(`/${f}`, new TextEncoder().encode(tree[f]));
    await storeOver(c, "empty");

    const failures: string[] = [];
    await new Limiter(4).each(ROWS.map((row, i) => ({ row, i })), async ({ row, i }) => {
      const flags = row.flags.map((f) => f === "EXCLUDE_FILE" ? `${dir}/exclude.txt` : f);
      const expect = [...row.selected].sort();
      const rel = (list: string[], prefix: string) => list.map((n) => n.slice(prefix.length)).sort();
      const seen: Record<string, string[]> = {};

      const up = await script("upload", [...flags, `${dir}/src`, `${c}/up${i}`]);
      seen.upload = rel(await names(c, `up${i}/`), `up${i}/`);
      const down = await script("download", [...flags, `${c}/root`, `${dir}/down${i}`]);
      seen.download = [...(await readTree(`${dir}/down${i}`)).keys()].sort();
      const syncUp = await script("sync", [...flags, `${dir}/src`, `${c}/sync${i}`]);
      seen["sync up"] = rel(await names(c, `sync${i}/`), `sync${i}/`);
      const syncDown = await script("sync", [...flags, `${c}/root`, `${dir}/sd${i}`]);
      seen["sync down"] = [...(await readTree(`${dir}/sd${i}`)).keys()].sort();
      const check = await script("check", ["--json", ...flags, `${dir}/src`, `${c}/empty`]);
      seen.check = (JSON.parse(check.stdout.trim().split("\n").at(-1)!).only_local as string[]).sort();
      const ls = await script("ls", [...flags, `${c}/root`]);
      seen.ls = rel(ls.stdout.trim().split("\n"), "root/");
      const cp = await script("cp", [...flags, `${c}/root`, `${c}/cp${i}`]);
      seen.cp = rel(await names(c, `cp${i}/`), `cp${i}/`);
      const target = await storeOver(c, `rm${i}`);
      for (const f of FILES) await target.set(`/${f}`, new Uint8Array(1));
      const rm = await script("rm", ["-r", "-y", ...flags, `${c}/rm${i}`]);
      const left = new Set(rel(await names(c, `rm${i}/`), `rm${i}/`));
      seen["rm -r (deleted)"] = FILES.filter((f) => !left.has(f)).sort();

      for (
        const [what, ran] of [
          ["upload", up],
          ["download", down],
          ["sync up", syncUp],
          [
            "sync down",
            syncDown,
          ],
          ["ls", ls],
          ["cp", cp],
          ["rm", rm],
        ] as const
      ) {
        if (ran.code !== 0) {
          failures.push(`${row.flags.join(" ")}: ${what} exited ${ran.code}: ${ran.stderr}`);
        }
      }
      if (check.code !== 1) failures.push(`${row.flags.join(" ")}: check exited ${check.code}, not 1`);
      for (const [what, got] of Object.entries(seen)) {
        if (JSON.stringify(got) !== JSON.stringify(expect)) {
          failures.push(
            `${row.flags.join(" ")} (${row.why}): ${what} selected ${JSON.stringify(got)}, expected ${
              JSON.stringify(expect)
            }`,
          );
        }
      }
      if (row.flags.includes("--include") && row.flags.includes("--exclude")) {
        if (!/: warning: both --include and --exclude/.test(ls.stderr)) {
          failures.push(`no rclone warning: ${ls.stderr}`);
        }
      }
    });
    assert.deepEqual(failures, []);
  } finally {
    await dropAll([c]);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("filters: bad patterns and unreadable files are usage errors; filters need a prefix to apply to", async () => {
  for (
    const args of [
      ["ls", "--include", "data[0-9", "c"],
      ["upload", "--exclude-from", "/nonexistent/file", ".", "c"],
      ["rm", "--include", "*.tmp", "c/object"],
      ["ls", "--include", "*.tmp"],
    ]
  ) {
    const ran = await script(args[0], args.slice(1));
    assert.equal(ran.code, 2, `${args.join(" ")}: ${ran.stderr}`);
    assert.equal(ran.stderr.trim().split("\n").length, 1);
  }
});

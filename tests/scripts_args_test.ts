/**
 * Argument parsing shared by every script (`scripts/_cli/args.ts`), as pure logic:
 * mistakes users make are named whole and answered with what was meant.
 */
import assert from "node:assert/strict";
import { concurrencyFlag, type Options, parseCommand, UsageError } from "../scripts/_cli/mod.ts";

const OPTIONS: Options = {
  changed: { type: "boolean" },
  long: { type: "boolean", short: "l" },
  verbose: { type: "boolean", short: "v" },
  depth: { type: "string" },
  key: { type: "string", short: "K" },
};
const parse = (args: string[]) => parseCommand(args, OPTIONS, "Usage: x.ts", { min: 0, max: 2 });

/** Asserts that `args` are refused with exactly `message`. */
function refused(args: string[], message: string): void {
  assert.throws(() => parse(args), (err: Error) => {
    assert.ok(err instanceof UsageError, String(err));
    assert.equal(err.message, message, args.join(" "));
    return true;
  });
}

Deno.test("a single-dash word is named whole, with the long option it means", () => {
  refused(["-changed", "a"], "unknown option -changed: did you mean --changed?");
  // Any other word is left to parseArgs, which names its first letter: it may be a secret.
  refused(["-lx"], "unknown option -x");
  refused(["-kSecret-1"], "unknown option -k");
  refused(
    ["--key", "-Secret123"],
    "--key expects a value, found an option after it (a value that starts with - is written --key=<value>)",
  );
  refused(
    ["-K", "-Secret123"],
    "-K expects a value, found an option after it (a value that starts with - is written --key=<value>)",
  );
  // -h clusters with the others.
  const help = parse(["-lh"]);
  assert.ok(help.help);
  // Known short flags still cluster, and after -- nothing is an option.
  const ok = parse(["-lv", "--", "-changed"]);
  assert.ok(!ok.help);
  assert.deepEqual([ok.values.long, ok.values.verbose, ok.positionals], [true, true, ["-changed"]]);
  // A short option's value may follow it at once (and may be a secret: never echoed).
  const key = parse(["-Khunter2", "-lKsecret-2"]);
  assert.ok(!key.help);
  assert.deepEqual([key.values.key, key.values.long], ["secret-2", true]);
});

Deno.test("a value that starts with - is explained, not called ambiguous", () => {
  refused(
    ["--depth", "-1"],
    "--depth expects a value, found an option after it (a value that starts with - is written --depth=<value>)",
  );
  const ok = parse(["--depth=-1"]);
  assert.ok(!ok.help);
  assert.equal(ok.values.depth, "-1");
});

Deno.test("--concurrency refuses 0 and takes its default when absent", () => {
  assert.equal(concurrencyFlag({}, 32), 32);
  assert.equal(concurrencyFlag({ concurrency: "8" }, 32), 8);
  assert.throws(() => concurrencyFlag({ concurrency: "0" }, 32), /at least 1 request in flight, found 0/);
  assert.throws(() => concurrencyFlag({ concurrency: "-2" }, 32), /non-negative integer, found -2/);
});

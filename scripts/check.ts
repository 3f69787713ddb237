#!/usr/bin/env -S deno run -A
/**
 * Verifies a local directory against `<container>[/<prefix>]` by content: what only
 * one side has, and what differs (size, then MD5; a Static Large Object segment by
 * segment, the file hashed over the same ranges). Exits 1 on any difference, so that
 * a script can tell a verified copy; `--json` lists the differences. Nothing is
 * changed. The comparison is the library's `planSync`, as sync.ts uses it.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/check.ts ./data.zarr my-container/run-42
 * deno run -A jsr:@zarrswift/store/scripts/check.ts --json --exclude '*.tmp' ./data.zarr my-container/run-42
 * ```
 *
 * @module
 */

import {
  answerChecks,
  AUTH_HELP,
  AUTH_OPTIONS,
  bytes,
  concurrencyFlag,
  describeLocation,
  FILTER_HELP,
  FILTER_OPTIONS,
  Job,
  localSide,
  location,
  openStore,
  pathFilter,
  Progress,
  remoteSide,
  requireDir,
  run,
  secondsSince,
  settledPlan,
  terminalSafe,
} from "./_cli/mod.ts";

const HELP = `
Usage: check.ts [options] <local-dir> <container>[/<prefix>]

Compares every file under <local-dir> with the objects under <prefix>, by size and
then MD5 (large objects segment by segment): reports what is only local, what is
only in Swift, and what differs. Changes nothing.

Options:
  --concurrency N    requests and files hashed at once (default 32)
  --json             one JSON object as the last line: the lists of differences
  -h, --help         this help

${FILTER_HELP}

${AUTH_HELP}

Exit status: 0 when both sides hold the same, 1 on any difference or failure, 2 on bad usage.`;

await run("check.ts", {
  options: {
    ...AUTH_OPTIONS,
    concurrency: { type: "string" },
    json: { type: "boolean" },
    ...FILTER_OPTIONS,
  },
  help: HELP,
  positionals: { min: 2, max: 2 },
}, async ({ values, positionals }) => {
  const [dir, target] = positionals;
  await requireDir(dir, "to check", false, target);
  const loc = location(target);
  const concurrency = concurrencyFlag(values, 32);
  const filter = await pathFilter(values);
  const started = performance.now();
  const store = await openStore(loc, values, { concurrency });
  const progress = new Progress(!values.json);
  const counts = { same: 0, failed: 0 };
  const where = describeLocation(loc);
  const job = new Job("check.ts", counts, (c) => `${c.same} identical so far`, {
    beforeExit: () => progress.done(),
  });
  const local = await localSide(dir);
  for (const p of local.failed) job.fail(p.path, new Error(p.reason));
  const remote = await remoteSide(store, job.signal);
  const plan = await settledPlan(
    local.entries,
    remote,
    { delete: true, filter, keep: local.keep },
    (checks) => {
      progress.setTotal(checks.length, checks.reduce((n, c) => n + c.entry.size, 0));
      return answerChecks(checks, { side: "source", dir }, store, {
        progress,
        signal: job.signal,
        concurrency,
      });
    },
  );
  progress.done();
  job.finish();
  counts.same = plan.same;
  const onlyLocal = plan.transfer.filter((t) => t.reason === "missing");
  const differ = plan.transfer.filter((t) => t.reason !== "missing");
  const onlyRemote = plan.delete;
  const different = onlyLocal.length + differ.length + onlyRemote.length;
  const seconds = secondsSince(started);
  if (values.json) {
    console.log(JSON.stringify({
      same: plan.same,
      same_bytes: plan.sameBytes,
      only_local: onlyLocal.map((t) => t.path),
      only_remote: onlyRemote.map((t) => t.path),
      differ: differ.map((t) => ({ path: t.path, reason: t.reason })),
      excluded: plan.excluded,
      skipped: local.skipped.length,
      failed: counts.failed,
      seconds,
    }));
  } else {
    for (const t of onlyLocal) console.log(terminalSafe(`only local: ${t.path}`));
    for (const t of onlyRemote) console.log(terminalSafe(`only in ${where}: ${t.path}`));
    for (const t of differ) {
      console.log(terminalSafe(`differs (${t.reason === "size" ? "size" : "MD5"}): ${t.path}`));
    }
    console.log(terminalSafe(
      `${different === 0 && counts.failed === 0 ? "same" : "DIFFERENT"}: ${plan.same} identical (${
        bytes(plan.sameBytes)
      }), ${onlyLocal.length} only local, ${onlyRemote.length} only in ${where}, ${differ.length} differ${
        filter ? `, ${plan.excluded} excluded` : ""
      }, ${counts.failed} failed in ${seconds} s`,
    ));
  }
  return different > 0 || counts.failed > 0 ? 1 : 0;
});

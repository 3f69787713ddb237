/**
 * The benchmark suite (`deno task bench`): starts the local Swift (as the tests do),
 * runs each workload for each contender in the same run, alternating their order
 * round by round, each contender in its own process under GNU time (wall seconds,
 * client CPU seconds, peak RSS). Prints a table and writes bench/results.json and
 * BENCHMARKS.md.
 *
 *   deno task bench [--rounds 3] [--only zarr-write,list] [--quick]
 *   deno task bench --report-only    (rebuilds BENCHMARKS.md from bench/results.json)
 *
 * This file holds the flags and the order of things only. The rest of bench/, each
 * importing only the files before it in this list (no cycles):
 * stats.ts (figures), measure.ts (processes, timing), contenders.ts (who runs and how),
 * workloads.ts (what runs), report.ts (results.json, tables, BENCHMARKS.md).
 * bench/workers.ts is a contender's process, imported by none of them.
 *
 * Imports: every file of bench/ but workers.ts.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { connect, dropContainers, ensurePackages } from "./contenders.ts";
import { measure, reclaim, startSwift } from "./measure.ts";
import {
  describeMachine,
  merge,
  printTables,
  readResults,
  type Result,
  writeBenchmarks,
  writeResults,
} from "./report.ts";
import { type Run, summarise } from "./stats.ts";
import { sizes, WORK, workloads } from "./workloads.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string" },
    only: { type: "string" },
    quick: { type: "boolean" },
    "report-only": { type: "boolean" },
  },
});

if (flags["report-only"]) {
  const { machine, results } = await readResults();
  if (!machine) throw new Error("Expected figures in bench/results.json, found none: run the suite first");
  const merged = merge([], results, workloads(sizes(machine.quick), machine.rounds));
  printTables(merged);
  await writeBenchmarks(machine, merged);
  console.error(`wrote BENCHMARKS.md`);
} else {
  await runSuite();
}

/** Runs the workloads (all, or those of --only), then writes the report. */
async function runSuite(): Promise<void> {
  const ROUNDS = Number(flags.rounds ?? 3);
  const QUICK = Boolean(flags.quick);
  const ONLY = flags.only?.split(",");
  const list = workloads(sizes(QUICK), ROUNDS);

  await startSwift();
  await ensurePackages();
  const session = await connect();
  // With --only, the other workloads keep their figures from the last full run.
  const previous = ONLY ? (await readResults()).results : [];
  const fresh: Result[] = [];
  await Deno.mkdir(WORK, { recursive: true });
  try {
    for (const w of list) {
      if (ONLY && !ONLY.includes(w.id)) continue;
      console.error(`== ${w.title}`);
      // Every workload starts on a server without the tombstones of the last one's deletes.
      await reclaim();
      const made = await w.setup?.(session);
      const bytes = typeof made === "number" ? made : w.bytes;
      const contenders = w.contenders(session);
      const runs: Record<string, Run[]> = Object.fromEntries(contenders.map((c) => [c.name, []]));
      const rounds = w.rounds ?? ROUNDS;
      for (let r = 0; r < rounds; r++) {
        // Alternate: each round starts with the next contender.
        const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]);
        for (const c of order) {
          const cmd = await c.prepare(r);
          const run = await measure(cmd, { ...session.env, ...c.env });
          runs[c.name].push(run);
          console.error(
            `   ${c.name.padEnd(22)} ${run.seconds.toFixed(2)} s, cpu ${run.cpu.toFixed(2)} s, server ${
              run.serverCpu.toFixed(2)
            } s, ${run.rssMiB.toFixed(0)} MiB`,
          );
          await c.cleanup?.(r);
        }
      }
      await w.teardown?.(session);
      const stats = Object.fromEntries(
        Object.entries(runs).map(([name, rs]) => [name, summarise(rs, w.objects, bytes)]),
      );
      const { id, title, floor, ours, objects } = w;
      fresh.push({ id, title, floor, ours, objects, bytes, rounds, target: w.target(stats), stats });
    }
  } finally {
    await dropContainers(session);
  }

  const results = merge(fresh, previous, list);
  printTables(results);
  const machine = await describeMachine(ROUNDS, QUICK);
  await writeResults(machine, results);
  await writeBenchmarks(machine, results);
  console.error(`wrote bench/results.json and BENCHMARKS.md`);
}

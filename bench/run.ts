/**
 * The benchmark suite (`deno task bench`): starts the local Swift (as the tests do),
 * runs each workload for each contender in the same run, alternating their order
 * round by round, each contender in its own process under GNU time (wall seconds,
 * client CPU seconds, peak RSS). Prints a table and writes bench/results.json,
 * BENCHMARKS.md and bench/concurrency.svg.
 *
 *   deno task bench [--rounds 3] [--only zarr-write,list] [--quick | --tiny]
 *                   [--rtt 0,10,50,100] [--rate 100mbit] [--settle 20] [--out DIR]
 *   deno task bench --report-only    (rebuilds BENCHMARKS.md from bench/results.json)
 *
 * `--rtt` lists round-trip times in ms (default 0, the loopback): above 0 every contender
 * reaches Swift through a latency proxy (bench/link.ts) that adds that much to each round
 * trip, optionally capped at `--rate` each way, and counts the requests. Each workload is
 * set up once (on the loopback) and run at every round-trip time in turn. `--settle` is
 * the longest wait in seconds for an idle machine before each run (use 0–2 on a busy
 * machine). `--out` writes the results and reports to another directory (the smoke test).
 *
 * This file holds the flags and the order of things only. The rest of bench/, each
 * importing only the files before it in this list (no cycles):
 * stats.ts (figures), measure.ts (processes, timing), link.ts (latency proxies),
 * contenders.ts (who runs and how), fixtures.ts (what setup writes), targets.ts (verdicts),
 * workloads.ts (what runs), chart.ts (the sweep's SVG), report.ts (results.json, tables,
 * BENCHMARKS.md). Processes of their own, imported by none of them: bench/workers.ts (a
 * contender), bench/proxy_host.ts (a latency proxy); bench/adaptive_preload.ts is
 * preloaded into a contender.
 *
 * Imports: every file of bench/ but the processes.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  connect,
  type Contender,
  dropContainers,
  ensurePackages,
  renewIfExpired,
  type Session,
  throughLink,
} from "./contenders.ts";
import { type Link, observer, probeRtt, startLink } from "./link.ts";
import { measure, reclaim, setSettle, startSwift } from "./measure.ts";
import {
  describeMachine,
  loadAverage,
  merge,
  printTables,
  readResults,
  type Result,
  setOutput,
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
    tiny: { type: "boolean" },
    rtt: { type: "string", default: "0" },
    rate: { type: "string" },
    settle: { type: "string" },
    out: { type: "string" },
    "report-only": { type: "boolean" },
  },
});

if (flags.out) setOutput(flags.out);
const MODE = flags.tiny ? "tiny" : flags.quick ? "quick" : "full";

if (flags["report-only"]) {
  const { machine, results } = await readResults();
  if (!machine) throw new Error("Expected figures in bench/results.json, found none: run the suite first");
  const merged = merge(
    [],
    results,
    workloads(sizes(machine.mode ?? (machine.quick ? "quick" : "full")), machine.rounds),
  );
  printTables(merged);
  await writeBenchmarks(machine, merged);
  console.error(`wrote BENCHMARKS.md`);
} else {
  await runSuite();
}

/**
 * One timed run of contender `c` in round `r`. A run that fails (a token lost when a test
 * elsewhere restarted the shared memcached, a connection reset) is cleaned up and run
 * once more, after a new login when the token no longer works.
 */
async function timed(c: Contender, r: number, session: Session, sessions: Session[]): Promise<Run> {
  for (let attempt = 1;; attempt++) {
    if (await renewIfExpired(sessions)) console.error("   (the token no longer worked: logged in again)");
    const cmd = await c.prepare(r);
    try {
      return await measure(cmd, { ...session.env, ...c.env }, session.link && observer(session.link));
    } catch (err) {
      if (attempt === 2) throw err;
      console.error(`   ${c.name} failed, once more: ${String(err).slice(0, 300)}`);
      if (await renewIfExpired(sessions)) console.error("   (the token no longer worked: logged in again)");
      await c.cleanup?.(r);
    }
  }
}

/** Runs the workloads (all, or those of --only) at each round-trip time, then writes the report. */
async function runSuite(): Promise<void> {
  const ROUNDS = Number(flags.rounds ?? 3);
  const ONLY = flags.only?.split(",");
  const RTTS = flags.rtt.split(",").map(Number);
  if (RTTS.some((x) => !(x >= 0))) {
    throw new Error(`Expected --rtt as ms ≥ 0 such as 0,10,50, found ${flags.rtt}`);
  }
  if (flags.settle !== undefined) setSettle(Number(flags.settle));
  const list = workloads(sizes(MODE), ROUNDS);
  const load = loadAverage();

  await startSwift();
  const peers = !ONLY || ONLY.some((id) => ["upload", "download", "delete", "big"].includes(id));
  await ensurePackages(peers);
  const base = await connect();
  const links: Link[] = [];
  const sessions = new Map<number, { session: Session; measuredRtt?: number }>();
  const loopbackRtt = await probeRtt(base.storageUrl, base.token);
  // With --only, the other workloads keep their figures from the last full run.
  const previous = ONLY ? (await readResults()).results : [];
  const fresh: Result[] = [];
  await Deno.mkdir(WORK, { recursive: true });
  try {
    for (const rtt of RTTS) {
      if (rtt === 0) {
        sessions.set(0, { session: base });
        continue;
      }
      const link = await startLink(rtt, flags.rate);
      links.push(link);
      const session = await throughLink(base, link);
      const measuredRtt = await probeRtt(session.storageUrl, session.token);
      console.error(
        `link +${rtt} ms${flags.rate ? ` at ${flags.rate}` : ""}: port ${link.port}, measured RTT ${
          measuredRtt.toFixed(1)
        } ms`,
      );
      sessions.set(rtt, { session, measuredRtt });
    }
    const everySession = [...new Set([base, ...[...sessions.values()].map((x) => x.session)])];
    for (const w of list) {
      if (ONLY && !ONLY.includes(w.id)) continue;
      console.error(`== ${w.title}`);
      // Every workload starts on a server without the tombstones of the last one's deletes.
      await reclaim();
      await renewIfExpired(everySession);
      const made = await w.setup?.(base);
      const bytes = typeof made === "number" ? made : w.bytes;
      for (const rtt of RTTS) {
        if (rtt > 0 && w.wan === false) continue;
        const { session, measuredRtt } = sessions.get(rtt)!;
        console.error(` at +${rtt} ms`);
        const contenders = w.contenders(session);
        const runs: Record<string, Run[]> = Object.fromEntries(contenders.map((c) => [c.name, []]));
        const rounds = w.rounds ?? ROUNDS;
        for (let r = 0; r < rounds; r++) {
          // Alternate: each round starts with the next contender.
          const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]);
          for (const c of order) {
            const run = await timed(c, r, session, everySession);
            runs[c.name].push(run);
            console.error(
              `   ${c.name.padEnd(26)} ${run.seconds.toFixed(2)} s, cpu ${run.cpu.toFixed(2)} s, server ${
                run.serverCpu.toFixed(2)
              } s, ${run.rssMiB.toFixed(0)} MiB${
                run.requests === undefined
                  ? ""
                  : `, ${run.requests} requests, proxy cpu ${run.proxyCpu!.toFixed(2)} s, late ${
                    run.proxyLateMs!.toFixed(2)
                  } ms`
              }${run.note ? `, ${run.note}` : ""}`,
            );
            await c.cleanup?.(r);
          }
        }
        const stats = Object.fromEntries(
          Object.entries(runs).map(([name, rs]) => [name, summarise(rs, w.objects, bytes)]),
        );
        const { id, title, floor, ours, objects } = w;
        fresh.push({
          id,
          title,
          floor,
          ours,
          objects,
          bytes,
          rounds,
          rtt,
          ...(measuredRtt === undefined ? {} : { measuredRtt, loopbackRtt }),
          ...(rtt > 0 && flags.rate ? { rate: flags.rate } : {}),
          target: w.target(stats, rtt),
          stats,
        });
      }
      await w.teardown?.(base);
    }
  } finally {
    await renewIfExpired([base]).catch(() => {});
    await dropContainers(base);
    for (const link of links) await link.close();
  }

  const results = merge(fresh, previous, list);
  printTables(results);
  const machine = await describeMachine(ROUNDS, MODE, [load, loadAverage()]);
  await writeResults(machine, results);
  await writeBenchmarks(machine, results);
  console.error(`wrote results.json, BENCHMARKS.md and concurrency.svg`);
}

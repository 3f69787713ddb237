/**
 * The report of the benchmark suite: the results (bench/results.json, its shape and the
 * machine it describes), the merge of a partial run with the last full one, the tables
 * printed and written, and BENCHMARKS.md.
 *
 * Imports: stats.ts, measure.ts (`sh`, `ROOT`), contenders.ts (`THREADS`) and the
 * `Workload` type of workloads.ts. Nothing imports it but run.ts.
 *
 * @module
 */

import { THREADS } from "./contenders.ts";
import { ROOT, sh } from "./measure.ts";
import { fmt, ratio, type Stats, type Target } from "./stats.ts";
import type { Workload } from "./workloads.ts";

const RESULTS = `${ROOT}bench/results.json`;
const BENCHMARKS = `${ROOT}BENCHMARKS.md`;

/** One workload's figures, as bench/results.json holds them. */
export interface Result {
  id: string;
  title: string;
  floor: string;
  ours: string;
  objects: number;
  bytes: number;
  /** Runs of each contender (the median is taken over them). */
  rounds?: number;
  target: Target;
  stats: Record<string, Stats>;
}

/** The machine and software a run of the suite measured on. */
export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  deno: string;
  swift: string;
  swiftclient: string;
  rclone: string;
  rounds: number;
  quick: boolean;
}

/** This machine, now, for a run of `rounds` rounds (`quick` sizes or not). */
export async function describeMachine(rounds: number, quick: boolean): Promise<Machine> {
  const version = async (cmd: string[]) => (await sh(cmd).catch(() => "?")).split("\n")[0].trim();
  const python = (
    module: string,
  ) => ["/usr/bin/python3", "-c", `import ${module}; print(${module}.__version__)`];
  return {
    date: new Date().toISOString(),
    cpu: (await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)?.[1] ?? "?",
    cores: navigator.hardwareConcurrency,
    memoryGiB: Math.round(Deno.systemMemoryInfo().total / 2 ** 30),
    deno: Deno.version.deno,
    swift: await version(python("swift")),
    swiftclient: await version(python("swiftclient")),
    rclone: await version(["rclone", "version"]),
    rounds,
    quick,
  };
}

/** The last run's bench/results.json (no results when there is none). */
export async function readResults(): Promise<{ machine?: Machine; results: Result[] }> {
  const json = JSON.parse(await Deno.readTextFile(RESULTS).catch(() => "{}"));
  return { machine: json.machine, results: json.results ?? [] };
}

/**
 * The fresh results, and the previous ones of the workloads not run again (their targets
 * judged again), in the order of `list`.
 */
export function merge(fresh: Result[], previous: Result[], list: Workload[]): Result[] {
  const results = [...fresh];
  for (const old of previous) {
    const w = list.find((w) => w.id === old.id);
    old.floor ??= w?.floor ?? Object.keys(old.stats)[0];
    old.ours ??= w?.ours ?? Object.keys(old.stats)[0];
    try {
      old.target = w?.target(old.stats) ?? old.target;
    } catch {
      // Figures from before a contender was added keep their verdict.
    }
    if (!results.some((r) => r.id === old.id)) results.push(old);
  }
  const rank = (r: Result) => list.findIndex((w) => w.id === r.id);
  return results.sort((a, b) => rank(a) - rank(b));
}

/** The results table: one row a contender of a workload. */
function resultsTable(results: Result[]): string {
  const rows: string[] = [
    "| workload | contender | seconds | objects/s | MiB/s | client CPU s | server CPU s | peak RSS MiB | vs floor | vs each |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const w of results) {
    const stats = w.stats;
    for (const [name, s] of Object.entries(stats)) {
      const others = Object.entries(stats).filter(([n]) => n !== name)
        .map(([n, o]) => `${fmt(ratio(s.objectsPerSecond, o.objectsPerSecond))}× ${n}`).join(", ");
      rows.push(
        `| ${w.id} | ${name} | ${fmt(s.seconds)} | ${fmt(s.objectsPerSecond, 0)} | ${
          fmt(s.mibPerSecond, 1)
        } | ${fmt(s.cpu)} | ${fmt(s.serverCpu)} | ${fmt(s.rssMiB, 0)} | ${
          fmt(ratio(s.objectsPerSecond, stats[w.floor].objectsPerSecond))
        }× | ${others} |`,
      );
    }
  }
  return rows.join("\n");
}

/** The rows of the targets table: one a workload. */
function targetRows(results: Result[]): string {
  return results.map((r) =>
    `| ${r.id} | ${r.title} | ${r.rounds ?? Object.values(r.stats)[0].runs.length} | ${r.target.text} | ${
      r.target.met ? "met" : "missed"
    } |`
  ).join("\n");
}

/**
 * The rows of the ceilings table. The server's CPU per object bounds every client: with all
 * `cores` serving and a client that costs nothing, `objects / (server CPU / cores)` objects
 * a second is the most.
 */
function ceilingRows(results: Result[], cores: number): string {
  return results.filter((r) => r.objects > 1 && r.stats[r.ours]?.serverCpu > 0).map((r) => {
    const ours = r.stats[r.ours];
    const ceiling = r.objects / (ours.serverCpu / cores);
    const vs = Object.entries(r.stats).filter(([n]) => n !== r.ours)
      .map(([n, o]) => `${fmt(ceiling / o.objectsPerSecond)}× ${n}`).join(", ");
    return `| ${r.id} | ${fmt(ours.serverCpu)} s (${fmt((ours.serverCpu / r.objects) * 1000, 2)} ms) | ${
      fmt(ceiling, 0)
    } | ${fmt((100 * ours.objectsPerSecond) / ceiling, 0)} % | ${vs} |`;
  }).join("\n");
}

/** Prints the results table and the targets' rows (standard output). */
export function printTables(results: Result[]): void {
  console.log(resultsTable(results));
  console.log();
  console.log(targetRows(results));
}

/** Writes bench/results.json. */
export async function writeResults(machine: Machine, results: Result[]): Promise<void> {
  await Deno.writeTextFile(RESULTS, JSON.stringify({ machine, results }, null, 2) + "\n");
}

/** Writes BENCHMARKS.md (formatted as the repository's formatter wants it). */
export async function writeBenchmarks(machine: Machine, results: Result[]): Promise<void> {
  await Deno.writeTextFile(BENCHMARKS, benchmarksMd(machine, results));
  // The repository's formatter aligns the tables (and `deno fmt --check` stays clean).
  await sh([Deno.execPath(), "fmt", BENCHMARKS]);
}

/** The text of BENCHMARKS.md (before formatting). */
function benchmarksMd(machine: Machine, results: Result[]): string {
  return `# Benchmarks

Generated by \`deno task bench\` (bench/run.ts) on ${machine.date.slice(0, 10)}; the raw figures are in
[bench/results.json](bench/results.json). Do not edit by hand: re-run the suite.

## Method

- One run of the suite starts the local Swift (\`dev/swift.sh\`: Swift ${machine.swift}, one replica,
  tempauth, on 127.0.0.1) and runs every workload for every contender, alternating the order of the
  contenders round by round (the rounds of each workload are in the targets table). Figures are medians of
  the rounds; peak RSS is the largest.
- Each contender runs as its own process under GNU time: wall seconds, user+system CPU seconds of the
  client, and its peak RSS. Swift shares the machine's ${machine.cores} cores with the client, so a lean client
  leaves the server more CPU.
- Contenders: this library (SwiftStore with zarrita; \`scripts/upload.ts\` and \`scripts/download.ts\`);
  the raw-HTTP floor (\`bench/workers.ts\`: a minimal pool of \`fetch\` calls at the same concurrency,
  no MD5, no retries; for uploads and downloads it reads or writes the files too, and for deletes there is
  also a loop of one DELETE after another); python-swiftclient ${machine.swiftclient} (\`swift upload/download --object-threads
  ${THREADS}\`); ${machine.rclone} (\`rclone copy --transfers ${THREADS} --checkers ${THREADS}\`, a swift remote
  with the pre-authenticated token). Every client uses a pre-authenticated token: no login is timed.
- Concurrency ${THREADS} for every contender. Setup (creating the objects to list, read or delete) and
  cleanup are not timed. Before each run the suite waits until the machine is idle (under 10 % CPU over
  half a second), so that no run pays for the server's work left over from the one before.
- "SwiftStore, verify off" is this library with \`verify: false\`: what the MD5 of every chunk costs (sent
  as the ETag of each write, checked against the ETag of each read).

## Machine

${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Deno ${machine.deno}.

## Results

${resultsTable(results)}

## Targets

| workload | what | rounds | target | |
| --- | --- | ---: | --- | --- |
${targetRows(results)}

## What the server allows

Swift shares the machine with the client, and a request costs the server CPU whoever sends it. The server CPU
column counts what Swift's processes and memcached spent during each run. Divided over the ${machine.cores} cores it
gives the fastest any client could go, one that costs no CPU at all: the ceiling below. A target above the
ceiling cannot be met by a client on this machine.

| workload | server CPU for this library (per object) | ceiling objects/s | this library reaches | ceiling vs each |
| --- | ---: | ---: | ---: | --- |
${ceilingRows(results, machine.cores)}
`;
}

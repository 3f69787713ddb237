/**
 * The report of the benchmark suite: the results (bench/results.json, its shape and the
 * machine it describes), the merge of a partial run with the last full one, the tables
 * printed and written, BENCHMARKS.md (the loopback, then a table per round-trip time of
 * the WAN profile) and the sweep's chart, bench/concurrency.svg.
 *
 * Imports: stats.ts, measure.ts (`sh`, `ROOT`), contenders.ts (`THREADS`), chart.ts and
 * workloads.ts (`SWEEP`, the `Workload` type). Nothing imports it but run.ts.
 *
 * @module
 */

import { sweepChart } from "./chart.ts";
import { THREADS } from "./contenders.ts";
import { ROOT, sh } from "./measure.ts";
import { fmt, ratio, type Stats, type Target } from "./stats.ts";
import { SWEEP, type Workload } from "./workloads.ts";

let RESULTS = `${ROOT}bench/results.json`;
let BENCHMARKS = `${ROOT}BENCHMARKS.md`;
let CHART = `${ROOT}bench/concurrency.svg`;
/** The chart's address from BENCHMARKS.md. */
let CHART_LINK = "bench/concurrency.svg";

/** Writes results.json, BENCHMARKS.md and concurrency.svg into `dir` instead (the smoke test). */
export function setOutput(dir: string): void {
  Deno.mkdirSync(dir, { recursive: true });
  RESULTS = `${dir}/results.json`;
  BENCHMARKS = `${dir}/BENCHMARKS.md`;
  CHART = `${dir}/concurrency.svg`;
  CHART_LINK = "concurrency.svg";
}

/** The machine's 1-minute load average now. */
export function loadAverage(): number {
  return Deno.loadavg()[0];
}

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
  /** Round-trip time added by the link, in ms (0 or absent: the loopback). */
  rtt?: number;
  /** The round trip a client saw through the link, in ms (probed before the workloads). */
  measuredRtt?: number;
  /** The same probe on the loopback. */
  loopbackRtt?: number;
  /** The link's bandwidth cap each way, when it had one. */
  rate?: string;
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
  /** The sizes: "full", "quick" or "tiny". */
  mode?: "full" | "quick" | "tiny";
  /** The 1-minute load average when the run started and when it ended. */
  load?: [number, number];
}

/** This machine, now, for a run of `rounds` rounds at `mode` sizes, with its load averages. */
export async function describeMachine(
  rounds: number,
  mode: "full" | "quick" | "tiny",
  load: [number, number],
): Promise<Machine> {
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
    quick: mode !== "full",
    mode,
    load,
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
    old.rtt ??= 0;
    old.floor ??= w?.floor ?? Object.keys(old.stats)[0];
    old.ours ??= w?.ours ?? Object.keys(old.stats)[0];
    try {
      old.target = w?.target(old.stats, old.rtt) ?? old.target;
    } catch {
      // Figures from before a contender was added keep their verdict.
    }
    if (!results.some((r) => r.id === old.id && (r.rtt ?? 0) === old.rtt)) results.push(old);
  }
  const rank = (r: Result) => list.findIndex((w) => w.id === r.id) * 1e6 + (r.rtt ?? 0);
  return results.sort((a, b) => rank(a) - rank(b));
}

/** `a`'s speed against each other contender of `stats`. */
function versusEach(stats: Record<string, Stats>, name: string): string {
  return Object.entries(stats).filter(([n]) => n !== name)
    .map(([n, o]) => `${fmt(ratio(stats[name].objectsPerSecond, o.objectsPerSecond))}× ${n}`).join(", ");
}

const atLoopback = (results: Result[]) => results.filter((r) => (r.rtt ?? 0) === 0);

/** The loopback's results table: one row a contender of a workload. */
function resultsTable(results: Result[]): string {
  const rows: string[] = [
    "| workload | contender | seconds | objects/s | MiB/s | client CPU s | server CPU s | peak RSS MiB | vs floor | vs each |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const w of atLoopback(results)) {
    const stats = w.stats;
    for (const [name, s] of Object.entries(stats)) {
      rows.push(
        `| ${w.id} | ${name} | ${fmt(s.seconds)} | ${fmt(s.objectsPerSecond, 0)} | ${
          fmt(s.mibPerSecond, 1)
        } | ${fmt(s.cpu)} | ${fmt(s.serverCpu)} | ${fmt(s.rssMiB, 0)} | ${
          fmt(ratio(s.objectsPerSecond, stats[w.floor]?.objectsPerSecond))
        }× | ${versusEach(stats, name)} |`,
      );
    }
  }
  return rows.join("\n");
}

/** Requests of a run by method, most first: `10001 (PUT 5000, HEAD 5000, GET 1)`. */
function requestMix(s: Stats): string {
  if (!Number.isFinite(s.requests)) return "–";
  const methods = Object.entries(s.runs[0]?.methods ?? {}).sort((a, b) => b[1] - a[1]);
  const mix = methods.length > 1 ? ` (${methods.map(([m, n]) => `${m} ${n}`).join(", ")})` : "";
  return `${fmt(s.requests, 0)}${mix}`;
}

/** The round-trip times of the WAN profile among `results`, in order. */
function wanRtts(results: Result[]): number[] {
  return [...new Set(results.map((r) => r.rtt ?? 0).filter((x) => x > 0))].sort((a, b) => a - b);
}

/**
 * The table of one round-trip time: one row a contender of a workload, its speed against
 * the floor and against each contender that is not a variant of ours (named `<ours> …`);
 * below it, what the contenders said about themselves (the adaptive limit's path), round
 * by round.
 */
function wanTable(results: Result[]): string {
  const rows: string[] = [
    "| workload | contender | seconds | objects/s | requests | client CPU s | proxy CPU s | vs floor | vs each |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  const notes: string[] = [];
  for (const w of results) {
    const others = Object.fromEntries(Object.entries(w.stats).filter(([n]) => !n.startsWith(`${w.ours} `)));
    for (const [name, s] of Object.entries(w.stats)) {
      rows.push(
        `| ${w.id} | ${name} | ${fmt(s.seconds)} | ${fmt(s.objectsPerSecond, 0)} | ${requestMix(s)} | ${
          fmt(s.cpu)
        } | ${fmt(s.proxyCpu)} | ${fmt(ratio(s.objectsPerSecond, w.stats[w.floor]?.objectsPerSecond))}× | ${
          versusEach({ ...others, [name]: s }, name)
        } |`,
      );
      const said = s.runs.map((r) => r.note).filter(Boolean);
      if (said.length) notes.push(`- ${w.id}, ${name}: ${said.join("; ")}`);
    }
  }
  return rows.join("\n") + (notes.length ? `\n\n${notes.join("\n")}` : "");
}

/**
 * Whether the proxy kept up at one round-trip time: its CPU against the clients', and the
 * runs where it may have been the limit (over half a core, or writing later than 10 % of
 * the one-way delay, at least 3 ms, on average).
 */
function proxyCheck(results: Result[], rtt: number): string {
  const runs = results.flatMap((r) =>
    Object.entries(r.stats).flatMap(([name, s]) => s.runs.map((run) => ({ id: r.id, name, run })))
  );
  const proxy = runs.reduce((a, x) => a + (x.run.proxyCpu ?? 0), 0);
  const clients = runs.reduce((a, x) => a + x.run.cpu, 0);
  const wall = runs.reduce((a, x) => a + x.run.seconds, 0);
  // Timers fire a millisecond or two late on a busy machine (that adds to the measured round trip);
  // a proxy that cannot keep up falls further behind with every chunk.
  const lateLimit = Math.max(3, (0.1 * rtt) / 2);
  const suspect = runs.filter((x) =>
    (x.run.proxyCpu ?? 0) / x.run.seconds > 0.5 || (x.run.proxyLateMs ?? 0) > lateLimit
  );
  const worst = Math.max(...runs.map((x) => (x.run.proxyCpu ?? 0) / x.run.seconds));
  const late = Math.max(...runs.map((x) => x.run.proxyLateMs ?? 0));
  const names = [...new Set(suspect.map((x) => `${x.id}/${x.name}`))];
  const requests = runs.reduce((a, x) => a + (x.run.requests ?? 0), 0);
  return `The proxy spent ${fmt(proxy)} s of CPU over ${fmt(wall, 0)} s of runs (the clients ${
    fmt(clients)
  } s), ${fmt((1000 * proxy) / requests)} ms a request; ` +
    `at most ${fmt(100 * worst, 0)} % of a core in one run, and it wrote chunks at most ${
      fmt(late)
    } ms late ` +
    `on average in one run. ${
      names.length
        ? `**It may have been the limit in ${suspect.length} runs** (over half a core, or over ${
          fmt(lateLimit)
        } ms late): ${names.join(", ")}; their figures understate the clients.`
        : "It was not the limit in any run."
    }`;
}

/** The rows of the targets table: one a workload and round-trip time. */
function targetRows(results: Result[]): string {
  return results.map((r) =>
    `| ${r.id} | ${r.rtt ? `+${r.rtt} ms` : "loopback"} | ${r.title} | ${
      r.rounds ?? Object.values(r.stats)[0].runs.length
    } | ${r.target.text} | ${r.target.met ? "met" : "missed"} |`
  ).join("\n");
}

/**
 * The rows of the ceilings table (loopback). The server's CPU per object bounds every client:
 * with all `cores` serving and a client that costs nothing, `objects / (server CPU / cores)`
 * objects a second is the most.
 */
function ceilingRows(results: Result[], cores: number): string {
  return atLoopback(results).filter((r) => r.objects > 1 && r.stats[r.ours]?.serverCpu > 0).map((r) => {
    const ours = r.stats[r.ours];
    const ceiling = r.objects / (ours.serverCpu / cores);
    const vs = Object.entries(r.stats).filter(([n]) => n !== r.ours)
      .map(([n, o]) => `${fmt(ceiling / o.objectsPerSecond)}× ${n}`).join(", ");
    return `| ${r.id} | ${fmt(ours.serverCpu)} s (${fmt((ours.serverCpu / r.objects) * 1000, 2)} ms) | ${
      fmt(ceiling, 0)
    } | ${fmt((100 * ours.objectsPerSecond) / ceiling, 0)} % | ${vs} |`;
  }).join("\n");
}

/** Prints the results tables and the targets' rows (standard output). */
export function printTables(results: Result[]): void {
  console.log(resultsTable(results));
  for (const rtt of wanRtts(results)) {
    console.log(`\n+${rtt} ms\n${wanTable(results.filter((r) => r.rtt === rtt))}`);
  }
  console.log();
  console.log(targetRows(results));
}

/** Writes bench/results.json. */
export async function writeResults(machine: Machine, results: Result[]): Promise<void> {
  await Deno.writeTextFile(RESULTS, JSON.stringify({ machine, results }, null, 2) + "\n");
}

/** Writes BENCHMARKS.md (formatted as the repository's formatter wants it) and the sweep's chart. */
export async function writeBenchmarks(machine: Machine, results: Result[]): Promise<void> {
  const sweep = results.filter((r) => r.id === "zarr-sweep").map((r) => ({
    rtt: r.rtt ?? 0,
    stats: r.stats,
  }));
  if (sweep.length) await Deno.writeTextFile(CHART, sweepChart(sweep, SWEEP, "SwiftStore adaptive"));
  await Deno.writeTextFile(BENCHMARKS, benchmarksMd(machine, results, sweep.length > 0));
  // The repository's formatter aligns the tables and wraps the chart's long lines, so
  // `deno fmt --check` stays clean.
  await sh([Deno.execPath(), "fmt", BENCHMARKS, ...(sweep.length ? [CHART] : [])], {}, ROOT);
}

/** The WAN section of BENCHMARKS.md: method, then per round-trip time a proxy check and a table. */
function wanSection(results: Result[], chart: boolean): string {
  const rtts = wanRtts(results);
  if (!rtts.length) return "";
  const tables = rtts.map((rtt) => {
    const at = results.filter((r) => r.rtt === rtt);
    const measured = at.find((r) => r.measuredRtt !== undefined)?.measuredRtt;
    const loopback = at.find((r) => r.loopbackRtt !== undefined)?.loopbackRtt;
    const rate = at.find((r) => r.rate)?.rate;
    return `### +${rtt} ms${rate ? `, ${rate} each way` : ""}

A HEAD on the account took ${fmt(measured ?? Number.NaN, 1)} ms through the proxy and ${
      fmt(loopback ?? Number.NaN, 1)
    } ms on the loopback (medians of 7). ${proxyCheck(at, rtt)}

${wanTable(at)}
`;
  }).join("\n");
  return `
## Over a link with latency

The same workloads through a latency proxy (\`dev/latency_proxy.ts\`, run by \`bench/proxy_host.ts\` as its own
process) on 127.0.0.1 in front of the local Swift, which adds half the round-trip time to each direction of every
connection. Each contender logs in through it (TempAuth's storage URL follows the Host header), so every request
pays the delay; setup and cleanup go over the loopback. The proxy counts the requests by their HTTP/1.1 framing
(the requests column, with the mix by method of the first round) and its own CPU, reported next to the clients'
so that a run where the proxy was the limit shows. Concurrency ${THREADS} unless the name says otherwise;
"(defaults)" is each tool as users run it: \`upload.ts\`/\`download.ts\` without \`--concurrency\`, \`swift\`
with its 10 object threads, rclone with 4 transfers and 8 checkers. "adaptive" is the proposed adaptive limit
(\`bench/adaptive.ts\`): it starts at 32 in flight and sets the limit to twice the highest delivery rate times the
least latency it has seen (so it doubles each round trip while the link is the limit, and stops where the server
is); the limits it went through are listed below each table, round by round.
${chart ? `\n![chunks per second by requests in flight, per round-trip time](${CHART_LINK})\n` : ""}
${tables}`;
}

/** The text of BENCHMARKS.md (before formatting). */
function benchmarksMd(machine: Machine, results: Result[], chart: boolean): string {
  const load = machine.load
    ? ` The 1-minute load average was ${fmt(machine.load[0])} when the run started and ${
      fmt(machine.load[1])
    } when it ended.`
    : "";
  return `# Benchmarks

Generated by \`deno task bench\` (bench/run.ts) on ${machine.date.slice(0, 10)}${
    machine.mode && machine.mode !== "full" ? ` with ${machine.mode} sizes` : ""
  }; the raw figures, every round of every
contender, are in [bench/results.json](bench/results.json). Do not edit by hand: re-run the suite.

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
  also a loop of one DELETE after another); python-swiftclient ${machine.swiftclient}
  (\`swift upload/download/delete --object-threads ${THREADS}\`); ${machine.rclone}
  (\`rclone copy --transfers ${THREADS} --checkers ${THREADS}\`, a swift remote with the pre-authenticated token). Every client uses a pre-authenticated token: no login is timed.
- Concurrency ${THREADS} for every contender unless its name says otherwise. Setup (creating the objects to list,
  read or delete) and cleanup are not timed. Before each run the suite waits until the machine is idle (under
  10 % CPU over half a second), so that no run pays for the server's work left over from the one before.
- "SwiftStore, verify off" is this library with \`verify: false\`: what the MD5 of every chunk costs (sent
  as the ETag of each write, checked against the ETag of each read).
- "raw fetch, MD5 checked, into an array" is the floor of zarr reads plus the work any verified zarr read must
  do: each chunk's MD5 checked against its ETag and its values copied into one array of the whole (what
  \`zarr.get\` answers). It is no target, but tells that work from the store's own cost.

## Machine

${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Deno ${machine.deno}.${load}

## Results on the loopback

${resultsTable(results)}

## Targets

Each target is stated against the raw floor, a peer, or a bound measured in the same run at the same round-trip
time.

| workload | RTT | what | rounds | target | |
| --- | --- | --- | ---: | --- | --- |
${targetRows(results)}

## What the server allows

Swift shares the machine with the client, and a request costs the server CPU whoever sends it. The server CPU
column counts what Swift's processes and memcached spent during each run on the loopback. Divided over the ${machine.cores} cores it
gives the fastest any client could go, one that costs no CPU at all: the ceiling below. A target above the
ceiling cannot be met by a client on this machine.

| workload | server CPU for this library (per object) | ceiling objects/s | this library reaches | ceiling vs each |
| --- | ---: | ---: | ---: | --- |
${ceilingRows(results, machine.cores)}
${wanSection(results, chart)}`;
}

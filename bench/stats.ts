/**
 * The figures of the benchmark suite: one timed run, the statistics over a workload's
 * rounds, a workload's verdict, ratios and the formatting of numbers. Shared by the
 * targets (workloads.ts) and the report (report.ts).
 *
 * Imports: nothing (pure, no I/O). Every other file of bench/ may import it.
 *
 * @module
 */

/** One timed run of one contender. */
export interface Run {
  /** Wall seconds. */
  seconds: number;
  /** User + system CPU seconds of the client. */
  cpu: number;
  /** Peak RSS of the client in MiB. */
  rssMiB: number;
  /** CPU seconds Swift's processes and memcached spent during the run. */
  serverCpu: number;
  /** Through a latency proxy: the requests it saw, and by method. */
  requests?: number;
  methods?: Record<string, number>;
  /** Through a latency proxy: the connections the client opened. */
  connections?: number;
  /** Through a latency proxy: its CPU seconds, and how late it wrote a chunk on average (ms). */
  proxyCpu?: number;
  proxyLateMs?: number;
  /** The machine's 1-minute load average when the run started (other work on a shared machine shows here). */
  load?: number;
  /** Set by a contender that reports more about itself (the adaptive limit's settled concurrency). */
  note?: string;
}

/** One contender's figures over a workload's rounds (medians; the largest peak RSS). */
export interface Stats {
  seconds: number;
  objectsPerSecond: number;
  mibPerSecond: number;
  cpu: number;
  serverCpu: number;
  rssMiB: number;
  /** Medians of the runs through a latency proxy (NaN on loopback). */
  requests: number;
  proxyCpu: number;
  runs: Run[];
}

/** A workload's target: what it asks and the figures, and whether it was met. */
export interface Target {
  text: string;
  met: boolean;
}

/** The median of `xs` (the lower of the two middle values for an even count). */
export const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** `a / b`, or NaN when `b` is not positive. */
export const ratio = (a: number, b: number): number => (b > 0 ? a / b : Number.NaN);

/** `x` with `digits` decimals, or "–" when it is not finite. */
export const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : "–");

/** The figures of a contender's runs of a workload that moves `objects` objects and `bytes` bytes. */
export function summarise(runs: Run[], objects: number, bytes: number): Stats {
  const seconds = median(runs.map((x) => x.seconds));
  return {
    seconds,
    objectsPerSecond: objects / seconds,
    mibPerSecond: bytes / 2 ** 20 / seconds,
    cpu: median(runs.map((x) => x.cpu)),
    serverCpu: median(runs.map((x) => x.serverCpu ?? Number.NaN)),
    rssMiB: Math.max(...runs.map((x) => x.rssMiB)),
    requests: median(runs.map((x) => x.requests ?? Number.NaN)),
    proxyCpu: median(runs.map((x) => x.proxyCpu ?? Number.NaN)),
    runs,
  };
}

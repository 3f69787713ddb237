/**
 * The latency proxy of the suite's WAN profile, as its own process (so that its CPU is
 * its own): dev/latency_proxy.ts in front of the local Swift, with every client request
 * counted by its framing (bench/http_framing.ts). Run by bench/link.ts, imported by none:
 *
 *   deno run -A bench/proxy_host.ts --delay <one-way ms> [--rate 100mbit] [--upstream 127.0.0.1:8080]
 *
 * Prints `{"port": n}` on its first stdout line; then answers each `stats` line on stdin
 * with one JSON line of {@link HostStats}. Stops when stdin closes, when its parent exits,
 * or after `--max-seconds` (default 6 hours).
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { startLatencyProxy } from "../dev/latency_proxy.ts";
import { RequestCounter, sumMethods } from "./http_framing.ts";

/** What the host answers to `stats`: counters since it started. */
export interface HostStats {
  /** Requests seen, by method. */
  methods: Record<string, number>;
  /** Connections accepted. */
  connections: number;
  /** Chunks written, both directions. */
  chunks: number;
  /** Bytes written client → server and server → client. */
  bytesUp: number;
  bytesDown: number;
  /** Sum over written chunks of how late each was written, in ms (timer and event-loop lateness). */
  lateMsTotal: number;
  /** The host's own CPU seconds (user + system). */
  cpuSeconds: number;
}

const { values } = parseArgs({
  args: Deno.args,
  options: {
    delay: { type: "string", default: "0" },
    rate: { type: "string" },
    upstream: { type: "string", default: "127.0.0.1:8080" },
    "max-seconds": { type: "string", default: String(6 * 3600) },
  },
});

const counters: RequestCounter[] = [];
const proxy = await startLatencyProxy({
  delay: Number(values.delay),
  rate: values.rate,
  upstream: values.upstream,
  observeUp: () => {
    const counter = new RequestCounter();
    counters.push(counter);
    return (data) => counter.feed(data);
  },
});

const parent = Deno.ppid;
let stopping = false;
async function stop(): Promise<never> {
  if (!stopping) {
    stopping = true;
    await proxy.close();
  }
  Deno.exit(0);
}
setTimeout(stop, Number(values["max-seconds"]) * 1000);
setInterval(() => Deno.ppid !== parent && stop(), 500);
for (const signal of ["SIGTERM", "SIGINT"] as const) Deno.addSignalListener(signal, stop);

const out = (line: unknown) => Deno.stdout.writeSync(new TextEncoder().encode(JSON.stringify(line) + "\n"));
out({ port: proxy.port });

/** The counters now. */
function snapshot(): HostStats {
  const s = proxy.stats();
  const chunks = s.up.chunks + s.down.chunks;
  const { user, system } = process.cpuUsage();
  // Counters of closed connections are kept: they are small, and a run opens at most thousands.
  return {
    methods: sumMethods(counters),
    connections: s.connections,
    chunks,
    bytesUp: s.up.bytes,
    bytesDown: s.down.bytes,
    lateMsTotal: s.meanLateMs * chunks,
    cpuSeconds: (user + system) / 1e6,
  };
}

let pending = "";
for await (const bytes of Deno.stdin.readable) {
  pending += new TextDecoder().decode(bytes);
  let nl;
  while ((nl = pending.indexOf("\n")) >= 0) {
    const command = pending.slice(0, nl).trim();
    pending = pending.slice(nl + 1);
    if (command === "stats") out(snapshot());
  }
}
await stop();

/**
 * The links of the WAN profile: one latency proxy process (bench/proxy_host.ts) per
 * round-trip time, in front of the local Swift, and what each timed run cost it (requests
 * by method, its CPU, how late it wrote). A round-trip time of 0 is the loopback itself,
 * without a proxy.
 *
 * Imports: stats.ts (`median`) and measure.ts (`ROOT`). Nothing else of bench/.
 *
 * @module
 */

import { type Observer, ROOT } from "./measure.ts";
import { median } from "./stats.ts";

/** The counters of a proxy host (see bench/proxy_host.ts). */
export interface LinkCounters {
  methods: Record<string, number>;
  connections: number;
  chunks: number;
  bytesUp: number;
  bytesDown: number;
  lateMsTotal: number;
  cpuSeconds: number;
}

/** What one timed run cost the link. */
export interface LinkUse {
  /** Requests sent through the link, and by method. */
  requests: number;
  methods: Record<string, number>;
  /** New connections. */
  connections: number;
  /** The proxy's CPU seconds. */
  proxyCpu: number;
  /** How late the proxy wrote a chunk on average, in ms (0 for a proxy that keeps up). */
  proxyLateMs: number;
}

/** A running latency proxy for one round-trip time. */
export interface Link {
  /** Round-trip time added, in ms (half each way). */
  rtt: number;
  /** Bandwidth cap of each direction, as tc writes it, or undefined. */
  rate?: string;
  port: number;
  /** The counters now. */
  counters(): Promise<LinkCounters>;
  /** Stops the proxy. */
  close(): Promise<void>;
}

/** Starts a latency proxy process adding `rtt` ms per round trip (and a `rate` cap) in front of `upstream`. */
export async function startLink(rtt: number, rate?: string, upstream = "127.0.0.1:8080"): Promise<Link> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${ROOT}bench/proxy_host.ts`,
      "--delay",
      String(rtt / 2),
      "--upstream",
      upstream,
      ...(rate ? ["--rate", rate] : []),
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  const readLine = async (): Promise<string> => {
    for (;;) {
      const nl = pending.indexOf("\n");
      if (nl >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        return line;
      }
      const { value, done } = await lines.read();
      if (done) throw new Error(`The latency proxy for ${rtt} ms ended early`);
      pending += value;
    }
  };
  const writer = child.stdin.getWriter();
  const { port } = JSON.parse(await readLine());
  // One question at a time: answers come back in order.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    rtt,
    rate,
    port,
    counters: () => {
      const answer = queue.then(async () => {
        await writer.write(new TextEncoder().encode("stats\n"));
        return JSON.parse(await readLine()) as LinkCounters;
      });
      queue = answer.catch(() => {});
      return answer;
    },
    close: async () => {
      await writer.close().catch(() => {});
      await child.status;
      await lines.cancel().catch(() => {});
    },
  };
}

/** What a run cost the link: the difference of its counters after and before. */
export function linkUse(before: LinkCounters, after: LinkCounters): LinkUse {
  const methods: Record<string, number> = {};
  for (const [m, n] of Object.entries(after.methods)) {
    const d = n - (before.methods[m] ?? 0);
    if (d > 0) methods[m] = d;
  }
  const chunks = after.chunks - before.chunks;
  return {
    requests: Object.values(methods).reduce((a, b) => a + b, 0),
    methods,
    connections: after.connections - before.connections,
    proxyCpu: after.cpuSeconds - before.cpuSeconds,
    proxyLateMs: chunks > 0 ? (after.lateMsTotal - before.lateMsTotal) / chunks : 0,
  };
}

/**
 * The round trip a client sees, in ms: the median of 7 HEAD requests on the account over
 * one kept-alive connection (the first, which opens it, not counted). A request that
 * fails (a connection the server closed while idle, its FIN still on its way through the
 * link) is sent again, up to 3 times.
 */
export async function probeRtt(storageUrl: string, token: string): Promise<number> {
  const client = Deno.createHttpClient({});
  const head = async (): Promise<number> => {
    for (let attempt = 1;; attempt++) {
      const start = performance.now();
      try {
        const res = await fetch(storageUrl, { method: "HEAD", headers: { "X-Auth-Token": token }, client });
        await res.body?.cancel();
        if (!res.ok) throw new Error(`Expected 2xx from HEAD on the account, found ${res.status}`);
        return performance.now() - start;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
  };
  try {
    const times: number[] = [];
    for (let i = 0; i < 8; i++) {
      const ms = await head();
      if (i > 0) times.push(ms);
    }
    return median(times);
  } finally {
    client.close();
  }
}

/** What measure() needs to charge a run's cost on `link` to it. */
export function observer(link: Link): Observer<LinkCounters, LinkUse> {
  return { counters: () => link.counters(), use: linkUse };
}

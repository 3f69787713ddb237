/**
 * A latency proxy for benchmarks and tests (dev only, not published): a TCP proxy on 127.0.0.1 that
 * delays each direction by a one-way delay (so a round trip costs `delayUp + delayDown` more than the
 * real one), optionally caps the bandwidth of each direction, and forwards to the local Swift
 * (`127.0.0.1:8080` by default). The kernel here has no netem, so this is done in userspace.
 *
 * How it models a link:
 * - Delay: each chunk read at time t is written at t + delay. Chunks of a connection keep their order,
 *   connections never wait for each other, and a stream of n chunks arrives `delay` later, not
 *   n × delay later. Closing a direction (FIN) is delayed the same way.
 * - Bandwidth: one link per direction **shared by all connections** (it models a link, not a
 *   per-connection limit): a chunk of n bytes leaves when the link has sent the chunks before it, taking
 *   n / rate, then pays the delay (store and forward; a token bucket whose bucket holds no burst). When
 *   the link is more than `linkBufferMs` behind, the proxy stops reading, so the senders slow down by
 *   TCP's own flow control. With a rate, chunks are at most 16 KiB, so a chunk's first byte arrives at
 *   most 16 KiB / rate later than on a real link (its last byte on time).
 * - Window: each direction of a connection holds at most `maxBufferedBytes` in flight, so one
 *   connection carries at most `maxBufferedBytes / delay` bytes per second (8 MiB / 25 ms = 335 MB/s).
 * - Handshakes: the proxy accepts locally at once; `handshakeRtts: 1` holds a new connection's first
 *   request for one extra round trip, as a TCP handshake over the link would (2 for TCP + TLS 1.3).
 *
 * TempAuth answers a storage URL built from the Host header, so a login through the proxy gives a
 * storage URL on the proxy's port, and every later request pays the delay too.
 *
 * As a program it prints its port on the first line of stdout and stops by itself: after
 * `--max-seconds` (default 3600), when its parent process exits, and on SIGTERM or SIGINT.
 *
 * ```sh
 * deno run -A dev/latency_proxy.ts --delay 25 --port 0 --upstream 127.0.0.1:8080 \
 *   [--rate 100mbit] [--rate-up R] [--rate-down R] [--delay-up MS] [--delay-down MS] \
 *   [--handshake-rtts N] [--max-seconds N] [--stats]
 * ```
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";

/** Options of {@linkcode startLatencyProxy}. Times are in milliseconds, rates in bits per second. */
export interface LatencyProxyOptions {
  /** Port to listen on, on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** Where to forward, `host:port` (default `127.0.0.1:8080`). */
  upstream?: string;
  /** One-way delay of each direction (default 0). */
  delay?: number;
  /** One-way delay from the client to the upstream (default `delay`). */
  delayUp?: number;
  /** One-way delay from the upstream to the client (default `delay`). */
  delayDown?: number;
  /** Bandwidth of each direction, in bit/s or as `"100mbit"` (default: no cap). */
  rate?: number | string;
  /** Bandwidth from the client to the upstream (default `rate`). */
  rateUp?: number | string;
  /** Bandwidth from the upstream to the client (default `rate`). */
  rateDown?: number | string;
  /** How far (in ms of sending) a capped link may fall behind before the proxy stops reading (default 10). */
  linkBufferMs?: number;
  /** Most bytes in flight in each direction of one connection (default 8 MiB). */
  maxBufferedBytes?: number;
  /** Extra round trips a new connection pays before its first byte goes upstream (default 0). */
  handshakeRtts?: number;
  /** Close by itself after this many seconds (default: never). */
  maxSeconds?: number;
  /**
   * Called once for each accepted connection; the function it answers sees every chunk the client sends
   * on that connection, in order, as it is read (before the delay). For observers such as a request
   * counter; it must not keep or change the bytes.
   */
  observeUp?: () => (data: Uint8Array) => void;
}

/** Counters of one direction. */
export interface DirectionStats {
  /** Bytes written. */
  bytes: number;
  /** Chunks written. */
  chunks: number;
}

/** What a proxy has done so far. */
export interface LatencyProxyStats {
  /** Connections accepted. */
  connections: number;
  /** Connections open now. */
  open: number;
  /** Connections closed because the upstream refused them. */
  upstreamErrors: number;
  /** Client to upstream. */
  up: DirectionStats;
  /** Upstream to client. */
  down: DirectionStats;
  /** The most a chunk was written after the time it was due (timer and event-loop lateness), in ms. */
  maxLateMs: number;
  /** How late a chunk was written on average, in ms (the delay actually paid is `delay` + this). */
  meanLateMs: number;
}

/** A running proxy. */
export interface LatencyProxy {
  /** The port it listens on, on 127.0.0.1. */
  port: number;
  /** Stops listening and drops every connection; idempotent. */
  close(): Promise<void>;
  /** A snapshot of its counters. */
  stats(): LatencyProxyStats;
}

const now = () => performance.now();

/**
 * Parses a rate as tc writes it: bits per second with an optional decimal prefix, `bit`, `kbit`,
 * `mbit`, `gbit` (`100mbit` is 100,000,000 bit/s).
 *
 * @param text The rate, e.g. `"100mbit"`, `"8mbit"` or `"250000"`.
 * @returns The rate in bits per second.
 *
 * @example Parse a rate
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(parseRate("100mbit"), 100_000_000);
 * assert.equal(parseRate("1.5kbit"), 1_500);
 * ```
 */
export function parseRate(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(|bit|kbit|mbit|gbit)$/i.exec(text.trim());
  const scale = { "": 1, bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9 }[m?.[2].toLowerCase() ?? ""];
  const bits = m ? Number(m[1]) * scale! : NaN;
  if (!(bits > 0)) throw new RangeError(`Expected a rate such as "100mbit", found "${text}"`);
  return bits;
}

/** A sleep that `cancel()` ends at once (so that closing leaves no timer behind). */
class Sleeper {
  #timer?: ReturnType<typeof setTimeout>;
  #resolve?: () => void;
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#resolve = resolve;
      this.#timer = setTimeout(resolve, Math.max(1, Math.ceil(ms)));
    });
  }
  cancel(): void {
    clearTimeout(this.#timer);
    this.#resolve?.();
  }
}

/** One direction of the link, shared by every connection. */
class Link {
  #free = -Infinity; // when the link has sent everything it was given
  readonly bytesPerMs: number;
  readonly bufferMs: number;
  constructor(bytesPerMs: number, bufferMs: number) {
    this.bytesPerMs = bytesPerMs;
    this.bufferMs = bufferMs;
  }
  /** Sends n bytes that arrived at t; answers when their last byte has left. */
  send(t: number, n: number): number {
    this.#free = Math.max(t, this.#free) + n / this.bytesPerMs;
    return this.#free;
  }
  /** How long a reader must wait before the link can take more. */
  waitMs(t: number): number {
    return this.#free - this.bufferMs - t;
  }
}

/** A chunk in flight; `data` null is the end of the stream. */
interface Chunk {
  data: Uint8Array<ArrayBuffer> | null;
  due: number;
}

interface PipeConfig {
  delay: number;
  observe?: (data: Uint8Array) => void;
  link?: Link;
  notBefore: number;
  maxBuffered: number;
  stats: DirectionStats;
  late: { max: number; total: number; count: number };
}

/** One direction of one connection: reads, stamps each chunk with its due time, writes it then. */
class Pipe {
  readonly done: Promise<void>;
  #queue: (Chunk | undefined)[] = [];
  #head = 0;
  #buffered = 0;
  #lastDue = -Infinity;
  #wakeWriter?: () => void;
  #wakeReader?: () => void;
  #readSleep = new Sleeper();
  #writeSleep = new Sleeper();
  #stopped = false;
  #spare: Uint8Array<ArrayBuffer>[] = []; // read buffers already written out, to read into again
  #size: number; // of a read buffer

  readonly src: Deno.Conn;
  readonly dst: Deno.Conn;
  readonly cfg: PipeConfig;
  readonly onError: () => void;

  constructor(src: Deno.Conn, dst: Deno.Conn, cfg: PipeConfig, onError: () => void) {
    this.src = src;
    this.dst = dst;
    this.cfg = cfg;
    this.onError = onError;
    this.#size = cfg.link ? 16384 : 65536;
    this.done = Promise.all([this.#read(), this.#write()]).then(() => {});
  }

  stop(): void {
    this.#stopped = true;
    this.#readSleep.cancel();
    this.#writeSleep.cancel();
    this.#wakeReader?.();
    this.#wakeWriter?.();
  }

  #push(data: Uint8Array<ArrayBuffer> | null, sent: number): void {
    const due = this.#lastDue = Math.max(this.#lastDue, sent + this.cfg.delay);
    this.#queue.push({ data, due });
    this.#buffered += data?.length ?? 0;
    this.#wakeWriter?.();
  }

  async #read(): Promise<void> {
    const { link, maxBuffered, notBefore } = this.cfg;
    const size = this.#size;
    let buf = new Uint8Array(size);
    try {
      while (!this.#stopped) {
        const wait = link ? link.waitMs(now()) : 0;
        if (wait > 0) {
          await this.#readSleep.sleep(wait);
          continue;
        }
        if (this.#buffered >= maxBuffered) {
          await new Promise<void>((resolve) => this.#wakeReader = resolve);
          continue;
        }
        const n = await this.src.read(buf);
        const t = Math.max(now(), notBefore);
        if (n === null) return this.#push(null, t);
        let data: Uint8Array<ArrayBuffer>;
        if (n * 4 < size) data = buf.slice(0, n); // a small read: copy it, keep the buffer
        else [data, buf] = [buf.subarray(0, n), this.#spare.pop() ?? new Uint8Array(size)];
        this.cfg.observe?.(data);
        this.#push(data, link ? link.send(t, n) : t);
      }
    } catch {
      if (!this.#stopped) this.onError();
    }
  }

  async #write(): Promise<void> {
    const { stats, late } = this.cfg;
    try {
      while (!this.#stopped) {
        const chunk = this.#queue[this.#head];
        if (!chunk) {
          await new Promise<void>((resolve) => this.#wakeWriter = resolve);
          continue;
        }
        const early = chunk.due - now();
        if (early > 0) {
          await this.#writeSleep.sleep(early);
          continue;
        }
        if (-early > late.max) late.max = -early;
        late.total -= early;
        late.count++;
        const { data } = chunk;
        if (data === null) return await this.dst.closeWrite();
        for (let off = 0; off < data.length;) off += await this.dst.write(data.subarray(off));
        this.#queue[this.#head++] = undefined;
        if (this.#head === this.#queue.length) this.#queue.length = this.#head = 0;
        else if (this.#head >= 4096) { // a steady stream never drains the queue: drop the written slots
          this.#queue.splice(0, this.#head);
          this.#head = 0;
        }
        this.#buffered -= data.length;
        if (data.buffer.byteLength === this.#size && this.#spare.length < 4) {
          this.#spare.push(new Uint8Array(data.buffer));
        }
        stats.bytes += data.length;
        stats.chunks++;
        if (this.#buffered < this.cfg.maxBuffered) this.#wakeReader?.();
      }
    } catch {
      if (!this.#stopped) this.onError();
    }
  }
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}

function parseUpstream(text: string): { hostname: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  if (!m) throw new RangeError(`Expected an upstream as host:port, found "${text}"`);
  return { hostname: m[1], port: Number(m[2]) };
}

function bytesPerMs(rate: number | string | undefined): number | undefined {
  if (rate === undefined) return undefined;
  const bits = typeof rate === "number" ? rate : parseRate(rate);
  if (!(bits > 0)) throw new RangeError(`Expected a positive rate, found ${rate}`);
  return bits / 8 / 1000;
}

/**
 * Starts a latency proxy on 127.0.0.1 (see the module doc for what it models).
 *
 * @param options Delay, bandwidth, upstream and port; every field is optional.
 * @returns The running proxy: its port, `close()` and `stats()`.
 *
 * @example Delay a request to a local server
 * ```ts
 * import assert from "node:assert/strict";
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => new Response("hi"));
 * const proxy = await startLatencyProxy({ delay: 20, upstream: `127.0.0.1:${server.addr.port}` });
 * const start = performance.now();
 * const res = await fetch(`http://127.0.0.1:${proxy.port}/`, { headers: { Connection: "close" } });
 * assert.equal(await res.text(), "hi");
 * assert.ok(performance.now() - start >= 40); // a delay of 20 ms each way
 * assert.equal(proxy.stats().connections, 1);
 * await proxy.close();
 * await server.shutdown();
 * ```
 */
// deno-lint-ignore require-await -- async so that bad options reject rather than throw
export async function startLatencyProxy(options: LatencyProxyOptions = {}): Promise<LatencyProxy> {
  const upstream = parseUpstream(options.upstream ?? "127.0.0.1:8080");
  const delayUp = options.delayUp ?? options.delay ?? 0;
  const delayDown = options.delayDown ?? options.delay ?? 0;
  const linkBufferMs = options.linkBufferMs ?? 10;
  const maxBuffered = options.maxBufferedBytes ?? 8 * 1024 * 1024;
  const handshakeRtts = options.handshakeRtts ?? 0;
  const numbers = { delayUp, delayDown, linkBufferMs, maxBufferedBytes: maxBuffered, handshakeRtts };
  for (const [name, value] of Object.entries(numbers)) {
    const least = name === "maxBufferedBytes" ? 1 : 0;
    if (!(value >= least)) throw new RangeError(`Expected ${name} to be a number ≥ ${least}, found ${value}`);
  }
  const upRate = bytesPerMs(options.rateUp ?? options.rate);
  const downRate = bytesPerMs(options.rateDown ?? options.rate);
  const upLink = upRate ? new Link(upRate, linkBufferMs) : undefined;
  const downLink = downRate ? new Link(downRate, linkBufferMs) : undefined;
  const handshakeMs = handshakeRtts * (delayUp + delayDown);

  const counters = { connections: 0, open: 0, upstreamErrors: 0 };
  const up: DirectionStats = { bytes: 0, chunks: 0 };
  const down: DirectionStats = { bytes: 0, chunks: 0 };
  const late = { max: 0, total: 0, count: 0 };
  const live = new Set<() => void>(); // how to abort each open connection
  const tasks = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;

  const listener = Deno.listen({ hostname: "127.0.0.1", port: options.port ?? 0 });

  /** Serves one accepted connection until both directions end; never rejects. */
  async function serve(client: Deno.TcpConn): Promise<void> {
    const accepted = now();
    counters.connections++;
    counters.open++;
    let server: Deno.TcpConn | undefined;
    try {
      server = await Deno.connect({ ...upstream, transport: "tcp" });
    } catch {
      counters.upstreamErrors++;
    }
    try {
      if (!server || closing) return;
      client.setNoDelay(true);
      server.setNoDelay(true);
      const pipe = (src: Deno.Conn, dst: Deno.Conn, config: Omit<PipeConfig, "maxBuffered" | "late">) =>
        new Pipe(src, dst, { ...config, maxBuffered, late }, () => abort());
      const toUpstream = pipe(client, server, {
        delay: delayUp,
        link: upLink,
        notBefore: accepted + handshakeMs,
        stats: up,
        observe: options.observeUp?.(),
      });
      const toClient = pipe(server, client, {
        delay: delayDown,
        link: downLink,
        notBefore: -Infinity,
        stats: down,
      });
      const abort = () => {
        toUpstream.stop();
        toClient.stop();
        closeQuietly(client);
        if (server) closeQuietly(server);
      };
      live.add(abort);
      await Promise.all([toUpstream.done, toClient.done]);
      live.delete(abort);
    } catch {
      /* the connection is closed below */
    } finally {
      if (server) closeQuietly(server);
      closeQuietly(client);
      counters.open--;
    }
  }

  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        const task = serve(conn as Deno.TcpConn);
        tasks.add(task);
        task.finally(() => tasks.delete(task));
      }
    } catch { /* the listener was closed */ }
  })();

  const close = (): Promise<void> =>
    closing ??= (async () => {
      clearTimeout(lifetime);
      try {
        listener.close();
      } catch { /* already closed */ }
      for (const abort of live) abort();
      await accepting;
      await Promise.all(tasks);
    })();

  const lifetime = options.maxSeconds === undefined
    ? undefined
    : setTimeout(close, options.maxSeconds * 1000);

  return {
    port: (listener.addr as Deno.NetAddr).port,
    close,
    stats: () => ({
      ...counters,
      up: { ...up },
      down: { ...down },
      maxLateMs: late.max,
      meanLateMs: late.count ? late.total / late.count : 0,
    }),
  };
}

const USAGE = `Usage: deno run -A dev/latency_proxy.ts [options]
  --delay MS           one-way delay of each direction (default 0)
  --delay-up MS        client → upstream delay (default --delay)
  --delay-down MS      upstream → client delay (default --delay)
  --rate RATE          bandwidth of each direction, shared by all connections (e.g. 100mbit)
  --rate-up RATE       client → upstream bandwidth (default --rate)
  --rate-down RATE     upstream → client bandwidth (default --rate)
  --handshake-rtts N   extra round trips before a new connection's first request (default 0)
  --port N             port on 127.0.0.1 (default 0: any; printed on the first stdout line)
  --upstream HOST:PORT where to forward (default 127.0.0.1:8080)
  --max-seconds N      stop after N seconds (default 3600); also stops when the parent exits
  --stats              print the counters and the proxy's CPU seconds as JSON on stderr when stopping`;

async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      delay: { type: "string" },
      "delay-up": { type: "string" },
      "delay-down": { type: "string" },
      rate: { type: "string" },
      "rate-up": { type: "string" },
      "rate-down": { type: "string" },
      "handshake-rtts": { type: "string" },
      port: { type: "string" },
      upstream: { type: "string" },
      "max-seconds": { type: "string" },
      stats: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return console.log(USAGE);
  const num = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0 || text.trim() === "") {
      throw new RangeError(`Expected --${name} to be a number ≥ 0, found "${text}"`);
    }
    return n;
  };
  const maxSeconds = num("max-seconds", values["max-seconds"]) ?? 3600;
  // Stop handlers first: a SIGTERM sent as soon as the port is printed must find them.
  const parent = Deno.ppid;
  const running: { proxy?: LatencyProxy } = {};
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.proxy?.close();
    if (values.stats && running.proxy) {
      const { user, system } = process.cpuUsage(); // this program's own CPU time, in µs
      console.error(JSON.stringify({ ...running.proxy.stats(), cpuSeconds: (user + system) / 1e6 }));
    }
    Deno.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) Deno.addSignalListener(signal, stop);
  setTimeout(stop, maxSeconds * 1000);
  setInterval(() => Deno.ppid !== parent && stop(), 500); // the parent exited: we were re-parented
  const proxy = running.proxy = await startLatencyProxy({
    port: num("port", values.port),
    upstream: values.upstream,
    delay: num("delay", values.delay),
    delayUp: num("delay-up", values["delay-up"]),
    delayDown: num("delay-down", values["delay-down"]),
    rate: values.rate,
    rateUp: values["rate-up"],
    rateDown: values["rate-down"],
    handshakeRtts: num("handshake-rtts", values["handshake-rtts"]),
  });
  console.log(proxy.port);
}

if (import.meta.main) {
  await main(Deno.args).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    Deno.exit(2);
  });
}

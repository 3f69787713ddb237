/**
 * A fault-injecting HTTP proxy on 127.0.0.1, in front of the real Swift. At the rates
 * a test sets, it answers 503, answers 429 with `Retry-After`, resets the connection
 * before or after forwarding, stalls past the client's timeout, truncates response
 * bodies, or corrupts a body (the response of a GET, or the request of a PUT). It
 * rewrites `X-Storage-Url` so that TempAuth logins through it keep using it. It records
 * every request it saw with the body bytes each way ({@link FaultProxy.traffic}).
 */

import http from "node:http";
import type { AddressInfo } from "node:net";

/** The faults, each with the chance (0 to 1) that a request gets it. */
export interface FaultRates {
  /** Answer 503 without forwarding. */
  status503?: number;
  /** Answer 429 with `Retry-After` without forwarding. */
  status429?: number;
  /** Reset the connection without forwarding. */
  reset?: number;
  /** Forward, then reset the connection instead of answering (the server acted). */
  resetAfter?: number;
  /** Never answer (the client must time out). */
  stall?: number;
  /** Forward, then send only half of the body and cut the connection. */
  truncate?: number;
  /** Forward a GET and flip a byte of its body, or flip a byte of a PUT's body before forwarding. */
  corrupt?: number;
}

/** A fault that was applied. */
export type Fault = keyof FaultRates;

/** One request that went through the proxy. */
export interface Exchange {
  /** Its method. */
  method: string;
  /** Its path and query. */
  url: string;
  /** The status answered (0 when the connection was cut). */
  status: number;
  /** Bytes of the request's body. */
  requestBytes: number;
  /** Bytes of the response's body sent back. */
  responseBytes: number;
}

/** A running proxy. */
export class FaultProxy {
  /** Faults applied, by kind. */
  readonly counts: Record<Fault, number> = {
    status503: 0,
    status429: 0,
    reset: 0,
    resetAfter: 0,
    stall: 0,
    truncate: 0,
    corrupt: 0,
  };
  /** Requests seen. */
  requests = 0;
  /** Every request seen, in the order they arrived, with the body bytes each way. */
  readonly traffic: Exchange[] = [];
  /** The rates in force; change them at any time. */
  rates: FaultRates;
  /** Only requests for which this answers true may get a fault. */
  filter: (method: string, url: string) => boolean = () => true;
  #server: http.Server;
  #upstream: string;
  #retryAfter: string;

  private constructor(server: http.Server, upstream: string, rates: FaultRates, retryAfter: string) {
    this.#server = server;
    this.#upstream = upstream;
    this.rates = rates;
    this.#retryAfter = retryAfter;
  }

  /** Starts a proxy for `upstream` (e.g. `http://127.0.0.1:8080`). */
  static async start(
    upstream: string,
    rates: FaultRates,
    options: { retryAfter?: string } = {},
  ): Promise<FaultProxy> {
    const holder: { proxy?: FaultProxy } = {};
    const server = http.createServer((req, res) => void holder.proxy!.#handle(req, res));
    const proxy = holder.proxy = new FaultProxy(server, upstream, rates, options.retryAfter ?? "1");
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  /** The proxy's origin, `http://127.0.0.1:PORT`. */
  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The total of faults applied. */
  get faults(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  /** Stops the proxy and drops its connections. */
  async close(): Promise<void> {
    this.#server.closeAllConnections?.();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #pick(method: string, url: string): Fault | undefined {
    if (!this.filter(method, url)) return undefined;
    let roll = Math.random();
    for (const [fault, rate] of Object.entries(this.rates) as [Fault, number][]) {
      if (roll < rate) return fault;
      roll -= rate;
    }
    return undefined;
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.requests++;
    const chunks: Uint8Array[] = [];
    for await (const chunk of req) chunks.push(chunk as Uint8Array);
    let body: Uint8Array<ArrayBuffer> | undefined = chunks.length ? concat(chunks) : undefined;
    const method = req.method ?? "GET";
    const exchange: Exchange = {
      method,
      url: req.url ?? "",
      status: 0,
      requestBytes: body?.length ?? 0,
      responseBytes: 0,
    };
    this.traffic.push(exchange);
    let fault = this.#pick(method, req.url ?? "");
    if (fault === "corrupt" && !(method === "GET" || (method === "PUT" && body?.length))) fault = "status503";
    // Faults that need a response body fall back to a reset after forwarding.
    if (fault === "truncate" && method === "HEAD") fault = "resetAfter";
    if (fault && fault !== "truncate") this.counts[fault]++;
    switch (fault) {
      case "status503":
        exchange.status = 503;
        res.writeHead(503, { "Content-Type": "text/plain" }).end("Injected: service unavailable");
        return;
      case "status429":
        exchange.status = 429;
        res.writeHead(429, { "Retry-After": this.#retryAfter, "Content-Type": "text/plain" }).end(
          "Injected: slow down",
        );
        return;
      case "reset":
        req.socket.destroy();
        return;
      case "stall":
        return; // The client times out and closes the connection.
    }
    if (fault === "corrupt" && method === "PUT" && body?.length) {
      body = body.slice();
      body[Math.floor(Math.random() * body.length)] ^= 0x55;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (
        value === undefined || ["host", "connection", "content-length", "transfer-encoding"].includes(name)
      ) continue;
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    let upstream: Response;
    try {
      upstream = await fetch(this.#upstream + req.url, { method, headers, body, redirect: "manual" });
    } catch {
      req.socket.destroy();
      return;
    }
    const out = new Uint8Array(await upstream.arrayBuffer());
    if (fault === "resetAfter") {
      req.socket.destroy();
      return;
    }
    const outHeaders: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (name === "content-length" || name === "transfer-encoding" || name === "connection") return;
      outHeaders[name] = name === "x-storage-url" ? value.replace(this.#upstream, this.url) : value;
    });
    if (method !== "HEAD") outHeaders["content-length"] = String(out.length);
    if (fault === "truncate") {
      if (out.length < 2) {
        this.counts.resetAfter++;
        req.socket.destroy();
        return;
      }
      this.counts.truncate++;
      exchange.status = upstream.status;
      exchange.responseBytes = out.length >> 1;
      res.writeHead(upstream.status, outHeaders);
      res.write(out.subarray(0, out.length >> 1), () => req.socket.destroy());
      return;
    }
    if (fault === "corrupt" && method === "GET" && out.length > 0) {
      out[Math.floor(Math.random() * out.length)] ^= 0x55;
    }
    exchange.status = upstream.status;
    exchange.responseBytes = method === "HEAD" ? 0 : out.length;
    res.writeHead(upstream.status, outHeaders);
    res.end(method === "HEAD" ? undefined : out);
  }
}

function concat(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

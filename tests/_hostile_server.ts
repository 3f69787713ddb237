/**
 * The raw side of the hostile-server harness: {@link HostileServer}, an HTTP/1.1
 * server (plain or TLS) on 127.0.0.1 written on sockets, so that it can say
 * anything: lying `Content-Length`s, bodies that never end or are 64 GiB long
 * (streamed lazily, with backpressure), resets, connections refused for a while (an
 * outage), 503 for a while. It logs every request (method, target, headers, body).
 * Also: {@link Recorder}, a second origin that records every request it gets;
 * {@link forwardTo}, a proxy handler in front of the real Swift; body makers; a
 * test certificate made with openssl.
 */

import assert from "node:assert/strict";
import { createHash } from "node:crypto";

// ---------------------------------------------------------------- the raw server

/** A request as the server received it. */
export interface Received {
  /** The method. */
  method: string;
  /** The request target: path and query, as sent (still percent-encoded). */
  target: string;
  /** The path part of the target, percent-decoded. */
  path: string;
  /** The query parameters. */
  query: URLSearchParams;
  /** The headers. */
  headers: Headers;
  /** The request head as received (request line and headers), bytes as Latin-1. */
  head: string;
  /** The body (in the log: its first `keepBody` bytes). */
  body: Uint8Array;
  /** The body's full size. */
  size: number;
}

/** A body: bytes, text, or chunks produced lazily (written with backpressure). */
export type Body = string | Uint8Array | AsyncIterable<Uint8Array>;

/** What the server answers. */
export interface Reply {
  /** The status code. */
  status: number;
  /** Headers, written as given; a `Content-Length` given here is sent even when it lies. */
  headers?: Record<string, string>;
  /** The body; a lazy one without `Content-Length` is delimited by closing the connection. */
  body?: Body;
  /** Close the connection without answering. */
  reset?: boolean;
  /** Never answer; keep the connection open until the client or the server closes it. */
  hang?: boolean;
}

/** Answers a request; `undefined` means 404. */
export type Handler = (req: Received) => Reply | undefined | Promise<Reply | undefined>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Bytes as a string of Latin-1 characters, one per byte. */
export function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const CRLF = encoder.encode("\r\n");
const CRLFCRLF = encoder.encode("\r\n\r\n");

/** Buffered reads from a connection: the request head, exact lengths, chunked bodies. */
class ConnReader {
  #chunks: Uint8Array[] = [];
  #length = 0;
  readonly conn: Deno.Conn;
  constructor(conn: Deno.Conn) {
    this.conn = conn;
  }

  async #more(): Promise<boolean> {
    const buffer = new Uint8Array(65536);
    const n = await this.conn.read(buffer);
    if (n === null) return false;
    this.#chunks.push(buffer.subarray(0, n));
    this.#length += n;
    return true;
  }

  #flat(): Uint8Array {
    if (this.#chunks.length > 1) this.#chunks = [concat(this.#chunks)];
    return this.#chunks[0] ?? new Uint8Array(0);
  }

  #take(n: number): Uint8Array {
    const all = this.#flat();
    const out = all.slice(0, n);
    const rest = all.subarray(n);
    this.#chunks = rest.length ? [rest] : [];
    this.#length -= n;
    return out;
  }

  async until(delimiter: Uint8Array): Promise<Uint8Array | undefined> {
    for (;;) {
      const at = indexOf(this.#flat(), delimiter);
      if (at >= 0) return this.#take(at + delimiter.length).subarray(0, at);
      if (this.#length > 1 << 20) throw new Error("Request head too long");
      if (!await this.#more()) return undefined;
    }
  }

  async exact(n: number): Promise<Uint8Array> {
    while (this.#length < n) if (!await this.#more()) throw new Error("Request body cut short");
    return this.#take(n);
  }

  async chunked(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for (;;) {
      const line = await this.until(CRLF);
      if (line === undefined) throw new Error("Chunked body cut short");
      const size = parseInt(decoder.decode(line), 16);
      if (size === 0) {
        while ((await this.until(CRLF))?.length) { /* trailers */ }
        return concat(parts);
      }
      parts.push(await this.exact(size));
      await this.exact(2);
    }
  }
}

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  206: "Partial Content",
  301: "Moved Permanently",
  302: "Found",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Request Entity Too Large",
  416: "Requested Range Not Satisfiable",
  422: "Unprocessable Entity",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** A raw HTTP/1.1 server on 127.0.0.1 (one request per connection, `Connection: close`). */
export class HostileServer {
  /** Every request received (bodies cut to `keepBody` bytes), unless `log` is false. */
  readonly requests: Received[] = [];
  /** Requests received, logged or not. */
  count = 0;
  /** Requests answered 503 by {@link unavailable}. */
  unavailableServed = 0;
  /** Answers requests. */
  handler: Handler;
  /** Whether to log requests (a proxy moving thousands of chunks only counts them). */
  log: boolean;
  /** Bytes of each body kept in the log. */
  keepBody: number;
  #listener: Deno.Listener | undefined;
  #port: number;
  #tls: { cert: string; key: string } | undefined;
  #conns = new Set<Deno.Conn>();
  #closed = false;
  #closing: Promise<void>;
  #close!: () => void;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #unavailableUntil = 0;
  #retryAfter: string | undefined;

  private constructor(
    handler: Handler,
    options: { tls?: { cert: string; key: string }; log?: boolean; keepBody?: number },
  ) {
    this.handler = handler;
    this.#tls = options.tls;
    this.log = options.log ?? true;
    this.keepBody = options.keepBody ?? 65536;
    this.#port = 0;
    this.#closing = new Promise((resolve) => (this.#close = resolve));
  }

  /** Starts a server on a free port of 127.0.0.1 (TLS when `tls` is given). */
  static start(
    handler: Handler,
    options: { tls?: { cert: string; key: string }; log?: boolean; keepBody?: number } = {},
  ): HostileServer {
    const server = new HostileServer(handler, options);
    server.up();
    return server;
  }

  /** `http://127.0.0.1:PORT` (or `https://…`). */
  get origin(): string {
    return `${this.#tls ? "https" : "http"}://127.0.0.1:${this.#port}`;
  }

  /** Resolves when the server closes: lazy bodies that never end wait for it. */
  get closing(): Promise<void> {
    return this.#closing;
  }

  /** Listens again (on the same port after {@link down}). */
  up(): void {
    if (this.#closed || this.#listener) return;
    const where = { hostname: "127.0.0.1", port: this.#port };
    const listener = this.#tls ? Deno.listenTls({ ...where, ...this.#tls }) : Deno.listen(where);
    this.#listener = listener;
    this.#port = (listener.addr as Deno.NetAddr).port;
    void this.#accept(listener);
  }

  /** Stops listening (connections are refused) and drops every open connection. */
  down(): void {
    this.#listener?.close();
    this.#listener = undefined;
    for (const conn of this.#conns) this.#drop(conn);
  }

  /** Connections refused for `ms`, then served again; resolves once up again. */
  outage(ms: number): Promise<void> {
    this.down();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.up();
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }

  /** Every request gets 503 (with `Retry-After` when given) for the next `ms`. */
  unavailable(ms: number, retryAfter?: string): void {
    this.#unavailableUntil = Date.now() + ms;
    this.#retryAfter = retryAfter;
  }

  /** Stops the server and ends every connection and lazy body. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.down();
    this.#close();
  }

  /** The logged requests that carry any of `secrets` (in the head, the decoded target or the body). */
  carrying(secrets: string[]): Received[] {
    return this.requests.filter((req) => {
      const text = `${req.head}\n${req.path}\n${latin1(req.body)}\n${decoder.decode(req.body)}`;
      return secrets.some((secret) => text.includes(secret) || text.includes(encodeURIComponent(secret)));
    });
  }

  #drop(conn: Deno.Conn): void {
    try {
      conn.close();
    } catch {
      // already closed
    }
    this.#conns.delete(conn);
  }

  async #accept(listener: Deno.Listener): Promise<void> {
    try {
      for await (const conn of listener) void this.#serve(conn);
    } catch {
      // the listener was closed
    }
  }

  async #serve(conn: Deno.Conn): Promise<void> {
    this.#conns.add(conn);
    try {
      const reader = new ConnReader(conn);
      const headBytes = await reader.until(CRLFCRLF);
      if (headBytes === undefined) return;
      const head = latin1(headBytes);
      const [requestLine, ...lines] = head.split("\r\n");
      const [method, target] = requestLine.split(" ");
      const headers = new Headers();
      for (const line of lines) {
        const at = line.indexOf(":");
        if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
      }
      const body = /chunked/i.test(headers.get("transfer-encoding") ?? "")
        ? await reader.chunked()
        : await reader.exact(Number(headers.get("content-length") ?? 0));
      const url = new URL(target, "http://x");
      let path = url.pathname;
      try {
        path = decodeURIComponent(url.pathname);
      } catch {
        // keep it encoded
      }
      const req: Received = {
        method,
        target,
        path,
        query: url.searchParams,
        headers,
        head,
        body,
        size: body.length,
      };
      this.count++;
      if (this.log) {
        this.requests.push({
          ...req,
          body: body.length > this.keepBody ? body.slice(0, this.keepBody) : body,
        });
      }
      let reply: Reply | undefined;
      if (Date.now() < this.#unavailableUntil) {
        this.unavailableServed++;
        reply = {
          status: 503,
          headers: this.#retryAfter ? { "Retry-After": this.#retryAfter } : {},
          body: "<html><h1>Service Unavailable</h1></html>",
        };
      } else reply = await this.handler(req);
      await this.#reply(conn, req, reply ?? { status: 404, body: "Not Found" });
    } catch {
      // the client went away, or the server is closing
    } finally {
      this.#drop(conn);
    }
  }

  async #gone(conn: Deno.Conn): Promise<void> {
    await Promise.race([this.#closing, conn.read(new Uint8Array(1)).catch(() => null)]);
  }

  async #reply(conn: Deno.Conn, req: Received, reply: Reply): Promise<void> {
    if (reply.reset) return;
    if (reply.hang) return await this.#gone(conn);
    const headers = Object.entries(reply.headers ?? {});
    const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
    const body = typeof reply.body === "string" ? encoder.encode(reply.body) : reply.body;
    const noBody = req.method === "HEAD" || reply.status === 204 || reply.status === 304;
    if (!has("content-length") && !noBody && (body === undefined || body instanceof Uint8Array)) {
      headers.push(["Content-Length", String(body?.length ?? 0)]);
    }
    headers.push(["Connection", "close"]);
    let text = `HTTP/1.1 ${reply.status} ${STATUS_TEXT[reply.status] ?? "Status"}\r\n`;
    for (const [name, value] of headers) text += `${name}: ${value}\r\n`;
    text += "\r\n";
    // Header values beyond Latin-1 go out as UTF-8, as a server would send them.
    await writeAll(
      conn,
      [...text].some((c) => c.charCodeAt(0) > 0xff)
        ? encoder.encode(text)
        : Uint8Array.from(text, (c) => c.charCodeAt(0)),
    );
    if (noBody || body === undefined) return;
    if (body instanceof Uint8Array) return await writeAll(conn, body);
    for await (const chunk of body) await writeAll(conn, chunk);
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

// ---------------------------------------------------------------- bodies

/** Byte `i` of every pattern body is `i mod 251`: any range of it can be checked. */
export function pattern(offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (offset + i) % 251;
  return out;
}

/** `total` bytes of the pattern, produced only as fast as the client reads them. */
export async function* lazyPattern(total: number, chunk = 65536): AsyncGenerator<Uint8Array> {
  const block = pattern(0, chunk + 251);
  for (let at = 0; at < total; at += chunk) {
    const n = Math.min(chunk, total - at);
    yield block.subarray(at % 251, (at % 251) + n);
  }
}

/** `bytes`, then nothing, ever: the connection stays open until `until` resolves. */
export async function* stallAfter(bytes: Uint8Array, until: Promise<void>): AsyncGenerator<Uint8Array> {
  if (bytes.length) yield bytes;
  await until;
}

/** About `size` bytes of HTML (a 5xx page from a proxy). */
export function htmlPage(size: number): string {
  const para = "<p>The proxy failed to reach the upstream server; see the error log for details.</p>\n";
  return `<html><head><title>500 Internal Server Error</title></head><body>\n${
    para.repeat(Math.ceil(size / para.length))
  }</body></html>`;
}

/** MD5 hex of bytes. */
export function md5(bytes: Uint8Array | string): string {
  return createHash("md5").update(bytes).digest("hex");
}

// ---------------------------------------------------------------- the recorder

/** What the recorder answers to a GET. */
export const FROM_ELSEWHERE = "bytes from the other origin";

/**
 * A second origin that records every request and answers blandly (HEAD 204, GET 200
 * with {@link FROM_ELSEWHERE}, anything else 201), so that a client that followed a
 * redirect there would carry on as if nothing happened.
 */
export class Recorder {
  /** The server. */
  readonly server: HostileServer;
  constructor() {
    this.server = HostileServer.start((req) => {
      if (req.method === "HEAD") return { status: 204, headers: { "X-Container-Object-Count": "0" } };
      if (req.method === "GET") return { status: 200, body: FROM_ELSEWHERE };
      return { status: 201, body: "" };
    });
  }
  /** Its origin. */
  get origin(): string {
    return this.server.origin;
  }
  /** Every request it received. */
  get requests(): Received[] {
    return this.server.requests;
  }
  /** Fails when any request it received carried one of `secrets`, naming the requests. */
  assertNoSecret(secrets: string[], what = "a secret"): void {
    const leaks = this.server.carrying(secrets);
    assert.equal(
      leaks.length,
      0,
      `Expected no request carrying ${what} at the other origin ${this.origin}, found ${leaks.length}: ${
        leaks.map((r) => `${r.method} ${r.target}`).join(", ")
      }`,
    );
  }
  /** Stops it. */
  close(): void {
    this.server.close();
  }
}

// ---------------------------------------------------------------- a proxy to the real Swift

/**
 * A handler forwarding every request to `upstream` (the real Swift), streaming the
 * answer back; `X-Storage-Url` is rewritten so that TempAuth logins keep using the
 * proxy. `self` gives the proxy's own origin.
 */
export function forwardTo(upstream: string, self: () => string): (req: Received) => Promise<Reply> {
  return async (req) => {
    const headers = new Headers(req.headers);
    for (const name of ["host", "connection", "content-length", "transfer-encoding", "keep-alive"]) {
      headers.delete(name);
    }
    const res = await fetch(upstream + req.target, {
      method: req.method,
      headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : req.body as Uint8Array<ArrayBuffer>,
      redirect: "manual",
    });
    const out: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (["connection", "transfer-encoding", "keep-alive"].includes(name)) return;
      out[name] = name === "x-storage-url" ? value.replace(upstream, self()) : value;
    });
    return { status: res.status, headers: out, body: res.body ?? new Uint8Array(0) };
  };
}

let certificate: Promise<{ ca: string; cert: string; key: string }> | undefined;

/** A CA and a certificate for 127.0.0.1 signed by it, made with openssl once per process. */
export function testCertificate(): Promise<{ ca: string; cert: string; key: string }> {
  return certificate ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "zs-tls-" });
    const openssl = async (...args: string[]) => {
      const out = await new Deno.Command("openssl", { args, cwd: dir, stdout: "null", stderr: "piped" })
        .output();
      if (!out.success) throw new Error(`openssl ${args[0]} failed: ${decoder.decode(out.stderr)}`);
    };
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    await openssl(
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "2",
      "-subj",
      "/CN=zarrswift test CA",
    );
    await openssl("req", ...ec, "-keyout", "key.pem", "-out", "leaf.csr", "-subj", "/CN=127.0.0.1");
    await Deno.writeTextFile(
      `${dir}/leaf.ext`,
      "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    );
    await openssl(
      "x509",
      "-req",
      "-in",
      "leaf.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "cert.pem",
      "-days",
      "2",
      "-extfile",
      "leaf.ext",
    );
    const read = (name: string) => Deno.readTextFile(`${dir}/${name}`);
    const [ca, cert, key] = await Promise.all([read("ca.pem"), read("cert.pem"), read("key.pem")]);
    await Deno.remove(dir, { recursive: true });
    return { ca, cert, key };
  })();
}

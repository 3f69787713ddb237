/**
 * Counting HTTP/1.1 requests in the bytes a client sends on one connection, by their
 * framing alone: a request head ends at an empty line; its body is `Content-Length`
 * bytes or a chunked body (sizes in hex, a last chunk of 0, optional trailers). Bodies
 * are skipped by count, never copied, so the counter costs little next to the proxy that
 * feeds it (bench/proxy_host.ts, through dev/latency_proxy.ts's `observeUp`).
 *
 * Imports: nothing (pure, no I/O).
 *
 * @module
 */

type State = "head" | "body" | "chunk-size" | "chunk-data" | "chunk-end" | "trailer";

const latin1 = new TextDecoder("latin1");

/** Counts the requests of one client connection, by method. */
export class RequestCounter {
  /** Requests whose head has been read, by method. */
  readonly methods: Record<string, number> = {};
  #state: State = "head";
  #line = "";
  #method = "";
  #length = 0;
  #chunked = false;
  #remaining = 0;

  /** Requests whose head has been read. */
  get requests(): number {
    return Object.values(this.methods).reduce((a, b) => a + b, 0);
  }

  /** Reads the next bytes the client sent (in order, any split). */
  feed(data: Uint8Array): void {
    let i = 0;
    while (i < data.length) {
      if (this.#state === "body" || this.#state === "chunk-data") {
        const n = Math.min(this.#remaining, data.length - i);
        i += n;
        this.#remaining -= n;
        if (this.#remaining === 0) this.#state = this.#state === "body" ? "head" : "chunk-end";
        continue;
      }
      const nl = data.indexOf(10, i);
      const end = nl < 0 ? data.length : nl + 1;
      this.#line += latin1.decode(data.subarray(i, end));
      i = end;
      if (nl < 0) continue;
      const line = this.#line.replace(/\r?\n$/, "");
      this.#line = "";
      this.#onLine(line);
    }
  }

  #onLine(line: string): void {
    switch (this.#state) {
      case "head":
        if (this.#method === "") {
          if (line === "") return; // blank lines between requests are allowed
          this.#method = line.slice(0, line.indexOf(" ")).toUpperCase();
          this.#length = 0;
          this.#chunked = false;
        } else if (line !== "") {
          const colon = line.indexOf(":");
          const name = line.slice(0, colon).trim().toLowerCase();
          const value = line.slice(colon + 1).trim().toLowerCase();
          if (name === "content-length") this.#length = Number(value) || 0;
          if (name === "transfer-encoding" && value.split(",").map((v) => v.trim()).includes("chunked")) {
            this.#chunked = true;
          }
        } else {
          this.methods[this.#method] = (this.methods[this.#method] ?? 0) + 1;
          this.#method = "";
          if (this.#chunked) this.#state = "chunk-size";
          else if (this.#length > 0) [this.#state, this.#remaining] = ["body", this.#length];
        }
        return;
      case "chunk-size": {
        const size = parseInt(line.split(";")[0].trim(), 16);
        if (!(size > 0)) this.#state = "trailer";
        else [this.#state, this.#remaining] = ["chunk-data", size];
        return;
      }
      case "chunk-end": // the CRLF after a chunk's data
        this.#state = "chunk-size";
        return;
      case "trailer":
        if (line === "") this.#state = "head";
        return;
    }
  }
}

/** The sum of several counters' requests by method. */
export function sumMethods(counters: Iterable<RequestCounter>): Record<string, number> {
  const total: Record<string, number> = {};
  for (const c of counters) for (const [m, n] of Object.entries(c.methods)) total[m] = (total[m] ?? 0) + n;
  return total;
}

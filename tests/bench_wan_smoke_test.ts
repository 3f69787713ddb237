/**
 * A smoke run of the benchmark suite's WAN profile (the suite itself is not run in CI): one
 * round of one workload at tiny sizes through the latency proxy at +10 ms, written to a
 * temporary directory. It must complete, route every contender through the proxy (which
 * counts their requests) and record the round trip it measured. Also: the request counter
 * the proxy uses, on HTTP/1.1 framings split at every byte.
 */

import assert from "node:assert/strict";
import { RequestCounter } from "../bench/http_framing.ts";

const RUN = new URL("../bench/run.ts", import.meta.url).pathname;

Deno.test("the request counter counts requests by their framing, however the bytes are split", () => {
  const chunked = "PUT /v1/a/c/o HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
    "5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n";
  const sized = "PUT /v1/a/c/p HTTP/1.1\r\ncontent-length: 24\r\n\r\nGET /v1/a/c HTTP/1.1\r\n\r\n"; // body looks like a request
  const plain = "GET /v1/a/c/o HTTP/1.1\r\nHost: x\r\n\r\nHEAD /v1/a HTTP/1.1\r\n\r\n";
  const stream = new TextEncoder().encode(chunked + sized + plain + "DELETE /v1/a/c/o HTTP/1.1\r\n\r\n");
  const expected = { PUT: 2, GET: 1, HEAD: 1, DELETE: 1 };
  for (const size of [1, 2, 7, stream.length]) {
    const counter = new RequestCounter();
    for (let i = 0; i < stream.length; i += size) counter.feed(stream.subarray(i, i + size));
    assert.deepEqual(counter.methods, expected, `fed ${size} bytes at a time`);
    assert.equal(counter.requests, 5);
  }
});

Deno.test("a one-round WAN run of zarr reads through the proxy at +10 ms completes and records requests and RTT", async () => {
  const out = await Deno.makeTempDir({ prefix: "zarrswift-wan-smoke-" });
  try {
    const cmd = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        RUN,
        "--tiny",
        "--rounds",
        "1",
        "--rtt",
        "10",
        "--only",
        "zarr-read",
        "--settle",
        "0",
        "--out",
        out,
      ],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(55_000),
    });
    const { success, stderr } = await cmd.output();
    assert.ok(success, `bench/run.ts failed: ${new TextDecoder().decode(stderr).slice(-1500)}`);
    const { results } = JSON.parse(await Deno.readTextFile(`${out}/results.json`));
    assert.equal(results.length, 1);
    const [result] = results;
    assert.equal(result.id, "zarr-read");
    assert.equal(result.rtt, 10);
    // A HEAD through a proxy that delays each direction by 5 ms cannot take less than 10 ms.
    assert.ok(result.measuredRtt >= 10, `measured RTT ${result.measuredRtt} ms`);
    assert.deepEqual(Object.keys(result.stats).sort(), [
      "SwiftStore",
      "SwiftStore, verify off",
      "raw fetch",
      "raw fetch, MD5 checked, into an array",
    ]);
    for (
      const [name, stats] of Object.entries(result.stats) as [string, { runs: Record<string, number>[] }][]
    ) {
      const [run] = stats.runs;
      // Every chunk is one GET through the proxy; the store reads zarr.json as well.
      assert.ok(
        run.requests >= result.objects,
        `${name}: ${run.requests} requests for ${result.objects} chunks`,
      );
      assert.ok(run.proxyCpu >= 0 && run.seconds > 0, `${name}: ${JSON.stringify(run)}`);
    }
    const markdown = await Deno.readTextFile(`${out}/BENCHMARKS.md`);
    assert.match(markdown, /### \+10 ms/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

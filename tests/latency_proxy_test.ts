/**
 * Tests of the latency proxy (dev/latency_proxy.ts) in front of the real Swift: the storage URL follows
 * it, the delay is paid in each direction, bytes arrive intact and in order, connections are not
 * serialised, the bandwidth cap holds and is shared, and the program stops by itself. Time is only
 * bounded from below by physics (a delay or a rate), except where a serialised proxy would take many
 * times longer than a correct one.
 */

import assert from "node:assert/strict";
import {
  type LatencyProxy,
  type LatencyProxyOptions,
  parseRate,
  startLatencyProxy,
} from "../dev/latency_proxy.ts";
import { AUTH_URL, dropContainer, randomBytes, uniqueName, USERS } from "./_swift.ts";

const SWIFT = new URL(AUTH_URL).host;
const PROXY_PROGRAM = new URL("../dev/latency_proxy.ts", import.meta.url).pathname;
const MiB = 1024 * 1024;

/** Runs `fn` with a proxy to the local Swift and its own HTTP client, then closes both. */
async function withProxy(
  options: LatencyProxyOptions,
  fn: (
    proxy: LatencyProxy,
    fetchVia: (path: string, init?: RequestInit) => Promise<Response>,
  ) => Promise<void>,
): Promise<void> {
  const proxy = await startLatencyProxy({ upstream: SWIFT, ...options });
  const client = Deno.createHttpClient({});
  // Every request is bounded: a proxy that stalls fails the test instead of hanging it.
  const fetchVia = (path: string, init: RequestInit = {}) =>
    fetch(path.startsWith("http") ? path : `http://127.0.0.1:${proxy.port}${path}`, {
      signal: AbortSignal.timeout(30_000),
      ...init,
      client,
    });
  try {
    await fn(proxy, fetchVia);
  } finally {
    client.close();
    await proxy.close();
  }
}

/** Logs in as tester through `fetchImpl`. */
async function login(fetchImpl: (path: string, init?: RequestInit) => Promise<Response>, base = "") {
  const res = await fetchImpl(`${base}/auth/v1.0`, {
    headers: { "X-Auth-User": USERS.tester.user, "X-Auth-Key": USERS.tester.key },
  });
  await res.body?.cancel();
  assert.equal(res.status, 200, "TempAuth login");
  return { storageUrl: res.headers.get("X-Storage-Url")!, token: res.headers.get("X-Auth-Token")! };
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)).toHex();
}

/** Milliseconds `fn` takes. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Runs `fn` with a fresh container (made and dropped directly), given its direct URL and a token. */
async function withContainer(
  fn: (url: string, headers: Record<string, string>) => Promise<void>,
): Promise<void> {
  const { storageUrl, token } = await login(fetch, `http://${SWIFT}`);
  const headers = { "X-Auth-Token": token };
  const container = uniqueName("latency");
  const made = await fetch(`${storageUrl}/${container}`, { method: "PUT", headers });
  await made.body?.cancel();
  assert.ok(made.ok, `container PUT answered ${made.status}`);
  try {
    await fn(`${storageUrl}/${container}`, headers);
  } finally {
    await dropContainer(container);
  }
}

/** The same URL through the proxy. */
function via(proxy: LatencyProxy, url: string): string {
  return url.replace(`//${SWIFT}/`, `//127.0.0.1:${proxy.port}/`);
}

Deno.test("parseRate reads tc's bit rates and refuses anything else", () => {
  assert.equal(parseRate("8mbit"), 8e6);
  assert.equal(parseRate("100Mbit"), 1e8);
  assert.equal(parseRate("2.5gbit"), 2.5e9);
  assert.equal(parseRate("64kbit"), 64_000);
  assert.equal(parseRate("1200"), 1200);
  for (const bad of ["", "fast", "10mbps", "-1mbit", "0"]) assert.throws(() => parseRate(bad), RangeError);
});

Deno.test("a login through the proxy answers a storage URL on the proxy's port", async () => {
  await withProxy({ delay: 5 }, async (proxy, fetchVia) => {
    const { storageUrl, token } = await login(fetchVia);
    assert.equal(new URL(storageUrl).host, `127.0.0.1:${proxy.port}`);
    const direct = await login(fetch, `http://${SWIFT}`);
    assert.equal(new URL(direct.storageUrl).host, SWIFT);
    const before = proxy.stats().up.bytes;
    const res = await fetchVia(storageUrl, { method: "HEAD", headers: { "X-Auth-Token": token } });
    await res.body?.cancel();
    assert.equal(res.status, 204);
    assert.ok(proxy.stats().up.bytes > before, "the account HEAD went through the proxy");
  });
});

Deno.test("a request pays the delay of each direction", async () => {
  const D = 100;
  await withProxy({ delay: D }, async (proxy, fetchVia) => {
    const info = async () => {
      const res = await fetchVia("/info");
      assert.equal(res.status, 200);
      assert.ok("swift" in await res.json());
    };
    const ms = await timed(info);
    assert.ok(ms >= 2 * D, `a round trip through a ${D} ms delay took ${ms.toFixed(1)} ms`);
    const again = await timed(info);
    assert.ok(again >= 2 * D, `a request on the reused connection took ${again.toFixed(1)} ms`);
    assert.equal(proxy.stats().connections, 1);
  });
  await withProxy({ delayUp: 120, delayDown: 30 }, async (_proxy, fetchVia) => {
    const ms = await timed(async () => await (await fetchVia("/info")).body?.cancel());
    assert.ok(ms >= 150, `120 ms up and 30 ms down took ${ms.toFixed(1)} ms`);
  });
  await withProxy({ delay: 50, handshakeRtts: 1 }, async (_proxy, fetchVia) => {
    const ms = await timed(async () => await (await fetchVia("/info")).body?.cancel());
    assert.ok(ms >= 200, `a new connection with a handshake over a 50 ms delay took ${ms.toFixed(1)} ms`);
  });
});

Deno.test("10 MiB go up and come back intact, a stream paying the delay once", async () => {
  const D = 50;
  await withContainer(async (url, headers) => {
    await withProxy({ delay: D }, async (proxy, fetchVia) => {
      const body = randomBytes(10 * MiB);
      const put = await fetchVia(via(proxy, `${url}/big`), { method: "PUT", headers, body });
      await put.body?.cancel();
      assert.equal(put.status, 201);
      assert.ok(proxy.stats().up.bytes >= body.length);
      let got = new Uint8Array(0);
      const ms = await timed(async () => {
        const res = await fetchVia(via(proxy, `${url}/big`), { headers });
        assert.equal(res.status, 200);
        got = await res.bytes();
      });
      assert.equal(got.length, body.length);
      assert.equal(await sha256(got), await sha256(body));
      const { chunks } = proxy.stats().down;
      assert.ok(chunks >= body.length / 65536, `the object came in ${chunks} chunks`);
      assert.ok(ms < chunks * D, `${chunks} chunks took ${ms.toFixed(0)} ms: a delay per chunk?`);
    });
  });
});

Deno.test("parallel connections are not serialised", async () => {
  const D = 200, N = 16;
  await withProxy({ delay: D }, async (proxy, fetchVia) => {
    const each: number[] = [];
    const one = async () => each.push(await timed(async () => (await fetchVia("/info")).json()));
    const total = await timed(() => Promise.all(Array.from({ length: N }, one)));
    assert.ok(Math.min(...each) >= 2 * D, "every request paid the delay");
    assert.ok(total < N * D, `${N} requests over a ${D} ms delay took ${total.toFixed(0)} ms together`);
    assert.equal(proxy.stats().connections, N);
  });
});

Deno.test("a 4 MiB download at 8 Mbit/s takes at least 4.2 s", async () => {
  const rate = 8e6, size = 4 * MiB;
  await withContainer(async (url, headers) => {
    const put = await fetch(`${url}/o`, { method: "PUT", headers, body: randomBytes(size) });
    await put.body?.cancel();
    assert.equal(put.status, 201);
    await withProxy({ rate: "8mbit" }, async (proxy, fetchVia) => {
      let length = 0;
      const ms = await timed(async () =>
        length = (await (await fetchVia(via(proxy, `${url}/o`), { headers })).bytes()).length
      );
      assert.equal(length, size);
      const floor = size * 8 / rate * 1000;
      assert.ok(
        ms >= floor,
        `${size} bytes at ${rate} bit/s took ${ms.toFixed(0)} ms, below ${floor.toFixed(0)}`,
      );
    });
  });
});

Deno.test("the cap of a direction is shared by all connections", async () => {
  const rate = 8e6, size = MiB;
  await withContainer(async (url, headers) => {
    await withProxy({ rateUp: rate }, async (proxy, fetchVia) => {
      const put = async (name: string) => {
        const res = await fetchVia(via(proxy, `${url}/${name}`), {
          method: "PUT",
          headers,
          body: randomBytes(size),
        });
        await res.body?.cancel();
        assert.equal(res.status, 201);
      };
      const ms = await timed(() => Promise.all([put("a"), put("b")]));
      assert.equal(proxy.stats().connections, 2);
      const floor = 2 * size * 8 / rate * 1000;
      assert.ok(
        ms >= floor,
        `2 × ${size} bytes up at ${rate} bit/s took ${ms.toFixed(0)} ms, below ${floor.toFixed(0)}`,
      );
    });
  });
});

Deno.test("a refused upstream closes the client's connection", async () => {
  const spare = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (spare.addr as Deno.NetAddr).port;
  spare.close();
  const proxy = await startLatencyProxy({ upstream: `127.0.0.1:${port}`, delay: 10 });
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: proxy.port });
    const n = await conn.read(new Uint8Array(16)).catch(() => null);
    conn.close();
    assert.equal(n, null);
    assert.equal(proxy.stats().upstreamErrors, 1);
  } finally {
    await proxy.close();
  }
});

Deno.test("bad options are refused, and maxSeconds closes the proxy by itself", async () => {
  await assert.rejects(startLatencyProxy({ delay: -1 }), RangeError);
  await assert.rejects(startLatencyProxy({ rate: "fast" }), RangeError);
  await assert.rejects(startLatencyProxy({ maxBufferedBytes: 0 }), RangeError);
  await assert.rejects(startLatencyProxy({ upstream: "nowhere" }), RangeError);
  const proxy = await startLatencyProxy({ upstream: SWIFT, maxSeconds: 0.2 });
  let refused = false;
  for (let i = 0; i < 50 && !refused; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port: proxy.port })).close();
    } catch {
      refused = true;
    }
  }
  await proxy.close();
  assert.ok(refused, "the port still accepted connections 5 s after maxSeconds");
});

/** Starts the program; answers the child and the port on its first stdout line. */
async function spawnProxy(
  args: string[],
): Promise<{ child: Deno.ChildProcess; port: number; stderr: Promise<string> }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", PROXY_PROGRAM, "--upstream", SWIFT, ...args],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  reader.cancel();
  return { child, port: Number(text.split("\n")[0]), stderr };
}

/** The child's status, killing it if it has not exited after `ms`. */
async function statusWithin(child: Deno.ChildProcess, ms: number): Promise<Deno.CommandStatus> {
  const timer = setTimeout(() => child.kill("SIGKILL"), ms);
  try {
    return await child.status;
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("the program prints its port, forwards, and stops after --max-seconds", async () => {
  const start = performance.now();
  const { child, port, stderr } = await spawnProxy(["--delay", "20", "--max-seconds", "2", "--stats"]);
  assert.ok(port > 0, "a port on the first line");
  const res = await fetch(`http://127.0.0.1:${port}/info`, { headers: { Connection: "close" } });
  assert.equal(res.status, 200);
  await res.body?.cancel();
  const status = await statusWithin(child, 20_000);
  assert.equal(status.signal, null, "it exited by itself");
  assert.equal(status.code, 0);
  assert.ok(performance.now() - start >= 2000, "not before its lifetime");
  const stats = JSON.parse(await stderr);
  assert.equal(stats.connections, 1);
  assert.ok(stats.down.bytes > 0 && stats.cpuSeconds > 0);
});

Deno.test("the program stops on SIGTERM", async () => {
  const { child, port, stderr } = await spawnProxy(["--max-seconds", "60"]);
  assert.ok(port > 0);
  child.kill("SIGTERM");
  const status = await statusWithin(child, 20_000);
  await stderr;
  assert.equal(status.code, 0, "it caught SIGTERM and exited cleanly");
});

Deno.test("the program stops when its parent exits", async () => {
  const dir = await Deno.makeTempDir();
  // bash starts the proxy in the background, waits for its port, prints its pid and exits.
  const script =
    `"$DENO" run -A "$PROGRAM" --upstream "$UPSTREAM" --max-seconds 60 >"$DIR/port" 2>/dev/null </dev/null &
pid=$!; for _ in $(seq 200); do [ -s "$DIR/port" ] && break; sleep 0.05; done; echo $pid`;
  const out = await new Deno.Command("bash", {
    args: ["-c", script],
    env: { DENO: Deno.execPath(), PROGRAM: PROXY_PROGRAM, UPSTREAM: SWIFT, DIR: dir },
    stdout: "piped",
    stderr: "null",
  }).output();
  const pid = Number(new TextDecoder().decode(out.stdout).trim());
  const alive = () => {
    try {
      return !Deno.readTextFileSync(`/proc/${pid}/stat`).includes(") Z ");
    } catch {
      return false;
    }
  };
  try {
    assert.ok(pid > 0 && Number(await Deno.readTextFile(`${dir}/port`)) > 0, "the proxy started");
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(), false, "the proxy outlived its parent by 10 s");
  } finally {
    if (alive()) Deno.kill(pid, "SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});

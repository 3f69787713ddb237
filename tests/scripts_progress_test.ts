/**
 * Progress for large files (issue 12, item 6): the progress line counts bytes as
 * they are sent, received or hashed, and is redrawn on a timer. `upload.ts` and
 * `download.ts` run under a pseudo-terminal (`script`) through a proxy that caps the
 * bandwidth, so that one large object takes seconds; the redraws captured while it
 * moves must show the bytes growing before the object is done. Hashing (for
 * `--changed`) feeds the same line, checked in-process.
 */
import assert from "node:assert/strict";
import { startLatencyProxy } from "../dev/latency_proxy.ts";
import { fileMd5, Progress } from "../scripts/_cli/mod.ts";
import { hostileTest, md5 } from "./_hostile.ts";
import { ROOT } from "./_scripts.ts";
import { AUTH_URL, dropContainer, randomBytes, uniqueName, USERS } from "./_swift.ts";

const MiB = 1 << 20;
const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: MiB, GiB: 1024 * MiB };

/** Runs a script under a pseudo-terminal (`script`), answering everything it wrote to it. */
async function underPty(
  name: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string }> {
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const command = [Deno.execPath(), "run", "-A", `${ROOT}scripts/${name}.ts`, ...args].map(quote).join(" ");
  const out = await new Deno.Command("script", {
    args: ["-q", "-e", "-c", command, "/dev/null"],
    env: { ...env, NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "/root" },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(90_000),
  }).output();
  return { code: out.code, out: new TextDecoder().decode(out.stdout) };
}

/** The redraws of the progress line: objects done, bytes so far. */
function redraws(out: string): { done: number; bytes: number }[] {
  const found: { done: number; bytes: number }[] = [];
  for (const piece of out.split("\r")) {
    const m = /(\d+)\/\d+ objects, ([\d.]+) (B|KiB|MiB|GiB) of /.exec(piece);
    if (m) found.push({ done: Number(m[1]), bytes: Number(m[2]) * UNITS[m[3]] });
  }
  return found;
}

/** Asserts that the line moved with the bytes while the one object was in flight. */
function assertMoving(out: string, total: number, what: string): void {
  const draws = redraws(out);
  const during = draws.filter((d) => d.done === 0 && d.bytes > 0 && d.bytes < total);
  const distinct = new Set(during.map((d) => d.bytes));
  assert.ok(
    distinct.size >= 3,
    `${what}: expected the bytes to grow in at least 3 redraws before the object was done, found ${
      JSON.stringify(during.map((d) => d.bytes))
    } among ${draws.length} redraws`,
  );
  const values = during.map((d) => d.bytes);
  assert.deepEqual(values, [...values].sort((a, b) => a - b), `${what}: the bytes never go back`);
}

hostileTest(
  "upload.ts and download.ts redraw progress from the bytes moving, under a pseudo-terminal",
  async (t) => {
    // 200 Mbit/s each way: 96 MiB take about 4 s. The object is large next to what socket
    // buffers absorb at once (a few MiB per connection, counted as sent when handed over).
    const proxy = await startLatencyProxy({
      upstream: new URL(AUTH_URL).host,
      rate: "200mbit",
      maxBufferedBytes: 256 << 10,
    });
    t.defer(() => proxy.close());
    const env = {
      ST_AUTH: `http://127.0.0.1:${proxy.port}/auth/v1.0`,
      ST_USER: USERS.tester.user,
      ST_KEY: USERS.tester.key,
    };
    const c = uniqueName("progress");
    t.defer(async () => {
      await dropContainer(c);
      await dropContainer(`${c}_segments`);
    });
    const dir = await Deno.makeTempDir({ prefix: "zs-progress-" });
    t.defer(() => Deno.remove(dir, { recursive: true }));
    const size = 96 * MiB;
    const bytes = randomBytes(size);
    await Deno.mkdir(`${dir}/up`);
    await Deno.writeFile(`${dir}/up/big.bin`, bytes);

    // A large object in 3 segments of 32 MiB, sent concurrently.
    const up = await underPty("upload", ["--segment-size", "32M", `${dir}/up`, c], env);
    assert.equal(up.code, 0, up.out.slice(-500));
    assertMoving(up.out, size, "upload.ts");
    assert.match(up.out, /uploaded 1 \(96\.0 MiB\)/);

    const down = await underPty("download", [c, `${dir}/down`], env);
    assert.equal(down.code, 0, down.out.slice(-500));
    assertMoving(down.out, size, "download.ts");
    assert.equal(md5(await Deno.readFile(`${dir}/down/big.bin`)), md5(bytes));
  },
  120_000,
);

hostileTest("hashing a file for --changed moves the progress line", async (t) => {
  const path = await Deno.makeTempFile({ prefix: "zs-hash-" });
  t.defer(() => Deno.remove(path));
  const size = 96 * MiB;
  await Deno.writeFile(path, new Uint8Array(size));
  const written: string[] = [];
  const progress = new Progress(true, { force: true, interval: 5, write: (text) => written.push(text) });
  progress.setTotal(1, size);
  await fileMd5(path, 0, size, (n) => progress.hashed(n));
  progress.done();
  const hashed = written.flatMap((text) => {
    const m = /([\d.]+) (B|KiB|MiB) hashed/.exec(text);
    return m ? [Number(m[1]) * UNITS[m[2]]] : [];
  });
  const during = new Set(hashed.filter((n) => n > 0 && n < size));
  assert.ok(during.size >= 2, `expected redraws while hashing, found ${JSON.stringify(hashed)}`);
  assert.equal(written.at(-1), "\r\x1b[K", "the line is cleared at the end");
});

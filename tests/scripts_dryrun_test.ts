/**
 * `--dry-run` (issue 16, item 8) on upload, download, cp, mv and sync, as
 * subprocesses through a proxy that records every request: each says what it would
 * do, with counts, and sends no PUT, POST or DELETE, creates no container and writes
 * no local file. And the new scripts' progress line on a terminal (under `script`,
 * through a proxy that caps the bandwidth): redrawn while bytes or objects move.
 */
import assert from "node:assert/strict";
import { startLatencyProxy } from "../dev/latency_proxy.ts";
import { uploadLargeObject } from "../mod.ts";
import {
  containerExists,
  countingProxy,
  dropAll,
  envThrough,
  MiB,
  names,
  readTree,
  storeOver,
  underPty,
  writes,
  writeTree,
} from "./_movers.ts";
import { ROOT, script, summary } from "./_scripts.ts";
import { AUTH_URL, randomBytes, uniqueName, USERS } from "./_swift.ts";

Deno.test("--dry-run on upload, download, cp, mv and sync: what would happen, and no write anywhere", async () => {
  const c = uniqueName("dry");
  const missing = uniqueName("drynew");
  const dir = await Deno.makeTempDir({ prefix: "zs-dry-" });
  const proxy = await countingProxy();
  const env = envThrough(proxy);
  try {
    await writeTree(`${dir}/src`, { "a.txt": "a", "b/c.txt": "bc", "b/d.txt": "bd" });
    const store = await storeOver(c, "p");
    await store.set("/a.txt", new TextEncoder().encode("a"));
    await store.set("/gone.txt", new TextEncoder().encode("not local"));
    const before = await names(c);

    const runs: [string, string[], Record<string, unknown>][] = [
      ["upload", [`${dir}/src`, missing], { uploaded: 3, bytes: 5 }],
      ["upload", ["--changed", "--delete", `${dir}/src`, `${c}/p`], { uploaded: 2, skipped: 1, deleted: 1 }],
      ["download", [`${c}/p`, `${dir}/down`], { downloaded: 2 }],
      ["cp", [`${c}/p`, `${missing}/q`], { copied: 2 }],
      ["mv", [`${c}/p`, `${c}/moved`], { copied: 2, deleted: 0 }],
      ["sync", ["--delete", `${dir}/src`, `${c}/p`], { transfer: 2, delete: 1, same: 1 }],
      ["sync", ["--delete", `${c}/p`, `${dir}/src`], { transfer: 1, delete: 2, same: 1 }],
      ["rm", ["--recursive", `${c}/p`], { deleted: 0, skipped: 2 }],
    ];
    for (const [name, args, expected] of runs) {
      const ran = await script(name, ["--dry-run", "--json", ...args], { env });
      assert.equal(ran.code, 0, `${name} ${args.join(" ")}: ${ran.stderr}`);
      const got = summary(ran);
      assert.equal(got.dry_run, true, name);
      for (const [k, v] of Object.entries(expected)) {
        assert.equal(got[k], v, `${name} ${args.join(" ")}: ${k}`);
      }
      // The human form says "would".
      const human = await script(name, ["--dry-run", ...args], { env });
      assert.match(human.stdout, /would /, name);
    }
    assert.deepEqual(writes(proxy), [], "no PUT, POST or DELETE");
    assert.equal(await containerExists(missing), false, "no container created");
    assert.deepEqual(await names(c), before);
    assert.equal(await Deno.stat(`${dir}/down`).catch(() => undefined), undefined, "no local directory");
    assert.deepEqual([...(await readTree(`${dir}/src`)).keys()].sort(), ["a.txt", "b/c.txt", "b/d.txt"]);
  } finally {
    await proxy.close();
    await dropAll([c, missing]);
    await Deno.remove(dir, { recursive: true });
  }
});

/** The progress redraws in a terminal's output: [done, bytes] per redraw. */
function redraws(out: string): { done: number; text: string }[] {
  return out.split("\r").flatMap((piece) => {
    const m = /(\d+)\/\d+ objects, ([\d.]+ (?:B|KiB|MiB|GiB))/.exec(piece);
    return m ? [{ done: Number(m[1]), text: m[2] }] : [];
  });
}

Deno.test("sync.ts, cp.ts and cat.ts redraw a progress line on a terminal while they work", async () => {
  // 100 Mbit/s each way and 15 ms each way: 48 MiB take about 4 s (large next to what
  // socket buffers absorb at once, counted as sent when handed over), 12 MiB about 1 s.
  const slow = await startLatencyProxy({
    upstream: new URL(AUTH_URL).host,
    rate: "100mbit",
    delay: 15,
    maxBufferedBytes: 256 * 1024,
  });
  const env = {
    ST_AUTH: `http://127.0.0.1:${slow.port}/auth/v1.0`,
    ST_USER: USERS.tester.user,
    ST_KEY: USERS.tester.key,
  };
  const c = uniqueName("prog");
  const dir = await Deno.makeTempDir({ prefix: "zs-prog-" });
  try {
    await writeTree(`${dir}/up`, { "big.bin": randomBytes(48 * MiB) });
    const up = await underPty("sync", ["--segment-size", "16M", `${dir}/up`, `${c}/s`], env);
    assert.equal(up.code, 0, up.out.slice(-400));
    const upDraws = redraws(up.out).filter((d) => d.done === 0);
    assert.ok(new Set(upDraws.map((d) => d.text)).size >= 3, `sync up: ${JSON.stringify(upDraws)}`);

    const store = await storeOver(c, "many");
    for (let i = 0; i < 300; i++) await store.set(`/o${i}`, new Uint8Array(10));
    const cp = await underPty("cp", ["--concurrency", "2", `${c}/many`, `${c}/copies`], env);
    assert.equal(cp.code, 0, cp.out.slice(-400));
    const counts = redraws(cp.out).map((d) => d.done);
    assert.ok(new Set(counts).size >= 3, `cp: ${JSON.stringify(counts)}`);
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b), "objects done never go back");

    await uploadLargeObject(await storeOver(c), "/cat.bin", new Blob([randomBytes(12 * MiB)]), {
      segmentSize: 4 * MiB,
    });
    // stdout to a file, stderr on the terminal: the line shows there.
    const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
    const command = `${quote(Deno.execPath())} run -A ${quote(`${ROOT}scripts/cat.ts`)} ${
      quote(`${c}/cat.bin`)
    } > ${quote(`${dir}/cat.out`)}`;
    const out = await new Deno.Command("script", {
      args: ["-q", "-e", "-c", command, "/dev/null"],
      env: { ...env, PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "/root" },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(90_000),
    }).output();
    assert.equal(out.code, 0);
    const catDraws = redraws(new TextDecoder().decode(out.stdout)).filter((d) => d.done === 0);
    assert.ok(new Set(catDraws.map((d) => d.text)).size >= 3, `cat: ${JSON.stringify(catDraws)}`);
    assert.equal((await Deno.stat(`${dir}/cat.out`)).size, 12 * MiB);
  } finally {
    await slow.close();
    await dropAll([c]);
    await Deno.remove(dir, { recursive: true });
  }
});

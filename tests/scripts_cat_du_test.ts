/**
 * cat.ts, du.ts, post.ts and stat.ts (issue 16, items 3, 6 and 7), as subprocesses
 * against the real Swift: a 3 MiB large object to stdout equals its file, byte
 * ranges, no binary bytes to a terminal unless `--force` (under `script`); usage per
 * prefix from listings only (requests counted at a proxy); metadata and headers set
 * by post.ts, shown by stat.ts and seen by python-swiftclient.
 */
import assert from "node:assert/strict";
import { uploadLargeObject } from "../mod.ts";
import { countingProxy, dropAll, envThrough, md5, MiB, storeOver, swiftCli, underPty } from "./_movers.ts";
import { CREDS, ROOT, script, summary } from "./_scripts.ts";
import { randomBytes, uniqueName } from "./_swift.ts";

/** Runs cat.ts with stdout as raw bytes. */
async function cat(args: string[]): Promise<{ code: number; bytes: Uint8Array; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}scripts/cat.ts`, ...args],
    env: { ...CREDS, PATH: Deno.env.get("PATH") ?? "" },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  return { code: out.code, bytes: out.stdout, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("cat.ts streams a 3 MiB large object byte for byte, and byte ranges of it", async () => {
  const c = uniqueName("cat");
  try {
    const store = await storeOver(c);
    const big = randomBytes(3 * MiB + 1001);
    await uploadLargeObject(store, "/run/big.bin", new Blob([big]), { segmentSize: MiB });
    assert.equal((await store.stat("/run/big.bin"))?.largeObject, true);
    const whole = await cat([`${c}/run/big.bin`]);
    assert.equal(whole.code, 0, whole.stderr);
    assert.equal(whole.bytes.length, big.length);
    assert.equal(md5(whole.bytes), md5(big));
    // Ranges across a segment boundary, to the end, and the last bytes.
    for (
      const [range, start, end] of [
        [`${MiB - 10}-${MiB + 9}`, MiB - 10, MiB + 10],
        [`${3 * MiB}-`, 3 * MiB, big.length],
        ["-7", big.length - 7, big.length],
      ] as const
    ) {
      const part = await cat([`--range=${range}`, `${c}/run/big.bin`]);
      assert.equal(part.code, 0, part.stderr);
      assert.deepEqual(part.bytes, big.slice(start, end), range);
    }
    assert.equal((await cat(["--range", `${big.length + 5}-`, `${c}/run/big.bin`])).code, 1, "past the end");
    assert.equal((await cat(["--range", "9-3", `${c}/run/big.bin`])).code, 2);
    assert.equal((await cat(["--range=-0", `${c}/run/big.bin`])).code, 2, "the last 0 bytes");
    const missing = await cat([`${c}/run/none`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no object/);
  } finally {
    await dropAll([c]);
  }
});

Deno.test("cat.ts refuses binary bytes on a terminal unless --force; text passes (under script)", async () => {
  const c = uniqueName("cattty");
  try {
    const store = await storeOver(c);
    const binary = new TextEncoder().encode("\0\x01\x02 binary, with a marker: MARKER-4711 \x1b[2J\0");
    await store.set("/bin", binary);
    await store.set("/text.txt", new TextEncoder().encode("plain text, ünïcode\nline two\n"));
    const refused = await underPty("cat", [`${c}/bin`], CREDS);
    assert.equal(refused.code, 1, refused.out);
    assert.match(refused.out, /is not text: not written to the terminal/);
    assert.doesNotMatch(refused.out, /MARKER-4711/);
    const forced = await underPty("cat", ["--force", `${c}/bin`], CREDS);
    assert.equal(forced.code, 0);
    assert.match(forced.out, /MARKER-4711/);
    const text = await underPty("cat", [`${c}/text.txt`], CREDS);
    assert.equal(text.code, 0, text.out);
    assert.match(text.out, /plain text, ünïcode\r?\nline two/);
    // Not a terminal: the bytes go out as they are.
    assert.deepEqual((await cat([`${c}/bin`])).bytes, binary);
  } finally {
    await dropAll([c]);
  }
});

Deno.test("du.ts counts objects and bytes per sub-prefix down to --depth, from listings only", async () => {
  const c = uniqueName("du");
  const proxy = await countingProxy();
  try {
    const store = await storeOver(c);
    const objects: Record<string, number> = {
      "run/zarr.json": 40,
      "run/t/zarr.json": 30,
      "run/t/c/0/0": 1000,
      "run/t/c/0/1": 1000,
      "run/u/c/0": 500,
      "other/x": 7,
    };
    for (const [name, size] of Object.entries(objects)) await store.set(`/${name}`, new Uint8Array(size));
    const under = (p: string) => Object.entries(objects).filter(([n]) => n.startsWith(p));
    const row = (p: string) => ({
      prefix: p,
      objects: under(p).length,
      bytes: under(p).reduce((n, [, s]) => n + s, 0),
    });
    const ran = await script("du", ["--json", "--depth", "2", `${c}/run`], { env: envThrough(proxy) });
    assert.equal(ran.code, 0, ran.stderr);
    const got = summary(ran) as unknown as { objects: number; bytes: number; prefixes: unknown[] };
    assert.deepEqual([got.objects, got.bytes], [row("run/").objects, row("run/").bytes]);
    assert.deepEqual(got.prefixes, [row("run/t/"), row("run/t/c/"), row("run/u/"), row("run/u/c/")]);
    // Only listings (and the login and one container check): no request per object.
    const perObject = proxy.traffic.filter((e) => new URL(e.url, "http://x").pathname.split("/").length > 4);
    assert.deepEqual(perObject.map((e) => `${e.method} ${e.url}`), []);
    assert.ok(proxy.traffic.length <= 4, proxy.traffic.map((e) => `${e.method} ${e.url}`).join("\n"));

    const human = await script("du", ["-d", "1", c]);
    assert.equal(human.code, 0);
    assert.match(human.stdout, new RegExp(`^\\s+\\S+ \\S+\\s+6  ${c}$`, "m"));
    assert.match(human.stdout, new RegExp(`^\\s+\\S+ \\S+\\s+5  ${c}/run/$`, "m"));
    assert.equal((await script("du", [`${c}/nothing`])).code, 1);
    // The account listing's figures come from Swift's container updater (every 30 s on
    // the test server): the container is listed at once, its counts may lag.
    const account = await script("du", ["--json"]);
    assert.equal(account.code, 0, account.stderr);
    const totals = summary(account) as unknown as {
      objects: number;
      bytes: number;
      containers: { container: string; objects: number; bytes: number }[];
    };
    assert.ok(totals.containers.some((r) => r.container === c), `${c} not in ${JSON.stringify(totals)}`);
    assert.equal(totals.objects, totals.containers.reduce((n, r) => n + r.objects, 0));
    assert.equal(totals.bytes, totals.containers.reduce((n, r) => n + r.bytes, 0));
  } finally {
    await proxy.close();
    await dropAll([c]);
  }
});

Deno.test("post.ts sets, merges and removes metadata and headers; stat.ts and swift stat show them", async () => {
  const c = uniqueName("post");
  try {
    const store = await storeOver(c);
    await store.set("/o.txt", new TextEncoder().encode("x"), { headers: { "X-Object-Meta-Keep": "me" } });
    const set = await script("post", [
      "-m",
      "project:ocean",
      "-H",
      "Content-Disposition: attachment; filename=o.txt",
      "-H",
      "Content-Type: text/plain",
      "--delete-at",
      "2100-01-01T00:00:00Z",
      `${c}/o.txt`,
    ]);
    assert.equal(set.code, 0, set.stderr);
    const stat = JSON.parse((await script("stat", ["--json", `${c}/o.txt`])).stdout);
    assert.deepEqual(stat.metadata, { keep: "me", project: "ocean" });
    assert.equal(stat.delete_at, "2100-01-01T00:00:00.000Z");
    assert.equal(stat.content_type, "text/plain");
    assert.equal(stat.headers["content-disposition"], "attachment; filename=o.txt");
    const theirs = await swiftCli(["stat", c, "o.txt"]);
    assert.match(theirs, /Meta Project: ocean/);
    assert.match(theirs, /Meta Keep: me/);
    assert.match(theirs, new RegExp(`X-Delete-At: ${Date.UTC(2100, 0, 1) / 1000}`));

    // An empty value removes a key; --remove-delete-at cancels the expiry; --replace drops the rest.
    const removed = await script("post", ["-m", "keep:", "--remove-delete-at", `${c}/o.txt`]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(
      removed.stdout.trim(),
      `updated ${c}/o.txt: removed metadata keep, the expiry`,
      "says what went",
    );
    let after = JSON.parse((await script("stat", ["--json", `${c}/o.txt`])).stdout);
    assert.deepEqual([after.metadata, after.delete_at], [{ project: "ocean" }, null]);
    assert.equal((await script("post", ["--replace", "-m", "only:this", `${c}/o.txt`])).code, 0);
    after = JSON.parse((await script("stat", ["--json", `${c}/o.txt`])).stdout);
    assert.deepEqual([after.metadata, after.headers], [{ only: "this" }, {}]);

    // A container: metadata set and removed.
    assert.equal((await script("post", ["-m", "team:ocean", c])).code, 0);
    assert.match(await swiftCli(["stat", c]), /Meta Team: ocean/);
    assert.equal((await script("post", ["-m", "team:", c])).code, 0);
    assert.doesNotMatch(await swiftCli(["stat", c]), /Meta Team/);
    assert.equal((await script("post", [`${c}/o.txt`])).code, 2, "nothing to change");
    assert.equal((await script("post", ["--delete-after", "1h", c])).code, 2, "expiry is for objects");
    assert.equal((await script("post", ["-m", "a:b", `${c}/none`])).code, 1);
  } finally {
    await dropAll([c]);
  }
});

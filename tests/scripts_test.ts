/** Every script run as a subprocess against the real Swift, and against python-swiftclient's `swift`. */
import assert from "node:assert/strict";
import { setTempUrlKey, SwiftStore } from "../mod.ts";
import { AUTH_URL, dropContainer, login, raw, tempAuth, uniqueName, USERS } from "./_swift.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const CREDS = { ST_AUTH: AUTH_URL, ST_USER: USERS.tester.user, ST_KEY: USERS.tester.key };
const SCRIPTS = [
  "upload",
  "download",
  "ls",
  "stat",
  "rm",
  "tempurl",
  "share",
  "acl",
  "token",
  "info",
  "tree",
  "key",
  "sync",
  "check",
  "cat",
  "cp",
  "mv",
  "post",
  "du",
];

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function script(
  name: string,
  args: string[],
  env: Record<string, string> = CREDS,
  stdin?: string,
): Promise<Ran> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}scripts/${name}.ts`, ...args],
    env: { ...env, NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "" },
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  const ran = {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
  // No script but token.ts prints a token or key.
  if (name !== "token") {
    const { token } = await login();
    assert.ok(!ran.stdout.includes(token) && !ran.stderr.includes(token), `${name} printed a token`);
    assert.ok(!/testing/.test(ran.stdout + ran.stderr), `${name} printed a key`);
  }
  return ran;
}

/** The python-swiftclient CLI. */
async function swift(args: string[], cwd?: string): Promise<string> {
  const out = await new Deno.Command("swift", {
    args: ["-A", AUTH_URL, "-U", USERS.tester.user, "-K", USERS.tester.key, ...args],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, `swift ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout);
}

/** Every file under `dir`, relative path to bytes. */
async function tree(dir: string, rel = ""): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for await (const e of Deno.readDir(rel ? `${dir}/${rel}` : dir)) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) { for (const [k, v] of await tree(dir, r)) files.set(k, v); }
    else files.set(r, await Deno.readFile(`${dir}/${r}`));
  }
  return files;
}

async function makeTree(dir: string): Promise<void> {
  await Deno.mkdir(`${dir}/arr/c/0`, { recursive: true });
  await Deno.mkdir(`${dir}/with space`, { recursive: true });
  await Deno.writeTextFile(`${dir}/zarr.json`, '{"zarr_format":3,"node_type":"group","attributes":{}}');
  for (let i = 0; i < 20; i++) {
    await Deno.writeFile(`${dir}/arr/c/0/${i}`, crypto.getRandomValues(new Uint8Array(100 + i)));
  }
  await Deno.writeTextFile(`${dir}/with space/ü.txt`, "unicode and spaces");
  await Deno.writeFile(`${dir}/empty`, new Uint8Array(0));
  // Larger than the 1 MiB segment size the tests use: a Static Large Object.
  const big = new Uint8Array(3 * 1024 * 1024 + 12345);
  for (let i = 0; i < big.length; i += 65536) {
    crypto.getRandomValues(big.subarray(i, Math.min(big.length, i + 65536)));
  }
  await Deno.writeFile(`${dir}/big.bin`, big);
}

Deno.test("--help works on every script; bad usage exits 2 with one line", async () => {
  for (const name of SCRIPTS) {
    const help = await script(name, ["--help"]);
    assert.equal(help.code, 0, name);
    assert.match(help.stdout, /^Usage: /m, name);
    const bad = await script(name, ["--no-such-flag"]);
    assert.equal(bad.code, 2, `${name}: ${bad.stderr}`);
    assert.equal(bad.stderr.trim().split("\n").length, 1, `${name} says why in one line`);
    assert.match(bad.stderr, new RegExp(`^${name}\\.ts: `));
  }
  assert.equal((await script("upload", ["/nonexistent-dir", "c"])).code, 2);
  assert.equal((await script("rm", ["container-only"])).code, 2);
  assert.equal((await script("tempurl", ["GET", "soon", "c/o", "k"])).code, 2);
  assert.equal((await script("acl", ["frobnicate", "c"])).code, 2);
  const noCreds = await script("ls", [], {});
  assert.equal(noCreds.code, 2);
  assert.match(noCreds.stderr, /ST_AUTH/);
});

Deno.test("bad credentials and a missing container exit 1 with a clear message", async () => {
  const wrong = await script("ls", [], { ...CREDS, ST_KEY: "wrong-secret-key" });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /user or key is wrong/);
  assert.ok(!wrong.stderr.includes("wrong-secret-key"));
  const missing = await script("ls", [uniqueName("missing")]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Expected container .* to exist, found none \(404\)/);
  // (a short retry budget: the default rides out 60 s of outage)
  const down = await script("ls", ["--max-retry-time", "1"], {
    ST_AUTH: "http://127.0.0.1:9/auth/v1.0",
    ST_USER: "a:b",
    ST_KEY: "k",
  });
  assert.equal(down.code, 1);
  assert.match(down.stderr, /no response/);
});

Deno.test("upload.ts then swift download: byte-identical, SLO included; a re-run transfers nothing", async () => {
  const container = uniqueName("up");
  const src = await Deno.makeTempDir();
  const dst = await Deno.makeTempDir();
  try {
    await makeTree(src);
    const up = await script("upload", ["--json", "--segment-size", "1M", src, `${container}/run-1`]);
    assert.equal(up.code, 0, up.stderr);
    const summary = JSON.parse(up.stdout.trim().split("\n").at(-1)!);
    assert.deepEqual({ ...summary, seconds: 0 }, {
      uploaded: 24,
      skipped: 0,
      failed: 0,
      bytes: summary.bytes,
      seconds: 0,
    });
    const stat = await script("stat", [`${container}/run-1/big.bin`]);
    assert.match(stat.stdout, /Large object: yes/);

    await swift(["download", container, "--prefix", "run-1/", "--remove-prefix", "--output-dir", dst]);
    assert.deepEqual(await tree(dst), await tree(src));

    const again = await script("upload", [
      "--json",
      "--changed",
      "--segment-size",
      "1M",
      src,
      `${container}/run-1`,
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual({ ...JSON.parse(again.stdout.trim()), seconds: 0 }, {
      uploaded: 0,
      skipped: 24,
      failed: 0,
      bytes: 0,
      seconds: 0,
    });
    // One changed file is the only upload.
    await Deno.writeTextFile(`${src}/with space/ü.txt`, "changed");
    const third = await script("upload", [
      "--json",
      "--changed",
      "--segment-size",
      "1M",
      src,
      `${container}/run-1`,
    ]);
    assert.equal(JSON.parse(third.stdout.trim()).uploaded, 1);
  } finally {
    await dropContainer(container);
    await dropContainer(`${container}_segments`);
    await Deno.remove(src, { recursive: true });
    await Deno.remove(dst, { recursive: true });
  }
});

Deno.test("swift upload --use-slo then download.ts: byte-identical; --changed then downloads nothing", async () => {
  const container = uniqueName("down");
  const src = await Deno.makeTempDir();
  const dst = await Deno.makeTempDir();
  try {
    await makeTree(src);
    await swift(
      ["upload", "--use-slo", "-S", String(1024 * 1024), "--object-name", "run-2", container, "."],
      src,
    );
    const down = await script("download", ["--json", `${container}/run-2`, dst]);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(await tree(dst), await tree(src));
    const summary = JSON.parse(down.stdout.trim());
    assert.equal(summary.downloaded, 24);
    const again = await script("download", ["--json", "--changed", `${container}/run-2`, dst]);
    assert.deepEqual({ ...JSON.parse(again.stdout.trim()), seconds: 0 }, {
      downloaded: 0,
      skipped: 24,
      failed: 0,
      bytes: 0,
      seconds: 0,
    });
  } finally {
    await dropContainer(container);
    await dropContainer(`${container}_segments`);
    await Deno.remove(src, { recursive: true });
    await Deno.remove(dst, { recursive: true });
  }
});

Deno.test("download.ts of a 5 MiB object (streamed) exits within 5 s of finishing", async () => {
  const container = uniqueName("exit");
  const dst = await Deno.makeTempDir();
  try {
    const store = await SwiftStore.open({ container, auth: tempAuth() });
    const body = new Uint8Array(5 * 2 ** 20).fill(42);
    await store.set("/five.bin", body);
    const started = performance.now();
    const down = await script("download", ["--json", container, dst]);
    const wall = (performance.now() - started) / 1000;
    assert.equal(down.code, 0, down.stderr);
    const summary = JSON.parse(down.stdout.trim());
    assert.equal(summary.downloaded, 1);
    assert.deepEqual(await Deno.readFile(`${dst}/five.bin`), body);
    // A timer left armed by the streamed read kept the process alive 60 s after it was done.
    assert.ok(wall - summary.seconds < 5, `exited ${(wall - summary.seconds).toFixed(1)} s after finishing`);
  } finally {
    await dropContainer(container);
    await Deno.remove(dst, { recursive: true });
  }
});

Deno.test("ls, stat, tree, info, rm", async () => {
  const container = uniqueName("tools");
  const src = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${src}/a/c`, { recursive: true });
    await Deno.writeTextFile(
      `${src}/a/zarr.json`,
      JSON.stringify({
        zarr_format: 3,
        node_type: "array",
        shape: [4, 4],
        data_type: "int16",
        chunk_grid: { name: "regular", configuration: { chunk_shape: [2, 4] } },
        chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
        codecs: [{ name: "bytes", configuration: { endian: "little" } }],
        fill_value: 0,
      }),
    );
    await Deno.writeTextFile(`${src}/zarr.json`, '{"zarr_format":3,"node_type":"group","attributes":{}}');
    await Deno.writeFile(`${src}/a/c/0`, new Uint8Array(16));
    await Deno.writeFile(`${src}/a/c/1`, new Uint8Array(16));
    assert.equal((await script("upload", [src, `${container}/ds`])).code, 0);

    const containers = await script("ls", []);
    assert.ok(containers.stdout.split("\n").includes(container));
    const objects = await script("ls", [`${container}/ds`]);
    assert.deepEqual(objects.stdout.trim().split("\n"), [
      "ds/a/c/0",
      "ds/a/c/1",
      "ds/a/zarr.json",
      "ds/zarr.json",
    ]);
    const json = (await script("ls", ["--json", container])).stdout.trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    assert.deepEqual(json.map((e) => e.bytes).slice(0, 2), [16, 16]);
    const long = await script("ls", ["--long", `${container}/ds/a/c`]);
    assert.match(long.stdout, /^\s+16 \d{4}-\d\d-\d\dT[\d:]+ ds\/a\/c\/0$/m);

    const stat = await script("stat", ["--json", container]);
    const s = JSON.parse(stat.stdout);
    assert.equal(s.objects, 4);
    assert.equal(s.temp_url_keys, 0);
    const account = await script("stat", []);
    assert.match(account.stdout, /Containers: \d+/);

    const t = await script("tree", [`${container}/ds`]);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /group/);
    assert.match(t.stdout, /a {2}array int16 \[4, 4\] chunks \[2, 4\], 2 stored \(32 B\)/);

    const info = JSON.parse((await script("info", ["--json"])).stdout);
    assert.equal(info.bulk_delete.max_deletes_per_request, 10000);

    const dry = await script("rm", ["--recursive", "--dry-run", "--json", `${container}/ds/a`]);
    assert.deepEqual({ ...JSON.parse(dry.stdout.trim()), seconds: 0 }, {
      deleted: 0,
      not_found: 0,
      skipped: 3,
      failed: 0,
      bytes: 0,
      kept_segments: 0,
      dry_run: true,
      seconds: 0,
    });
    assert.equal(
      (await script("ls", [`${container}/ds/a`])).stdout.trim().split("\n").length,
      3,
      "dry run deleted nothing",
    );
    const one = await script("rm", [`${container}/ds/zarr.json`]);
    assert.equal(one.stdout.trim(), `deleted ${container}/ds/zarr.json`);
    const all = await script("rm", ["--recursive", "--json", container]);
    assert.equal(JSON.parse(all.stdout.trim()).deleted, 3);
    assert.equal((await script("ls", [container])).stdout.trim(), "");
  } finally {
    await dropContainer(container);
    await Deno.remove(src, { recursive: true });
  }
});

Deno.test("tempurl.ts prints what `swift tempurl` prints, and the server accepts it", async () => {
  const container = uniqueName("turl");
  try {
    const store = await SwiftStore.open({ container, auth: tempAuth() });
    await store.set("/dir/obj", new TextEncoder().encode("via tempurl"));
    const key = "script-temp-url-key";
    await setTempUrlKey(store, key, { scope: "container" });
    const epoch = String(Math.floor(Date.now() / 1000) + 600);
    for (const extra of [[], ["--digest", "sha512"], ["--iso8601"], ["--ip-range", "127.0.0.1"]]) {
      const ours = await script("tempurl", [
        ...extra,
        "--absolute",
        "GET",
        epoch,
        `${container}/dir/obj`,
        key,
      ]);
      assert.equal(ours.code, 0, ours.stderr);
      const ref = await swift(["tempurl", ...extra, "--absolute", "GET", epoch, `${store.url}/dir/obj`, key]);
      assert.equal(ours.stdout.trim(), ref.trim(), extra.join(" "));
      assert.equal(await (await fetch(ours.stdout.trim())).text(), "via tempurl");
    }
    // Prefix links, and the key read from the container when not given.
    const prefix = await script("tempurl", ["--prefix", "GET", "1h", `${container}/dir/`]);
    assert.equal(prefix.code, 0, prefix.stderr);
    const link = prefix.stdout.trim();
    assert.match(link, /temp_url_prefix=dir\/$/);
    assert.equal(await (await fetch(link.replace("/dir/?", "/dir/obj?"))).text(), "via tempurl");
    assert.ok(!prefix.stdout.includes(key), "the key is not printed");
  } finally {
    await dropContainer(container);
  }
});

Deno.test("share.ts and acl.ts", async () => {
  const container = uniqueName("share");
  try {
    const store = await SwiftStore.open({ container, prefix: "ds", auth: tempAuth() });
    await store.set(
      "/zarr.json",
      new TextEncoder().encode('{"zarr_format":3,"node_type":"group","attributes":{}}'),
    );
    const shared = await script("share", [
      "--expires",
      "1h",
      "--cors",
      "http://127.0.0.1:1234",
      `${container}/ds`,
    ]);
    assert.equal(shared.code, 0, shared.stderr);
    const link = shared.stdout.trim().split("\n")[0];
    assert.match(shared.stdout, /SwiftStore\.fromUrl\(/);
    assert.deepEqual(await SwiftStore.fromUrl(link).get("/zarr.json"), await store.get("/zarr.json"));

    assert.match((await script("acl", ["show", container])).stdout, /Read ACL: $/m);
    assert.equal((await script("acl", ["grant", container, "test:tester2"])).code, 0);
    assert.equal((await script("acl", ["public", container])).code, 0);
    const shown = JSON.parse((await script("acl", ["show", "--json", container])).stdout);
    assert.deepEqual(shown, { read: ["test:tester2", ".r:*", ".rlistings"], write: [] });
    assert.equal((await fetch(`${store.url}/zarr.json`)).status, 200, "anonymous read");
    assert.equal((await script("acl", ["private", container])).code, 0);
    assert.equal((await script("acl", ["grant", "--write", container, "test2"])).code, 0);
    assert.equal((await script("acl", ["revoke", container, "test:tester2"])).code, 0);
    assert.deepEqual(JSON.parse((await script("acl", ["show", "--json", container])).stdout), {
      read: [],
      write: ["test2"],
    });
    const badWho = await script("acl", ["grant", "--write", container, ".r:*"]);
    assert.equal(badWho.code, 2);
    assert.match(badWho.stderr, /referrer rule in a write ACL/);
    const res = await raw("HEAD", `/${container}`);
    assert.equal(res.headers.get("X-Container-Meta-Access-Control-Allow-Origin"), "http://127.0.0.1:1234");
  } finally {
    await dropContainer(container);
  }
});

Deno.test("token.ts prints export lines that work, with the key from flags, the environment or stdin", async () => {
  const lines = await script("token", ["-A", AUTH_URL, "-U", "test:tester", "-K", "testing"], {});
  assert.equal(lines.code, 0, lines.stderr);
  const vars = Object.fromEntries(
    [...lines.stdout.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]),
  );
  assert.deepEqual(Object.keys(vars), ["OS_STORAGE_URL", "OS_AUTH_TOKEN"]);
  const viaToken = await script("ls", [], vars);
  assert.equal(viaToken.code, 0, viaToken.stderr);
  const prompted = await script("token", ["-A", AUTH_URL, "-U", "test:tester"], {}, "testing\n");
  assert.equal(prompted.code, 0, prompted.stderr);
  assert.match(prompted.stdout, /^export OS_AUTH_TOKEN=/m);
  assert.ok(!prompted.stderr.includes("testing"), "the typed key is not echoed");
  const wrong = await script("token", ["-A", AUTH_URL, "-U", "test:tester", "-K", "nope-secret"], {});
  assert.equal(wrong.code, 1);
  assert.ok(!(wrong.stdout + wrong.stderr).includes("nope-secret"));
});

/**
 * Headers, metadata and expiry on the scripts that write (issue 16, item 6), as
 * subprocesses against the real Swift: `-H`, `-m`, `--delete-at` and
 * `--delete-after` on upload.ts (plain and large objects), sync.ts and cp.ts, as
 * python-swiftclient's `swift stat` sees them; malformed values are usage errors;
 * and an object uploaded with `--delete-after 2` is gone once Swift's object expirer
 * has run: the test runs `swift-object-expirer`'s daemon once (from Debian's Swift
 * packages, which dev/swift.sh installs), as often as it takes the container updater
 * to list the expiry queue (at most a minute).
 */
import assert from "node:assert/strict";
import { dropAll, MiB, names, swiftCli, writeTree } from "./_movers.ts";
import { script, summary } from "./_scripts.ts";
import { randomBytes, raw, uniqueName } from "./_swift.ts";

const HOME = Deno.env.get("ZARRSWIFT_SWIFT_HOME") ?? "/tmp/zarrswift-swift";
const MEMCACHED = Deno.env.get("ZARRSWIFT_MEMCACHED_PORT") ?? "11211";

/** `swift stat` of an object as `Name: value` lines. */
async function swiftStat(container: string, object: string): Promise<Record<string, string>> {
  const out = await swiftCli(["stat", container, object]);
  return Object.fromEntries(
    out.split("\n").map((l) => /^\s*([^:]+):\s*(.*)$/.exec(l)).filter((m) => m !== null).map((
      m,
    ) => [m![1], m![2]]),
  );
}

/** Runs Swift's object expirer once over the local cluster (its daemon, `once`). */
async function runExpirer(dir: string): Promise<string> {
  const user = new TextDecoder().decode(
    (await new Deno.Command("id", { args: ["-un"], stdout: "piped" }).output()).stdout,
  )
    .trim();
  const conf = `${dir}/object-expirer.conf`;
  await Deno.writeTextFile(
    conf,
    `[DEFAULT]
swift_dir = ${HOME}/etc
user = ${user}
log_level = INFO
recon_cache_path = ${dir}

[object-expirer]
processes = 0
process = 0
concurrency = 4

[pipeline:main]
pipeline = catch_errors cache proxy-server

[app:proxy-server]
use = egg:swift#proxy

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:${MEMCACHED}

[filter:catch_errors]
use = egg:swift#catch_errors
`,
  );
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [
      "-c",
      "import sys\nfrom swift.common.daemon import run_daemon\nfrom swift.obj.expirer import ObjectExpirer\n" +
      "run_daemon(ObjectExpirer, sys.argv[1], once=True, verbose=True)",
      conf,
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.ok(out.success, `the object expirer failed: ${text.slice(-1000)}`);
  return text;
}

Deno.test("-H, -m, --delete-at and --delete-after on upload, sync and cp, as swift stat sees them", async () => {
  const c = uniqueName("hdr");
  const dir = await Deno.makeTempDir({ prefix: "zs-hdr-" });
  try {
    await writeTree(`${dir}/up`, { "table.csv": "a,b\n1,2\n", "big.bin": randomBytes(2 * MiB + 3) });
    const at = Math.floor(Date.UTC(2099, 5, 30, 12) / 1000);
    const up = await script("upload", [
      "--segment-size",
      "1M",
      "-H",
      "Content-Type: text/csv",
      "-H",
      "Content-Disposition: attachment",
      "-m",
      "project:ocean",
      "--meta",
      "Site: Zürich",
      "--delete-at",
      "2099-06-30T12:00:00Z",
      `${dir}/up`,
      `${c}/up`,
    ]);
    assert.equal(up.code, 0, up.stderr);
    for (const object of ["up/table.csv", "up/big.bin"]) {
      const stat = await swiftStat(c, object);
      assert.equal(stat["Meta Project"], "ocean", object);
      assert.equal(stat["Meta Site"], "Zürich", object);
      assert.equal(stat["X-Delete-At"], String(at), object);
      assert.equal(stat["Content Type"], "text/csv", object);
      assert.equal(stat["Content-Disposition"], "attachment", object);
    }
    assert.equal((await swiftStat(c, "up/big.bin"))["X-Static-Large-Object"], "True");
    for (const segment of await names(`${c}_segments`)) {
      assert.equal((await swiftStat(`${c}_segments`, segment))["X-Delete-At"], String(at), segment);
    }

    const before = Math.floor(Date.now() / 1000);
    const sync = await script("sync", ["-m", "via:sync", "--delete-after", "1h", `${dir}/up`, `${c}/sync`]);
    assert.equal(sync.code, 0, sync.stderr);
    const synced = await swiftStat(c, "sync/table.csv");
    assert.equal(synced["Meta Via"], "sync");
    const deleteAt = Number(synced["X-Delete-At"]);
    assert.ok(deleteAt >= before + 3600 && deleteAt <= Math.ceil(Date.now() / 1000) + 3600, String(deleteAt));

    const cp = await script("cp", [
      "-m",
      "via:cp",
      "-H",
      "Cache-Control: max-age=60",
      `${c}/up/table.csv`,
      `${c}/copy.csv`,
    ]);
    assert.equal(cp.code, 0, cp.stderr);
    const copied = await swiftStat(c, "copy.csv");
    assert.deepEqual([copied["Meta Via"], copied["Meta Project"], copied["Cache-Control"]], [
      "cp",
      "ocean",
      "max-age=60",
    ]);
    assert.equal(copied["X-Delete-At"], String(at), "the source's expiry comes along");
  } finally {
    await dropAll([c]);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("malformed header, metadata and expiry flags are usage errors (exit 2, one line)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "zs-hdrbad-" });
  try {
    for (
      const flags of [
        ["--delete-after", "0"],
        ["--delete-after", "1.5h"],
        ["--delete-at", "2001-01-01"],
        ["--delete-at", "2099-01-01T10:00:00"],
        ["--delete-after", "1h", "--delete-at", "2099-01-01"],
        ["-H", "no colon"],
        ["-H", "Bad_Name: x"],
        ["-m", "novalue"],
      ]
    ) {
      const ran = await script("upload", [...flags, dir, "c"]);
      assert.equal(ran.code, 2, `${flags.join(" ")}: ${ran.stderr}`);
      assert.equal(ran.stderr.trim().split("\n").length, 1, ran.stderr);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an object uploaded with --delete-after 2 is gone once the object expirer has run", async () => {
  const c = uniqueName("expire");
  const dir = await Deno.makeTempDir({ prefix: "zs-expire-" });
  try {
    await writeTree(`${dir}/up`, { "scratch.bin": "short-lived", "stays.txt": "no expiry" });
    const up = await script("upload", [
      "--json",
      "--delete-after",
      "2",
      "--exclude",
      "stays.txt",
      `${dir}/up`,
      c,
    ]);
    assert.equal(up.code, 0, up.stderr);
    assert.equal(summary(up).uploaded, 1);
    assert.equal((await script("upload", ["--include", "stays.txt", `${dir}/up`, c])).code, 0);
    const stat = JSON.parse((await script("stat", ["--json", `${c}/scratch.bin`])).stdout);
    assert.ok(Date.parse(stat.delete_at) <= Date.now() + 3_000, stat.delete_at);

    // Past its time, Swift answers 404 at once, but the listing keeps it until the expirer runs.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const res = await raw("GET", `/${c}/scratch.bin`);
      await res.body?.cancel();
      if (res.status === 404) break;
      assert.ok(Date.now() < deadline, "the object is still served");
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.deepEqual(await names(c), ["scratch.bin", "stays.txt"], "listed until the expirer runs");
    // The expirer finds the object once the container updater has listed its queue (every 30 s here).
    let runs = 0;
    while ((await names(c)).includes("scratch.bin")) {
      assert.ok(Date.now() < deadline, `still listed after ${runs} runs of the expirer`);
      await runExpirer(dir);
      runs++;
      if ((await names(c)).includes("scratch.bin")) await new Promise((r) => setTimeout(r, 2_000));
    }
    assert.ok(runs >= 1);
    assert.deepEqual(await names(c), ["stays.txt"]);
  } finally {
    await dropAll([c]);
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * The benchmark suite (`deno task bench`): starts the local Swift (as the tests do),
 * runs each workload for each contender in the same run, alternating their order
 * round by round, each contender in its own process under GNU time (wall seconds,
 * client CPU seconds, peak RSS). Prints a table and writes bench/results.json and
 * BENCHMARKS.md.
 *
 *   deno task bench [--rounds 3] [--only zarr-write,list] [--quick]
 *
 * Contenders: this library (SwiftStore, scripts/upload.ts, scripts/download.ts), the
 * raw-fetch floor (bench/workers.ts), python-swiftclient's `swift` and rclone (Debian's
 * packages; installed when missing).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { loginTempAuth, PreAuth, SwiftStore } from "../mod.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: { rounds: { type: "string" }, only: { type: "string" }, quick: { type: "boolean" } },
});
const ROUNDS = Number(flags.rounds ?? 3);
const QUICK = Boolean(flags.quick);
const ONLY = flags.only?.split(",");
const ROOT = new URL("..", import.meta.url).pathname;
// File trees live on tmpfs: deleting and re-creating 5,000 files on the disk's filesystem
// costs seconds of system time that grow from run to run, whoever the client is.
const WORK = "/dev/shm/zarrswift-bench";
const BIG_DIR = "/tmp/zarrswift-bench-big";
const SIZES = QUICK
  ? { chunks: 200, files: 500, list: 5_000, delete: 1_000, big: 256 * 2 ** 20, bigSegment: 128 * 2 ** 20 }
  : { chunks: 2_000, files: 5_000, list: 50_000, delete: 10_000, big: 2 * 2 ** 30, bigSegment: 2 ** 30 };
const THREADS = 32;

async function sh(cmd: string[], env: Record<string, string> = {}, cwd?: string): Promise<string> {
  const out = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    env,
    cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    throw new Error(
      `${cmd.slice(0, 3).join(" ")} failed: ${new TextDecoder().decode(out.stderr).slice(-500)}`,
    );
  }
  return new TextDecoder().decode(out.stdout);
}

async function ensurePackages(): Promise<void> {
  const missing = [["/usr/bin/time", "time"], ["/usr/bin/rclone", "rclone"], [
    "/usr/bin/swift",
    "python3-swiftclient",
  ]]
    .filter(([path]) => {
      try {
        Deno.statSync(path);
        return false;
      } catch {
        return true;
      }
    }).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  console.error(`installing ${missing.join(", ")} from Debian`);
  const sudo = Deno.uid() === 0 ? [] : ["sudo"];
  await sh([...sudo, "apt-get", "update", "-qq"]);
  await sh([...sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", ...missing], {
    DEBIAN_FRONTEND: "noninteractive",
    PATH: Deno.env.get("PATH")!,
  });
}

interface Run {
  seconds: number;
  cpu: number;
  rssMiB: number;
  /** CPU seconds Swift's processes and memcached spent during the run. */
  serverCpu: number;
}

/** CPU clock ticks (USER_HZ, 100 on Linux) used so far by each of Swift's servers and memcached. */
async function serverTicks(): Promise<Map<string, number>> {
  const ticks = new Map<string, number>();
  for await (const e of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const args = (await Deno.readTextFile(`/proc/${e.name}/cmdline`)).split("\0");
      if (!/\/swift-(proxy|object|container|account)-/.test(args[1] ?? "") && !/memcached$/.test(args[0])) {
        continue;
      }
      const stat = await Deno.readTextFile(`/proc/${e.name}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks.set(e.name, Number(fields[11]) + Number(fields[12])); // utime, stime
    } catch {
      // The process ended.
    }
  }
  return ticks;
}

/** Waits (up to 20 s) until the machine is idle, so that no run pays for the last one's aftermath. */
async function settle(): Promise<void> {
  const sample = async () => {
    const f = (await Deno.readTextFile("/proc/stat")).split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    return { idle: f[3] + f[4], total: f.reduce((a, b) => a + b, 0) };
  };
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const a = await sample();
    await new Promise((r) => setTimeout(r, 500));
    const b = await sample();
    if ((b.idle - a.idle) / (b.total - a.total) > 0.9) return;
  }
}

/**
 * Runs `cmd` under GNU time once the machine is idle; answers wall seconds, user+sys CPU
 * seconds and peak RSS of the client, and the CPU seconds the server spent meanwhile.
 */
async function measure(cmd: string[], env: Record<string, string>): Promise<Run> {
  await settle();
  const before = await serverTicks();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "TIME %e %U %S %M", ...cmd],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${cmd.slice(0, 4).join(" ")} failed: ${stderr.slice(-800)}`);
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr);
  if (!m) throw new Error(`no timing from ${cmd[0]}: ${stderr.slice(-300)}`);
  return {
    seconds: Number(m[1]),
    cpu: Number(m[2]) + Number(m[3]),
    rssMiB: Number(m[4]) / 1024,
    // A process that ended meanwhile (an updater's sweep) takes its share with it.
    serverCpu: [...(await serverTicks())].reduce((sum, [pid, t]) => sum + t - (before.get(pid) ?? 0), 0) /
      100,
  };
}

interface Contender {
  name: string;
  /** Prepares (untimed), answers the command to time. */
  prepare: (round: number) => Promise<string[]>;
  /** Cleans up (untimed). */
  cleanup?: (round: number) => Promise<void>;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

interface Workload {
  id: string;
  title: string;
  objects: number;
  bytes: number;
  /** The contender every ratio is taken against ("floor"), and the peers. */
  floor: string;
  /** This library's contender. */
  ours: string;
  contenders: Contender[];
  rounds?: number;
  setup?: () => Promise<void>;
  teardown?: () => Promise<void>;
  target: (stats: Record<string, Stats>) => { text: string; met: boolean };
}

interface Stats {
  seconds: number;
  objectsPerSecond: number;
  mibPerSecond: number;
  cpu: number;
  serverCpu: number;
  rssMiB: number;
  runs: Run[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

// ---------------------------------------------------------------------------------

await new Deno.Command("bash", { args: [`${ROOT}dev/swift.sh`, "start"] }).output();
await ensurePackages();
const token = await loginTempAuth({
  authUrl: "http://127.0.0.1:8080/auth/v1.0",
  user: "test:tester",
  key: "testing",
});
const ENV: Record<string, string> = {
  PATH: Deno.env.get("PATH")!,
  HOME: Deno.env.get("HOME") ?? "/root",
  OS_STORAGE_URL: token.storageUrl,
  OS_AUTH_TOKEN: token.token,
  NO_COLOR: "1",
  // rclone's swift remote, with the pre-authenticated token.
  RCLONE_CONFIG_BENCH_TYPE: "swift",
  RCLONE_CONFIG_BENCH_STORAGE_URL: token.storageUrl,
  RCLONE_CONFIG_BENCH_AUTH_TOKEN: token.token,
};
const CONTAINER = `bench-${Date.now().toString(36)}`;
const store = (prefix = "") =>
  SwiftStore.open({
    container: CONTAINER,
    prefix,
    auth: new PreAuth({ storageUrl: token.storageUrl, token: token.token }),
    concurrency: 64,
  });
const admin = await store();
const clear = async (prefix: string) => void await (await store(prefix)).deletePrefix("/");
const deno = Deno.execPath();
const worker = (workload: string, contender: string, prefix: string, n: number, dir = "") => [
  deno,
  "run",
  "-A",
  `${ROOT}bench/workers.ts`,
  workload,
  contender,
  CONTAINER,
  prefix,
  String(n),
  dir,
];
const swift = ["swift", "--os-storage-url", token.storageUrl, "--os-auth-token", token.token];

async function fill(prefix: string, n: number, size = 16): Promise<void> {
  const s = await store(prefix);
  const body = new Uint8Array(size);
  let next = 0;
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < n) await s.set(`/${String(next++).padStart(6, "0")}`, body);
  }));
}

/** Writes a zarr-like tree of `files` files; answers their total size in bytes. */
async function makeTree(dir: string, files: number): Promise<number> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(`${dir}/temperature/c`, { recursive: true });
  const meta = new TextEncoder().encode('{"zarr_format":3,"node_type":"group","attributes":{}}');
  await Deno.writeFile(`${dir}/zarr.json`, meta);
  const chunk = new Uint8Array(4096);
  let bytes = meta.length;
  for (let i = 0; i < files - 1; i++) {
    crypto.getRandomValues(chunk.subarray(0, 64));
    await Deno.writeFile(`${dir}/temperature/c/${i}`, chunk);
    bytes += chunk.length;
  }
  return bytes;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
/**
 * The target "at least 0.9× the floor's speed", with the range of the ratio round by
 * round (the two ran back to back in each round).
 */
function nearFloor(ours: Stats, floor: Stats): { text: string; met: boolean } {
  const x = ratio(ours.objectsPerSecond, floor.objectsPerSecond);
  const xs = ours.runs.map((run, i) => (floor.runs[i] ? floor.runs[i].seconds / run.seconds : Number.NaN));
  return {
    text: `≥ 0.9× floor: ${fmt(x, 3)}× (rounds ${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}×)`,
    met: x >= 0.9,
  };
}
const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : "–");

/** The target "at least 1.5× python-swiftclient's speed and at least rclone's". */
function aheadOfPeers(ours: Stats, swift: Stats, rclone: Stats): { text: string; met: boolean } {
  const a = ratio(ours.objectsPerSecond, swift.objectsPerSecond);
  const b = ratio(ours.objectsPerSecond, rclone.objectsPerSecond);
  return { text: `≥ 1.5× swift: ${fmt(a)}×; ≥ 1× rclone: ${fmt(b)}×`, met: a >= 1.5 && b >= 1 };
}

const workloads: Workload[] = [
  {
    id: "zarr-write",
    title: `zarrita writes of ${SIZES.chunks} chunks of 64 KiB`,
    objects: SIZES.chunks,
    bytes: SIZES.chunks * 65536,
    floor: "raw fetch",
    ours: "SwiftStore",
    // Each contender writes under its own prefix per round, cleared after its run.
    contenders: ([
      ["SwiftStore", "store", "w-store", {}],
      ["raw fetch", "raw", "w-raw", {}],
      // What the MD5 of each chunk (sent as its ETag) costs.
      ["SwiftStore, verify off", "store", "w-noverify", { BENCH_VERIFY: "0" }],
    ] as const).map(([name, contender, prefix, env]) => ({
      name,
      env,
      prepare: (r: number) =>
        Promise.resolve(worker("zarr-write", contender, `${prefix}-${r}`, SIZES.chunks)),
      cleanup: (r: number) => clear(`${prefix}-${r}`),
    })),
    target: (s) => nearFloor(s["SwiftStore"], s["raw fetch"]),
  },
  {
    id: "zarr-read",
    title: `zarrita reads of ${SIZES.chunks} chunks of 64 KiB`,
    objects: SIZES.chunks,
    bytes: SIZES.chunks * 65536,
    floor: "raw fetch",
    ours: "SwiftStore",
    setup: async () => {
      await sh(worker("zarr-write", "store", "r", SIZES.chunks), ENV);
    },
    teardown: () => clear("r"),
    contenders: [
      { name: "SwiftStore", prepare: () => Promise.resolve(worker("zarr-read", "store", "r", SIZES.chunks)) },
      { name: "raw fetch", prepare: () => Promise.resolve(worker("zarr-read", "raw", "r", SIZES.chunks)) },
      {
        // What the MD5 check of each chunk costs.
        name: "SwiftStore, verify off",
        prepare: () => Promise.resolve(worker("zarr-read", "store", "r", SIZES.chunks)),
        env: { BENCH_VERIFY: "0" },
      },
    ],
    target: (s) => nearFloor(s["SwiftStore"], s["raw fetch"]),
  },
  {
    id: "upload",
    title: `uploading a zarr tree of ${SIZES.files} files`,
    objects: SIZES.files,
    bytes: 0,
    floor: "raw fetch",
    ours: "upload.ts",
    setup: async () => {
      workloads.find((w) => w.id === "upload")!.bytes = await makeTree(`${WORK}/tree`, SIZES.files);
    },
    contenders: [
      {
        name: "upload.ts",
        prepare: (r) =>
          Promise.resolve([
            deno,
            "run",
            "-A",
            `${ROOT}scripts/upload.ts`,
            "--json",
            "--concurrency",
            String(THREADS),
            `${WORK}/tree`,
            `${CONTAINER}/up-ours-${r}`,
          ]),
        cleanup: (r) => clear(`up-ours-${r}`),
      },
      {
        name: "swift upload",
        prepare: (r) =>
          Promise.resolve([
            ...swift,
            "upload",
            "--object-threads",
            String(THREADS),
            "--object-name",
            `up-swift-${r}`,
            CONTAINER,
            `${WORK}/tree`,
          ]),
        cleanup: (r) => clear(`up-swift-${r}`),
      },
      {
        name: "rclone copy",
        prepare: (r) =>
          Promise.resolve([
            "rclone",
            "copy",
            "--transfers",
            String(THREADS),
            "--checkers",
            String(THREADS),
            `${WORK}/tree`,
            `bench:${CONTAINER}/up-rclone-${r}`,
          ]),
        cleanup: (r) => clear(`up-rclone-${r}`),
      },
      {
        name: "raw fetch",
        prepare: (r) => Promise.resolve(worker("upload", "raw", `up-raw-${r}`, 0, `${WORK}/tree`)),
        cleanup: (r) => clear(`up-raw-${r}`),
      },
    ],
    target: (s) => aheadOfPeers(s["upload.ts"], s["swift upload"], s["rclone copy"]),
  },
  {
    id: "download",
    title: `downloading a zarr tree of ${SIZES.files} files`,
    objects: SIZES.files,
    bytes: 0,
    floor: "raw fetch",
    ours: "download.ts",
    setup: async () => {
      workloads.find((w) => w.id === "download")!.bytes = await makeTree(`${WORK}/tree`, SIZES.files);
      await sh([deno, "run", "-A", `${ROOT}scripts/upload.ts`, `${WORK}/tree`, `${CONTAINER}/down`], ENV);
    },
    teardown: () => clear("down"),
    contenders: [
      {
        name: "download.ts",
        prepare: () =>
          Promise.resolve([
            deno,
            "run",
            "-A",
            `${ROOT}scripts/download.ts`,
            "--json",
            "--concurrency",
            String(THREADS),
            `${CONTAINER}/down`,
            `${WORK}/d-ours`,
          ]),
        cleanup: () => Deno.remove(`${WORK}/d-ours`, { recursive: true }),
      },
      {
        name: "swift download",
        prepare: () =>
          Promise.resolve([
            ...swift,
            "download",
            "--object-threads",
            String(THREADS),
            "--prefix",
            "down/",
            "--output-dir",
            `${WORK}/d-swift`,
            CONTAINER,
          ]),
        cleanup: () => Deno.remove(`${WORK}/d-swift`, { recursive: true }),
      },
      {
        name: "rclone copy",
        prepare: () =>
          Promise.resolve([
            "rclone",
            "copy",
            "--transfers",
            String(THREADS),
            "--checkers",
            String(THREADS),
            `bench:${CONTAINER}/down`,
            `${WORK}/d-rclone`,
          ]),
        cleanup: () => Deno.remove(`${WORK}/d-rclone`, { recursive: true }),
      },
      {
        name: "raw fetch",
        prepare: () => Promise.resolve(worker("download", "raw", "down", 0, `${WORK}/d-raw`)),
        cleanup: () => Deno.remove(`${WORK}/d-raw`, { recursive: true }),
      },
    ],
    target: (s) => aheadOfPeers(s["download.ts"], s["swift download"], s["rclone copy"]),
  },
  {
    id: "list",
    title: `listing ${SIZES.list} objects`,
    objects: SIZES.list,
    bytes: 0,
    floor: "raw listing",
    ours: "SwiftStore.list",
    setup: () => fill("l", SIZES.list),
    teardown: () => clear("l"),
    contenders: [
      { name: "SwiftStore.list", prepare: () => Promise.resolve(worker("list", "store", "l", 0)) },
      { name: "raw listing", prepare: () => Promise.resolve(worker("list", "raw", "l", 0)) },
    ],
    target: (s) => {
      const x = ratio(s["SwiftStore.list"].seconds, s["raw listing"].seconds);
      return { text: `≤ 1.1× floor's time: ${fmt(x)}×`, met: x <= 1.1 };
    },
  },
  {
    id: "delete",
    title: `deleting ${SIZES.delete} objects`,
    objects: SIZES.delete,
    bytes: 0,
    floor: "DELETE each",
    ours: "deletePrefix",
    rounds: Math.min(ROUNDS, 2),
    contenders: [
      {
        name: "deletePrefix",
        prepare: async (r) => {
          await fill(`del-store-${r}`, SIZES.delete);
          return worker("delete", "store", `del-store-${r}`, 0);
        },
      },
      {
        name: "DELETE each",
        prepare: async (r) => {
          await fill(`del-raw-${r}`, SIZES.delete);
          return worker("delete", "raw", `del-raw-${r}`, 0);
        },
      },
      {
        name: "DELETE one by one",
        prepare: async (r) => {
          await fill(`del-seq-${r}`, SIZES.delete);
          return worker("delete", "sequential", `del-seq-${r}`, 0);
        },
      },
    ],
    target: (s) => {
      const x = ratio(s["deletePrefix"].objectsPerSecond, s["DELETE each"].objectsPerSecond);
      const y = ratio(s["deletePrefix"].objectsPerSecond, s["DELETE one by one"].objectsPerSecond);
      return {
        text: `≥ 10× per-object deletes: ${fmt(x)}× (${THREADS} at a time), ${fmt(y)}× (one by one)`,
        met: x >= 10,
      };
    },
  },
  {
    id: "big",
    title: `uploading one ${SIZES.big / 2 ** 30} GiB file (SLO, ${SIZES.bigSegment / 2 ** 20} MiB segments)`,
    objects: 1,
    bytes: SIZES.big,
    floor: "upload.ts",
    ours: "upload.ts",
    rounds: 1,
    setup: async () => {
      await Deno.mkdir(`${BIG_DIR}`, { recursive: true });
      const file = await Deno.open(`${BIG_DIR}/big.bin`, { write: true, create: true, truncate: true });
      const block = new Uint8Array(8 << 20);
      for (let i = 0; i < block.length; i += 65536) crypto.getRandomValues(block.subarray(i, i + 65536));
      for (let done = 0; done < SIZES.big; done += block.length) await file.write(block);
      file.close();
    },
    teardown: async () => {
      await Deno.remove(`${BIG_DIR}`, { recursive: true });
      await (await SwiftStore.open({
        container: `${CONTAINER}_segments`,
        auth: new PreAuth({ storageUrl: token.storageUrl, token: token.token }),
      })).deletePrefix("/");
    },
    contenders: [
      {
        name: "upload.ts",
        prepare: () =>
          Promise.resolve([
            deno,
            "run",
            "-A",
            `${ROOT}scripts/upload.ts`,
            "--json",
            "--segment-size",
            String(SIZES.bigSegment),
            `${BIG_DIR}`,
            `${CONTAINER}/big-ours`,
          ]),
        cleanup: () => clear("big-ours"),
      },
      {
        name: "swift upload",
        prepare: () =>
          Promise.resolve([
            ...swift,
            "upload",
            "--use-slo",
            "-S",
            String(SIZES.bigSegment),
            "--object-name",
            "big-swift",
            CONTAINER,
            `${BIG_DIR}`,
          ]),
        cleanup: () => clear("big-swift"),
      },
    ],
    target: (s) => ({
      text: `< 256 MiB RSS: ${fmt(s["upload.ts"].rssMiB, 0)} MiB`,
      met: s["upload.ts"].rssMiB < 256,
    }),
  },
];

// ---------------------------------------------------------------------------------

interface Result {
  id: string;
  title: string;
  floor: string;
  ours: string;
  objects: number;
  bytes: number;
  /** Runs of each contender (the median is taken over them). */
  rounds?: number;
  target: { text: string; met: boolean };
  stats: Record<string, Stats>;
}
// With --only, the other workloads keep their figures from the last full run.
const previous: Result[] = ONLY
  ? (JSON.parse(await Deno.readTextFile(`${ROOT}bench/results.json`).catch(() => "{}")).results ?? [])
  : [];
const results: Result[] = [];
await Deno.mkdir(WORK, { recursive: true });
try {
  for (const w of workloads) {
    if (ONLY && !ONLY.includes(w.id)) continue;
    console.error(`== ${w.title}`);
    // Every workload starts on a server without the tombstones of the last one's deletes.
    await sh(["bash", `${ROOT}dev/swift.sh`, "reclaim"]);
    await w.setup?.();
    const runs: Record<string, Run[]> = Object.fromEntries(w.contenders.map((c) => [c.name, []]));
    const rounds = w.rounds ?? ROUNDS;
    for (let r = 0; r < rounds; r++) {
      // Alternate: each round starts with the next contender.
      const order = w.contenders.map((_, i) => w.contenders[(i + r) % w.contenders.length]);
      for (const c of order) {
        const cmd = await c.prepare(r);
        const run = await measure(cmd, { ...ENV, ...c.env });
        runs[c.name].push(run);
        console.error(
          `   ${c.name.padEnd(22)} ${run.seconds.toFixed(2)} s, cpu ${run.cpu.toFixed(2)} s, server ${
            run.serverCpu.toFixed(2)
          } s, ${run.rssMiB.toFixed(0)} MiB`,
        );
        await c.cleanup?.(r);
      }
    }
    await w.teardown?.();
    const stats: Record<string, Stats> = {};
    for (const [name, rs] of Object.entries(runs)) {
      const seconds = median(rs.map((x) => x.seconds));
      stats[name] = {
        seconds,
        objectsPerSecond: w.objects / seconds,
        mibPerSecond: w.bytes / 2 ** 20 / seconds,
        cpu: median(rs.map((x) => x.cpu)),
        serverCpu: median(rs.map((x) => x.serverCpu ?? Number.NaN)),
        rssMiB: Math.max(...rs.map((x) => x.rssMiB)),
        runs: rs,
      };
    }
    results.push({
      id: w.id,
      title: w.title,
      floor: w.floor,
      ours: w.ours,
      objects: w.objects,
      bytes: w.bytes,
      rounds,
      target: w.target(stats),
      stats,
    });
  }
} finally {
  await admin.deletePrefix("/").catch(() => {});
  await fetch(`${token.storageUrl}/${CONTAINER}`, {
    method: "DELETE",
    headers: { "X-Auth-Token": token.token },
  })
    .then((r) => r.body?.cancel()).catch(() => {});
  await fetch(`${token.storageUrl}/${CONTAINER}_segments`, {
    method: "DELETE",
    headers: { "X-Auth-Token": token.token },
  })
    .then((r) => r.body?.cancel()).catch(() => {});
}

// ---------------------------------------------------------------------------------

for (const old of previous) {
  old.floor ??= workloads.find((w) => w.id === old.id)?.floor ?? Object.keys(old.stats)[0];
  old.ours ??= workloads.find((w) => w.id === old.id)?.ours ?? Object.keys(old.stats)[0];
  try {
    old.target = workloads.find((w) => w.id === old.id)?.target(old.stats) ?? old.target;
  } catch {
    // Figures from before a contender was added keep their verdict.
  }
  if (!results.some((r) => r.id === old.id)) results.push(old);
}
results.sort((a, b) => workloads.findIndex((w) => w.id === a.id) - workloads.findIndex((w) => w.id === b.id));
const rows: string[] = [
  "| workload | contender | seconds | objects/s | MiB/s | client CPU s | server CPU s | peak RSS MiB | vs floor | vs each |",
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
];
for (const w of results) {
  const stats = w.stats;
  for (const [name, s] of Object.entries(stats)) {
    const others = Object.entries(stats).filter(([n]) => n !== name)
      .map(([n, o]) => `${fmt(ratio(s.objectsPerSecond, o.objectsPerSecond))}× ${n}`).join(", ");
    rows.push(
      `| ${w.id} | ${name} | ${fmt(s.seconds)} | ${fmt(s.objectsPerSecond, 0)} | ${
        fmt(s.mibPerSecond, 1)
      } | ${fmt(s.cpu)} | ${fmt(s.serverCpu)} | ${fmt(s.rssMiB, 0)} | ${
        fmt(ratio(s.objectsPerSecond, stats[w.floor].objectsPerSecond))
      }× | ${others} |`,
    );
  }
}
const targets = results.map((r) =>
  `| ${r.id} | ${r.title} | ${r.rounds ?? Object.values(r.stats)[0].runs.length} | ${r.target.text} | ${
    r.target.met ? "met" : "missed"
  } |`
);
const table = rows.join("\n");
// The server's CPU per object bounds every client: with all cores serving and a client
// that costs nothing, `objects / (server CPU / cores)` objects a second is the most.
const cores = navigator.hardwareConcurrency;
const ceilings = results.filter((r) => r.objects > 1 && r.stats[r.ours]?.serverCpu > 0).map((r) => {
  const ours = r.stats[r.ours];
  const ceiling = r.objects / (ours.serverCpu / cores);
  const vs = Object.entries(r.stats).filter(([n]) => n !== r.ours)
    .map(([n, o]) => `${fmt(ceiling / o.objectsPerSecond)}× ${n}`).join(", ");
  return `| ${r.id} | ${fmt(ours.serverCpu)} s (${fmt((ours.serverCpu / r.objects) * 1000, 2)} ms) | ${
    fmt(ceiling, 0)
  } | ${fmt((100 * ours.objectsPerSecond) / ceiling, 0)} % | ${vs} |`;
});
console.log(table);
console.log();
console.log(targets.join("\n"));

const version = async (cmd: string[]) => (await sh(cmd).catch(() => "?")).split("\n")[0].trim();
const machine = {
  date: new Date().toISOString(),
  cpu: (await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)?.[1] ?? "?",
  cores: navigator.hardwareConcurrency,
  memoryGiB: Math.round(Deno.systemMemoryInfo().total / 2 ** 30),
  deno: Deno.version.deno,
  swift: await version(["/usr/bin/python3", "-c", "import swift; print(swift.__version__)"]),
  swiftclient: await version([
    "/usr/bin/python3",
    "-c",
    "import swiftclient; print(swiftclient.__version__)",
  ]),
  rclone: await version(["rclone", "version"]),
  rounds: ROUNDS,
  quick: QUICK,
};
await Deno.writeTextFile(
  `${ROOT}bench/results.json`,
  JSON.stringify(
    {
      machine,
      results,
    },
    null,
    2,
  ) + "\n",
);
await Deno.writeTextFile(
  `${ROOT}BENCHMARKS.md`,
  `# Benchmarks

Generated by \`deno task bench\` (bench/run.ts) on ${machine.date.slice(0, 10)}; the raw figures are in
[bench/results.json](bench/results.json). Do not edit by hand: re-run the suite.

## Method

- One run of the suite starts the local Swift (\`dev/swift.sh\`: Swift ${machine.swift}, one replica,
  tempauth, on 127.0.0.1) and runs every workload for every contender, alternating the order of the
  contenders round by round (the rounds of each workload are in the targets table). Figures are medians of
  the rounds; peak RSS is the largest.
- Each contender runs as its own process under GNU time: wall seconds, user+system CPU seconds of the
  client, and its peak RSS. Swift shares the machine's ${machine.cores} cores with the client, so a lean client
  leaves the server more CPU.
- Contenders: this library (SwiftStore with zarrita; \`scripts/upload.ts\` and \`scripts/download.ts\`);
  the raw-HTTP floor (\`bench/workers.ts\`: a minimal pool of \`fetch\` calls at the same concurrency,
  no MD5, no retries; for uploads and downloads it reads or writes the files too, and for deletes there is
  also a loop of one DELETE after another); python-swiftclient ${machine.swiftclient} (\`swift upload/download --object-threads
  ${THREADS}\`); ${machine.rclone} (\`rclone copy --transfers ${THREADS} --checkers ${THREADS}\`, a swift remote
  with the pre-authenticated token). Every client uses a pre-authenticated token: no login is timed.
- Concurrency ${THREADS} for every contender. Setup (creating the objects to list, read or delete) and
  cleanup are not timed. Before each run the suite waits until the machine is idle (under 10 % CPU over
  half a second), so that no run pays for the server's work left over from the one before.
- "SwiftStore, verify off" is this library with \`verify: false\`: what the MD5 of every chunk costs (sent
  as the ETag of each write, checked against the ETag of each read).

## Machine

${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Deno ${machine.deno}.

## Results

${table}

## Targets

| workload | what | rounds | target | |
| --- | --- | ---: | --- | --- |
${targets.join("\n")}

## What the server allows

Swift shares the machine with the client, and a request costs the server CPU whoever sends it. The server CPU
column counts what Swift's processes and memcached spent during each run. Divided over the ${cores} cores it
gives the fastest any client could go, one that costs no CPU at all: the ceiling below. A target above the
ceiling cannot be met by a client on this machine.

| workload | server CPU for this library (per object) | ceiling objects/s | this library reaches | ceiling vs each |
| --- | ---: | ---: | ---: | --- |
${ceilings.join("\n")}
`,
);
// The repository's formatter aligns the tables (and `deno fmt --check` stays clean).
await sh([deno, "fmt", `${ROOT}BENCHMARKS.md`]);
console.error(`wrote bench/results.json and BENCHMARKS.md`);

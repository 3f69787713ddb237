/**
 * The workloads of the benchmark suite: what each prepares (untimed), which contenders
 * it runs and how, what each cleans, and the target its figures are judged by. The list
 * itself needs no server (the report rebuilds verdicts from it); the contenders, setup
 * and teardown take the run's `Session`.
 *
 * Imports: stats.ts, measure.ts (`sh`) and contenders.ts. Nothing else of bench/.
 *
 * @module
 */

import {
  clear,
  type Contender,
  rcloneCopy,
  remote,
  script,
  type Session,
  store,
  swiftCli,
  THREADS,
  worker,
} from "./contenders.ts";
import { sh } from "./measure.ts";
import { fmt, ratio, type Stats, type Target } from "./stats.ts";

// File trees live on tmpfs: deleting and re-creating 5,000 files on the disk's filesystem
// costs seconds of system time that grow from run to run, whoever the client is.
/** Where the workloads' file trees live. */
export const WORK = "/dev/shm/zarrswift-bench";
const BIG_DIR = "/tmp/zarrswift-bench-big";

/** How much each workload moves. */
export interface Sizes {
  chunks: number;
  files: number;
  list: number;
  delete: number;
  big: number;
  bigSegment: number;
}

/** The sizes of a full run, or of a `--quick` one. */
export function sizes(quick: boolean): Sizes {
  return quick
    ? { chunks: 200, files: 500, list: 5_000, delete: 1_000, big: 256 * 2 ** 20, bigSegment: 128 * 2 ** 20 }
    : { chunks: 2_000, files: 5_000, list: 50_000, delete: 10_000, big: 2 * 2 ** 30, bigSegment: 2 ** 30 };
}

/** One workload. */
export interface Workload {
  id: string;
  title: string;
  objects: number;
  /** The bytes a run moves (0 where the setup answers them). */
  bytes: number;
  /** The contender every ratio is taken against ("floor"), and the peers. */
  floor: string;
  /** This library's contender. */
  ours: string;
  /** Rounds, when not the suite's. */
  rounds?: number;
  contenders: (s: Session) => Contender[];
  /** Prepares the workload (untimed); answers the bytes a run moves when only then known. */
  setup?: (s: Session) => Promise<number | void>;
  teardown?: (s: Session) => Promise<void>;
  target: (stats: Record<string, Stats>) => Target;
}

/** Writes `n` objects of `size` bytes under `prefix`, 64 at a time. */
async function fill(s: Session, prefix: string, n: number, size = 16): Promise<void> {
  const st = await store(s, prefix);
  const body = new Uint8Array(size);
  let next = 0;
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < n) await st.set(`/${String(next++).padStart(6, "0")}`, body);
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

/** Writes a file of `bytes` random bytes at `path`. */
async function makeBigFile(path: string, bytes: number): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const block = new Uint8Array(8 << 20);
  for (let i = 0; i < block.length; i += 65536) crypto.getRandomValues(block.subarray(i, i + 65536));
  for (let done = 0; done < bytes; done += block.length) await file.write(block);
  file.close();
}

/**
 * The target "at least 0.9× the floor's speed", with the range of the ratio round by
 * round (the two ran back to back in each round).
 */
function nearFloor(ours: Stats, floor: Stats): Target {
  const x = ratio(ours.objectsPerSecond, floor.objectsPerSecond);
  const xs = ours.runs.map((run, i) => (floor.runs[i] ? floor.runs[i].seconds / run.seconds : Number.NaN));
  return {
    text: `≥ 0.9× floor: ${fmt(x, 3)}× (rounds ${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}×)`,
    met: x >= 0.9,
  };
}

/** The target "at least 1.5× python-swiftclient's speed and at least rclone's". */
function aheadOfPeers(ours: Stats, swift: Stats, rclone: Stats): Target {
  const a = ratio(ours.objectsPerSecond, swift.objectsPerSecond);
  const b = ratio(ours.objectsPerSecond, rclone.objectsPerSecond);
  return { text: `≥ 1.5× swift: ${fmt(a)}×; ≥ 1× rclone: ${fmt(b)}×`, met: a >= 1.5 && b >= 1 };
}

/** A contender: its name, where it writes (a prefix or a directory), its command for that place, its environment. */
type Row = [name: string, place: string, command: (place: string) => string[], env?: Record<string, string>];

/** Contenders that each write under their own prefix per round (`<place>-<round>`), cleared after the run. */
function ownPrefix(s: Session, rows: Row[]): Contender[] {
  return rows.map(([name, prefix, command, env]) => ({
    name,
    env,
    prepare: (r) => command(`${prefix}-${r}`),
    cleanup: (r) => clear(s, `${prefix}-${r}`),
  }));
}

/** Contenders that each write into their own directory below WORK, removed after the run. */
function ownDir(rows: Row[]): Contender[] {
  return rows.map(([name, dir, command, env]) => ({
    name,
    env,
    prepare: () => command(`${WORK}/${dir}`),
    cleanup: () => Deno.remove(`${WORK}/${dir}`, { recursive: true }),
  }));
}

/** What the MD5 of each chunk costs (sent as its ETag, checked against the ETag read). */
const VERIFY_OFF = { BENCH_VERIFY: "0" };

/** The workloads, in the order they run and are reported, at `size` with `rounds` rounds. */
export function workloads(size: Sizes, rounds: number): Workload[] {
  const tree = `${WORK}/tree`;
  const threads = String(THREADS);
  // Both zarr workloads move the same chunks and are judged against the same floor.
  const zarrChunks = {
    objects: size.chunks,
    bytes: size.chunks * 65536,
    floor: "raw fetch",
    ours: "SwiftStore",
    target: (s: Record<string, Stats>) => nearFloor(s["SwiftStore"], s["raw fetch"]),
  };
  return [
    {
      id: "zarr-write",
      title: `zarrita writes of ${size.chunks} chunks of 64 KiB`,
      ...zarrChunks,
      contenders: (s) =>
        ownPrefix(s, [
          ["SwiftStore", "w-store", (p) => worker(s, "zarr-write", "store", p, size.chunks)],
          ["raw fetch", "w-raw", (p) => worker(s, "zarr-write", "raw", p, size.chunks)],
          ["SwiftStore, verify off", "w-noverify", (p) =>
            worker(s, "zarr-write", "store", p, size.chunks), VERIFY_OFF],
        ]),
    },
    {
      id: "zarr-read",
      title: `zarrita reads of ${size.chunks} chunks of 64 KiB`,
      ...zarrChunks,
      setup: async (s) => void await sh(worker(s, "zarr-write", "store", "r", size.chunks), s.env),
      teardown: (s) => clear(s, "r"),
      contenders: (s) =>
        ([
          ["SwiftStore", "store", undefined],
          ["raw fetch", "raw", undefined],
          ["SwiftStore, verify off", "store", VERIFY_OFF],
        ] as const).map(([name, contender, env]) => ({
          name,
          env,
          prepare: () => worker(s, "zarr-read", contender, "r", size.chunks),
        })),
    },
    {
      id: "upload",
      title: `uploading a zarr tree of ${size.files} files`,
      objects: size.files,
      bytes: 0,
      floor: "raw fetch",
      ours: "upload.ts",
      setup: () => makeTree(tree, size.files),
      contenders: (s) =>
        ownPrefix(s, [
          ["upload.ts", "up-ours", (p) =>
            script("upload", "--json", "--concurrency", threads, tree, `${s.container}/${p}`)],
          ["swift upload", "up-swift", (p) =>
            swiftCli(s, "upload", "--object-threads", threads, "--object-name", p, s.container, tree)],
          ["rclone copy", "up-rclone", (p) =>
            rcloneCopy(tree, remote(s, p))],
          ["raw fetch", "up-raw", (p) =>
            worker(s, "upload", "raw", p, 0, tree)],
        ]),
      target: (s) => aheadOfPeers(s["upload.ts"], s["swift upload"], s["rclone copy"]),
    },
    {
      id: "download",
      title: `downloading a zarr tree of ${size.files} files`,
      objects: size.files,
      bytes: 0,
      floor: "raw fetch",
      ours: "download.ts",
      setup: async (s) => {
        const bytes = await makeTree(tree, size.files);
        await sh(script("upload", tree, `${s.container}/down`), s.env);
        return bytes;
      },
      teardown: (s) => clear(s, "down"),
      contenders: (s) =>
        ownDir([
          ["download.ts", "d-ours", (d) =>
            script("download", "--json", "--concurrency", threads, `${s.container}/down`, d)],
          ["swift download", "d-swift", (d) =>
            swiftCli(
              s,
              "download",
              "--object-threads",
              threads,
              "--prefix",
              "down/",
              "--output-dir",
              d,
              s.container,
            )],
          ["rclone copy", "d-rclone", (d) =>
            rcloneCopy(remote(s, "down"), d)],
          ["raw fetch", "d-raw", (d) =>
            worker(s, "download", "raw", "down", 0, d)],
        ]),
      target: (s) => aheadOfPeers(s["download.ts"], s["swift download"], s["rclone copy"]),
    },
    {
      id: "list",
      title: `listing ${size.list} objects`,
      objects: size.list,
      bytes: 0,
      floor: "raw listing",
      ours: "SwiftStore.list",
      setup: (s) => fill(s, "l", size.list),
      teardown: (s) => clear(s, "l"),
      contenders: (s) =>
        ([["SwiftStore.list", "store"], ["raw listing", "raw"]] as const).map(([name, contender]) => ({
          name,
          prepare: () => worker(s, "list", contender, "l", 0),
        })),
      target: (s) => {
        const x = ratio(s["SwiftStore.list"].seconds, s["raw listing"].seconds);
        return { text: `≤ 1.1× floor's time: ${fmt(x)}×`, met: x <= 1.1 };
      },
    },
    {
      id: "delete",
      title: `deleting ${size.delete} objects`,
      objects: size.delete,
      bytes: 0,
      floor: "DELETE each",
      ours: "deletePrefix",
      rounds: Math.min(rounds, 2),
      // Each contender deletes its own objects, written before its run.
      contenders: (s) =>
        ([
          ["deletePrefix", "store", "del-store"],
          ["DELETE each", "raw", "del-raw"],
          ["DELETE one by one", "sequential", "del-seq"],
        ] as const).map(([name, contender, prefix]) => ({
          name,
          prepare: async (r) => {
            await fill(s, `${prefix}-${r}`, size.delete);
            return worker(s, "delete", contender, `${prefix}-${r}`, 0);
          },
        })),
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
      title: `uploading one ${size.big / 2 ** 30} GiB file (SLO, ${size.bigSegment / 2 ** 20} MiB segments)`,
      objects: 1,
      bytes: size.big,
      floor: "upload.ts",
      ours: "upload.ts",
      rounds: 1,
      setup: async () => {
        await Deno.mkdir(BIG_DIR, { recursive: true });
        await makeBigFile(`${BIG_DIR}/big.bin`, size.big);
      },
      teardown: async (s) => {
        await Deno.remove(BIG_DIR, { recursive: true });
        await clear(s, "", `${s.container}_segments`);
      },
      contenders: (s) => [
        {
          name: "upload.ts",
          prepare: () =>
            script(
              "upload",
              "--json",
              "--segment-size",
              String(size.bigSegment),
              BIG_DIR,
              `${s.container}/big-ours`,
            ),
          cleanup: () => clear(s, "big-ours"),
        },
        {
          name: "swift upload",
          prepare: () =>
            swiftCli(
              s,
              "upload",
              "--use-slo",
              "-S",
              String(size.bigSegment),
              "--object-name",
              "big-swift",
              s.container,
              BIG_DIR,
            ),
          cleanup: () => clear(s, "big-swift"),
        },
      ],
      target: (s) => ({
        text: `< 256 MiB RSS: ${fmt(s["upload.ts"].rssMiB, 0)} MiB`,
        met: s["upload.ts"].rssMiB < 256,
      }),
    },
  ];
}

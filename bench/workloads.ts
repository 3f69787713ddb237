/**
 * The workloads of the benchmark suite: what each prepares (untimed), which contenders
 * it runs and how, what each cleans, and the target its figures are judged by at each
 * round-trip time. The list itself needs no server (the report rebuilds verdicts from
 * it); the contenders, setup and teardown take the run's `Session` (whose `rtt` says
 * whether the contenders go through a latency proxy).
 *
 * Imports: stats.ts, measure.ts (`sh`), contenders.ts, fixtures.ts and targets.ts.
 *
 * @module
 */

import {
  ADAPTIVE_CEILING,
  adaptiveScript,
  clear,
  type Contender,
  rcloneCopy,
  remote,
  script,
  type Session,
  swiftCli,
  THREADS,
  worker,
} from "./contenders.ts";
import { fill, makeBigFile, makeHierarchy, makeTree, WORK } from "./fixtures.ts";
import { sh } from "./measure.ts";
import { fmt, type Stats, type Target } from "./stats.ts";
import {
  adaptiveTarget,
  all,
  beside,
  consolidatedTarget,
  deleteTarget,
  listingBound,
  nearFloor,
  transferTarget,
  withinFloor,
} from "./targets.ts";

export { WORK } from "./fixtures.ts";
const BIG_DIR = "/tmp/zarrswift-bench-big";

/** How much each workload moves. */
export interface Sizes {
  chunks: number;
  /** Chunks of the concurrency sweep. */
  sweep: number;
  files: number;
  list: number;
  delete: number;
  /** Arrays of the hierarchy to open. */
  arrays: number;
  big: number;
  bigSegment: number;
}

/** The sizes of a full run, a `--quick` one, or a `--tiny` one (the CI smoke test). */
export function sizes(mode: "full" | "quick" | "tiny"): Sizes {
  const MiB = 2 ** 20;
  return {
    full: {
      chunks: 2_000,
      sweep: 2_000,
      files: 5_000,
      list: 50_000,
      delete: 10_000,
      arrays: 50,
      big: 2048 * MiB,
      bigSegment: 1024 * MiB,
    },
    quick: {
      chunks: 200,
      sweep: 1_000,
      files: 500,
      list: 5_000,
      delete: 1_000,
      arrays: 50,
      big: 256 * MiB,
      bigSegment: 128 * MiB,
    },
    tiny: {
      chunks: 20,
      sweep: 40,
      files: 30,
      list: 300,
      delete: 100,
      arrays: 5,
      big: 8 * MiB,
      bigSegment: 4 * MiB,
    },
  }[mode];
}

/** The concurrencies of the sweep. */
export const SWEEP = [8, 16, 32, 64, 128];

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
  /** Whether it also runs through a link (default true; false: loopback only). */
  wan?: boolean;
  contenders: (s: Session) => Contender[];
  /** Prepares the workload (untimed, on the loopback); answers the bytes a run moves when only then known. */
  setup?: (s: Session) => Promise<number | void>;
  teardown?: (s: Session) => Promise<void>;
  /** The verdict on the figures of one round-trip time (ms; 0 is the loopback). */
  target: (stats: Record<string, Stats>, rtt: number) => Target;
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

/**
 * The raw floor plus what any verified zarr read must also do (check each chunk's MD5,
 * copy its values into the array answered): tells that work from the store's own cost.
 */
const ZARR_WORK = "raw fetch, MD5 checked, into an array";

/** A bench/workers.ts store at `n` requests in flight. */
const AT = (n: number) => ({ BENCH_CONCURRENCY: String(n) });

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
  const fixed = SWEEP.map((n) => `SwiftStore ×${n}`);
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
      target: (s) => all(zarrChunks.target(s), beside(s["SwiftStore"], s[ZARR_WORK], `vs ${ZARR_WORK}`)),
      setup: async (s) => void await sh(worker(s, "zarr-write", "store", "r", size.chunks), s.direct.env),
      teardown: (s) => clear(s, "r"),
      contenders: (s) =>
        ([
          ["SwiftStore", "store", undefined],
          ["raw fetch", "raw", undefined],
          ["SwiftStore, verify off", "store", VERIFY_OFF],
          [ZARR_WORK, "work", undefined],
        ] as const).map(([name, contender, env]) => ({
          name,
          env,
          prepare: () => worker(s, "zarr-read", contender, "r", size.chunks),
        })),
    },
    {
      id: "zarr-sweep",
      title: `zarrita reads of ${size.sweep} chunks of 64 KiB at ${SWEEP.join(", ")} in flight, and adaptive`,
      objects: size.sweep,
      bytes: size.sweep * 65536,
      floor: "SwiftStore ×32",
      ours: "SwiftStore adaptive",
      setup: async (s) => void await sh(worker(s, "zarr-write", "store", "sw", size.sweep), s.direct.env),
      teardown: (s) => clear(s, "sw"),
      contenders: (s) => [
        ...SWEEP.map((n) => ({
          name: `SwiftStore ×${n}`,
          env: AT(n),
          prepare: () => worker(s, "zarr-read", "store", "sw", size.sweep),
        })),
        {
          name: "SwiftStore adaptive",
          env: AT(ADAPTIVE_CEILING),
          prepare: () => worker(s, "zarr-read", "store", "sw", size.sweep, "", true),
        },
      ],
      target: (s) => adaptiveTarget(s, "SwiftStore adaptive", fixed),
    },
    {
      id: "open-hierarchy",
      title: `opening a v3 hierarchy of ${size.arrays} arrays and reading one value from each`,
      objects: size.arrays,
      bytes: 0,
      floor: "zarr.open.v3",
      ours: "consolidated",
      setup: (s) => makeHierarchy(s, "h", size.arrays),
      teardown: (s) => clear(s, "h"),
      contenders: (s) =>
        ([["zarr.open", "auto"], ["zarr.open.v3", "v3"], ["consolidated", "consolidated"]] as const).map((
          [name, contender],
        ) => ({ name, prepare: () => worker(s, "open-hierarchy", contender, "h", size.arrays) })),
      target: (s) => consolidatedTarget(s["consolidated"], s["zarr.open.v3"], size.arrays),
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
          ["upload.ts ×128", "up-128", (p) =>
            script("upload", "--json", "--concurrency", "128", tree, `${s.container}/${p}`)],
          ["upload.ts adaptive", "up-adapt", (p) =>
            adaptiveScript("upload", "--json", tree, `${s.container}/${p}`)],
          ["upload.ts (defaults)", "up-ours-d", (p) =>
            script("upload", "--json", tree, `${s.container}/${p}`)],
          ["swift upload (defaults)", "up-swift-d", (p) =>
            swiftCli(s, "upload", "--object-name", p, s.container, tree)],
          ["rclone copy (defaults)", "up-rclone-d", (p) =>
            rcloneCopy(tree, remote(s, p), true)],
        ]),
      target: (s, rtt) => transferTarget(s, rtt, "upload.ts", "swift upload", size.files, [2, 2.5]),
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
        await sh(script("upload", tree, `${s.container}/down`), s.direct.env);
        return bytes;
      },
      teardown: (s) => clear(s, "down"),
      contenders: (s) => {
        const swift = (d: string, ...threads: string[]) =>
          swiftCli(s, "download", ...threads, "--prefix", "down/", "--output-dir", d, s.container);
        const from = `${s.container}/down`;
        return ownDir([
          ["download.ts", "d-ours", (d) => script("download", "--json", "--concurrency", threads, from, d)],
          ["swift download", "d-swift", (d) => swift(d, "--object-threads", threads)],
          ["rclone copy", "d-rclone", (d) => rcloneCopy(remote(s, "down"), d)],
          ["raw fetch", "d-raw", (d) => worker(s, "download", "raw", "down", 0, d)],
          ["download.ts ×128", "d-128", (d) => script("download", "--json", "--concurrency", "128", from, d)],
          ["download.ts adaptive", "d-adapt", (d) => adaptiveScript("download", "--json", from, d)],
          ["download.ts (defaults)", "d-ours-d", (d) => script("download", "--json", from, d)],
          ["swift download (defaults)", "d-swift-d", (d) => swift(d)],
          ["rclone copy (defaults)", "d-rclone-d", (d) => rcloneCopy(remote(s, "down"), d, true)],
        ]);
      },
      target: (s, rtt) => transferTarget(s, rtt, "download.ts", "swift download", size.files, [1.3, 2]),
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
      contenders: (s) => [
        ...([["SwiftStore.list", "store"], ["raw listing", "raw"]] as const).map(([name, contender]) => ({
          name,
          prepare: () => worker(s, "list", contender, "l", 0),
        })),
        // The server's time: the same listing on the loopback, in the same run.
        ...(s.rtt > 0
          ? [{
            name: "raw listing, loopback",
            env: s.direct.env,
            prepare: () => worker(s, "list", "raw", "l", 0),
          }]
          : []),
      ],
      target: (s, rtt) =>
        rtt === 0
          ? withinFloor(s["SwiftStore.list"], s["raw listing"], 1.1)
          : listingBound(s["SwiftStore.list"], s["raw listing, loopback"], size.list, rtt),
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
      contenders: (s) => {
        const rows: [string, (p: string) => string[]][] = [
          ["deletePrefix", (p) => worker(s, "delete", "store", p, 0)],
          ["DELETE each", (p) => worker(s, "delete", "raw", p, 0)],
          [
            "swift delete",
            (p) => swiftCli(s, "delete", "--object-threads", threads, "--prefix", `${p}/`, s.container),
          ],
        ];
        // One DELETE after another only on the loopback: 10,000 round trips of 100 ms are 17 minutes.
        if (s.rtt === 0) rows.push(["DELETE one by one", (p) => worker(s, "delete", "sequential", p, 0)]);
        return rows.map(([name, command], i) => ({
          name,
          prepare: async (r) => {
            await fill(s, `del${i}-${r}`, size.delete);
            return command(`del${i}-${r}`);
          },
          cleanup: (r) => clear(s, `del${i}-${r}`),
        }));
      },
      target: (s) =>
        deleteTarget(
          s["deletePrefix"],
          ["DELETE each", "DELETE one by one"].filter((n) => s[n]).map((n) => s[n]),
          s["DELETE each"],
          s["swift delete"],
        ),
    },
    {
      id: "big",
      title: `uploading one ${
        size.big >= 2 ** 30 ? `${size.big / 2 ** 30} GiB` : `${size.big / 2 ** 20} MiB`
      } file (SLO, ${size.bigSegment / 2 ** 20} MiB segments)`,
      objects: 1,
      bytes: size.big,
      floor: "upload.ts",
      ours: "upload.ts",
      rounds: 1,
      wan: false,
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

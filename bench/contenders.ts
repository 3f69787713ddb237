/**
 * The contenders and how each is invoked: this library (SwiftStore in bench/workers.ts,
 * scripts/upload.ts, scripts/download.ts), the raw-fetch floor (bench/workers.ts),
 * python-swiftclient's `swift` and rclone (Debian's packages; installed when missing).
 * Also the session every contender shares: one pre-authenticated token, one container,
 * the environment each process runs with.
 *
 * Imports: ../mod.ts (the public module) and measure.ts. Nothing else of bench/.
 *
 * @module
 */

import { loginTempAuth, PreAuth, SwiftStore } from "../mod.ts";
import { ROOT, sh } from "./measure.ts";

/** The concurrency of every contender. */
export const THREADS = 32;

/** One contender of one workload. */
export interface Contender {
  name: string;
  /** Prepares (untimed), answers the command to time. */
  prepare: (round: number) => string[] | Promise<string[]>;
  /** Cleans up (untimed). */
  cleanup?: (round: number) => Promise<void>;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/** What every contender of a run of the suite shares. */
export interface Session {
  storageUrl: string;
  token: string;
  /** The container every workload writes in (created by `connect`). */
  container: string;
  /** The environment of every timed process: the token for each client, rclone's `bench:` remote. */
  env: Record<string, string>;
}

/** Installs GNU time, rclone and python-swiftclient from Debian when they are missing. */
export async function ensurePackages(): Promise<void> {
  const needed = [["/usr/bin/time", "time"], ["/usr/bin/rclone", "rclone"], [
    "/usr/bin/swift",
    "python3-swiftclient",
  ]];
  const missing = needed.filter(([path]) => {
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

/** Logs in to the local Swift (TempAuth) and creates a fresh container; answers the session. */
export async function connect(): Promise<Session> {
  const { storageUrl, token } = await loginTempAuth({
    authUrl: "http://127.0.0.1:8080/auth/v1.0",
    user: "test:tester",
    key: "testing",
  });
  const session: Session = {
    storageUrl,
    token,
    container: `bench-${Date.now().toString(36)}`,
    env: {
      PATH: Deno.env.get("PATH")!,
      HOME: Deno.env.get("HOME") ?? "/root",
      OS_STORAGE_URL: storageUrl,
      OS_AUTH_TOKEN: token,
      NO_COLOR: "1",
      // rclone's swift remote, with the pre-authenticated token.
      RCLONE_CONFIG_BENCH_TYPE: "swift",
      RCLONE_CONFIG_BENCH_STORAGE_URL: storageUrl,
      RCLONE_CONFIG_BENCH_AUTH_TOKEN: token,
    },
  };
  // The workers open the container with createContainer: false.
  await store(session);
  return session;
}

/** A store on `prefix` of the session's container (or of `container`), for setup and cleanup. */
export function store(s: Session, prefix = "", container = s.container): Promise<SwiftStore> {
  return SwiftStore.open({
    container,
    prefix,
    auth: new PreAuth({ storageUrl: s.storageUrl, token: s.token }),
    concurrency: 64,
  });
}

/** Deletes every object under `prefix` of the session's container (or of `container`). */
export async function clear(s: Session, prefix: string, container = s.container): Promise<void> {
  await (await store(s, prefix, container)).deletePrefix("/");
}

/** Empties and deletes the session's container and its `_segments` container; never fails. */
export async function dropContainers(s: Session): Promise<void> {
  await clear(s, "").catch(() => {});
  for (const container of [s.container, `${s.container}_segments`]) {
    await fetch(`${s.storageUrl}/${container}`, { method: "DELETE", headers: { "X-Auth-Token": s.token } })
      .then((r) => r.body?.cancel()).catch(() => {});
  }
}

/** This library's store, or the raw-fetch floor: one run of bench/workers.ts. */
export function worker(
  s: Session,
  workload: string,
  contender: "store" | "raw" | "sequential",
  prefix: string,
  n: number,
  dir = "",
): string[] {
  return [
    Deno.execPath(),
    "run",
    "-A",
    `${ROOT}bench/workers.ts`,
    workload,
    contender,
    s.container,
    prefix,
    String(n),
    dir,
  ];
}

/** This library's command-line scripts: `deno run -A scripts/<name>.ts <args>`. */
export function script(name: "upload" | "download", ...args: string[]): string[] {
  return [Deno.execPath(), "run", "-A", `${ROOT}scripts/${name}.ts`, ...args];
}

/** python-swiftclient's `swift <args>`, with the session's token. */
export function swiftCli(s: Session, ...args: string[]): string[] {
  return ["swift", "--os-storage-url", s.storageUrl, "--os-auth-token", s.token, ...args];
}

/** `rclone copy` at the suite's concurrency; `from` and `to` are local paths or `remote` names. */
export function rcloneCopy(from: string, to: string): string[] {
  return ["rclone", "copy", "--transfers", String(THREADS), "--checkers", String(THREADS), from, to];
}

/** rclone's name for `path` in the session's container (through the `bench:` remote of `env`). */
export function remote(s: Session, path: string): string {
  return `bench:${s.container}/${path}`;
}

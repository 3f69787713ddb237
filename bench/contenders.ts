/**
 * The contenders and how each is invoked: this library (SwiftStore in bench/workers.ts,
 * scripts/upload.ts, scripts/download.ts), the raw-fetch floor (bench/workers.ts),
 * python-swiftclient's `swift` and rclone (Debian's packages; installed when missing).
 * Also the session every contender shares: one pre-authenticated token, one container,
 * the environment each process runs with.
 *
 * At a round-trip time above 0 the contenders reach Swift through a latency proxy
 * (link.ts): their storage URL is the one TempAuth answers to a login through it. Setup
 * and cleanup (never timed) always take the loopback.
 *
 * Imports: ../mod.ts (the public module), measure.ts and link.ts. Nothing else of bench/.
 *
 * @module
 */

import { loginTempAuth, SwiftStore, TempAuth } from "../mod.ts";
import type { Link } from "./link.ts";
import { ROOT, sh } from "./measure.ts";

/** The concurrency of every contender (but those at their defaults and the sweep's). */
export const THREADS = 32;

/** The store's concurrency under the adaptive limit, which then sets the real one (bench/adaptive.ts). */
export const ADAPTIVE_CEILING = 256;

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

/** What every contender of a run of the suite at one round-trip time shares. */
export interface Session {
  /** The storage URL of the contenders: through the link at an RTT above 0. */
  storageUrl: string;
  token: string;
  /** The container every workload writes in (created by `connect`). */
  container: string;
  /** The environment of every timed process: the token for each client, rclone's `bench:` remote. */
  env: Record<string, string>;
  /** Round-trip time added by the link, in ms (0: loopback, no link). */
  rtt: number;
  link?: Link;
  /** The loopback's storage URL and environment, for setup and cleanup. */
  direct: { storageUrl: string; env: Record<string, string> };
}

/** The environment of a timed process reaching `storageUrl` with `token`. */
function envFor(storageUrl: string, token: string): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH")!,
    HOME: Deno.env.get("HOME") ?? "/root",
    OS_STORAGE_URL: storageUrl,
    OS_AUTH_TOKEN: token,
    NO_COLOR: "1",
    // rclone's swift remote, with the pre-authenticated token.
    RCLONE_CONFIG_BENCH_TYPE: "swift",
    RCLONE_CONFIG_BENCH_STORAGE_URL: storageUrl,
    RCLONE_CONFIG_BENCH_AUTH_TOKEN: token,
  };
}

/** Installs GNU time, and rclone and python-swiftclient unless `peers` is false, from Debian when missing. */
export async function ensurePackages(peers = true): Promise<void> {
  const needed = [["/usr/bin/time", "time"], ["/usr/bin/rclone", "rclone"], [
    "/usr/bin/swift",
    "python3-swiftclient",
  ]].slice(0, peers ? 3 : 1);
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

/**
 * A TempAuth login as test:tester whose token has answered a HEAD on the account. Right
 * after memcached restarted (tests do that), a proxy worker's first memcached call fails on
 * a pooled connection to the old one, and when that call stored a login's token the token
 * is refused at first use: such a login is made again, up to 5 times.
 */
async function login(authUrl: string): Promise<{ storageUrl: string; token: string }> {
  for (let attempt = 1;; attempt++) {
    const creds = await loginTempAuth({ authUrl, user: "test:tester", key: "testing" });
    const res = await fetch(creds.storageUrl, { method: "HEAD", headers: { "X-Auth-Token": creds.token } });
    await res.body?.cancel();
    if (res.ok) return creds;
    if (res.status !== 401 || attempt === 5) {
      throw new Error(`Expected 2xx from HEAD on the account after a login, found ${res.status}`);
    }
  }
}

/** Logs in to the local Swift (TempAuth) and creates a fresh container; answers the session. */
export async function connect(): Promise<Session> {
  const { storageUrl, token } = await login("http://127.0.0.1:8080/auth/v1.0");
  const env = envFor(storageUrl, token);
  const session: Session = {
    storageUrl,
    token,
    container: `bench-${Date.now().toString(36)}`,
    env,
    rtt: 0,
    direct: { storageUrl, env },
  };
  // The workers open the container with createContainer: false.
  await store(session);
  return session;
}

/** The session `base` as its contenders see it through `link`: a login through the link. */
export async function throughLink(base: Session, link: Link): Promise<Session> {
  const { storageUrl, token } = await login(`http://127.0.0.1:${link.port}/auth/v1.0`);
  if (new URL(storageUrl).port !== String(link.port)) {
    throw new Error(`Expected a storage URL through port ${link.port}, found ${storageUrl}`);
  }
  return { ...base, storageUrl, token, env: envFor(storageUrl, token), rtt: link.rtt, link };
}

/**
 * Logs in again when the sessions' token no longer works (a test elsewhere restarted the
 * shared memcached, where TempAuth keeps its tokens), updating each session in place.
 * Answers whether it had to.
 */
export async function renewIfExpired(sessions: Session[]): Promise<boolean> {
  const [base] = sessions;
  const res = await fetch(base.direct.storageUrl, {
    method: "HEAD",
    headers: { "X-Auth-Token": base.token },
  });
  await res.body?.cancel();
  if (res.status !== 401) return false;
  for (const s of sessions) {
    const authUrl = s.link ? `http://127.0.0.1:${s.link.port}/auth/v1.0` : "http://127.0.0.1:8080/auth/v1.0";
    const { storageUrl, token } = await login(authUrl);
    Object.assign(s, { storageUrl, token, env: envFor(storageUrl, token) });
    s.direct = {
      storageUrl: s.direct.storageUrl,
      env: { ...s.direct.env, ...envFor(s.direct.storageUrl, token) },
    };
  }
  return true;
}

/** A store on `prefix` of the session's container (or of `container`), for setup and cleanup (loopback). */
export function store(s: Session, prefix = "", container = s.container): Promise<SwiftStore> {
  return SwiftStore.open({
    container,
    prefix,
    // A TempAuth login (not the session's token), renewed on a 401: tests elsewhere restart the shared
    // memcached, where TempAuth keeps its tokens.
    auth: new TempAuth({ authUrl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" }),
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
    await fetch(`${s.direct.storageUrl}/${container}`, {
      method: "DELETE",
      headers: { "X-Auth-Token": s.token },
    })
      .then((r) => r.body?.cancel()).catch(() => {});
  }
}

/**
 * This library's store, or the raw-fetch floor: one run of bench/workers.ts (under the
 * adaptive limit of bench/adaptive.ts when `adaptive`; set its store's bound to
 * `ADAPTIVE_CEILING` with BENCH_CONCURRENCY).
 */
export function worker(
  s: Session,
  workload: string,
  contender: "store" | "raw" | "work" | "sequential" | "v3" | "auto" | "consolidated",
  prefix: string,
  n: number,
  dir = "",
  adaptive = false,
): string[] {
  return [
    Deno.execPath(),
    "run",
    "-A",
    ...(adaptive ? ["--preload", `${ROOT}bench/adaptive_preload.ts`] : []),
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

/**
 * A script of this library under the adaptive limit (bench/adaptive_preload.ts replaces the
 * global `fetch` before the script starts; the script's own bound is raised to `ADAPTIVE_CEILING`).
 */
export function adaptiveScript(name: "upload" | "download", ...args: string[]): string[] {
  return [
    Deno.execPath(),
    "run",
    "-A",
    "--preload",
    `${ROOT}bench/adaptive_preload.ts`,
    `${ROOT}scripts/${name}.ts`,
    "--concurrency",
    String(ADAPTIVE_CEILING),
    ...args,
  ];
}

/** python-swiftclient's `swift <args>`, with the session's token. */
export function swiftCli(s: Session, ...args: string[]): string[] {
  return ["swift", "--os-storage-url", s.storageUrl, "--os-auth-token", s.token, ...args];
}

/** `rclone copy` at the suite's concurrency (or at rclone's defaults); `from` and `to` are local paths or `remote` names. */
export function rcloneCopy(from: string, to: string, defaults = false): string[] {
  const threads = defaults ? [] : ["--transfers", String(THREADS), "--checkers", String(THREADS)];
  // One attempt (default 3): a run that fails is retried by the suite, after a new login if need be.
  return ["rclone", "copy", "--retries", "1", ...threads, from, to];
}

/** rclone's name for `path` in the session's container (through the `bench:` remote of `env`). */
export function remote(s: Session, path: string): string {
  return `bench:${s.container}/${path}`;
}

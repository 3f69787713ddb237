/**
 * Test helpers for the local Swift started by `dev/swift.sh start` (the `test` task
 * does that first). Nothing here skips: when Swift is absent, the first login fails
 * and so does every integration test.
 */

import { loginTempAuth, type SwiftStoreOptions, TempAuth, type Token } from "../mod.ts";
import { SwiftStore } from "../mod.ts";

const port = Deno.env.get("ZARRSWIFT_SWIFT_PORT") ?? "8080";
/** The local TempAuth endpoint. */
export const AUTH_URL = `http://127.0.0.1:${port}/auth/v1.0`;

/** The TempAuth users that dev/swift.sh configures. */
export const USERS = {
  tester: { user: "test:tester", key: "testing" }, // .admin of account test
  tester2: { user: "test:tester2", key: "testing2" }, // account test, no admin
  tester3: { user: "test2:tester3", key: "testing3" }, // .admin of account test2
} as const;

/** Who to log in as. */
export type Who = keyof typeof USERS;

/** A TempAuth provider for a test user. */
export function tempAuth(who: Who = "tester", fetchImpl?: typeof fetch): TempAuth {
  return new TempAuth({ authUrl: AUTH_URL, ...USERS[who], fetch: fetchImpl });
}

/** A fresh token for a test user. */
export function login(who: Who = "tester"): Promise<Token> {
  return loginTempAuth({ authUrl: AUTH_URL, ...USERS[who] });
}

/** A container name no other test uses. */
export function uniqueName(label: string): string {
  return `zs-${label}-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A raw request to the account as a test user (for checks that bypass the store). */
export async function raw(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string; who?: Who } = {},
): Promise<Response> {
  const { storageUrl, token } = await login(init.who ?? "tester");
  return await fetch(storageUrl + path, {
    method,
    headers: { "X-Auth-Token": token, ...init.headers },
    body: init.body,
  });
}

/** Deletes a container with everything in it (as tester). */
export async function dropContainer(container: string): Promise<void> {
  const store = await SwiftStore.open({ container, auth: tempAuth(), createContainer: false }).catch(() =>
    undefined
  );
  if (!store) return;
  await store.deletePrefix("/");
  const res = await raw("DELETE", `/${encodeURIComponent(container)}`);
  await res.body?.cancel();
}

/**
 * Runs `fn` with a store over a new container (as tester unless `auth` is given),
 * then deletes the container.
 */
export async function withStore(
  fn: (store: SwiftStore) => Promise<void>,
  options: Partial<SwiftStoreOptions> & { label?: string } = {},
): Promise<void> {
  const { label = "t", ...rest } = options;
  const container = uniqueName(label);
  const store = await SwiftStore.open({ container, auth: tempAuth(), ...rest });
  try {
    await fn(store);
  } finally {
    await dropContainer(container);
  }
}

/** Restarts memcached, which drops every TempAuth token: a real token expiry. */
export async function restartMemcached(): Promise<void> {
  const script = new URL("../dev/swift.sh", import.meta.url).pathname;
  const out = await new Deno.Command("bash", { args: [script, "restart-memcached"], stderr: "piped" })
    .output();
  if (!out.success) throw new Error(`restart-memcached failed: ${new TextDecoder().decode(out.stderr)}`);
}

/** Bytes of text. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text);
}

/** `n` random bytes (getRandomValues gives at most 64 KiB a call). */
export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

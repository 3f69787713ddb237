/**
 * {@link authFromEnv}: credentials from the environment variables python-swiftclient
 * and openstackclient read.
 *
 * @module
 */

import type { ConnectionOptions } from "../http/options.ts";
import { KeystoneAuth } from "./keystone.ts";
import { PreAuth } from "./preauth.ts";
import type { AuthProvider } from "./provider.ts";
import { TempAuth } from "./tempauth.ts";

/**
 * The environment variables {@link authFromEnv} reads, by name.
 *
 * @example Keystone from openstackclient's variables
 * ```ts
 * import assert from "node:assert/strict";
 * import { authFromEnv, type Environment, KeystoneAuth } from "@zarrswift/store";
 *
 * const env: Environment = {
 *   OS_AUTH_URL: "https://keystone.example.org:5000",
 *   OS_USERNAME: "alice",
 *   OS_PASSWORD: "secret",
 *   OS_PROJECT_NAME: "climate",
 * };
 * const auth = authFromEnv(env); // nothing is sent before the first request
 * assert.ok(auth instanceof KeystoneAuth);
 * const authUrl = "https://keystone.example.org:5000/v3"; // "/v3" added
 * assert.deepEqual(auth.toJSON(), { authUrl, user: "alice", project: "climate" });
 * ```
 */
export type Environment = Record<string, string | undefined>;

function processEnv(): Environment | undefined {
  // `process` exists in Node, Bun and Deno 2; browsers have no environment.
  const proc = (globalThis as { process?: { env?: Environment } }).process;
  return proc?.env;
}

/**
 * Picks credentials from the environment variables python-swiftclient and
 * openstackclient read: `OS_STORAGE_URL` + `OS_AUTH_TOKEN` ({@link PreAuth}) first,
 * then `ST_AUTH` + `ST_USER` + `ST_KEY` ({@link TempAuth}), then `OS_AUTH_URL` with a
 * password (`OS_USERNAME` or `OS_USER_ID`, `OS_PASSWORD`, `OS_USER_DOMAIN_NAME`,
 * `OS_PROJECT_NAME` or `OS_PROJECT_ID`, `OS_PROJECT_DOMAIN_NAME`) or an application
 * credential (`OS_APPLICATION_CREDENTIAL_ID` or `_NAME`, `_SECRET`) for Keystone v3,
 * with `OS_REGION_NAME` and `OS_INTERFACE`. Reads the process environment when `env`
 * is not given; throws a `TypeError` naming the variables when none are set.
 * Logins go through `connection` (its `fetch`, retries and timeout): a store passes
 * its own.
 *
 * @param env The variables to read (default: the process environment, where there is one).
 * @param connection How logins are sent: `fetch`, retries, timeout.
 * @returns A {@link PreAuth}, {@link TempAuth} or {@link KeystoneAuth}; nothing is sent yet.
 * @throws {TypeError} When no complete set of variables is there (the message names those
 * found), or `OS_INTERFACE` is not public, internal or admin.
 *
 * @example TempAuth from `ST_AUTH`, `ST_USER` and `ST_KEY`
 * ```ts
 * import assert from "node:assert/strict";
 * import { authFromEnv, TempAuth } from "@zarrswift/store";
 *
 * const auth = authFromEnv({
 *   ST_AUTH: "http://127.0.0.1:8080/auth/v1.0",
 *   ST_USER: "test:tester",
 *   ST_KEY: "testing",
 * });
 * assert.ok(auth instanceof TempAuth);
 * assert.equal(JSON.stringify(auth), '{"authUrl":"http://127.0.0.1:8080/auth/v1.0","user":"test:tester"}');
 * ```
 *
 * @example A token you already have comes first
 * ```ts
 * import assert from "node:assert/strict";
 * import { authFromEnv, PreAuth } from "@zarrswift/store";
 *
 * const auth = authFromEnv({
 *   OS_STORAGE_URL: "http://127.0.0.1:8080/v1/AUTH_test",
 *   OS_AUTH_TOKEN: "AUTH_tk0123456789",
 *   ST_AUTH: "http://127.0.0.1:8080/auth/v1.0",
 *   ST_USER: "test:tester",
 *   ST_KEY: "testing",
 * });
 * assert.ok(auth instanceof PreAuth);
 * ```
 *
 * @example An incomplete environment is a TypeError naming what it found
 * ```ts
 * import assert from "node:assert/strict";
 * import { authFromEnv } from "@zarrswift/store";
 *
 * assert.throws(() => authFromEnv({ ST_AUTH: "http://127.0.0.1:8080/auth/v1.0" }), /found only ST_AUTH/);
 * ```
 */
export function authFromEnv(
  env: Environment | undefined = processEnv(),
  connection: ConnectionOptions = {},
): AuthProvider {
  const get = (name: string) => {
    const value = env?.[name];
    return value === undefined || value === "" ? undefined : value;
  };
  const storageUrl = get("OS_STORAGE_URL");
  const token = get("OS_AUTH_TOKEN");
  if (storageUrl && token) return new PreAuth({ storageUrl, token });
  const authUrl = get("ST_AUTH");
  const user = get("ST_USER");
  const key = get("ST_KEY");
  if (authUrl && user && key) return new TempAuth({ ...connection, authUrl, user, key });
  const keystoneUrl = get("OS_AUTH_URL");
  if (keystoneUrl && (get("OS_PASSWORD") || get("OS_APPLICATION_CREDENTIAL_SECRET") || token)) {
    const iface = get("OS_INTERFACE")?.replace(/URL$/, "");
    if (iface !== undefined && !["public", "internal", "admin"].includes(iface)) {
      throw new TypeError(
        `Expected OS_INTERFACE to be public, internal or admin, found ${JSON.stringify(iface)}`,
      );
    }
    return new KeystoneAuth({
      ...connection,
      authUrl: keystoneUrl,
      ...(get("OS_APPLICATION_CREDENTIAL_SECRET")
        ? {
          applicationCredentialId: get("OS_APPLICATION_CREDENTIAL_ID"),
          applicationCredentialName: get("OS_APPLICATION_CREDENTIAL_NAME"),
          applicationCredentialSecret: get("OS_APPLICATION_CREDENTIAL_SECRET"),
          username: get("OS_USERNAME"),
          userId: get("OS_USER_ID"),
          userDomainName: get("OS_USER_DOMAIN_NAME"),
          userDomainId: get("OS_USER_DOMAIN_ID"),
        }
        : {
          ...(get("OS_PASSWORD") ? { password: get("OS_PASSWORD") } : { token }),
          username: get("OS_USERNAME"),
          userId: get("OS_USER_ID"),
          userDomainName: get("OS_USER_DOMAIN_NAME") ?? (get("OS_USER_DOMAIN_ID") ? undefined : "Default"),
          userDomainId: get("OS_USER_DOMAIN_ID"),
          projectName: get("OS_PROJECT_NAME") ?? get("OS_TENANT_NAME"),
          projectId: get("OS_PROJECT_ID") ?? get("OS_TENANT_ID"),
          projectDomainName: get("OS_PROJECT_DOMAIN_NAME") ??
            (get("OS_PROJECT_DOMAIN_ID") ? undefined : "Default"),
          projectDomainId: get("OS_PROJECT_DOMAIN_ID"),
        }),
      region: get("OS_REGION_NAME"),
      interface: iface as "public" | "internal" | "admin" | undefined,
    });
  }
  const names = [
    "OS_STORAGE_URL",
    "OS_AUTH_TOKEN",
    "ST_AUTH",
    "ST_USER",
    "ST_KEY",
    "OS_AUTH_URL",
    "OS_USERNAME",
    "OS_PASSWORD",
    "OS_APPLICATION_CREDENTIAL_ID",
    "OS_APPLICATION_CREDENTIAL_SECRET",
  ];
  const partial = names.filter(get);
  throw new TypeError(
    "Expected Swift credentials in the environment: OS_STORAGE_URL and OS_AUTH_TOKEN, " +
      "or ST_AUTH, ST_USER and ST_KEY, or OS_AUTH_URL with OS_PASSWORD or " +
      `OS_APPLICATION_CREDENTIAL_SECRET (Keystone); found ${
        partial.length ? `only ${partial.join(", ")}` : "none of them"
      }`,
  );
}

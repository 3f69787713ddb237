/**
 * Authentication providers: {@link TempAuth} (user/key against a TempAuth v1.0
 * endpoint, re-authenticating when a token is refused), {@link PreAuth} (a storage
 * URL and a token you already have) and {@link authFromEnv}, which reads the same
 * environment variables as python-swiftclient.
 *
 * Secrets live in `#private` fields: they never appear in `JSON.stringify`,
 * `console.log` or any error message.
 *
 * @example
 * ```ts
 * import { authFromEnv, PreAuth, TempAuth } from "@zarrswift/store";
 * const temp = new TempAuth({
 *   authUrl: "http://127.0.0.1:8080/auth/v1.0",
 *   user: "test:tester",
 *   key: "testing",
 * });
 * const pre = new PreAuth({ storageUrl: "http://127.0.0.1:8080/v1/AUTH_test", token: "AUTH_tk…" });
 * const fromEnv = authFromEnv({ ST_AUTH: "http://127.0.0.1:8080/auth/v1.0", ST_USER: "test:tester", ST_KEY: "testing" });
 * ```
 * @module
 */

import { AuthError } from "./errors.ts";
import { KeystoneAuth } from "./keystone.ts";
import { RenewingAuth } from "./renewing_auth.ts";
import { exchange, throwForStatus } from "./http.ts";
import { retrying, type RetryPolicy, retryPolicy } from "./retry.ts";

/**
 * What a request needs to reach the account: its storage URL and a token.
 *
 * @example
 * ```ts
 * import type { Credentials } from "@zarrswift/store";
 * const creds: Credentials = { storageUrl: "http://127.0.0.1:8080/v1/AUTH_test", token: "AUTH_tk…" };
 * ```
 */
export interface Credentials {
  /** The account's storage URL, e.g. `https://swift.example.org/v1/AUTH_project`. */
  readonly storageUrl: string;
  /** The token sent as `X-Auth-Token`; `undefined` for anonymous access. */
  readonly token: string | undefined;
  /** Query parameters added to every object request (a prefix TempURL's signature), without `?`. */
  readonly query?: string;
}

/**
 * A source of credentials. `credentials()` answers the current ones (logging in when
 * needed); `refresh(rejected)` is called after a 401 with the credentials the server
 * refused and answers new ones, or `undefined` when this provider cannot
 * re-authenticate. Concurrent callers share one login.
 *
 * @example
 * ```ts
 * import type { AuthProvider, Credentials } from "@zarrswift/store";
 * const fixed: AuthProvider = {
 *   credentials: () => Promise.resolve({ storageUrl: "http://127.0.0.1:8080/v1/AUTH_test", token: undefined }),
 *   refresh: () => Promise.resolve(undefined),
 * };
 * ```
 */
export interface AuthProvider {
  /** The current credentials, logging in first when there are none. */
  credentials(signal?: AbortSignal): Promise<Credentials>;
  /** New credentials after `rejected` got a 401, or `undefined` when it cannot re-authenticate. */
  refresh(rejected: Credentials, signal?: AbortSignal): Promise<Credentials | undefined>;
  /** What to tell the user when `refresh` cannot help (ends the {@link AuthError} message). */
  readonly cannotRefresh?: string;
}

/**
 * Options of {@link TempAuth}.
 *
 * @example
 * ```ts
 * import type { TempAuthOptions } from "@zarrswift/store";
 * const options: TempAuthOptions = { authUrl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" };
 * ```
 */
export interface TempAuthOptions {
  /** The v1.0 auth endpoint, e.g. `https://swift.dkrz.de/auth/v1.0` (`ST_AUTH`). */
  authUrl: string;
  /** `account:user` (`ST_USER`). */
  user: string;
  /** The user's key (`ST_KEY`). */
  key: string;
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
  /** How logins are retried and timed out (default: {@link DEFAULT_RETRY_POLICY}). */
  retry?: Partial<RetryPolicy>;
}

/**
 * The answer of a TempAuth login.
 *
 * @example
 * ```ts
 * import type { Token } from "@zarrswift/store";
 * const t: Token = { storageUrl: "http://127.0.0.1:8080/v1/AUTH_test", token: "AUTH_tk…", expiresAt: undefined };
 * ```
 */
export interface Token extends Credentials {
  /** The token. */
  readonly token: string;
  /** When the token expires, from `X-Auth-Token-Expires`, when the server says. */
  readonly expiresAt: Date | undefined;
}

/**
 * Logs in once against a TempAuth (v1.0) endpoint and answers the storage URL, the
 * token and its expiry.
 *
 * @example
 * ```ts ignore
 * import { loginTempAuth } from "@zarrswift/store";
 * const { storageUrl, expiresAt } = await loginTempAuth({
 *   authUrl: "http://127.0.0.1:8080/auth/v1.0",
 *   user: "test:tester",
 *   key: "testing",
 * });
 * ```
 */
export function loginTempAuth(options: TempAuthOptions, signal?: AbortSignal): Promise<Token> {
  const policy = retryPolicy(options.retry);
  const target = { method: "GET", what: `Logging in as ${options.user} at`, target: options.authUrl };
  const headers = { "X-Auth-User": options.user, "X-Auth-Key": options.key };
  return retrying(policy, signal, () =>
    exchange(
      options.fetch ?? ((input, init) => fetch(input, init)),
      options.authUrl,
      { headers },
      { ...target, timeout: policy.timeout, signal },
      async (res) => {
        if (res.status === 401 || res.status === 403) {
          await res.body?.cancel();
          throw new AuthError(
            `${target.what} ${options.authUrl} failed with ${res.status}: the user or key is wrong`,
            { status: res.status, method: "GET", path: options.authUrl },
          );
        }
        if (!res.ok) return await throwForStatus(res, target, AuthError);
        await res.body?.cancel();
        const storageUrl = res.headers.get("X-Storage-Url");
        const token = res.headers.get("X-Auth-Token") ?? res.headers.get("X-Storage-Token");
        if (!storageUrl || !token) {
          throw new AuthError(
            `Expected X-Storage-Url and X-Auth-Token from a TempAuth v1.0 endpoint at ${options.authUrl}, found ${res.status} without them`,
            { status: res.status, method: "GET", path: options.authUrl },
          );
        }
        const seconds = Number(res.headers.get("X-Auth-Token-Expires"));
        const lifetime = res.headers.has("X-Auth-Token-Expires") && Number.isFinite(seconds)
          ? seconds * 1000
          : undefined;
        const expiresAt = lifetime === undefined ? undefined : new Date(Date.now() + lifetime);
        return { storageUrl: storageUrl.replace(/\/+$/, ""), token, expiresAt };
      },
    ));
}

/**
 * Gets a token for a TempAuth user (zarr-swiftstore's `acquire_token`): the storage
 * URL, the token and when it expires. Treat the token as a password.
 *
 * @example
 * ```ts ignore
 * import { acquireToken } from "@zarrswift/store";
 * const { storageUrl, token, expiresAt } = await acquireToken({
 *   authUrl: "http://127.0.0.1:8080/auth/v1.0",
 *   user: "test:tester",
 *   key: "testing",
 * });
 * ```
 */
export function acquireToken(options: TempAuthOptions, signal?: AbortSignal): Promise<Token> {
  return loginTempAuth(options, signal);
}

/**
 * TempAuth (v1.0) user/key authentication, as `swift -A … -U … -K …`. Logs in on
 * first use, logs in again shortly before the token expires and whenever the server
 * refuses the token (401); concurrent requests share one login.
 *
 * @example
 * ```ts
 * import { TempAuth } from "@zarrswift/store";
 * const auth = new TempAuth({
 *   authUrl: "http://127.0.0.1:8080/auth/v1.0",
 *   user: "test:tester",
 *   key: "testing",
 * });
 * ```
 */
export class TempAuth extends RenewingAuth {
  /** The auth endpoint. */
  readonly authUrl: string;
  /** The `account:user` name. */
  readonly user: string;
  #key: string;
  #fetch: typeof fetch | undefined;
  #retry: Partial<RetryPolicy> | undefined;

  /** Creates the provider; nothing is sent until credentials are first needed. */
  constructor(options: TempAuthOptions) {
    super();
    for (const name of ["authUrl", "user", "key"] as const) {
      if (typeof options?.[name] !== "string" || options[name] === "") {
        throw new TypeError(`Expected TempAuth option "${name}" to be a non-empty string`);
      }
    }
    this.authUrl = options.authUrl;
    this.user = options.user;
    this.#key = options.key;
    this.#fetch = options.fetch;
    this.#retry = options.retry;
  }

  /** Logs in at the TempAuth endpoint. */
  protected login(signal?: AbortSignal): Promise<Token> {
    return loginTempAuth(
      { authUrl: this.authUrl, user: this.user, key: this.#key, fetch: this.#fetch, retry: this.#retry },
      signal,
    );
  }

  /** Shows the endpoint and user, never the key or token. */
  toJSON(): { authUrl: string; user: string } {
    return { authUrl: this.authUrl, user: this.user };
  }
}

/**
 * Options of {@link PreAuth}.
 *
 * @example
 * ```ts
 * import type { PreAuthOptions } from "@zarrswift/store";
 * const options: PreAuthOptions = { storageUrl: "http://127.0.0.1:8080/v1/AUTH_test", token: "AUTH_tk…" };
 * ```
 */
export interface PreAuthOptions {
  /** The account's storage URL (`OS_STORAGE_URL`). */
  storageUrl: string;
  /** A token obtained elsewhere (`OS_AUTH_TOKEN`); omit for anonymous access. */
  token?: string;
}

/**
 * A storage URL and a token you already have (`OS_STORAGE_URL` + `OS_AUTH_TOKEN`).
 * It cannot log in again: when the server refuses the token, requests fail with an
 * {@link AuthError} saying the token expired or is invalid.
 *
 * @example
 * ```ts
 * import { PreAuth } from "@zarrswift/store";
 * const auth = new PreAuth({ storageUrl: "http://127.0.0.1:8080/v1/AUTH_test", token: "AUTH_tk…" });
 * ```
 */
export class PreAuth implements AuthProvider {
  /** The account's storage URL. */
  readonly storageUrl: string;
  #token: string | undefined;

  /** Creates the provider. */
  constructor(options: PreAuthOptions) {
    if (typeof options?.storageUrl !== "string" || options.storageUrl === "") {
      throw new TypeError('Expected PreAuth option "storageUrl" to be a non-empty string');
    }
    if (options.token !== undefined && (typeof options.token !== "string" || options.token === "")) {
      throw new TypeError('Expected PreAuth option "token" to be a non-empty string when given');
    }
    this.storageUrl = options.storageUrl.replace(/\/+$/, "");
    this.#token = options.token;
  }

  /** The storage URL and token given. */
  credentials(): Promise<Credentials> {
    return Promise.resolve({ storageUrl: this.storageUrl, token: this.#token });
  }

  /** Ends the error message when the server refuses the token. */
  readonly cannotRefresh: string =
    "the pre-authenticated token has expired or is invalid and cannot be renewed here: get a new one";

  /** Always `undefined`: a pre-authenticated token cannot be renewed here. */
  refresh(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  /** Shows the storage URL, never the token. */
  toJSON(): { storageUrl: string } {
    return { storageUrl: this.storageUrl };
  }
}

/** The environment variables {@link authFromEnv} reads, by name. */
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
 *
 * @example
 * ```ts
 * import { authFromEnv } from "@zarrswift/store";
 * const auth = authFromEnv({
 *   ST_AUTH: "http://127.0.0.1:8080/auth/v1.0",
 *   ST_USER: "test:tester",
 *   ST_KEY: "testing",
 * });
 * ```
 */
export function authFromEnv(env: Environment | undefined = processEnv()): AuthProvider {
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
  if (authUrl && user && key) return new TempAuth({ authUrl, user, key });
  const keystoneUrl = get("OS_AUTH_URL");
  if (keystoneUrl && (get("OS_PASSWORD") || get("OS_APPLICATION_CREDENTIAL_SECRET") || token)) {
    const iface = get("OS_INTERFACE")?.replace(/URL$/, "");
    if (iface !== undefined && !["public", "internal", "admin"].includes(iface)) {
      throw new TypeError(
        `Expected OS_INTERFACE to be public, internal or admin, found ${JSON.stringify(iface)}`,
      );
    }
    return new KeystoneAuth({
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

/**
 * The `storage_options` that zarr-swiftstore (python-swiftclient's `Connection`)
 * accepts, for code ported from Python.
 *
 * @example
 * ```ts
 * import type { StorageOptions } from "@zarrswift/store";
 * const pre: StorageOptions = { preauthurl: "http://127.0.0.1:8080/v1/AUTH_test", preauthtoken: "AUTH_tk…" };
 * const temp: StorageOptions = { authurl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" };
 * ```
 */
export interface StorageOptions {
  /** Pre-authenticated storage URL. */
  preauthurl?: string;
  /** Pre-authenticated token. */
  preauthtoken?: string;
  /** TempAuth endpoint. */
  authurl?: string;
  /** TempAuth `account:user`. */
  user?: string;
  /** TempAuth key. */
  key?: string;
  /** Only `"1"`/`"1.0"` (TempAuth) is understood. */
  auth_version?: string | number;
}

const STORAGE_OPTION_NAMES = new Set([
  "preauthurl",
  "preauthtoken",
  "authurl",
  "user",
  "key",
  "auth_version",
]);

/**
 * Turns zarr-swiftstore's `storage_options` into a provider.
 *
 * @example
 * ```ts
 * import { authFromStorageOptions } from "@zarrswift/store";
 * const auth = authFromStorageOptions({ authurl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" });
 * ```
 */
export function authFromStorageOptions(options: StorageOptions): AuthProvider {
  const unknown = Object.keys(options ?? {}).filter((name) => !STORAGE_OPTION_NAMES.has(name));
  if (unknown.length) {
    throw new TypeError(
      `Expected storageOptions among ${[...STORAGE_OPTION_NAMES].join(", ")}, found ${unknown.join(", ")}`,
    );
  }
  if (options.auth_version !== undefined && !["1", "1.0"].includes(String(options.auth_version))) {
    throw new TypeError(
      `Expected storageOptions.auth_version "1.0" (TempAuth), found ${JSON.stringify(options.auth_version)}`,
    );
  }
  if (options.preauthurl) {
    return new PreAuth({ storageUrl: options.preauthurl, token: options.preauthtoken });
  }
  if (options.authurl && options.user && options.key) {
    return new TempAuth({ authUrl: options.authurl, user: options.user, key: options.key });
  }
  throw new TypeError(
    "Expected storageOptions with preauthurl (and preauthtoken), or authurl, user and key",
  );
}

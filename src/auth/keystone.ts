/**
 * {@link KeystoneAuth}: OpenStack Identity (Keystone) v3 authentication, for the
 * clouds that do not use TempAuth. Password, application credential or an existing
 * token; the object-store endpoint comes from the service catalog (by region and
 * interface) unless `storageUrl` overrides it. Logs in again before `expires_at` and
 * on 401, one login shared by concurrent requests.
 *
 * @example A password login scoped to a project
 * ```ts
 * import assert from "node:assert/strict";
 * import { KeystoneAuth } from "@zarrswift/store";
 *
 * const auth = new KeystoneAuth({
 *   authUrl: "https://keystone.example.org:5000/v3",
 *   username: "alice",
 *   password: "secret",
 *   userDomainName: "Default",
 *   projectName: "climate",
 *   projectDomainName: "Default",
 *   region: "RegionOne",
 * });
 * // Nothing is sent until a store needs credentials; the password never shows.
 * const shown = { authUrl: "https://keystone.example.org:5000/v3", user: "alice", project: "climate" };
 * assert.equal(JSON.stringify(auth), JSON.stringify(shown));
 * ```
 * @module
 */

import { requestOnce } from "../http/once.ts";
import { type ConnectionOptions, fetchOf, policyOf } from "../http/options.ts";
import { parseJson, throwForStatus } from "../http/response.ts";
import type { RetryPolicy } from "../http/retry.ts";
import { AuthError } from "../util/errors.ts";
import { type CatalogEntry, objectStoreEndpoint } from "./catalog.ts";
import type { Token } from "./provider.ts";
import { RenewingAuth } from "./renewing.ts";
import { checkStorageUrl } from "./storage_url.ts";

/**
 * Options of {@link KeystoneAuth}: one way to authenticate (a password, an
 * application credential, or a token), a scope for passwords and tokens, and where
 * the object store is.
 *
 * @example An application credential (it carries its own project)
 * ```ts
 * import assert from "node:assert/strict";
 * import { KeystoneAuth, type KeystoneAuthOptions } from "@zarrswift/store";
 *
 * const appCred: KeystoneAuthOptions = {
 *   authUrl: "https://keystone.example.org:5000",
 *   applicationCredentialId: "21dced0fd20347869b93710d2b98aae0",
 *   applicationCredentialSecret: "secret",
 * };
 * assert.equal(new KeystoneAuth(appCred).authUrl, "https://keystone.example.org:5000/v3");
 * ```
 */
export interface KeystoneAuthOptions extends ConnectionOptions {
  /** The identity endpoint, e.g. `https://keystone.example.org:5000/v3` (`/v3` is added when missing). */
  authUrl: string;
  /** User name (with `userDomainName` or `userDomainId`). */
  username?: string;
  /** User ID (instead of `username`). */
  userId?: string;
  /** The user's password. */
  password?: string;
  /** Domain of the user, by name. */
  userDomainName?: string;
  /** Domain of the user, by ID. */
  userDomainId?: string;
  /** Project to scope to, by name (with a project domain). */
  projectName?: string;
  /** Project to scope to, by ID. */
  projectId?: string;
  /** Domain of the project, by name. */
  projectDomainName?: string;
  /** Domain of the project, by ID. */
  projectDomainId?: string;
  /** Application credential ID. */
  applicationCredentialId?: string;
  /** Application credential name (with the user's name or ID). */
  applicationCredentialName?: string;
  /** Application credential secret. */
  applicationCredentialSecret?: string;
  /** An existing token to scope (or re-scope). It cannot be renewed once it expires. */
  token?: string;
  /** Region of the object-store endpoint (default: the only or first one). */
  region?: string;
  /** Interface of the endpoint (default `"public"`). */
  interface?: "public" | "internal" | "admin";
  /**
   * Accept an `http` object-store endpoint from an `https` Keystone (default `false`:
   * refused, as the token would then travel in clear; loopback `http` is accepted).
   */
  allowInsecureStorageUrl?: boolean;
  /** Use this storage URL instead of the catalog's. */
  storageUrl?: string;
  /**
   * How logins are retried and timed out.
   *
   * @deprecated Use the {@link ConnectionOptions} fields (`retries`, `timeout`,
   * `onRetry`, `backoff`); they win over this.
   */
  retry?: Partial<RetryPolicy>;
}

/**
 * Keystone v3 authentication (password, application credential, or token), with the
 * storage URL from the service catalog.
 *
 * @example An application credential, with the object store of one region
 * ```ts
 * import assert from "node:assert/strict";
 * import { KeystoneAuth } from "@zarrswift/store";
 *
 * const auth = new KeystoneAuth({
 *   authUrl: "http://127.0.0.1:5000/v3",
 *   applicationCredentialId: "21dced0fd20347869b93710d2b98aae0",
 *   applicationCredentialSecret: "secret",
 *   region: "RegionOne",
 * });
 * assert.deepEqual(auth.toJSON(), {
 *   authUrl: "http://127.0.0.1:5000/v3",
 *   user: "21dced0fd20347869b93710d2b98aae0",
 *   project: undefined,
 * });
 * ```
 *
 * @example Incomplete options are refused before any request
 * ```ts
 * import assert from "node:assert/strict";
 * import { KeystoneAuth } from "@zarrswift/store";
 *
 * const authUrl = "https://keystone.example.org:5000/v3";
 * // A user name without its domain:
 * assert.throws(() => new KeystoneAuth({ authUrl, username: "alice", password: "secret" }), TypeError);
 * // Two ways to authenticate at once:
 * assert.throws(() => new KeystoneAuth({ authUrl, userId: "u1", password: "p", token: "t" }), TypeError);
 * ```
 */
export class KeystoneAuth extends RenewingAuth {
  /** The identity endpoint (ending in `/v3`). */
  readonly authUrl: string;
  #options: KeystoneAuthOptions;

  /**
   * Creates the provider; nothing is sent until credentials are first needed.
   *
   * @param options The endpoint, one way to authenticate, the scope, and where the object
   * store is.
   * @throws {TypeError} When `authUrl` is missing, there is not exactly one way to
   * authenticate, or a name lacks its domain.
   */
  constructor(options: KeystoneAuthOptions) {
    super();
    if (typeof options?.authUrl !== "string" || options.authUrl === "") {
      throw new TypeError('Expected KeystoneAuth option "authUrl" to be a non-empty string');
    }
    const methods = [
      options.password !== undefined,
      options.applicationCredentialSecret !== undefined,
      options.token !== undefined,
    ].filter(Boolean).length;
    if (methods !== 1) {
      throw new TypeError(
        "Expected exactly one way to authenticate: password (with username or userId), applicationCredentialSecret (with applicationCredentialId or Name), or token",
      );
    }
    if (options.password !== undefined && !options.username && !options.userId) {
      throw new TypeError("Expected username or userId with the password");
    }
    if (options.username && !options.userId && !options.userDomainName && !options.userDomainId) {
      throw new TypeError("Expected userDomainName or userDomainId with username");
    }
    if (options.applicationCredentialSecret !== undefined && !options.applicationCredentialId) {
      if (!options.applicationCredentialName || (!options.username && !options.userId)) {
        throw new TypeError(
          "Expected applicationCredentialId, or applicationCredentialName with username or userId",
        );
      }
    }
    if (options.projectName && !options.projectDomainName && !options.projectDomainId) {
      throw new TypeError("Expected projectDomainName or projectDomainId with projectName");
    }
    this.authUrl = options.authUrl.replace(/\/+$/, "").replace(/(\/v3)?$/, "/v3");
    this.#options = { ...options };
  }

  #body(): unknown {
    const o = this.#options;
    const domain = (name?: string, id?: string) => (id ? { id } : name ? { name } : undefined);
    const user = o.userId
      ? { id: o.userId }
      : o.username
      ? { name: o.username, domain: domain(o.userDomainName, o.userDomainId) }
      : undefined;
    let identity: unknown;
    if (o.applicationCredentialSecret !== undefined) {
      identity = {
        methods: ["application_credential"],
        application_credential: o.applicationCredentialId
          ? { id: o.applicationCredentialId, secret: o.applicationCredentialSecret }
          : { name: o.applicationCredentialName, user, secret: o.applicationCredentialSecret },
      };
      // Application credentials carry their own scope.
      return { auth: { identity } };
    }
    identity = o.token !== undefined
      ? { methods: ["token"], token: { id: o.token } }
      : { methods: ["password"], password: { user: { ...user, password: o.password } } };
    const project = o.projectId
      ? { id: o.projectId }
      : o.projectName
      ? { name: o.projectName, domain: domain(o.projectDomainName, o.projectDomainId) }
      : undefined;
    return { auth: project ? { identity, scope: { project } } : { identity } };
  }

  /**
   * Asks Keystone for a token and finds the object store in its catalog.
   *
   * @param signal Aborts the login.
   * @returns The storage URL, the token and its expiry.
   */
  protected login(signal?: AbortSignal): Promise<Token> {
    const o = this.#options;
    const url = `${this.authUrl}/auth/tokens`;
    const who = o.username ?? o.userId ?? o.applicationCredentialId ?? o.applicationCredentialName ??
      "a token";
    const secrets = [o.password, o.applicationCredentialSecret, o.token].filter((x): x is string => !!x);
    const target = { method: "POST", what: `Authenticating ${who} at`, target: url, signal, secrets };
    const init = {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(this.#body()),
    };
    const connection = { fetch: fetchOf(o), policy: policyOf(o, o.retry) };
    return requestOnce(connection, url, init, target, async (res) => {
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel();
        throw new AuthError(
          `${target.what} ${url} failed with ${res.status}: the credentials are wrong, expired or revoked`,
          { status: res.status, method: "POST", path: url },
        );
      }
      if (!res.ok) return await throwForStatus(res, target, AuthError, secrets);
      const token = res.headers.get("X-Subject-Token");
      const body = parseJson(await res.text(), target) as {
        token?: { expires_at?: string; catalog?: CatalogEntry[]; project?: unknown };
      };
      if (!token || !body.token) {
        throw new AuthError(`Expected a token from ${url}, found ${res.status} without X-Subject-Token`);
      }
      if (!body.token.project) {
        throw new AuthError(
          `Expected a project-scoped token from ${url}, found an unscoped one: give projectName (with projectDomainName) or projectId`,
          { status: res.status, method: "POST", path: url },
        );
      }
      const storageUrl = o.storageUrl?.replace(/\/+$/, "") ?? checkStorageUrl(
        url,
        objectStoreEndpoint(body.token.catalog ?? [], { region: o.region, interface: o.interface }),
        o.allowInsecureStorageUrl,
      );
      const expires = body.token.expires_at ? new Date(body.token.expires_at) : undefined;
      return {
        storageUrl,
        token,
        expiresAt: expires && !Number.isNaN(expires.getTime()) ? expires : undefined,
      };
    });
  }

  /** Ends the error message when Keystone's token is refused and cannot be renewed. */
  get cannotRefresh(): string | undefined {
    return this.#options.token !== undefined
      ? "the Keystone token given has expired or was revoked and cannot be renewed here: get a new one"
      : undefined;
  }

  /**
   * Shows the endpoint and who logs in, never a password, secret or token.
   *
   * @returns What `JSON.stringify` writes.
   */
  toJSON(): { authUrl: string; user?: string; project?: string } {
    const o = this.#options;
    return {
      authUrl: this.authUrl,
      user: o.username ?? o.userId ?? o.applicationCredentialId ?? o.applicationCredentialName,
      project: o.projectName ?? o.projectId,
    };
  }
}

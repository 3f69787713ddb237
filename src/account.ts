/**
 * {@link SwiftAccount}: the account level, for what no single container answers:
 * its containers, its totals, the cluster's capabilities.
 *
 * @example
 * ```ts ignore
 * import { SwiftAccount } from "@zarrswift/store";
 * const account = await SwiftAccount.open(); // credentials from the environment
 * for await (const c of account.containers()) console.log(c.name, c.count, c.bytes);
 * ```
 * @module
 */

import { authFromEnv, type AuthProvider } from "./auth.ts";
import { type SwiftClient, type SwiftRequest, throwForStatus } from "./http.ts";
import { clientFor } from "./store.ts";
import { type ClusterInfo, fetchInfo } from "./info.ts";
import { type ContainerEntry, listAccountPages } from "./listing.ts";
import type { RetryEvent, RetryPolicy } from "./retry.ts";

/**
 * Options of {@link SwiftAccount.open}.
 *
 * @example
 * ```ts
 * import { type SwiftAccountOptions, TempAuth } from "@zarrswift/store";
 * const options: SwiftAccountOptions = {
 *   auth: new TempAuth({ authUrl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" }),
 * };
 * ```
 */
export interface SwiftAccountOptions {
  /** Where credentials come from; default: {@link authFromEnv}. */
  auth?: AuthProvider;
  /** The `fetch` to send requests with. */
  fetch?: typeof fetch;
  /** The most requests in flight (default 8). */
  concurrency?: number;
  /** Retries of a failed request (default 5). */
  retries?: number;
  /** Milliseconds one request may take (default 60,000). */
  timeout?: number;
  /** Called before each retry. */
  onRetry?: (event: RetryEvent) => void;
  /** Backoff tuning. */
  backoff?: Partial<Pick<RetryPolicy, "initialDelay" | "maxDelay" | "maxRetryAfter">>;
}

/**
 * An account's totals and settings, as its HEAD answers.
 *
 * @example
 * ```ts
 * import type { AccountInfo } from "@zarrswift/store";
 * const info: AccountInfo = { containers: 2, objects: 10, bytes: 1024, tempUrlKeys: 0, quotaBytes: undefined, metadata: {} };
 * ```
 */
export interface AccountInfo {
  /** Containers in the account. */
  containers: number;
  /** Objects in all of them (as the account last heard: updated asynchronously). */
  objects: number;
  /** Bytes stored. */
  bytes: number;
  /** How many TempURL keys are set (never the keys). */
  tempUrlKeys: number;
  /** The account quota, when one is set. */
  quotaBytes: number | undefined;
  /** Other `X-Account-Meta-*` metadata, by lowercase name (TempURL keys left out). */
  metadata: Record<string, string>;
}

/**
 * A Swift account: list its containers, read its totals and the cluster's
 * capabilities.
 *
 * @example
 * ```ts ignore
 * import { SwiftAccount, TempAuth } from "@zarrswift/store";
 * const account = await SwiftAccount.open({
 *   auth: new TempAuth({ authUrl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" }),
 * });
 * console.log((await account.stat()).containers);
 * ```
 */
export class SwiftAccount {
  #client: SwiftClient;
  #storageUrl: string;
  #fetch: typeof fetch;

  private constructor(client: SwiftClient, storageUrl: string, doFetch: typeof fetch) {
    this.#client = client;
    this.#storageUrl = storageUrl;
    this.#fetch = doFetch;
  }

  /**
   * Authenticates and answers the account.
   *
   * @example
   * ```ts ignore
   * const account = await SwiftAccount.open();
   * ```
   */
  static async open(options: SwiftAccountOptions = {}): Promise<SwiftAccount> {
    const { client, doFetch } = clientFor(options.auth ?? authFromEnv(), options, 8);
    const { storageUrl } = await client.credentials();
    return new SwiftAccount(client, storageUrl, doFetch);
  }

  /**
   * The storage URL (never a token).
   *
   * @example
   * ```ts ignore
   * console.log(account.url);
   * ```
   */
  get url(): string {
    return this.#storageUrl;
  }

  /**
   * Every container (whose name starts with `prefix`), across all listing pages.
   *
   * @example
   * ```ts ignore
   * for await (const c of account.containers()) console.log(c.name);
   * ```
   */
  async *containers(prefix = "", signal?: AbortSignal): AsyncGenerator<ContainerEntry> {
    for await (const page of listAccountPages(this.#client, { prefix, signal })) yield* page;
  }

  /**
   * The account's totals, quota and metadata (never a TempURL key).
   *
   * @example
   * ```ts ignore
   * const { containers, objects, bytes } = await account.stat();
   * ```
   */
  stat(signal?: AbortSignal): Promise<AccountInfo> {
    const req: SwiftRequest = { method: "HEAD", path: "", target: "(account)", what: "Reading", signal };
    return this.#client.request(req, async (res) => {
      await res.body?.cancel();
      if (!res.ok) return await throwForStatus(res, req);
      const metadata: Record<string, string> = {};
      let tempUrlKeys = 0;
      res.headers.forEach((value, name) => {
        if (!name.startsWith("x-account-meta-")) return;
        const key = name.slice("x-account-meta-".length);
        if (key.startsWith("temp-url-key")) tempUrlKeys++;
        else metadata[key] = value;
      });
      const quota = res.headers.get("X-Account-Meta-Quota-Bytes");
      return {
        containers: Number(res.headers.get("X-Account-Container-Count") ?? 0),
        objects: Number(res.headers.get("X-Account-Object-Count") ?? 0),
        bytes: Number(res.headers.get("X-Account-Bytes-Used") ?? 0),
        tempUrlKeys,
        quotaBytes: quota === null ? undefined : Number(quota),
        metadata,
      };
    });
  }

  /**
   * The cluster's `/info` document, or `undefined` when it hides it.
   *
   * @example
   * ```ts ignore
   * console.log((await account.capabilities())?.swift?.version);
   * ```
   */
  capabilities(signal?: AbortSignal): Promise<ClusterInfo | undefined> {
    return fetchInfo(this.#storageUrl, this.#fetch, this.#client.policy, signal);
  }

  /** Shows the storage URL, never credentials. */
  toJSON(): { url: string } {
    return { url: this.url };
  }
}

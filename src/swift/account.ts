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

import type { AuthProvider } from "../auth/provider.ts";
import { checkOptionNames, CONNECTION_OPTION_NAMES, type ConnectionOptions } from "../http/options.ts";
import { Connection, resolveAuth } from "./connection.ts";
import type { ClusterInfo } from "./info.ts";
import { type ContainerEntry, listAccountPages } from "./listing.ts";
import { accountHeaders, updateAccount } from "./metadata.ts";

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
export interface SwiftAccountOptions extends ConnectionOptions {
  /** Where credentials come from; default: `authFromEnv`, logging in through these options. */
  auth?: AuthProvider;
  /** Refuse every write (metadata included) with a `ReadOnlyError` (default `false`). */
  readOnly?: boolean;
  /** Aborts opening. */
  signal?: AbortSignal;
}

const ACCOUNT_OPTION_NAMES = [...CONNECTION_OPTION_NAMES, "auth", "readOnly", "signal"];

let over: (conn: Connection) => SwiftAccount;

/** The account behind a connection (for the container and store layers). */
export function accountOver(conn: Connection): SwiftAccount {
  return over(conn);
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
  #conn: Connection;

  static {
    over = (conn) => new SwiftAccount(conn);
  }

  private constructor(conn: Connection) {
    this.#conn = conn;
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
    checkOptionNames(options, ACCOUNT_OPTION_NAMES, "SwiftAccount options");
    return new SwiftAccount(await Connection.open(resolveAuth(options), options, 8));
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
    return this.#conn.storageUrl;
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
    for await (const page of listAccountPages(this.#conn.client, { prefix, signal })) yield* page;
  }

  /**
   * The account's totals, quota and metadata (never a TempURL key).
   *
   * @example
   * ```ts ignore
   * const { containers, objects, bytes } = await account.stat();
   * ```
   */
  async stat(signal?: AbortSignal): Promise<AccountInfo> {
    const headers = await accountHeaders(this.#conn, signal);
    const metadata: Record<string, string> = {};
    let tempUrlKeys = 0;
    headers.forEach((value, name) => {
      if (!name.startsWith("x-account-meta-")) return;
      const key = name.slice("x-account-meta-".length);
      if (key.startsWith("temp-url-key")) tempUrlKeys++;
      else metadata[key] = value;
    });
    const quota = headers.get("X-Account-Meta-Quota-Bytes");
    return {
      containers: Number(headers.get("X-Account-Container-Count") ?? 0),
      objects: Number(headers.get("X-Account-Object-Count") ?? 0),
      bytes: Number(headers.get("X-Account-Bytes-Used") ?? 0),
      tempUrlKeys,
      quotaBytes: quota === null ? undefined : Number(quota),
      metadata,
    };
  }

  /**
   * The account's headers as the server sends them (`X-Account-Meta-*` metadata,
   * TempURL keys for an admin, counts). Keys are secrets: do not log them.
   *
   * @example
   * ```ts ignore
   * const headers = await account.metadata();
   * console.log(headers.get("X-Account-Object-Count"));
   * ```
   */
  metadata(signal?: AbortSignal): Promise<Headers> {
    return accountHeaders(this.#conn, signal);
  }

  /**
   * Sets account headers with one POST (`X-Account-Meta-*`; `X-Remove-Account-Meta-*`
   * removes one). Refused on a read-only account.
   *
   * @example
   * ```ts ignore
   * await account.updateMetadata({ "X-Account-Meta-Project": "climate" });
   * ```
   */
  async updateMetadata(headers: Record<string, string>, signal?: AbortSignal): Promise<void> {
    await updateAccount(this.#conn, headers, "Updating the metadata of", signal);
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
    return this.#conn.info(signal);
  }

  /** Shows the storage URL, never credentials. */
  toJSON(): { url: string } {
    return { url: this.url };
  }
}

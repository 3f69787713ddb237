/**
 * {@link SwiftAccount}: the account level, for what no single container answers:
 * its containers, its totals, the cluster's capabilities.
 *
 * @example List the account's containers
 * ```ts
 * import assert from "node:assert/strict";
 * import { SwiftAccount, SwiftContainer } from "@zarrswift/store";
 * await SwiftContainer.open({ container: "docs-examples" }); // creates it when missing
 * const account = await SwiftAccount.open(); // credentials from the environment
 * const names = (await Array.fromAsync(account.containers())).map((c) => c.name);
 * assert.ok(names.includes("docs-examples"));
 * ```
 * @module
 */

import type { AuthProvider } from "../auth/provider.ts";
import { checkOptionNames, CONNECTION_OPTION_NAMES, type ConnectionOptions } from "../http/options.ts";
import { checkContainerName } from "../util/names.ts";
import { Connection, resolveAuth } from "./connection.ts";
import type { ClusterInfo } from "./info.ts";
import { type ContainerEntry, listAccountPages } from "./listing.ts";
import { accountHeaders, deleteContainer, updateAccount } from "./metadata.ts";

/**
 * Options of {@link SwiftAccount.open}.
 *
 * @example Open an account with TempAuth, read-only
 * ```ts
 * import assert from "node:assert/strict";
 * import { SwiftAccount, type SwiftAccountOptions, TempAuth } from "@zarrswift/store";
 * const options: SwiftAccountOptions = {
 *   auth: new TempAuth({ authUrl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" }),
 *   readOnly: true,
 * };
 * const account = await SwiftAccount.open(options);
 * assert.ok(account.url.startsWith("http://127.0.0.1:8080/v1/AUTH_"));
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
 * @example Read an account's totals
 * ```ts
 * import assert from "node:assert/strict";
 * import { type AccountInfo, SwiftAccount } from "@zarrswift/store";
 * const info: AccountInfo = await (await SwiftAccount.open()).stat();
 * assert.ok(info.containers >= 0 && info.objects >= 0 && info.bytes >= 0);
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
 * @example Open with TempAuth and read the totals
 * ```ts
 * import assert from "node:assert/strict";
 * import { SwiftAccount, TempAuth } from "@zarrswift/store";
 * const account = await SwiftAccount.open({
 *   auth: new TempAuth({ authUrl: "http://127.0.0.1:8080/auth/v1.0", user: "test:tester", key: "testing" }),
 * });
 * const { containers, objects, bytes } = await account.stat();
 * assert.ok([containers, objects, bytes].every(Number.isInteger));
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
   * @param options Credentials (default: `authFromEnv()`), `readOnly` and connection settings.
   * @returns The account, once logged in.
   *
   * @example Open the account with credentials from the environment
   * ```ts
   * import assert from "node:assert/strict";
   * import { SwiftAccount } from "@zarrswift/store";
   * const account = await SwiftAccount.open({ readOnly: true });
   * assert.match(account.url, /\/v1\/AUTH_/);
   * ```
   */
  static async open(options: SwiftAccountOptions = {}): Promise<SwiftAccount> {
    checkOptionNames(options, ACCOUNT_OPTION_NAMES, "SwiftAccount options");
    return new SwiftAccount(await Connection.open(resolveAuth(options), options, 8));
  }

  /**
   * The storage URL (never a token).
   *
   * @example Never a token in the URL
   * ```ts
   * import assert from "node:assert/strict";
   * import { SwiftAccount } from "@zarrswift/store";
   * const account = await SwiftAccount.open();
   * assert.equal(new URL(account.url).search, "");
   * assert.deepEqual(JSON.parse(JSON.stringify(account)), { url: account.url });
   * ```
   */
  get url(): string {
    return this.#conn.storageUrl;
  }

  /**
   * Every container (whose name starts with `prefix`), across all listing pages.
   *
   * @param prefix Only containers whose name starts with this (default: all).
   * @param signal Aborts the requests.
   * @returns The containers, in the server's (byte) order.
   *
   * @example Containers whose name starts with a prefix
   * ```ts
   * import assert from "node:assert/strict";
   * import { SwiftAccount, SwiftContainer } from "@zarrswift/store";
   * await SwiftContainer.open({ container: "docs-examples" });
   * const account = await SwiftAccount.open();
   * for await (const c of account.containers("docs-")) assert.ok(c.name.startsWith("docs-"));
   * ```
   */
  async *containers(prefix = "", signal?: AbortSignal): AsyncGenerator<ContainerEntry> {
    for await (const page of listAccountPages(this.#conn.client, { prefix, signal })) yield* page;
  }

  /**
   * The account's totals, quota and metadata (never a TempURL key).
   *
   * @param signal Aborts the request.
   * @returns Counts, bytes, how many TempURL keys are set, quota and metadata.
   *
   * @example Totals, and TempURL keys counted but never shown
   * ```ts
   * import assert from "node:assert/strict";
   * import { SwiftAccount } from "@zarrswift/store";
   * const { containers, tempUrlKeys, metadata } = await (await SwiftAccount.open()).stat();
   * assert.ok(containers >= 0 && tempUrlKeys >= 0);
   * assert.ok(Object.keys(metadata).every((name) => !name.startsWith("temp-url-key")));
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
   * @param signal Aborts the request.
   * @returns The headers.
   *
   * @example Read a header
   * ```ts
   * import assert from "node:assert/strict";
   * import { SwiftAccount } from "@zarrswift/store";
   * const headers = await (await SwiftAccount.open()).metadata();
   * assert.match(headers.get("X-Account-Object-Count") ?? "", /^\d+$/);
   * ```
   */
  metadata(signal?: AbortSignal): Promise<Headers> {
    return accountHeaders(this.#conn, signal);
  }

  /**
   * Sets account headers with one POST (`X-Account-Meta-*`; `X-Remove-Account-Meta-*`
   * removes one). Refused on a read-only account.
   *
   * @param headers The headers to set.
   * @param signal Aborts the request.
   * @returns Once the server has taken them.
   *
   * @example Set and remove account metadata
   * ```ts
   * import assert from "node:assert/strict";
   * import { SwiftAccount } from "@zarrswift/store";
   * const account = await SwiftAccount.open();
   * await account.updateMetadata({ "X-Account-Meta-Docs-Example": "climate" });
   * assert.equal((await account.stat()).metadata["docs-example"], "climate");
   * await account.updateMetadata({ "X-Remove-Account-Meta-Docs-Example": "x" });
   * assert.equal((await account.stat()).metadata["docs-example"], undefined);
   * ```
   */
  async updateMetadata(headers: Record<string, string>, signal?: AbortSignal): Promise<void> {
    await updateAccount(this.#conn, headers, "Updating the metadata of", signal);
  }

  /**
   * Deletes an empty container (Swift refuses one that holds objects: delete them
   * first, e.g. with `deletePrefix("")`). Refused on a read-only account.
   *
   * @param name The container.
   * @param signal Aborts the request.
   * @returns `true` when it was deleted, `false` when there was no such container.
   * @throws {ConflictError} When objects are still in it.
   *
   * @example Create, then delete, a container
   * ```ts
   * import assert from "node:assert/strict";
   * import { SwiftAccount, SwiftContainer } from "@zarrswift/store";
   * const name = `docs-${crypto.randomUUID()}`;
   * await SwiftContainer.open({ container: name });
   * const account = await SwiftAccount.open();
   * assert.equal(await account.deleteContainer(name), true);
   * assert.equal(await account.deleteContainer(name), false);
   * ```
   */
  deleteContainer(name: string, signal?: AbortSignal): Promise<boolean> {
    return deleteContainer({ conn: this.#conn, name: checkContainerName(name), verify: true }, signal);
  }

  /**
   * The cluster's `/info` document (fetched once).
   *
   * @param signal Aborts the request.
   * @returns The document, or `undefined` when the cluster hides it.
   *
   * @example The cluster's limits
   * ```ts
   * import assert from "node:assert/strict";
   * import { SwiftAccount } from "@zarrswift/store";
   * const info = await (await SwiftAccount.open()).capabilities();
   * assert.equal(typeof info?.swift?.max_file_size, "number");
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

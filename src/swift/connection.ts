/**
 * A {@link Connection} to one account: the client that sends every request, the
 * storage URL, and the cluster's `/info` (fetched once). Containers are addressed
 * through it by name ({@link ContainerRef}). Internal: the public faces are
 * `SwiftAccount` and `SwiftContainer`.
 *
 * @module
 */

import { authFromEnv } from "../auth/env.ts";
import type { AuthProvider } from "../auth/provider.ts";
import { authFromStorageOptions, type StorageOptions } from "../auth/storage_options.ts";
import { SwiftClient, type SwiftRequest } from "../http/client.ts";
import { connectionOf, type ConnectionOptions } from "../http/options.ts";
import { encodeObjectName } from "../util/names.ts";
import { type ClusterInfo, fetchInfo } from "./info.ts";

/** A client and the storage URL it reaches. */
export class Connection {
  /** Sends every request. */
  readonly client: SwiftClient;
  /** The account's storage URL. */
  readonly storageUrl: string;
  #info: Promise<ClusterInfo | undefined> | undefined;

  /** Wraps a client whose credentials reach `storageUrl`. */
  constructor(client: SwiftClient, storageUrl: string) {
    this.client = client;
    this.storageUrl = storageUrl;
  }

  /** Logs in through `auth` and answers the connection. */
  static async open(
    auth: AuthProvider,
    options: ConnectionOptions & { readOnly?: boolean; signal?: AbortSignal },
    concurrency: number,
  ): Promise<Connection> {
    const client = new SwiftClient(auth, options, concurrency);
    const { storageUrl } = await client.credentials(options.signal);
    return new Connection(client, storageUrl);
  }

  /** The cluster's `/info`, fetched once (a failure is not kept: the next call tries again). */
  info(signal?: AbortSignal): Promise<ClusterInfo | undefined> {
    if (this.#info === undefined) {
      const info = fetchInfo(this.client, this.storageUrl, signal);
      this.#info = info;
      info.catch(() => {
        if (this.#info === info) this.#info = undefined;
      });
    }
    return this.#info;
  }
}

/** The provider `options` name: `auth`, else zarr-swiftstore's `storageOptions`, else the environment. */
export function resolveAuth(
  options: ConnectionOptions & { auth?: AuthProvider; storageOptions?: StorageOptions },
): AuthProvider {
  if (options.auth && options.storageOptions) {
    throw new TypeError("Expected either auth or storageOptions, found both");
  }
  const connection = connectionOf(options);
  return options.auth ??
    (options.storageOptions
      ? authFromStorageOptions(options.storageOptions, connection)
      : authFromEnv(undefined, connection));
}

/** A container reached through a connection. */
export interface ContainerRef {
  /** The connection to its account. */
  readonly conn: Connection;
  /** The container's name. */
  readonly name: string;
  /** Check bodies against their MD5 (`ETag`). */
  readonly verify: boolean;
}

/** A request about the container itself. */
export function containerRequest(
  ref: ContainerRef,
  method: string,
  what: string,
  signal?: AbortSignal,
): SwiftRequest {
  return { method, path: `/${encodeObjectName(ref.name)}`, target: ref.name, what, signal };
}

/** A request about one object of the container. */
export function objectRequest(
  ref: ContainerRef,
  method: string,
  name: string,
  what: string,
  signal?: AbortSignal,
): SwiftRequest {
  return {
    method,
    path: `/${encodeObjectName(ref.name)}/${encodeObjectName(name)}`,
    target: `${ref.name}/${name}`,
    what,
    signal,
  };
}

/** A request about the account itself. */
export function accountRequest(method: string, what: string, signal?: AbortSignal): SwiftRequest {
  return { method, path: "", target: "(account)", what, signal };
}

/**
 * A container reached through a shared link, with no credentials: what
 * `SwiftStore.fromUrl` opens.
 *
 * @module
 */

import { linkAuth } from "../auth/anonymous.ts";
import { SwiftClient } from "../http/client.ts";
import { connectionOf, type ConnectionOptions } from "../http/options.ts";
import { Connection } from "./connection.ts";
import { containerOver, type SwiftContainer } from "./container.ts";

/**
 * A read-only container reached through a shared link (no credentials): a prefix
 * TempURL's query sent with every request, or a public container. Nothing is sent.
 */
export function linkedContainer(
  storageUrl: string,
  name: string,
  query: string | undefined,
  options: ConnectionOptions & { verify?: boolean },
): SwiftContainer {
  const client = new SwiftClient(linkAuth(storageUrl, query), {
    ...connectionOf(options),
    readOnly: true,
    readOnlyWhy: "one opened from a shared link, which grants reading only",
  });
  return containerOver(new Connection(client, storageUrl), name, options.verify ?? true);
}

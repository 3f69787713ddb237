/**
 * Requests about a container or the account themselves: existence, creation,
 * deletion, metadata (HEAD) and metadata updates (POST).
 *
 * @module
 */

import type { SwiftRequest } from "../http/client.ts";
import { expectOk, headersOf, okOr404 } from "../http/response.ts";
import { ConflictError, ContainerNotFoundError, ServerError } from "../util/errors.ts";
import { accountRequest, type Connection, type ContainerRef, containerRequest } from "./connection.ts";

/** Whether the container exists (one HEAD). */
export function containerExists(ref: ContainerRef, signal?: AbortSignal): Promise<boolean> {
  const req = containerRequest(ref, "HEAD", "Checking container", signal);
  return ref.conn.client.request(req, okOr404(async (res, ctx) => Boolean(await headersOf(res, ctx)), false));
}

/** Creates the container (PUT; nothing happens to one that exists). */
export async function createContainer(
  ref: ContainerRef,
  signal?: AbortSignal,
  headers: Record<string, string> = {},
): Promise<void> {
  const req = containerRequest(ref, "PUT", "Creating container", signal);
  req.headers = headers;
  await ref.conn.client.request(req, expectOk(headersOf));
}

/**
 * Makes sure the container exists: one HEAD, and a PUT when it is missing and
 * `create` allows it; otherwise a {@link ContainerNotFoundError} ending with `hint`.
 */
export async function ensureContainer(
  ref: ContainerRef,
  options: { create: boolean; hint?: string; signal?: AbortSignal; tolerateServerErrors?: boolean },
): Promise<void> {
  const exists = await containerExists(ref, options.signal).catch((err) => {
    // A reader may go on when container servers fail: objects may still be served.
    if (options.tolerateServerErrors && err instanceof ServerError) return true;
    throw err;
  });
  if (exists) return;
  if (!options.create) {
    throw new ContainerNotFoundError(
      `Expected container ${ref.name} to exist, found none (404)${options.hint ?? ""}`,
      { status: 404, method: "HEAD", path: ref.name },
    );
  }
  await createContainer(ref, options.signal);
}

/**
 * Deletes the container itself (one DELETE): `true` when deleted, `false` when there
 * was none; a {@link ConflictError} when objects are still in it.
 */
export async function deleteContainer(ref: ContainerRef, signal?: AbortSignal): Promise<boolean> {
  const req = containerRequest(ref, "DELETE", "Deleting container", signal);
  const read = okOr404(async (res, ctx) => (await headersOf(res, ctx), true), false);
  return await ref.conn.client.request(req, async (res, ctx) => {
    if (res.status !== 409) return await read(res, ctx);
    await res.body?.cancel();
    throw new ConflictError(
      `Expected container ${ref.name} to be empty to delete it, found objects in it (409): delete them first`,
      { status: 409, method: "DELETE", path: ref.name },
    );
  });
}

/** The container's headers: metadata, ACLs, counts. */
export function containerHeaders(ref: ContainerRef, signal?: AbortSignal): Promise<Headers> {
  const req = containerRequest(ref, "HEAD", "Reading the metadata of container", signal);
  return ref.conn.client.request(req, expectOk(headersOf));
}

/** Sets container headers with one POST (absolute values: replaying it is safe). */
export async function updateContainer(
  ref: ContainerRef,
  headers: Record<string, string>,
  what: string,
  signal?: AbortSignal,
): Promise<void> {
  const req: SwiftRequest = { ...containerRequest(ref, "POST", what, signal), headers, idempotent: true };
  await ref.conn.client.request(req, expectOk(headersOf));
}

/** The account's headers: metadata, TempURL keys, counts. */
export function accountHeaders(conn: Connection, signal?: AbortSignal): Promise<Headers> {
  return conn.client.request(accountRequest("HEAD", "Reading the metadata of", signal), expectOk(headersOf));
}

/** Sets account headers with one POST. */
export async function updateAccount(
  conn: Connection,
  headers: Record<string, string>,
  what: string,
  signal?: AbortSignal,
): Promise<void> {
  const req: SwiftRequest = { ...accountRequest("POST", what, signal), headers, idempotent: true };
  await conn.client.request(req, expectOk(headersOf));
}

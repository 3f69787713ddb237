/**
 * The hostile-server harness for tests: {@link FakeSwift} (a scriptable Swift on
 * 127.0.0.1), {@link Recorder} (a second origin that records every request, to prove
 * no secret reached it), outages and proxies ({@link HostileServer},
 * {@link forwardTo}), and the client side: {@link hostileTest} (a hard time limit and
 * servers closed however the test ends), {@link outcome}/{@link caught}, assertions
 * on error classes and secrets, {@link counting} (a `fetch` that counts the body
 * bytes the library reads, with a cap), {@link tlsFetch} and {@link mapOrigins}.
 */

import assert from "node:assert/strict";
import { SwiftError } from "../mod.ts";
import { FakeSwift } from "./_fake_swift.ts";
import { type Handler, HostileServer, Recorder, testCertificate } from "./_hostile_server.ts";

export * from "./_fake_swift.ts";
export * from "./_hostile_server.ts";

const decoder = new TextDecoder();

// ---------------------------------------------------------------- client-side helpers

/**
 * Runs `fn` with a signal that aborts after `ms`, and fails with "Hung" if `fn` has
 * no outcome by then (whether or not it listens to the signal). The signal also
 * aborts when `fn` is done, ending whatever it left running.
 */
export async function bounded<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`Hung: no outcome within ${ms} ms`);
      controller.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([fn(controller.signal), limit]);
  } finally {
    clearTimeout(timer);
    controller.abort(new Error("The test is over"));
  }
}

/** What a hostile test gets: a signal, and servers that are closed when it ends, however it ends. */
export class Scope {
  /** Aborts at the test's time limit, and when the test is over. */
  readonly signal: AbortSignal;
  #closers: (() => unknown)[] = [];
  constructor(signal: AbortSignal) {
    this.signal = signal;
  }
  /** Runs `close` when the test ends. */
  defer(close: () => unknown): void {
    this.#closers.push(close);
  }
  /** A fake Swift, closed at the end. */
  async fake(options: { tls?: boolean } = {}): Promise<FakeSwift> {
    const fake = await FakeSwift.start(options);
    this.defer(() => fake.close());
    return fake;
  }
  /** A recording second origin, closed at the end. */
  recorder(): Recorder {
    const recorder = new Recorder();
    this.defer(() => recorder.close());
    return recorder;
  }
  /** A raw server, closed at the end. */
  server(
    handler: Handler,
    options: { tls?: { cert: string; key: string }; log?: boolean } = {},
  ): HostileServer {
    const server = HostileServer.start(handler, options);
    this.defer(() => server.close());
    return server;
  }
  /** A fetch trusting the test CA, released at the end. */
  async tls(): Promise<typeof fetch> {
    const tls = await tlsFetch();
    this.defer(() => tls.close());
    return tls.fetch;
  }
  /** Runs the closers, last first. */
  async close(): Promise<void> {
    for (const close of this.#closers.reverse()) {
      try {
        await close();
      } catch {
        // closing is best effort
      }
    }
  }
}

/**
 * A test with a hard time limit (default 30 s). Its servers close when it ends,
 * which also ends whatever a hung library call waits for; what the library leaves
 * running after a failure is not counted as a leak.
 */
export function hostileTest(name: string, fn: (t: Scope) => Promise<void>, ms = 30_000): void {
  Deno.test({
    name,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      let scope: Scope | undefined;
      try {
        await bounded(ms, (signal) => fn(scope = new Scope(signal)));
      } finally {
        await scope?.close();
      }
    },
  });
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) {
    return `${value.length} bytes (${JSON.stringify(decoder.decode(value.subarray(0, 40)))})`;
  }
  try {
    return JSON.stringify(value)?.slice(0, 200) ?? String(value);
  } catch {
    return String(value);
  }
}

/** How a call ended: its error, or its value. */
export type Outcome = { error: Error; value?: undefined } | { error?: undefined; value: unknown };

/** Runs `fn` (sync or async) and answers how it ended, without throwing. */
export async function outcome(fn: () => unknown): Promise<Outcome> {
  try {
    return { value: await fn() };
  } catch (err) {
    return { error: err as Error };
  }
}

/** The error `fn` fails with (sync or async); fails the test when it succeeds. */
export async function caught(fn: () => unknown): Promise<Error> {
  return failed(await outcome(fn));
}

/** The error of an outcome; fails the test when it was a success. */
export function failed(o: Outcome, context = ""): Error {
  if (o.error) return o.error;
  throw new assert.AssertionError({
    message: `${context ? `${context}: ` : ""}Expected a failure, found success: ${describe(o.value)}`,
  });
}

/** Asserts that `err` is named one of `names`, showing what it was instead. */
export function assertErrorName(err: Error, names: string | string[], context = ""): void {
  const list = typeof names === "string" ? [names] : names;
  assert.ok(
    list.includes(err?.name),
    `${context ? `${context}: ` : ""}Expected ${list.join(" or ")}, found ${err?.name}: ${err?.message}`,
  );
}

/**
 * Asserts that `err` is one of the library's errors: a {@link SwiftError}, or a
 * `TypeError`/`RangeError` of its own (its messages say "Expected …"), not a native
 * one such as "page is not iterable".
 */
export function assertLibraryError(err: Error, context = ""): void {
  const own = err instanceof SwiftError ||
    ((err instanceof TypeError || err instanceof RangeError) && /^Expected/.test(err.message));
  assert.ok(
    own,
    `${
      context ? `${context}: ` : ""
    }Expected one of the library's errors, found ${err?.name}: ${err?.message}`,
  );
}

/** Asserts that no text of `err` (message, toString, JSON, stack) holds any of `secrets`. */
export function assertNoSecretIn(err: Error, secrets: string[]): void {
  const texts = [err.message, String(err), JSON.stringify(err), err.stack ?? ""];
  for (const secret of secrets) {
    assert.ok(
      !texts.some((t) => t.includes(secret)),
      `Expected no secret in the ${err.name}, found it quoted: ${err.message.slice(0, 300)}`,
    );
  }
}

/**
 * A `fetch` that counts the body bytes its caller reads, in all and per request,
 * and fails a body once more than `cap` bytes of it were read (so that a library
 * reading a 64 GiB body does not fill the machine).
 */
export function counting(inner: typeof fetch = fetch, cap = 8 << 20) {
  const state = {
    /** Body bytes read, all requests together. */
    pulled: 0,
    /** The most body bytes read from one response. */
    most: 0,
    /** Whether a body hit the cap. */
    capped: false,
    /** Requests sent. */
    requests: 0,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      state.requests++;
      const res = await inner(input, init);
      if (!res.body || [101, 204, 205, 304].includes(res.status)) return res;
      const reader = res.body.getReader();
      let mine = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          mine += value.length;
          state.pulled += value.length;
          state.most = Math.max(state.most, mine);
          if (mine > cap) {
            state.capped = true;
            await reader.cancel();
            controller.error(new Error(`The test's fetch stopped a body after ${cap} bytes`));
            return;
          }
          controller.enqueue(value);
        },
        cancel: (reason) => reader.cancel(reason),
      }, { highWaterMark: 0 });
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    }) as typeof fetch,
  };
  return state;
}

/** A `fetch` that trusts the test certificate's CA; `close` releases its client. */
export async function tlsFetch(): Promise<{ fetch: typeof fetch; close(): void }> {
  const { ca } = await testCertificate();
  const client = Deno.createHttpClient({ caCerts: [ca] });
  return {
    fetch: ((input, init) => fetch(input, { ...init, client } as unknown as RequestInit)) as typeof fetch,
    close: () => client.close(),
  };
}

/** A `fetch` that sends requests for the origins in `map` to other origins (a fake DNS). */
export function mapOrigins(map: Record<string, string>, inner: typeof fetch = fetch): typeof fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const to = map[url.origin];
    return inner(to ? `${to}${url.pathname}${url.search}` : url.href, init);
  }) as typeof fetch;
}

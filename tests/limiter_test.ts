/**
 * The concurrency bound every request goes through (`Limiter`), and how a caller's
 * abort signal reaches queued and running requests: one listener per signal however
 * many requests wait on it, and none left behind once they are done.
 */

import assert from "node:assert/strict";
import { Limiter, PreAuth, SwiftStore } from "../mod.ts";

/** A signal that counts the abort listeners attached to it right now. */
function countingSignal(): {
  controller: AbortController;
  signal: AbortSignal;
  listeners: () => number;
  added: () => number;
} {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Set<unknown>();
  let added = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, fn: EventListener, opts?: AddEventListenerOptions) => {
    if (type === "abort") {
      live.add(fn);
      added++;
      // A once-listener that fired is gone too.
      const wrapped = () => live.delete(fn);
      add(type, wrapped, { once: true });
    }
    add(type, fn, opts);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, fn: EventListener, opts?: EventListenerOptions) => {
    if (type === "abort") live.delete(fn);
    remove(type, fn, opts);
  }) as typeof signal.removeEventListener;
  return { controller, signal, listeners: () => live.size, added: () => added };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("at most `limit` tasks run at once, started in arrival order", async () => {
  const limiter = new Limiter(3);
  let running = 0, most = 0;
  const started: number[] = [];
  await Promise.all(Array.from({ length: 20 }, (_, i) =>
    limiter.run(async () => {
      started.push(i);
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 1 + (i % 3)));
      running--;
    })));
  assert.equal(most, 3);
  assert.deepEqual(started, Array.from({ length: 20 }, (_, i) => i));
  assert.equal(limiter.running, 0);
});

Deno.test("an abort rejects the tasks still waiting with its reason, never runs them, and frees no slot twice", async () => {
  const limiter = new Limiter(2);
  const { controller, signal, listeners, added } = countingSignal();
  const release: (() => void)[] = [];
  const ran: number[] = [];
  const tasks = Array.from({ length: 50 }, (_, i) =>
    limiter.run(() => {
      ran.push(i);
      return new Promise<number>((resolve) => release.push(() => resolve(i)));
    }, signal));
  await tick();
  assert.deepEqual(ran, [0, 1]);
  // 48 waiters on one signal: one listener.
  assert.equal(added(), 1);
  assert.equal(listeners(), 1);
  const reason = new Error("stop");
  controller.abort(reason);
  const settled = await Promise.allSettled(tasks.slice(2));
  for (const s of settled) assert.deepEqual(s, { status: "rejected", reason });
  for (const r of release) r();
  assert.deepEqual(await Promise.all(tasks.slice(0, 2)), [0, 1]);
  assert.deepEqual(ran, [0, 1]);
  assert.equal(limiter.running, 0);
  // The slots serve new work: both at once, nothing cancelled runs.
  const other = new AbortController();
  let together = 0, most = 0;
  await Promise.all([0, 1, 2, 3].map(() =>
    limiter.run(async () => {
      most = Math.max(most, ++together);
      await tick();
      together--;
    }, other.signal)
  ));
  assert.equal(most, 2);
  assert.equal(limiter.running, 0);
});

Deno.test("the signal's one listener is removed once its last waiter got a slot", async () => {
  const limiter = new Limiter(4);
  const { signal, listeners, added } = countingSignal();
  await Promise.all(Array.from({ length: 1000 }, () => limiter.run(tick, signal)));
  assert.equal(listeners(), 0);
  // Waiters come and go in waves: a listener per wave at most, never one per waiter.
  assert.ok(added() >= 1 && added() < 10, `${added()} listeners added for 1,000 tasks`);
});

Deno.test("an already aborted signal rejects at once, even with a free slot", async () => {
  const limiter = new Limiter(1);
  const reason = new Error("already");
  let ran = false;
  await assert.rejects(
    limiter.run(() => Promise.resolve(void (ran = true)), AbortSignal.abort(reason)),
    (err) => err === reason,
  );
  assert.equal(ran, false);
  assert.equal(limiter.running, 0);
});

Deno.test("a store's requests leave no listener on the caller's signal; an abort mid-body ends the read", async () => {
  const body = new Uint8Array(1024).fill(1);
  let inFlight = 0;
  const fakeFetch = (async (_url: string | URL | Request, init?: RequestInit) => {
    inFlight++;
    await tick();
    inFlight--;
    init?.signal?.throwIfAborted();
    const signal = init?.signal;
    // A body that sends one chunk, then waits for more until the request is aborted.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(body);
      },
      pull: () =>
        new Promise((_, reject) =>
          signal?.addEventListener("abort", () => reject(signal.reason), { once: true })
        ),
    });
    return new Response(stream, { status: 200, headers: { "Content-Length": "2048" } });
  }) as typeof fetch;
  const store = await SwiftStore.open({
    container: "c",
    auth: new PreAuth({ storageUrl: "http://127.0.0.1:9/v1/AUTH_x", token: "t" }),
    fetch: fakeFetch,
    createContainer: false,
    concurrency: 8,
  });
  const { controller, signal, listeners } = countingSignal();
  // 200 HEADs at once through 8 slots: nothing stays attached afterwards.
  await Promise.all(Array.from({ length: 200 }, (_, i) => store.stat(`/o/${i}`, { signal })));
  assert.equal(inFlight, 0);
  assert.equal(listeners(), 0);
  // A streamed body keeps the caller's abort attached until it ends.
  const opened = await store.getStream("/big", { signal });
  assert.ok(opened);
  const reader = opened.body.getReader();
  assert.equal((await reader.read()).value?.length, 1024);
  assert.equal(listeners(), 1);
  const reason = new Error("user stop");
  const next = reader.read();
  controller.abort(reason);
  await assert.rejects(next, (err) => err === reason);
  assert.equal(listeners(), 0);
});

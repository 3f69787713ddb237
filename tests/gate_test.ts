/** The outage gate's logic (shared backoff), without a server. */
import assert from "node:assert/strict";
import { isOutage, OutageGate } from "../src/http/gate.ts";
import { retryPolicy } from "../src/http/retry.ts";
import { AuthError, NetworkError, ServerError, TimeoutError } from "../mod.ts";

const policy = retryPolicy({ initialDelay: 20, maxDelay: 40 });
const down = () => new NetworkError("connection refused");

Deno.test("isOutage: no answer, timeouts, 502/503/504; not 500, 401 or a 404", () => {
  assert.equal(isOutage(down()), true);
  assert.equal(isOutage(new TimeoutError("slow")), true);
  for (const status of [502, 503, 504]) assert.equal(isOutage(new ServerError("x", { status })), true);
  assert.equal(isOutage(new ServerError("x", { status: 500 })), false);
  assert.equal(isOutage(new AuthError("x", { status: 401 })), false);
  assert.equal(isOutage(new Error("other")), false);
});

Deno.test("the gate closes after 3 outage failures in a row; a success between resets the count", async () => {
  const gate = new OutageGate(policy);
  gate.failure(down(), false);
  gate.failure(down(), false);
  gate.success(false);
  gate.failure(down(), false);
  gate.failure(down(), false);
  assert.equal(gate.down, false);
  gate.failure(down(), false);
  assert.equal(gate.down, true);
  assert.equal(await gate.admit(undefined, Date.now() + 5000), "probe");
});

Deno.test("while closed: one probe at a time; only the probe's answer opens it for every waiter", async () => {
  const gate = new OutageGate(policy);
  for (let i = 0; i < 3; i++) gate.failure(down(), false);
  const deadline = Date.now() + 5000;
  assert.equal(await gate.admit(undefined, deadline), "probe");
  const waiting = Array.from({ length: 5 }, () => gate.admit(undefined, deadline));
  // A request sent before the gate closed is answered: that does not open it.
  gate.success(false);
  assert.equal(gate.down, true);
  // The probe fails: the next probe is one of the waiters, after a delay; the rest still wait.
  gate.failure(down(), true);
  const first = await Promise.race(waiting);
  assert.equal(first, "probe");
  assert.equal(gate.down, true);
  gate.success(true);
  assert.equal(gate.down, false);
  const all = await Promise.all(waiting);
  assert.equal(all.filter((a) => a === "probe").length, 1);
  assert.equal(all.filter((a) => a === "go").length, 4);
});

Deno.test("a request waiting past its deadline is told it is late; an abort rejects with its reason", async () => {
  const gate = new OutageGate(policy);
  for (let i = 0; i < 3; i++) gate.failure(down(), false);
  assert.equal(await gate.admit(undefined, Date.now() + 5000), "probe");
  assert.equal(await gate.admit(undefined, Date.now() + 30), "late");
  const controller = new AbortController();
  const waiting = gate.admit(controller.signal, Date.now() + 5000);
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, /stop/);
});

Deno.test("a probe answered with an error that is not an outage (a 404, a 401) opens the gate", async () => {
  const gate = new OutageGate(policy);
  for (let i = 0; i < 3; i++) gate.failure(down(), false);
  assert.equal(await gate.admit(undefined, Date.now() + 5000), "probe");
  gate.failure(new AuthError("x", { status: 401 }), true);
  assert.equal(gate.down, false);
});

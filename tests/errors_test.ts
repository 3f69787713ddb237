/** Errors: the status-to-class map, bad input refused before any request, no secret in any error. */
import assert from "node:assert/strict";
import {
  AuthError,
  ConflictError,
  ContainerNotFoundError,
  IntegrityError,
  loginTempAuth,
  NetworkError,
  PayloadTooLargeError,
  PermissionError,
  PreAuth,
  PreconditionError,
  RangeNotSatisfiableError,
  RateLimitError,
  ReadOnlyError,
  ServerError,
  SwiftError,
  SwiftStore,
} from "../mod.ts";
import { errorForStatus } from "../src/util/status.ts";
import { FaultProxy } from "./_fault_proxy.ts";
import { AUTH_URL, dropContainer, login, raw, tempAuth, uniqueName, utf8, withStore } from "./_swift.ts";

Deno.test("errorForStatus: one class per kind of failure, with status, method and path", () => {
  const cases: [number, typeof SwiftError][] = [
    [401, AuthError],
    [403, PermissionError],
    [404, ContainerNotFoundError],
    [409, ConflictError],
    [412, PreconditionError],
    [413, PayloadTooLargeError],
    [416, RangeNotSatisfiableError],
    [422, IntegrityError],
    [429, RateLimitError],
    [498, RateLimitError],
    [500, ServerError],
    [503, ServerError],
    [507, ServerError],
    [400, SwiftError],
  ];
  for (const [status, Class] of cases) {
    const err = errorForStatus(status, "Text", { method: "PUT", path: "c/o", what: "Writing object" });
    assert.equal(err.constructor, Class, String(status));
    assert.equal(err.name, Class.name);
    assert.equal(err.status, status);
    assert.equal(err.method, "PUT");
    assert.equal(err.path, "c/o");
    assert.match(err.message, new RegExp(`^Writing object c/o failed with ${status} Text`));
  }
});

type Row = [input: string, error: string, message: string];

async function refusal(
  input: string,
  attempt: () => unknown,
  Class: new (...args: never[]) => Error,
): Promise<Row> {
  let caught: unknown;
  try {
    await attempt();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof Class, `${input}: expected ${Class.name}, got ${caught}`);
  return [input, (caught as Error).constructor.name, (caught as Error).message];
}

Deno.test("bad input is refused with a clear error before any request (the table goes into the notes)", async () => {
  let requests = 0;
  const counting: typeof fetch = (input, init) => {
    requests++;
    return fetch(input, init);
  };
  await withStore(async (store) => {
    const readOnly = await SwiftStore.open({
      container: store.container,
      auth: tempAuth(),
      readOnly: true,
      fetch: counting,
    });
    requests = 0;
    const auth = tempAuth();
    const rows: Row[] = [
      await refusal("key `zarr.json` (not absolute)", () => store.get("zarr.json" as "/"), TypeError),
      await refusal("key `/`", () => store.get("/"), TypeError),
      await refusal("key `/a\\0b` (NUL)", () => store.set("/a\0b", utf8("x")), TypeError),
      await refusal("key `/a/../b`", () => store.set("/a/../b", utf8("x")), TypeError),
      await refusal("key `/a/./b`", () => store.get("/a/./b"), TypeError),
      await refusal("key `/a//b`", () => store.get("/a//b"), TypeError),
      await refusal("key of 1,025 bytes", () => store.set(`/${"x".repeat(1025)}`, utf8("x")), TypeError),
      await refusal("key with a lone surrogate", () => store.get("/\uD800"), TypeError),
      await refusal("list path `a` (not absolute)", () => store.list("a").next(), TypeError),
      await refusal("value: a string", () => store.set("/k", "text" as never), TypeError),
      await refusal("value: a number[]", () => store.set("/k", [1, 2] as never), TypeError),
      await refusal("value: an ArrayBuffer", () => store.set("/k", new ArrayBuffer(2) as never), TypeError),
      await refusal("value: null", () => store.set("/k", null as never), TypeError),
      await refusal(
        "range `{ offset: -1, length: 1 }`",
        () => store.getRange("/k", { offset: -1, length: 1 }),
        RangeError,
      ),
      await refusal(
        "range `{ suffixLength: 1.5 }`",
        () => store.getRange("/k", { suffixLength: 1.5 }),
        RangeError,
      ),
      await refusal("set on a read-only store", () => readOnly.set("/k", utf8("x")), ReadOnlyError),
      await refusal("delete on a read-only store", () => readOnly.delete("/k"), ReadOnlyError),
      await refusal("deletePrefix on a read-only store", () => readOnly.deletePrefix("/"), ReadOnlyError),
      await refusal("container `a/b`", () => SwiftStore.open({ container: "a/b", auth }), TypeError),
      await refusal(
        "container of 257 bytes",
        () => SwiftStore.open({ container: "c".repeat(257), auth }),
        TypeError,
      ),
      await refusal('container `""`', () => SwiftStore.open({ container: "", auth }), TypeError),
      await refusal(
        "prefix `x/../y`",
        () => SwiftStore.open({ container: "c", prefix: "x/../y", auth }),
        TypeError,
      ),
      await refusal(
        "concurrency `0`",
        () => SwiftStore.open({ container: "c", auth, concurrency: 0 }),
        RangeError,
      ),
      await refusal("retries `-1`", () => SwiftStore.open({ container: "c", auth, retries: -1 }), RangeError),
      await refusal("timeout `0`", () => SwiftStore.open({ container: "c", auth, timeout: 0 }), RangeError),
      await refusal(
        "option `prefx` (typo)",
        () => SwiftStore.open({ container: "c", auth, prefx: "p" } as never),
        TypeError,
      ),
    ];
    assert.equal(requests, 0, "no request was sent for any bad input");
    assert.equal(await store.has("/k"), false);
    console.log("| input | error | message |\n| --- | --- | --- |");
    for (const [input, error, message] of rows) {
      console.log(`| ${input} | ${error} | ${message.replaceAll("|", "\\|")} |`);
    }
  });
});

Deno.test("server-side refusals map to their typed errors (403, 404 container, 413 quota, 416; 422 in faults_test)", async () => {
  await withStore(async (store) => {
    await store.set("/k", utf8("0123456789"));
    // 413: the container quota middleware refuses what would exceed the quota.
    const quota = await raw("POST", `/${store.container}`, {
      headers: { "X-Container-Meta-Quota-Bytes": "20" },
    });
    assert.equal(quota.status, 204);
    await assert.rejects(store.set("/big", new Uint8Array(100)), (err: unknown) => {
      assert.ok(err instanceof PayloadTooLargeError);
      assert.equal(err.status, 413);
      assert.match(err.message, /too large or a quota is exhausted/);
      return true;
    });
    await assert.rejects(store.getRange("/k", { offset: 50, length: 1 }), RangeNotSatisfiableError);
    const other = await SwiftStore.open({
      container: store.container,
      auth: tempAuth("tester2"),
      createContainer: false,
    })
      .catch((err) => err);
    assert.ok(other instanceof PermissionError);
  });
  await assert.rejects(
    SwiftStore.open({ container: uniqueName("none"), auth: tempAuth(), createContainer: false }),
    ContainerNotFoundError,
  );
});

Deno.test("no token, key or TempURL signature in any error: message, toString, JSON, stack, inspect", async () => {
  const { storageUrl, token } = await login();
  const key = "testing";
  const signature = "0123456789abcdef0123456789abcdef01234567";
  const errors: unknown[] = [];
  const capture = async (attempt: () => unknown) => {
    try {
      await attempt();
      assert.fail("expected an error");
    } catch (err) {
      assert.ok(err instanceof SwiftError, String(err));
      errors.push(err);
    }
  };
  const container = uniqueName("secret");
  const proxy = await FaultProxy.start(new URL(AUTH_URL).origin, {});
  try {
    const store = await SwiftStore.open({ container, auth: new PreAuth({ storageUrl, token }) });
    await store.set("/k", utf8("value"));
    const viaProxy = await SwiftStore.open({
      container,
      auth: new PreAuth({ storageUrl: storageUrl.replace(new URL(AUTH_URL).origin, proxy.url), token }),
      retries: 0,
      timeout: 300,
    });
    await capture(() => loginTempAuth({ authUrl: AUTH_URL, user: "test:tester", key: `${key}-wrong` }));
    await capture(() =>
      SwiftStore.open({
        container,
        auth: new PreAuth({ storageUrl, token: `${token}x` }),
      })
    );
    await capture(() =>
      SwiftStore.open({
        container,
        auth: new PreAuth({ storageUrl: storageUrl.replace("AUTH_test", "AUTH_test2"), token }),
      })
    );
    await capture(() =>
      SwiftStore.open({
        container: uniqueName("none"),
        auth: new PreAuth({ storageUrl, token }),
        createContainer: false,
      })
    );
    await capture(() => store.getRange("/k", { offset: 99, length: 1 }));
    const readOnly = await SwiftStore.open({
      container,
      auth: new PreAuth({ storageUrl, token }),
      readOnly: true,
    });
    await capture(() => readOnly.set("/k", utf8("x")));
    for (const rates of [{ status503: 1 }, { status429: 1 }, { reset: 1 }, { stall: 1 }, { corrupt: 1 }]) {
      proxy.rates = rates;
      await capture(() => viaProxy.get("/k"));
    }
    proxy.rates = { corrupt: 1 };
    await capture(() => viaProxy.set("/k", utf8("new value")));
    proxy.rates = {};
    // A fetch failure that quotes a TempURL (with its signature) in its message.
    const leaky = await SwiftStore.open({
      container,
      auth: new PreAuth({ storageUrl, token }),
      retries: 0,
      fetch: (input, init) =>
        init?.method === "GET"
          ? Promise.reject(
            new TypeError(
              `error sending request for url (${input}?temp_url_sig=${signature}&temp_url_expires=1)`,
            ),
          )
          : fetch(input, init),
    });
    await capture(() => leaky.get("/k"));
    await raw("POST", `/${container}`, { headers: { "X-Container-Meta-Quota-Bytes": "1" } });
    await capture(() => store.set("/big", new Uint8Array(100)));
  } finally {
    await proxy.close();
    await dropContainer(container);
  }
  // 409 and 412 never come from what a store sends; build them as the client would.
  errors.push(
    errorForStatus(409, "Conflict", { method: "DELETE", path: container, what: "Deleting container" }),
  );
  errors.push(
    errorForStatus(412, "Precondition Failed", {
      method: "PUT",
      path: `${container}/k`,
      what: "Writing object",
    }),
  );
  const kinds = new Set(errors.map((e) => (e as Error).constructor.name));
  for (
    const kind of [
      "AuthError",
      "PermissionError",
      "ContainerNotFoundError",
      "RangeNotSatisfiableError",
      "ReadOnlyError",
      "ServerError",
      "RateLimitError",
      "NetworkError",
      "TimeoutError",
      "IntegrityError",
      "PayloadTooLargeError",
      "ConflictError",
      "PreconditionError",
    ]
  ) assert.ok(kinds.has(kind), `an error of kind ${kind} was checked`);
  for (const err of errors) {
    const e = err as SwiftError;
    const views = [e.message, String(e), JSON.stringify(e), String(e.stack), Deno.inspect(e, { depth: 10 })];
    for (const view of views) {
      assert.ok(!view.includes(token), `${e.name} shows the token`);
      assert.ok(!view.includes(signature), `${e.name} shows a TempURL signature`);
      assert.ok(!/X-Auth-Key|testing-wrong/.test(view), `${e.name} shows the key`);
    }
  }
  const leaked = errors.find((e) => e instanceof NetworkError && /redacted/.test((e as Error).message));
  assert.ok(leaked, "the signature in the fetch error was redacted, the rest of the message kept");
});

/** Auth providers, access control and token loss, against the real Swift. */
import assert from "node:assert/strict";
import {
  AuthError,
  authFromEnv,
  authFromStorageOptions,
  loginTempAuth,
  NetworkError,
  PermissionError,
  PreAuth,
  SwiftStore,
  TempAuth,
} from "../mod.ts";
import { AUTH_URL, login, raw, restartMemcached, tempAuth, utf8, withStore } from "./_swift.ts";

Deno.test("authFromEnv: pre-auth first, then TempAuth, else an error naming the variables", async () => {
  const pre = authFromEnv({
    OS_STORAGE_URL: "http://h/v1/AUTH_a",
    OS_AUTH_TOKEN: "tok-secret",
    ST_AUTH: "x",
  });
  assert.ok(pre instanceof PreAuth);
  assert.deepEqual(await pre.credentials(), { storageUrl: "http://h/v1/AUTH_a", token: "tok-secret" });
  const temp = authFromEnv({ ST_AUTH: AUTH_URL, ST_USER: "test:tester", ST_KEY: "key-secret" });
  assert.ok(temp instanceof TempAuth);
  assert.equal(temp.user, "test:tester");
  assert.throws(() => authFromEnv({}), (err: unknown) => {
    assert.ok(err instanceof TypeError);
    for (const name of ["OS_STORAGE_URL", "OS_AUTH_TOKEN", "ST_AUTH", "ST_USER", "ST_KEY"]) {
      assert.ok(err.message.includes(name), name);
    }
    assert.match(err.message, /none of them/);
    return true;
  });
  assert.throws(() => authFromEnv({ ST_AUTH: AUTH_URL, ST_KEY: "key-secret" }), (err: unknown) => {
    assert.match(String(err), /found only ST_AUTH, ST_KEY/);
    assert.ok(!String(err).includes("key-secret"));
    return true;
  });
  // Empty values count as unset.
  assert.throws(() => authFromEnv({ OS_STORAGE_URL: "", OS_AUTH_TOKEN: "" }), /none of them/);
});

Deno.test("authFromEnv reads the process environment when no map is given", () => {
  const names = ["OS_STORAGE_URL", "OS_AUTH_TOKEN", "ST_AUTH", "ST_USER", "ST_KEY"];
  const saved = names.map((n) => Deno.env.get(n));
  try {
    for (const n of names) Deno.env.delete(n);
    Deno.env.set("ST_AUTH", AUTH_URL);
    Deno.env.set("ST_USER", "test:tester");
    Deno.env.set("ST_KEY", "testing");
    assert.ok(authFromEnv() instanceof TempAuth);
  } finally {
    names.forEach((n, i) => saved[i] === undefined ? Deno.env.delete(n) : Deno.env.set(n, saved[i]!));
  }
});

Deno.test("authFromStorageOptions: seed options, and clear errors for the rest", () => {
  assert.ok(
    authFromStorageOptions({ preauthurl: "http://h/v1/AUTH_a", preauthtoken: "t" }) instanceof PreAuth,
  );
  assert.ok(
    authFromStorageOptions({ authurl: AUTH_URL, user: "a:b", key: "k", auth_version: "1.0" }) instanceof
      TempAuth,
  );
  // deno-lint-ignore no-explicit-any
  assert.throws(() => authFromStorageOptions({ os_options: {} } as any), /found os_options/);
  assert.throws(
    () => authFromStorageOptions({ authurl: AUTH_URL, user: "a", key: "k", auth_version: 3 }),
    /"1.0"/,
  );
  assert.throws(() => authFromStorageOptions({ user: "a" }), /preauthurl.*or authurl, user and key/);
  assert.throws(() => new TempAuth({ authUrl: AUTH_URL, user: "", key: "k" }), /"user"/);
  assert.throws(() => new PreAuth({ storageUrl: "" }), /"storageUrl"/);
});

Deno.test("TempAuth: login answers the storage URL, token and expiry; a wrong key is an AuthError", async () => {
  const token = await login();
  assert.match(token.storageUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1\/AUTH_test$/);
  assert.ok(token.expiresAt instanceof Date && token.expiresAt.getTime() > Date.now());
  await assert.rejects(
    loginTempAuth({ authUrl: AUTH_URL, user: "test:tester", key: "wrong-key-secret" }),
    (err: unknown) => {
      assert.ok(err instanceof AuthError);
      assert.equal(err.status, 401);
      assert.match(err.message, /test:tester.*user or key is wrong/);
      assert.ok(
        !JSON.stringify({ ...err, message: err.message, stack: err.stack }).includes("wrong-key-secret"),
      );
      return true;
    },
  );
  const auth = tempAuth();
  await auth.credentials();
  assert.ok(!JSON.stringify(auth).includes("testing"), "the key is not serialised");
  assert.ok(!Deno.inspect(auth).includes("AUTH_tk"), "the token is not shown");
});

Deno.test("a server that is not there is a NetworkError, not undefined", async () => {
  const auth = new PreAuth({ storageUrl: "http://127.0.0.1:1/v1/AUTH_x", token: "tok-secret" });
  await assert.rejects(SwiftStore.open({ container: "c", auth, retries: 0 }), (err: unknown) => {
    assert.ok(err instanceof NetworkError);
    assert.equal(err.method, "HEAD");
    assert.equal(err.path, "c");
    assert.ok(!String(err).includes("tok-secret"));
    return true;
  });
  await assert.rejects(
    loginTempAuth({ authUrl: "http://127.0.0.1:1/auth/v1.0", user: "a:b", key: "k" }),
    NetworkError,
  );
});

Deno.test("a user without access gets PermissionError, never undefined; an ACL grant and revoke take effect", async () => {
  await withStore(async (owner) => {
    await owner.set("/zarr.json", utf8('{"zarr_format":3,"node_type":"group","attributes":{}}'));
    const open = () =>
      SwiftStore.open({ container: owner.container, auth: tempAuth("tester2"), readOnly: true });
    await assert.rejects(open(), (err: unknown) => {
      assert.ok(err instanceof PermissionError);
      assert.equal(err.status, 403);
      assert.equal(err.method, "HEAD");
      assert.equal(err.path, owner.container);
      return true;
    });
    const acl = async (value: string) => {
      const res = await raw("POST", `/${owner.container}`, { headers: { "X-Container-Read": value } });
      assert.equal(res.status, 204);
    };
    await acl("test:tester2");
    const reader = await open();
    assert.deepEqual(await reader.get("/zarr.json"), await owner.get("/zarr.json"));
    assert.equal(await reader.get("/missing"), undefined);
    // Read access is not write access.
    const writer = await SwiftStore.open({ container: owner.container, auth: tempAuth("tester2") });
    await assert.rejects(writer.set("/x", utf8("x")), (err: unknown) => {
      assert.ok(err instanceof PermissionError);
      assert.equal(err.method, "PUT");
      return true;
    });
    // Revoked while the store is open: reads fail loudly instead of looking missing.
    await acl("test:someone-else");
    await assert.rejects(reader.get("/zarr.json"), PermissionError);
    await assert.rejects(reader.get("/missing"), PermissionError);
    await assert.rejects(reader.has("/zarr.json"), PermissionError);
    await assert.rejects(reader.list().next(), PermissionError);
  });
});

Deno.test("a user of another account cannot reach this account's container", async () => {
  await withStore(async (owner) => {
    const { token } = await login("tester3");
    const { storageUrl } = await login("tester");
    const auth = new PreAuth({ storageUrl, token });
    await assert.rejects(
      SwiftStore.open({ container: owner.container, auth, readOnly: true }),
      PermissionError,
    );
  });
});

/** A fetch that counts TempAuth logins. */
function countingLogins(): { fetch: typeof fetch; logins: () => number } {
  let logins = 0;
  return {
    fetch: (input, init) => {
      logins++;
      return fetch(input, init);
    },
    logins: () => logins,
  };
}

Deno.test("token loss mid-job (memcached restarted): TempAuth logs in once again and every write lands", async () => {
  const counter = countingLogins();
  await withStore(async (store) => {
    await store.set("/before", utf8("1"));
    assert.equal(counter.logins(), 1);
    await restartMemcached(); // every TempAuth token is gone now
    // 40 concurrent writes all meet the 401; they share one new login.
    const keys = Array.from({ length: 40 }, (_, i) => `/after/${i}` as const);
    await Promise.all(keys.map((key, i) => store.set(key, utf8(String(i)))));
    assert.equal(counter.logins(), 2, "exactly one re-login for all concurrent requests");
    for (const [i, key] of keys.entries()) assert.deepEqual(await store.get(key), utf8(String(i)));
  }, { auth: tempAuth("tester", counter.fetch), concurrency: 16 });
});

Deno.test("token loss with a pre-authenticated token: an AuthError that says it expired", async () => {
  await withStore(async (owner) => {
    const { storageUrl, token } = await login();
    const store = await SwiftStore.open({
      container: owner.container,
      auth: new PreAuth({ storageUrl, token }),
    });
    await store.set("/k", utf8("v"));
    await restartMemcached();
    for (const attempt of [() => store.get("/k"), () => store.set("/k", utf8("w"))]) {
      await assert.rejects(attempt(), (err: unknown) => {
        assert.ok(err instanceof AuthError);
        assert.equal(err.status, 401);
        assert.match(err.message, /expired or invalid.*; a pre-authenticated token cannot be renewed here/);
        assert.ok(!err.message.includes(token));
        assert.ok(!String(err.stack).includes(token));
        return true;
      });
    }
  });
});

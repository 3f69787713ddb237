/**
 * One ConnectionOptions shape: a store's `fetch` (and retry settings) reach every
 * request it causes, the logins of the provider it builds included.
 */
import assert from "node:assert/strict";
import { SwiftAccount, SwiftStore } from "../mod.ts";
import { AUTH_URL, dropContainer, uniqueName, USERS } from "./_swift.ts";

function counting() {
  const seen: string[] = [];
  const f: typeof fetch = (input, init) => {
    seen.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
    return fetch(input, init);
  };
  return { seen, fetch: f };
}

Deno.test("an injected fetch reaches the login of the provider built from storageOptions", async () => {
  const container = uniqueName("conn");
  const c = counting();
  try {
    const store = await SwiftStore.open({
      container,
      storageOptions: { authurl: AUTH_URL, user: USERS.tester.user, key: USERS.tester.key },
      fetch: c.fetch,
    });
    await store.set("/k", new TextEncoder().encode("v"));
    assert.equal(c.seen[0], "/auth/v1.0", `the login went through the injected fetch: ${c.seen.join(", ")}`);
    assert.ok(c.seen.some((p) => p.endsWith("/k")));
  } finally {
    await dropContainer(container);
  }
});

Deno.test("an injected fetch reaches the login of the provider built from the environment", async () => {
  const names = ["ST_AUTH", "ST_USER", "ST_KEY", "OS_STORAGE_URL", "OS_AUTH_TOKEN", "OS_AUTH_URL"];
  const saved = Object.fromEntries(names.map((n) => [n, Deno.env.get(n)]));
  const c = counting();
  try {
    for (const n of names) Deno.env.delete(n);
    Deno.env.set("ST_AUTH", AUTH_URL);
    Deno.env.set("ST_USER", USERS.tester.user);
    Deno.env.set("ST_KEY", USERS.tester.key);
    const account = await SwiftAccount.open({ fetch: c.fetch });
    await account.stat();
    assert.deepEqual(c.seen.slice(0, 1), ["/auth/v1.0"]);
    assert.ok(c.seen.length >= 2);
  } finally {
    for (const [n, v] of Object.entries(saved)) v === undefined ? Deno.env.delete(n) : Deno.env.set(n, v);
  }
});

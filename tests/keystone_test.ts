/** KeystoneAuth against a real Keystone 22 (dev/keystone.sh) and a Swift proxy that trusts it. */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { AuthError, authFromEnv, KeystoneAuth, objectStoreEndpoint, SwiftStore } from "../mod.ts";

const KS = "http://127.0.0.1:5000/v3";
const HOME = Deno.env.get("ZARRSWIFT_SWIFT_HOME") ?? "/tmp/zarrswift-swift";
const ALICE = {
  authUrl: KS,
  username: "alice",
  password: "alice-pass",
  userDomainName: "Default",
  projectName: "zarr",
  projectDomainName: "Default",
};

function appCred(): { id: string; secret: string; name: string; user_id: string; project_id: string } {
  return JSON.parse(Deno.readTextFileSync(`${HOME}/keystone/app-cred.json`));
}

/** Counts logins (POST /v3/auth/tokens). */
function counting() {
  const c = {
    logins: 0,
    fetch: ((input, init) => {
      if (String(input).endsWith("/auth/tokens") && init?.method === "POST") c.logins++;
      return fetch(input, init);
    }) as typeof fetch,
  };
  return c;
}

/** Empties and deletes a store's container, with the store's own Keystone credentials. */
async function dropContainer(store: SwiftStore, auth: KeystoneAuth): Promise<void> {
  await store.deletePrefix("/");
  const { storageUrl, token } = await auth.credentials();
  const res = await fetch(`${storageUrl}/${store.container}`, {
    method: "DELETE",
    headers: { "X-Auth-Token": token! },
  });
  await res.body?.cancel();
}

async function roundTrip(auth: KeystoneAuth, label: string): Promise<void> {
  const container = `zs-ks-${label}-${Date.now().toString(36)}`;
  const store = await SwiftStore.open({ container, auth });
  try {
    const arr = await zarr.create(zarr.root(store).resolve("a"), {
      shape: [10],
      chunkShape: [4],
      dtype: "int32",
    });
    const values = Int32Array.from({ length: 10 }, (_, i) => i * i);
    await zarr.set(arr, null, { data: values, shape: [10], stride: [1] });
    const reader = await SwiftStore.open({ container, auth, readOnly: true });
    const { data } = await zarr.get(await zarr.open(zarr.root(reader).resolve("a"), { kind: "array" }));
    assert.deepEqual(data, values);
    assert.match(store.url, new RegExp(`^http://127\\.0\\.0\\.1:8091/v1/AUTH_${appCred().project_id}/`));
  } finally {
    await dropContainer(store, auth);
  }
}

Deno.test("objectStoreEndpoint: region and interface, and errors that list what exists", () => {
  const catalog = [
    { type: "identity", endpoints: [{ interface: "public", region_id: "RegionOne", url: "http://ks/v3" }] },
    {
      type: "object-store",
      endpoints: [
        { interface: "public", region_id: "RegionOne", url: "http://one/v1/AUTH_p/" },
        { interface: "internal", region_id: "RegionOne", url: "http://one-internal/v1/AUTH_p" },
        { interface: "public", region_id: "RegionTwo", url: "http://two/v1/AUTH_p" },
      ],
    },
  ];
  assert.equal(objectStoreEndpoint(catalog), "http://one/v1/AUTH_p");
  assert.equal(objectStoreEndpoint(catalog, { region: "RegionTwo" }), "http://two/v1/AUTH_p");
  assert.equal(objectStoreEndpoint(catalog, { interface: "internal" }), "http://one-internal/v1/AUTH_p");
  assert.throws(
    () => objectStoreEndpoint(catalog, { region: "Mars" }),
    /region "Mars", found regions "RegionOne", "RegionTwo"/,
  );
  assert.throws(
    () => objectStoreEndpoint(catalog, { region: "RegionTwo", interface: "admin" }),
    /found interfaces public/,
  );
  assert.throws(
    () => objectStoreEndpoint(catalog.slice(0, 1)),
    /object-store endpoint in the service catalog, found only identity/,
  );
});

Deno.test("KeystoneAuth and authFromEnv: options checked before any request", () => {
  assert.throws(() => new KeystoneAuth({ authUrl: KS }), /exactly one way to authenticate/);
  assert.throws(() => new KeystoneAuth({ authUrl: KS, password: "p" }), /username or userId/);
  assert.throws(() => new KeystoneAuth({ authUrl: KS, username: "a", password: "p" }), /userDomainName/);
  assert.throws(
    () => new KeystoneAuth({ ...ALICE, projectDomainName: undefined }),
    /projectDomainName or projectDomainId with projectName/,
  );
  assert.equal(new KeystoneAuth({ ...ALICE, authUrl: "http://127.0.0.1:5000" }).authUrl, KS);
  const fromEnv = authFromEnv({
    OS_AUTH_URL: KS,
    OS_USERNAME: "alice",
    OS_PASSWORD: "alice-pass",
    OS_PROJECT_NAME: "zarr",
    OS_USER_DOMAIN_NAME: "Default",
    OS_PROJECT_DOMAIN_NAME: "Default",
    OS_REGION_NAME: "RegionOne",
    OS_INTERFACE: "publicURL",
  });
  assert.ok(fromEnv instanceof KeystoneAuth);
  assert.ok(!JSON.stringify(fromEnv).includes("alice-pass"));
  assert.ok(
    authFromEnv({
      OS_AUTH_URL: KS,
      OS_APPLICATION_CREDENTIAL_ID: "x",
      OS_APPLICATION_CREDENTIAL_SECRET: "s",
    }) instanceof KeystoneAuth,
  );
  assert.throws(
    () => authFromEnv({ OS_AUTH_URL: KS, OS_USERNAME: "alice" }),
    /found only OS_AUTH_URL, OS_USERNAME/,
  );
});

Deno.test("Keystone password login: a zarr round trip through the Keystone-backed Swift", async () => {
  await roundTrip(new KeystoneAuth({ ...ALICE, region: "RegionOne" }), "pw");
});

Deno.test("Keystone application credential: a zarr round trip", async () => {
  const { id, secret } = appCred();
  await roundTrip(
    new KeystoneAuth({ authUrl: KS, applicationCredentialId: id, applicationCredentialSecret: secret }),
    "ac",
  );
  const byName = new KeystoneAuth({
    authUrl: KS,
    applicationCredentialName: appCred().name,
    applicationCredentialSecret: secret,
    username: "alice",
    userDomainName: "Default",
  });
  assert.match((await byName.credentials()).storageUrl, /AUTH_/);
});

Deno.test("a revoked Keystone token: one new login, and the job goes on", async () => {
  const c = counting();
  const auth = new KeystoneAuth({ ...ALICE, fetch: c.fetch });
  const container = `zs-ks-revoke-${Date.now().toString(36)}`;
  const store = await SwiftStore.open({ container, auth });
  try {
    await store.set("/before", new TextEncoder().encode("1"));
    assert.equal(c.logins, 1);
    const { token } = await auth.credentials();
    const revoke = await fetch(`${KS}/auth/tokens`, {
      method: "DELETE",
      headers: { "X-Auth-Token": token!, "X-Subject-Token": token! },
    });
    assert.equal(revoke.status, 204);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.set(`/after/${i}`, new TextEncoder().encode(`${i}`))),
    );
    assert.equal(c.logins, 2, "one login shared by the concurrent requests");
    assert.deepEqual(await store.get("/after/9"), new TextEncoder().encode("9"));
  } finally {
    await dropContainer(store, auth);
  }
});

Deno.test("Keystone errors: wrong password, unscoped token, unknown region, unknown interface", async () => {
  await assert.rejects(
    new KeystoneAuth({ ...ALICE, password: "wrong-pass", retry: { retries: 0 } }).credentials(),
    (err: unknown) => {
      assert.ok(err instanceof AuthError);
      assert.equal(err.status, 401);
      assert.match(err.message, /credentials are wrong/);
      assert.ok(!err.message.includes("wrong-pass"));
      return true;
    },
  );
  await assert.rejects(
    new KeystoneAuth({ ...ALICE, projectName: undefined, projectDomainName: undefined }).credentials(),
    /unscoped one: give projectName/,
  );
  await assert.rejects(
    new KeystoneAuth({ ...ALICE, region: "Atlantis" }).credentials(),
    /found regions "RegionOne"/,
  );
  const internal = await new KeystoneAuth({ ...ALICE, interface: "internal" }).credentials();
  assert.match(internal.storageUrl, /:8091\/v1\/AUTH_/);
  const override = await new KeystoneAuth({ ...ALICE, storageUrl: "http://127.0.0.1:8091/v1/AUTH_x/" })
    .credentials();
  assert.equal(override.storageUrl, "http://127.0.0.1:8091/v1/AUTH_x");
});

Deno.test("authFromEnv with the OS_* variables of dev/keystone.sh env", async () => {
  const out = await new Deno.Command("bash", { args: ["dev/keystone.sh", "env"], stdout: "piped" }).output();
  const env = Object.fromEntries(
    [...new TextDecoder().decode(out.stdout).matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]),
  );
  const auth = authFromEnv(env);
  assert.ok(auth instanceof KeystoneAuth);
  const { storageUrl } = await auth.credentials();
  assert.match(storageUrl, new RegExp(`AUTH_${appCred().project_id}$`));
});

Deno.test("scripts take the swift CLI's --os-* flags for Keystone", async () => {
  const run = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/ls.ts", ...args],
      env: { PATH: Deno.env.get("PATH") ?? "", NO_COLOR: "1" },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
  const flags = [
    "--os-auth-url",
    KS,
    "--os-username",
    "alice",
    "--os-password",
    "alice-pass",
    "--os-user-domain-name",
    "Default",
    "--os-project-name",
    "zarr",
    "--os-project-domain-name",
    "Default",
    "--os-region-name",
    "RegionOne",
  ];
  const ok = await run(flags);
  assert.equal(ok.code, 0, new TextDecoder().decode(ok.stderr));
  const bad = await run([...flags.slice(0, -2), "--os-region-name", "Atlantis"]);
  assert.equal(bad.code, 1);
  const stderr = new TextDecoder().decode(bad.stderr);
  assert.match(stderr, /found regions "RegionOne"/);
  assert.ok(!stderr.includes("alice-pass"));
});

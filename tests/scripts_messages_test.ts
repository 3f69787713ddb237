/**
 * The scripts' keys, tokens, stats and messages (issue 12, item 8), as subprocesses
 * against the real Swift (and the Keystone of dev/keystone.sh): `tempurl.ts` signs
 * offline when given the key (URL, swift's `/v1/…` path, or `<container>/<object>`
 * with `OS_STORAGE_URL`), byte-identical to `swift tempurl`; `key.ts` sets and
 * rotates keys; `token.ts` logs in with Keystone; `stat.ts` shows user metadata and
 * `X-Delete-At` with snake_case JSON keys; CLI messages give CLI advice; bad ACL
 * entries are refused.
 */
import assert from "node:assert/strict";
import { setTempUrlKey, SwiftStore } from "../mod.ts";
import { hostileTest, type Scope } from "./_hostile.ts";
import { type Ran, script } from "./_scripts.ts";
import { AUTH_URL, dropContainer, login, raw, tempAuth, uniqueName, USERS, utf8 } from "./_swift.ts";

/** A container with `dir/obj`, dropped at the end. */
async function withObject(t: Scope, label: string): Promise<{ name: string; store: SwiftStore }> {
  const name = uniqueName(label);
  t.defer(() => dropContainer(name));
  const store = await SwiftStore.open({ container: name, auth: tempAuth() });
  await store.set("/dir/obj", utf8("via tempurl"));
  return { name, store };
}

/** python-swiftclient's `swift tempurl` (it never contacts the server). */
async function swiftTempurl(args: string[]): Promise<string> {
  const out = await new Deno.Command("swift", {
    args: ["tempurl", ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim();
}

/** The status of a GET of `url`. */
async function status(url: string): Promise<number> {
  const res = await fetch(url);
  await res.body?.cancel();
  return res.status;
}

/** The one line a script printed on stderr. */
function oneLine(ran: Ran): string {
  const lines = ran.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line, found: ${ran.stderr}`);
  return lines[0];
}

hostileTest(
  "tempurl.ts signs offline with a given key, in swift's three forms, as `swift tempurl` does",
  async (t) => {
    const { name, store } = await withObject(t, "offline");
    const key = `offline-${crypto.randomUUID()}`;
    await setTempUrlKey(store, key, { scope: "container" });
    const epoch = String(Math.floor(Date.now() / 1000) + 600);
    const path = `${new URL(store.url).pathname}/dir/obj`;
    const origin = new URL(store.url).origin;
    const none = { env: {}, secrets: [key] }; // no credentials at all: a login would fail

    const fromPath = await script("tempurl", ["--absolute", "GET", epoch, path, key], none);
    assert.equal(fromPath.code, 0, fromPath.stderr);
    const past = await script("tempurl", ["GET", "2020-01-01", path, key], none);
    assert.equal(past.code, 2, "a time in the past is bad usage");
    assert.equal(
      oneLine(past),
      "tempurl.ts: expected a <time> in the future, found 2020-01-01 (2020-01-01T00:00:00.000Z) (see --help)",
    );
    assert.equal(fromPath.stdout.trim(), await swiftTempurl(["--absolute", "GET", epoch, path, key]));
    assert.ok(fromPath.stdout.startsWith("/v1/"), "swift's path form is printed back as a path");
    assert.equal(await status(origin + fromPath.stdout.trim()), 200);

    const fromUrl = await script("tempurl", [
      "--absolute",
      "--digest",
      "sha512",
      "GET",
      epoch,
      origin + path,
      key,
    ], none);
    assert.equal(fromUrl.code, 0, fromUrl.stderr);
    assert.equal(
      fromUrl.stdout.trim(),
      await swiftTempurl(["--absolute", "--digest", "sha512", "GET", epoch, origin + path, key]),
    );
    assert.equal(await status(fromUrl.stdout.trim()), 200);

    // <container>/<object> with only a storage URL (no token) and the key from the environment.
    const { storageUrl } = await login();
    const fromName = await script("tempurl", ["--absolute", "GET", epoch, `${name}/dir/obj`], {
      env: { OS_STORAGE_URL: storageUrl, OS_TEMP_URL_KEY: key },
      secrets: [key],
    });
    assert.equal(fromName.code, 0, fromName.stderr);
    assert.equal(
      fromName.stdout.trim(),
      await swiftTempurl(["--absolute", "GET", epoch, origin + path, key]),
    );

    // A prefix naming no object part is the whole container: opt-in, in the path form too.
    const whole = await script(
      "tempurl",
      ["--prefix", "GET", "1h", `${new URL(store.url).pathname}/`, key],
      none,
    );
    assert.equal(whole.code, 2);
    assert.match(oneLine(whole), /--whole-container/);
    const optIn = await script("tempurl", ["--prefix", "--whole-container", "GET", "1h", `${name}/`, key], {
      env: { OS_STORAGE_URL: storageUrl },
      secrets: [key],
    });
    assert.equal(optIn.code, 0, optIn.stderr);
    assert.equal(await status(optIn.stdout.trim().replace(`/${name}/?`, `/${name}/dir/obj?`)), 200);
    const tooLong = await script("tempurl", ["GET", "400d", path, key], none);
    assert.equal(tooLong.code, 2);
    assert.match(oneLine(tooLong), /--allow-long-expiry/);

    // No key given and none set: say how to set one.
    const { name: bare } = await withObject(t, "nokey");
    const noKey = await script("tempurl", ["GET", "1h", `${bare}/dir/obj`]);
    assert.equal(noKey.code, 1);
    assert.match(oneLine(noKey), /key\.ts set /);
  },
  60_000,
);

hostileTest(
  "key.ts sets, rotates and removes keys: links signed with the old key keep working until the next rotate",
  async (t) => {
    const { name } = await withObject(t, "keys");
    const { storageUrl } = await login();
    const keyOf = (ran: Ran) => {
      assert.equal(ran.code, 0, ran.stderr);
      const m = /^export OS_TEMP_URL_KEY='([0-9a-f]{64})'$/m.exec(ran.stdout);
      assert.ok(m, `an export line: ${ran.stdout}`);
      return m[1];
    };
    const link = async (key: string) => {
      const ran = await script("tempurl", ["GET", "1h", `${name}/dir/obj`], {
        env: { OS_STORAGE_URL: storageUrl, OS_TEMP_URL_KEY: key },
        secrets: [key],
      });
      assert.equal(ran.code, 0, ran.stderr);
      return ran.stdout.trim();
    };
    const first = keyOf(await script("key", ["set", "--generate", name]));
    const link1 = await link(first);
    assert.equal(await status(link1), 200);
    const second = keyOf(await script("key", ["rotate", "--generate", name]));
    const link2 = await link(second);
    assert.deepEqual([await status(link1), await status(link2)], [200, 200], "both keys work after a rotate");
    const shown = await script("key", ["show", name], { secrets: [first, second] });
    assert.equal(shown.stdout.trim(), `TempURL keys of container ${name}: first set, second set`);
    keyOf(await script("key", ["rotate", "--generate", name]));
    assert.deepEqual(
      [await status(link1), await status(link2)],
      [401, 200],
      "the next rotate retires the first key",
    );
    assert.equal((await script("key", ["remove", "--second", name])).code, 0);
    assert.equal(await status(link2), 401);
    const bad = await script("key", ["set", "--temp-url-key", "a\nb", name]);
    assert.equal(bad.code, 2);
    assert.match(oneLine(bad), /CR, LF or NUL/);
    const account = await script("key", ["show", "--account"]);
    assert.match(account.stdout, /^TempURL keys of the account: first (not )?set, second (not )?set$/m);
  },
  60_000,
);

hostileTest("token.ts logs in with Keystone (--os-* flags, the password from a hidden prompt)", async () => {
  const flags = [
    "--os-auth-url",
    "http://127.0.0.1:5000/v3",
    "--os-username",
    "alice",
    "--os-user-domain-name",
    "Default",
    "--os-project-name",
    "zarr",
    "--os-project-domain-name",
    "Default",
  ];
  const prompted = await script("token", flags, { env: {}, stdin: "alice-pass\n", secrets: ["alice-pass"] });
  assert.equal(prompted.code, 0, prompted.stderr);
  const vars = Object.fromEntries(
    [...prompted.stdout.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]),
  );
  assert.deepEqual(Object.keys(vars), ["OS_STORAGE_URL", "OS_AUTH_TOKEN"]);
  assert.match(vars.OS_STORAGE_URL, /^http:\/\/127\.0\.0\.1:8091\/v1\/AUTH_/);
  const listed = await script("ls", [], { env: vars, secrets: [vars.OS_AUTH_TOKEN] });
  assert.equal(listed.code, 0, listed.stderr);
  const wrong = await script("token", [...flags, "--os-password", "not-alice"], {
    env: {},
    secrets: ["not-alice"],
  });
  assert.equal(wrong.code, 1);
}, 60_000);

hostileTest("stat.ts shows user metadata and X-Delete-At; --json keys are stable snake_case", async (t) => {
  const { name, store } = await withObject(t, "stat");
  const deleteAt = Math.floor(Date.now() / 1000) + 3600;
  const put = await raw("PUT", `/${name}/meta.txt`, {
    headers: { "X-Object-Meta-Color": "blue", "X-Delete-At": String(deleteAt) },
    body: "with metadata",
  });
  assert.equal(put.status, 201);
  const post = await raw("POST", `/${name}`, { headers: { "X-Container-Meta-Project": "zarr" } });
  assert.equal(post.status, 204);
  const key = `stat-${crypto.randomUUID()}`;
  await setTempUrlKey(store, key, { scope: "container" });

  const object = await script("stat", ["--json", `${name}/meta.txt`]);
  const o = JSON.parse(object.stdout);
  assert.deepEqual(Object.keys(o), [
    "object",
    "container",
    "url",
    "size",
    "etag",
    "content_type",
    "last_modified",
    "large_object",
    "delete_at",
    "headers",
    "metadata",
  ]);
  assert.deepEqual(o.headers, {}, "no other kept header was set");
  assert.deepEqual(
    { size: o.size, large_object: o.large_object, delete_at: o.delete_at, metadata: o.metadata },
    {
      size: 13,
      large_object: false,
      delete_at: new Date(deleteAt * 1000).toISOString(),
      metadata: { color: "blue" },
    },
  );
  const human = await script("stat", [`${name}/meta.txt`]);
  assert.match(human.stdout, /^ *Meta color: blue$/m);
  assert.match(human.stdout, new RegExp(`^ *Delete at: ${new Date(deleteAt * 1000).toISOString()}$`, "m"));

  const container = await script("stat", ["--json", name], { secrets: [key] });
  const c = JSON.parse(container.stdout);
  assert.ok(Object.keys(c).every((k) => /^[a-z]+(_[a-z]+)*$/.test(k)), Object.keys(c).join(", "));
  assert.deepEqual({ objects: c.objects, temp_url_keys: c.temp_url_keys, metadata: c.metadata }, {
    objects: 2,
    temp_url_keys: 1,
    metadata: { project: "zarr" },
  });
  const account = JSON.parse((await script("stat", ["--json"])).stdout);
  assert.ok(Object.keys(account).every((k) => /^[a-z]+(_[a-z]+)*$/.test(k)), Object.keys(account).join(", "));
}, 60_000);

hostileTest(
  "CLI messages give CLI advice; unknown flags get one line; bad ACL entries are refused",
  async (t) => {
    const missing = await script("share", [`${uniqueName("missing")}/ds`]);
    assert.equal(missing.code, 1);
    const line = oneLine(missing);
    assert.ok(!/createContainer/.test(line), line);
    assert.match(line, /does not exist|to exist, found none/);
    assert.match(line, /ls\.ts lists your containers/);

    const storageAsAuth = await script("ls", ["--max-retry-time", "1"], {
      env: { ST_AUTH: (await login()).storageUrl, ST_USER: USERS.tester.user, ST_KEY: USERS.tester.key },
    });
    assert.equal(storageAsAuth.code, 1);
    assert.match(oneLine(storageAsAuth), /that is a storage URL, not an auth URL/);
    const wrongPath = await script("ls", ["--max-retry-time", "1"], {
      env: {
        ST_AUTH: AUTH_URL.replace("/auth/v1.0", "/"),
        ST_USER: USERS.tester.user,
        ST_KEY: USERS.tester.key,
      },
    });
    assert.equal(wrongPath.code, 1);
    assert.match(oneLine(wrongPath), /no TempAuth endpoint there.*check the auth URL/);
    assert.ok(!/container/.test(wrongPath.stderr), wrongPath.stderr);

    for (const name of ["upload", "download", "rm", "tempurl", "key", "token"]) {
      const unknown = await script(name, ["--frobnicate"]);
      assert.equal(unknown.code, 2);
      assert.equal(oneLine(unknown), `${name}.ts: unknown option --frobnicate (see --help)`);
    }
    const noValue = await script("ls", ["--retries"]);
    assert.equal(noValue.code, 2);
    assert.match(oneLine(noValue), /^ls\.ts: .*--retries.*\(see --help\)$/);
    // Bad usage says what it found.
    for (
      const [name, args, found] of [
        ["sync", ["a/x", "b/y"], 'found two locations \\("a/x" and "b/y"\\)'],
        ["sync", ["./a", "./b"], 'found two local paths \\("./a" and "./b"\\)'],
        ["cat", ["some-container"], 'found a container \\("some-container"\\)'],
        ["key", ["sett", "c"], 'found "sett"'],
        ["acl", ["grnt", "c"], 'found "grnt"'],
        ["upload", ["--segment-size", "0", ".", "c"], "found 0"],
      ] as const
    ) {
      const ran = await script(name, [...args]);
      assert.equal(ran.code, 2, `${name} ${args.join(" ")}: ${ran.stderr}`);
      assert.match(oneLine(ran), new RegExp(found), `${name} ${args.join(" ")}`);
    }

    const c = uniqueName("acl-bad");
    t.defer(() => dropContainer(c));
    await SwiftStore.open({ container: c, auth: tempAuth() });
    for (const who of ["bad acl,,", "a,b", "x y"]) {
      const bad = await script("acl", ["grant", c, who]);
      assert.equal(bad.code, 2, who);
      assert.match(oneLine(bad), /is not one ACL entry/);
    }
    assert.deepEqual(JSON.parse((await script("acl", ["show", "--json", c])).stdout), {
      read: [],
      write: [],
    });
    const noKey = await script("key", ["remove", "--second", c]);
    assert.equal(noKey.code, 0, noKey.stderr);
    assert.equal(
      oneLine(noKey),
      `key.ts: the second TempURL key of container ${c} is not set: nothing removed`,
    );
    const absent = await script("acl", ["revoke", c, "test:nobody"]);
    assert.equal(absent.code, 0, absent.stderr);
    assert.equal(oneLine(absent), `acl.ts: test:nobody is not in the read ACL of ${c}: nothing revoked`);
  },
  90_000,
);

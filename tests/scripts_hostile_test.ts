/**
 * The scripts against hostile names and outages (issue 14, items 5 and 6), run as
 * subprocesses against the real Swift: control characters in object names are
 * escaped in human output (JSON stays exact); whole-container TempURLs and shares
 * need an opt-in (`--whole-container`); `upload.ts` rides out its proxy going down
 * for 5 s; `download.ts` exits once done.
 */
import assert from "node:assert/strict";
import { setTempUrlKey, SwiftStore } from "../mod.ts";
import { forwardTo, type HostileServer, hostileTest, md5, type Scope } from "./_hostile.ts";
import { script, summary } from "./_scripts.ts";
import { AUTH_URL, dropContainer, login, randomBytes, tempAuth, uniqueName, utf8 } from "./_swift.ts";

const UPSTREAM = new URL(AUTH_URL).origin;

async function container(t: Scope, label: string): Promise<{ name: string; store: SwiftStore }> {
  const name = uniqueName(label);
  t.defer(() => dropContainer(name));
  return { name, store: await SwiftStore.open({ container: name, auth: tempAuth() }) };
}

// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x9b]/;

hostileTest(
  "ls.ts, ls.ts --long and rm.ts --dry-run escape control characters; --json stays exact",
  async (t) => {
    const { name, store } = await container(t, "escapes");
    const hostile = ["a\x1b]0;pwned\x07b", "c\x1b[2Jd", "e\rf", "g\nh"];
    for (const key of hostile) await store.set(`/${key}`, utf8("x"));
    for (const args of [[name], ["--long", name], ["--recursive", "--dry-run", name]]) {
      const ran = await script(args.includes("--dry-run") ? "rm" : "ls", args);
      assert.equal(ran.code, 0, ran.stderr);
      const shown = ran.stdout.split("\n").map((line) => JSON.stringify(line)).filter((l) =>
        CONTROL.test(JSON.parse(l))
      );
      assert.deepEqual(shown, [], `${args.join(" ")}: raw control characters printed`);
    }
    const listed = await script("ls", ["--json", name]);
    const names = listed.stdout.trim().split("\n").map((line) => JSON.parse(line).name);
    assert.deepEqual(names.sort(), [...hostile].sort(), "--json keeps the names exact");
  },
);

hostileTest("tempurl.ts --prefix and share.ts over a whole container need --whole-container", async (t) => {
  const { name, store } = await container(t, "whole");
  await setTempUrlKey(store, `key-${crypto.randomUUID()}`, { scope: "container" });
  const refused: [string, string[]][] = [
    ["tempurl.ts --prefix C/", ["--prefix", "GET", "1h", `${name}/`]],
    ["tempurl.ts --prefix C", ["--prefix", "GET", "1h", name]],
  ];
  for (const [what, args] of refused) {
    const ran = await script("tempurl", args);
    assert.ok(!/temp_url_prefix=/.test(ran.stdout), `${what} signed ${ran.stdout.trim().slice(-60)}`);
    assert.equal(ran.code, 2, `${what}: exit ${ran.code}`);
  }
  const share = await script("share", ["--expires", "1h", name]);
  assert.ok(!/temp_url_prefix=/.test(share.stdout), "share.ts C signed a whole-container link");
  assert.equal(share.code, 2, `share.ts C: exit ${share.code}`);
  const optIn = await script("tempurl", ["--prefix", "--whole-container", "GET", "1h", `${name}/`]);
  assert.equal(optIn.code, 0, optIn.stderr);
  assert.match(optIn.stdout, /temp_url_prefix=(&|\s|$)/);
  const shareOptIn = await script("share", ["--whole-container", "--expires", "1h", name]);
  assert.equal(shareOptIn.code, 0, shareOptIn.stderr);
});

hostileTest(
  "upload.ts of 800 files rides out its proxy going down for 5 s: exit 0, every file correct",
  async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "zs-outage-" });
    t.defer(() => Deno.remove(dir, { recursive: true }));
    const local = new Map<string, string>();
    for (let i = 0; i < 800; i++) {
      const bytes = randomBytes(512 + (i % 97));
      const rel = `d${i % 8}/f${i}`;
      await Deno.mkdir(`${dir}/d${i % 8}`, { recursive: true });
      await Deno.writeFile(`${dir}/${rel}`, bytes);
      local.set(rel, md5(bytes));
    }
    const { name } = await container(t, "up-outage");
    const holder: { proxy?: HostileServer } = {};
    const forward = forwardTo(UPSTREAM, () => holder.proxy!.origin);
    let outage: Promise<void> | undefined;
    const proxy = holder.proxy = t.server((req) => {
      if (proxy.count === 200) outage = proxy.outage(5000);
      return forward(req);
    }, { log: false });
    const { storageUrl, token } = await login();
    const env = { OS_STORAGE_URL: storageUrl.replace(UPSTREAM, proxy.origin), OS_AUTH_TOKEN: token };
    const ran = await script("upload", ["--json", dir, name], { env, limit: 150_000 });
    assert.ok(outage, `the proxy went down mid-upload (it saw ${proxy.count} requests)`);
    await outage;
    const counts = summary(ran);
    assert.deepEqual(
      { uploaded: counts.uploaded, failed: counts.failed, code: ran.code },
      { uploaded: 800, failed: 0, code: 0 },
      ran.stderr.split("\n").slice(0, 3).join("\n"),
    );
    const store = await SwiftStore.open({ container: name, auth: tempAuth(), readOnly: true });
    const remote = new Map<string, string>();
    for await (const e of store.scan("/")) remote.set(e.key.slice(1), e.hash);
    assert.deepEqual(remote, local);
  },
  180_000,
);

hostileTest("download.ts exits once done, also after streaming an object larger than 4 MiB", async (t) => {
  const { name, store } = await container(t, "dl-exit");
  await store.set("/big.bin", randomBytes(5 << 20));
  const dir = await Deno.makeTempDir({ prefix: "zs-dl-exit-" });
  t.defer(() => Deno.remove(dir, { recursive: true }));
  const ran = await script("download", ["--json", name, dir], { limit: 30_000 });
  assert.equal(summary(ran).downloaded, 1);
  assert.ok(
    !ran.timedOut,
    "download.ts printed its summary, then did not exit for 30 s (a timer left running)",
  );
  assert.equal(ran.code, 0, ran.stderr);
}, 60_000);

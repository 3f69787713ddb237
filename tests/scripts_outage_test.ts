/**
 * A permanent outage ends a job (issue 12, item 7), as subprocesses against the
 * real Swift behind a proxy that goes down for good mid-job: `upload.ts` and
 * `download.ts` stop once 5 requests in a row failed after all their retries, with
 * one clear message, the summary kept and exit status 1, instead of one error per
 * file for minutes. The retry budget is made short (`--max-retry-time 2`) to bound
 * the test; the default (60 s) is the library's.
 */
import assert from "node:assert/strict";
import { SwiftStore } from "../mod.ts";
import { forwardTo, type HostileServer, hostileTest, type Scope } from "./_hostile.ts";
import { type Ran, script, summary } from "./_scripts.ts";
import { AUTH_URL, dropContainer, login, tempAuth, uniqueName, utf8 } from "./_swift.ts";

const UPSTREAM = new URL(AUTH_URL).origin;
const FILES = 300;

/** A proxy to the real Swift that goes down for good after `after` requests; the PreAuth env through it. */
async function failing(
  t: Scope,
  after: number,
): Promise<{ proxy: HostileServer; env: Record<string, string> }> {
  const holder: { proxy?: HostileServer } = {};
  const forward = forwardTo(UPSTREAM, () => holder.proxy!.origin);
  const proxy = holder.proxy = t.server((req) => {
    if (proxy.count === after) proxy.down();
    return forward(req);
  }, { log: false });
  const { storageUrl, token } = await login();
  return { proxy, env: { OS_STORAGE_URL: storageUrl.replace(UPSTREAM, proxy.origin), OS_AUTH_TOKEN: token } };
}

/** Asserts the outage stop: exit 1, one stop message, a few failures reported, the summary kept. */
function assertStopped(ran: Ran, name: string, done: "uploaded" | "downloaded"): void {
  assert.ok(!ran.timedOut, `${name} did not stop`);
  assert.equal(ran.code, 1, ran.stderr.slice(0, 500));
  const lines = ran.stderr.trim().split("\n");
  const stops = lines.filter((l) =>
    /stopped after 5 requests in a row failed after all their retries/.test(l)
  );
  assert.equal(stops.length, 1, `one stop message: ${ran.stderr.slice(0, 800)}`);
  assert.match(stops[0], new RegExp(`^${name}: .*the server looks down`));
  const counts = summary(ran);
  const failures = lines.filter((l) => l.startsWith(`${name}: `) && !/stopped after|retrying/.test(l));
  assert.equal(failures.length, counts.failed, "each failure counted is reported, one line each");
  assert.ok(
    counts.failed >= 5 && counts.failed <= 20,
    `failed ${counts.failed}: far fewer than the ${FILES} items`,
  );
  assert.ok(
    counts[done] >= 1 && counts[done] + counts.failed < FILES,
    `${done} ${counts[done]}, stopped early`,
  );
}

hostileTest(
  "upload.ts and download.ts stop on a permanent outage: one message, the summary, exit 1",
  async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "zs-down-" });
    t.defer(() => Deno.remove(dir, { recursive: true }));
    for (let i = 0; i < FILES; i++) {
      await Deno.mkdir(`${dir}/d${i % 10}`, { recursive: true });
      await Deno.writeFile(`${dir}/d${i % 10}/f${i}`, utf8(`file ${i}`));
    }
    const up = uniqueName("down-up");
    t.defer(() => dropContainer(up));
    await SwiftStore.open({ container: up, auth: tempAuth() });
    const upload = await failing(t, 60);
    const args = ["--json", "--max-retry-time", "2", "--concurrency", "4"];
    assertStopped(
      await script("upload", [...args, dir, up], { env: upload.env, limit: 90_000 }),
      "upload.ts",
      "uploaded",
    );

    const down = uniqueName("down-dl");
    t.defer(() => dropContainer(down));
    const store = await SwiftStore.open({ container: down, auth: tempAuth() });
    for (let i = 0; i < FILES; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => store.set(`/f${i + j}`, utf8(`object ${i + j}`))),
      );
    }
    const download = await failing(t, 60);
    const target = await Deno.makeTempDir({ prefix: "zs-down-dl-" });
    t.defer(() => Deno.remove(target, { recursive: true }));
    assertStopped(
      await script("download", [...args, down, target], { env: download.env, limit: 90_000 }),
      "download.ts",
      "downloaded",
    );
  },
  200_000,
);

/**
 * An interrupted large-object upload (issue 12, item 3), as subprocesses against the
 * real Swift behind a counting proxy: a failed or interrupted `upload.ts` leaves the
 * segments it sent and says how to resume or remove them; the re-run with
 * `--changed` sends only the missing segments (PUTs counted at the proxy); a changed
 * file's upload removes the old segments.
 */
import assert from "node:assert/strict";
import { SwiftStore } from "../mod.ts";
import { forwardTo, type HostileServer, hostileTest, md5, type Received } from "./_hostile.ts";
import { script, start, summary, until } from "./_scripts.ts";
import { AUTH_URL, dropContainer, login, randomBytes, raw, tempAuth, uniqueName } from "./_swift.ts";

const UPSTREAM = new URL(AUTH_URL).origin;
const MiB = 1 << 20;

async function segmentNames(container: string): Promise<string[]> {
  const res = await raw("GET", `/${container}_segments?format=json`);
  if (res.status === 404) {
    await res.body?.cancel();
    return [];
  }
  return (await res.json() as { name: string }[]).map((e) => e.name);
}

hostileTest(
  "an interrupted large upload re-run with --changed sends only the missing segments",
  async (t) => {
    const c = uniqueName("resume");
    t.defer(async () => {
      await dropContainer(c);
      await dropContainer(`${c}_segments`);
    });
    const dir = await Deno.makeTempDir({ prefix: "zs-resume-" });
    t.defer(() => Deno.remove(dir, { recursive: true }));
    const size = 8 * MiB + 1234;
    const total = Math.ceil(size / MiB); // segments of 1 MiB
    let bytes = randomBytes(size);
    await Deno.writeFile(`${dir}/big.bin`, bytes);

    // The proxy: counts PUTs; refuses (after the first ones are in) or holds segment PUTs from an index on.
    const mode = { refuseFrom: Infinity, holdFrom: Infinity };
    const count = { segments: 0, manifests: 0, puts: 0 };
    let firstIn: () => void = () => {};
    const firstAllIn = new Promise<void>((resolve) => (firstIn = resolve));
    const { storageUrl, token } = await login();
    const segmentPath = `${new URL(storageUrl).pathname}/${c}_segments/`;
    const holder: { proxy?: HostileServer } = {};
    const forward = forwardTo(UPSTREAM, () => holder.proxy!.origin);
    const proxy = holder.proxy = t.server(async (req: Received) => {
      if (req.method !== "PUT") return await forward(req);
      count.puts++;
      const segment = req.path.startsWith(segmentPath) ? /\/(\d{8})$/.exec(req.path) : null;
      const index = segment ? Number(segment[1]) : -1;
      if (index >= mode.refuseFrom) {
        await firstAllIn;
        return { status: 403, body: "refused by the test" };
      }
      if (index >= mode.holdFrom) return { status: 200, hang: true };
      const reply = await forward(req);
      if (reply.status === 201 && index >= 0) {
        count.segments++;
        if (count.segments === mode.refuseFrom) firstIn();
      }
      if (req.query.get("multipart-manifest") === "put") count.manifests++;
      return reply;
    }, { log: false });
    const env = { OS_STORAGE_URL: storageUrl.replace(UPSTREAM, proxy.origin), OS_AUTH_TOKEN: token };
    const args = ["--changed", "--segment-size", "1M", dir, c];
    const hint = new RegExp(
      `re-run with --changed to resume, or remove them with rm\\.ts -r ${c}_segments/big\\.bin/`,
    );

    // 1. Segments from 4 on are refused: the upload fails, 4 segments stay, and it says what to do.
    mode.refuseFrom = 4;
    const failed = await script("upload", args, { env });
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, hint);
    assert.equal((await segmentNames(c)).length, 4);

    // 2. Held from 6 on, then Ctrl-C: 4 and 5 were sent (0 to 3 reused), the note says how to resume.
    mode.refuseFrom = Infinity;
    mode.holdFrom = 6;
    count.segments = 0;
    const running = start("upload", args, { env });
    await until(() => count.segments === 2, "segments 4 and 5 are in");
    running.child.kill("SIGINT");
    const interrupted = await running.done;
    assert.equal(interrupted.code, 130, interrupted.stderr);
    assert.match(interrupted.stderr, hint);
    assert.equal((await segmentNames(c)).length, 6);

    // 3. The re-run sends the 3 missing segments and the manifest, nothing else.
    mode.holdFrom = Infinity;
    Object.assign(count, { segments: 0, manifests: 0, puts: 0 });
    const resumed = await script("upload", ["--json", ...args], { env });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(summary(resumed).uploaded, 1);
    assert.deepEqual(count, { segments: total - 6, manifests: 1, puts: total - 6 + 1 });
    assert.equal((await segmentNames(c)).length, total);
    const store = await SwiftStore.open({ container: c, auth: tempAuth(), readOnly: true });
    assert.equal(md5((await store.get("/big.bin"))!), md5(bytes));

    // 4. The file changes (same size, a new mtime): all new segments, and the old ones are removed.
    bytes = randomBytes(size);
    await Deno.writeFile(`${dir}/big.bin`, bytes);
    const later = new Date(Date.now() + 60_000);
    await Deno.utime(`${dir}/big.bin`, later, later);
    Object.assign(count, { segments: 0, manifests: 0, puts: 0 });
    const changed = await script("upload", ["--json", ...args], { env });
    assert.equal(changed.code, 0, changed.stderr);
    assert.deepEqual(count, { segments: total, manifests: 1, puts: total + 1 });
    assert.equal((await segmentNames(c)).length, total, "the old segments were removed");
    assert.equal(md5((await store.get("/big.bin"))!), md5(bytes));
  },
  180_000,
);

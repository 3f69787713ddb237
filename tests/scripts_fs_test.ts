/**
 * The scripts and the local filesystem (issue 14, item 4), against the real Swift
 * and real files, symlinks, FIFOs and sockets: `download.ts` never writes through a
 * symlink to outside its target and never leaves a half-written file under its
 * final name; `upload.ts` reports special and unreadable files and goes on, and
 * terminates on symlink loops; SIGINT during `upload.ts`, `download.ts` and `rm.ts`
 * prints a one-line summary and exits 130. Jobs are held mid-way by a proxy in front
 * of the real Swift that stops answering one request (the shared Swift is untouched).
 */
import assert from "node:assert/strict";
import { SwiftStore } from "../mod.ts";
import {
  forwardTo,
  type HostileServer,
  hostileTest,
  md5,
  type Received,
  type Reply,
  type Scope,
} from "./_hostile.ts";
import { scopedTempDir } from "./_movers.ts";
import { type Ran, script, start, summary } from "./_scripts.ts";
import { AUTH_URL, dropContainer, login, randomBytes, tempAuth, uniqueName, utf8 } from "./_swift.ts";

const UPSTREAM = new URL(AUTH_URL).origin;

/** Every file under `dir`: relative path → bytes. */
async function files(dir: string, rel = ""): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const e of Deno.readDir(rel ? `${dir}/${rel}` : dir)) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) { for (const [k, v] of await files(dir, r)) out.set(k, v); }
    else if (e.isFile) out.set(r, await Deno.readFile(`${dir}/${r}`));
  }
  return out;
}

/** A container filled with `objects` through the library, dropped at the end. */
async function filled(t: Scope, label: string, objects: Record<string, Uint8Array>): Promise<string> {
  const container = uniqueName(label);
  t.defer(() => dropContainer(container));
  const store = await SwiftStore.open({ container, auth: tempAuth() });
  await Promise.all(Object.entries(objects).map(([name, bytes]) => store.set(`/${name}`, bytes)));
  return container;
}

/**
 * A proxy in front of the real Swift; `hold` may answer a request itself (e.g. hang);
 * answers the proxy and the PreAuth environment that sends a script through it.
 */
async function proxied(
  t: Scope,
  hold: (req: Received, forward: (req: Received) => Promise<Reply>) => unknown,
): Promise<{ proxy: HostileServer; env: Record<string, string> }> {
  const holder: { proxy?: HostileServer } = {};
  const forward = forwardTo(UPSTREAM, () => holder.proxy!.origin);
  const proxy = holder.proxy = t.server(
    async (req) => (await hold(req, forward) as Reply | undefined) ?? forward(req),
    { log: false },
  );
  const { storageUrl, token } = await login();
  return { proxy, env: { OS_STORAGE_URL: storageUrl.replace(UPSTREAM, proxy.origin), OS_AUTH_TOKEN: token } };
}

/** A promise and its resolver. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

hostileTest("download.ts never writes through a symlink in the target directory to outside it", async (t) => {
  const container = await filled(t, "dl-link", {
    "a.txt": utf8("a"),
    "linkdir/inner.txt": utf8("written through the directory link"),
    "linkfile.txt": utf8("written through the file link"),
    "zz.txt": utf8("zz"),
  });
  const target = await scopedTempDir(t, "zs-fs-");
  const outside = await scopedTempDir(t, "zs-fs-");
  await Deno.writeTextFile(`${outside}/victim.txt`, "untouched");
  await Deno.symlink(outside, `${target}/linkdir`);
  await Deno.symlink(`${outside}/victim.txt`, `${target}/linkfile.txt`);
  const ran = await script("download", [container, target]);
  assert.equal(
    await Deno.readTextFile(`${outside}/victim.txt`),
    "untouched",
    "it wrote through the file symlink",
  );
  assert.deepEqual(
    [...(await files(outside)).keys()],
    ["victim.txt"],
    "it wrote through the directory symlink",
  );
  assert.equal(await Deno.readTextFile(`${target}/a.txt`), "a", "the rest goes on");
  assert.equal(await Deno.readTextFile(`${target}/zz.txt`), "zz", "the rest goes on");
  assert.equal(ran.code, 1, "the two objects that would write through a link failed");
  assert.match(ran.stderr, /linkdir\/inner\.txt/);
  assert.match(ran.stderr, /linkfile\.txt/);
}, 60_000);

hostileTest(
  "a download killed mid-file leaves only *.part files; download.ts --changed completes the tree",
  async (t) => {
    const objects: Record<string, Uint8Array> = { "big.bin": randomBytes(8 << 20) };
    for (let i = 0; i < 20; i++) objects[`small/${i}`] = randomBytes(1000 + i);
    const container = await filled(t, "dl-kill", objects);
    const stalled = signal();
    const { env } = await proxied(t, async (req, forward) => {
      if (req.method !== "GET" || !req.path.endsWith("/big.bin")) return undefined;
      const reply = await forward(req);
      reply.body = cutAfter(reply.body as AsyncIterable<Uint8Array>, 4 << 20, stalled.fire, t.signal);
      return reply;
    });
    const target = await scopedTempDir(t, "zs-fs-");
    const running = start("download", ["--concurrency", "4", container, target], { env });
    await stalled.promise;
    running.child.kill("SIGKILL");
    await running.done;
    const left = await files(target);
    assert.ok(
      [...left.keys()].some((k) => k.endsWith(".part")),
      "it was killed mid-file (a .part file is there)",
    );
    for (const [name, bytes] of left) {
      if (name.endsWith(".part")) continue;
      assert.deepEqual(md5(bytes), md5(objects[name]), `${name} is under its final name but not complete`);
    }
    // (download.ts lingers 60 s after a streamed object today: a timer left running; see scripts_hostile_test.ts)
    const again = await script("download", ["--changed", "--json", container, target], { limit: 90_000 });
    assert.equal(again.code, 0, again.stderr);
    const done = await files(target);
    assert.deepEqual(
      [...done.keys()].sort(),
      Object.keys(objects).sort(),
      "exactly the objects, no .part left",
    );
    for (const [name, bytes] of done) assert.equal(md5(bytes), md5(objects[name]), name);
  },
  180_000,
);

/** `body` up to `n` bytes, then nothing until `until` aborts (`stalled` is called when it stops). */
async function* cutAfter(
  body: AsyncIterable<Uint8Array>,
  n: number,
  stalled: () => void,
  until: AbortSignal,
): AsyncGenerator<Uint8Array> {
  let sent = 0;
  for await (const chunk of body) {
    if (sent + chunk.length >= n) {
      yield chunk.subarray(0, n - sent);
      stalled();
      await new Promise((resolve) => until.addEventListener("abort", resolve, { once: true }));
      return;
    }
    sent += chunk.length;
    yield chunk;
  }
}

/** setpriv without the capabilities that let root read any file. */
const NO_DAC_OVERRIDE = [
  "setpriv",
  "--inh-caps=-dac_override,-dac_read_search",
  "--bounding-set=-dac_override,-dac_read_search",
  "--",
];

hostileTest(
  "upload.ts reports a dangling symlink, a FIFO, a socket and an unreadable file, and uploads the rest",
  async (t) => {
    const dir = await scopedTempDir(t, "zs-fs-");
    await Deno.mkdir(`${dir}/sub`);
    await Deno.writeTextFile(`${dir}/good1.txt`, "one");
    await Deno.writeTextFile(`${dir}/sub/good2.txt`, "two");
    await Deno.symlink(`${dir}/nowhere`, `${dir}/dangling`);
    const fifo = await new Deno.Command("mkfifo", { args: [`${dir}/fifo`] }).output();
    assert.ok(fifo.success, "mkfifo");
    await Deno.symlink(`${dir}/fifo`, `${dir}/fifo-link`);
    const socket = Deno.listen({ transport: "unix", path: `${dir}/sock` });
    t.defer(() => socket.close());
    await Deno.writeTextFile(`${dir}/unreadable.txt`, "secret");
    await Deno.chmod(`${dir}/unreadable.txt`, 0o000);
    const container = uniqueName("up-special");
    t.defer(() => dropContainer(container));
    const ran = await script("upload", ["--json", dir, container], {
      wrapper: NO_DAC_OVERRIDE,
      limit: 60_000,
    });
    assert.ok(!ran.timedOut, "upload.ts hung");
    const counts = summary(ran);
    assert.equal(counts.uploaded, 2, `the regular files are uploaded: ${ran.stderr}`);
    assert.equal(counts.failed + counts.skipped, 5, "each special or unreadable file is counted");
    for (const name of ["dangling", "fifo", "fifo-link", "sock", "unreadable.txt"]) {
      assert.match(ran.stderr, new RegExp(`${name}\\b`), `${name} is reported on stderr`);
    }
    const store = await SwiftStore.open({ container, auth: tempAuth(), readOnly: true });
    assert.deepEqual(await Array.fromAsync(store.list("/")), ["/good1.txt", "/sub/good2.txt"]);
  },
  90_000,
);

hostileTest("upload.ts terminates on a symlink loop between directories", async (t) => {
  const dir = await scopedTempDir(t, "zs-fs-");
  await Deno.mkdir(`${dir}/a`);
  await Deno.mkdir(`${dir}/b`);
  await Deno.writeTextFile(`${dir}/a/file.txt`, "a");
  await Deno.writeTextFile(`${dir}/b/file.txt`, "b");
  await Deno.symlink("../b", `${dir}/a/to-b`);
  await Deno.symlink("../a", `${dir}/b/to-a`);
  await Deno.symlink(".", `${dir}/self`);
  const container = uniqueName("up-loop");
  t.defer(() => dropContainer(container));
  const ran = await script("upload", ["--json", dir, container], { limit: 60_000 });
  assert.ok(!ran.timedOut, "upload.ts did not terminate");
  assert.ok(ran.code === 0 || ran.code === 1, `exit ${ran.code}: ${ran.stderr}`);
  const counts = summary(ran);
  assert.ok(counts.uploaded >= 2 && counts.uploaded <= 20, `uploaded ${counts.uploaded}`);
}, 90_000);

/** Asserts that a script ended on its own with 130 after printing a one-line summary. */
function assertInterrupted(ran: Ran, what: string): void {
  assert.equal(ran.signal, null, `${what} was killed by ${ran.signal} instead of exiting by itself`);
  assert.equal(ran.code, 130, `${what} exited ${ran.code}: ${ran.stderr.slice(0, 300)}`);
  const lines = `${ran.stdout}\n${ran.stderr}`.split("\n").filter((l) => /interrupt/i.test(l));
  assert.equal(
    lines.length,
    1,
    `${what}: expected one summary line saying it was interrupted, found ${lines.length}`,
  );
  assert.match(lines[0], /\d/, `${what}: the summary says how much was done`);
}

hostileTest("SIGINT during upload.ts, download.ts and rm.ts: a one-line summary and exit 130", async (t) => {
  const objects: Record<string, Uint8Array> = {};
  for (let i = 0; i < 10; i++) objects[`f${i}`] = utf8(`file ${i}`);
  const container = await filled(t, "sigint", objects);
  let onHeld = () => {};
  // Hold one upload PUT, one download GET and the bulk delete: each job is then mid-way.
  const { env } = await proxied(t, (req) => {
    const hold = (req.method === "PUT" && req.path.endsWith("/up/f3")) ||
      (req.method === "GET" && req.path.endsWith(`/${container}/f3`)) ||
      (req.method === "POST" && req.query.has("bulk-delete"));
    if (!hold) return undefined;
    onHeld();
    return { status: 200, hang: true };
  });
  const jobs: [string, string[]][] = [
    ["upload", [await localCopy(t, objects), `${container}/up`]],
    ["download", [container, await scopedTempDir(t, "zs-fs-")]],
    ["rm", ["--recursive", "--yes", container]],
  ];
  const problems: string[] = [];
  for (const [name, args] of jobs) {
    const held = signal();
    onHeld = held.fire;
    const running = start(name, args, { env, limit: 30_000 });
    await Promise.race([held.promise, running.done]);
    try {
      running.child.kill("SIGINT");
    } catch {
      // it ended before it was held: the assertions say how
    }
    const ran = await running.done;
    try {
      assertInterrupted(ran, `${name}.ts`);
    } catch (err) {
      problems.push((err as Error).message.split("\n")[0]);
    }
  }
  assert.deepEqual(problems, [], problems.join("; "));
}, 120_000);

async function localCopy(t: Scope, objects: Record<string, Uint8Array>): Promise<string> {
  const dir = await scopedTempDir(t, "zs-fs-");
  for (const [name, bytes] of Object.entries(objects)) await Deno.writeFile(`${dir}/${name}`, bytes);
  return dir;
}

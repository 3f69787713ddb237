/**
 * upload.ts's guards (from a user trial), as subprocesses against the real Swift:
 * `--delete` from an empty directory, or from one the filters leave nothing of,
 * refuses (exit 1, nothing deleted, nothing uploaded) as sync.ts does; `--consolidate`
 * over metadata that is not JSON (a zarr v2 tree written by xarray, one `.zarray`
 * broken) prints the summary (and the JSON line) first, then one sentence naming the
 * object; a failed or interrupted large upload points at the segments that may stay
 * only once some went out (or were already there), and the interrupted summary names
 * the destination as a complete run does.
 */
import assert from "node:assert/strict";
import { SwiftStore } from "../mod.ts";
import { forwardTo, type HostileServer, hostileTest, type Received } from "./_hostile.ts";
import { python } from "./_python.ts";
import { scopedContainer, scopedTempDir } from "./_movers.ts";
import { type Ran, script, start, summary, until } from "./_scripts.ts";
import { AUTH_URL, login, randomBytes, raw, tempAuth, utf8 } from "./_swift.ts";

const UPSTREAM = new URL(AUTH_URL).origin;
const MiB = 1 << 20;

/** Object names in `container` (none when it does not exist), and whether it exists. */
async function listing(container: string): Promise<{ exists: boolean; names: string[] }> {
  const res = await raw("GET", `/${encodeURIComponent(container)}?format=json&limit=10000`);
  if (res.status === 404) {
    await res.body?.cancel();
    return { exists: false, names: [] };
  }
  assert.equal(res.status, 200);
  return { exists: true, names: (await res.json() as { name: string }[]).map((e) => e.name).sort() };
}

/** The lines a script printed on stderr. */
function errLines(ran: Ran): string[] {
  return ran.stderr.trim() === "" ? [] : ran.stderr.trim().split("\n");
}

hostileTest(
  "upload.ts --delete refuses an empty directory, and one the filters leave nothing of: exit 1, nothing deleted",
  async (t) => {
    const c = scopedContainer(t, "guard-del");
    const dir = await scopedTempDir(t, "zs-guard-");
    await Deno.mkdir(`${dir}/src/a`, { recursive: true });
    await Deno.mkdir(`${dir}/empty`);
    await Deno.mkdir(`${dir}/notes`);
    for (const name of ["zarr.json", "a/0", "a/1"]) {
      await Deno.writeFile(`${dir}/src/${name}`, randomBytes(50));
    }
    await Deno.writeTextFile(`${dir}/notes/readme.tmp`, "not data");
    assert.equal((await script("upload", [`${dir}/src`, `${c}/run`])).code, 0);
    const store = await SwiftStore.open({ container: c, auth: tempAuth() });
    await store.set("/run/x.nc", utf8("data the filters select"));
    const before = (await listing(c)).names;
    assert.deepEqual(before, ["run/a/0", "run/a/1", "run/x.nc", "run/zarr.json"]);

    // An empty directory: sync.ts refuses it, and so does upload.ts --delete (dry run or not).
    for (const flags of [[], ["--json"], ["--dry-run"]]) {
      const empty = await script("upload", [...flags, "--delete", `${dir}/empty`, `${c}/run`]);
      const what = `--delete ${flags.join(" ")} from an empty directory`;
      assert.equal(empty.code, 1, `${what}: exit ${empty.code}; ${empty.stdout}; ${empty.stderr}`);
      assert.deepEqual(errLines(empty), [
        `upload.ts: --delete: expected files to upload in ${dir}/empty, found none; refusing to delete the objects under ${c}/run/ (nothing was changed; rm.ts -r deletes them if that is meant)`,
      ], what);
      assert.equal(empty.stdout, "", `${what}: no summary, nothing would be deleted`);
      assert.deepEqual((await listing(c)).names, before, `${what}: nothing deleted`);
    }
    const sync = await script("sync", ["--delete", `${dir}/empty`, `${c}/run`]);
    assert.equal(sync.code, 1, "sync.ts refuses the same case");

    // Filters that leave no local file: what they select remotely (x.nc) would all go.
    const filtered = await script("upload", ["--delete", "--include", "*.nc", `${dir}/notes`, `${c}/run`]);
    assert.equal(filtered.code, 1, filtered.stderr);
    assert.match(
      filtered.stderr,
      /^upload\.ts: --delete: expected files to upload in .*\/notes, found none the filters select \(1 file\(s\) excluded\); refusing to delete/m,
    );
    assert.deepEqual((await listing(c)).names, before, "nothing deleted through the filters");

    // A directory with files still deletes what it no longer has (only what the filters select).
    await Deno.remove(`${dir}/src/a/1`);
    const kept = await script("upload", ["--json", "--changed", "--delete", `${dir}/src`, `${c}/run`]);
    assert.equal(kept.code, 0, kept.stderr);
    assert.deepEqual([summary(kept).skipped, summary(kept).deleted], [2, 2], "a/1 and x.nc");
    assert.deepEqual((await listing(c)).names, ["run/a/0", "run/zarr.json"]);
  },
  90_000,
);

hostileTest(
  "upload.ts --consolidate over a .zarray that is not JSON: the summary first, then one sentence naming the object",
  async (t) => {
    const c = scopedContainer(t, "guard-cons");
    const dir = await scopedTempDir(t, "zs-guard-");
    const tree = `${dir}/tree`;
    await python("write_cf.py", tree, `${dir}/dump.json`, "--no-consolidate");
    const files = (await Array.fromAsync(walkFiles(tree))).length;
    const good = await Deno.readFile(`${tree}/temperature/.zarray`);
    await Deno.writeTextFile(`${tree}/temperature/.zarray`, "{not json\n");
    const sentence =
      `upload.ts: Expected JSON metadata in ${c}/run/temperature/.zarray, found "not json\\n" at line 1, column 2`;

    const text = await script("upload", ["--consolidate", tree, `${c}/run`]);
    assert.equal(text.code, 1, text.stderr);
    const url = `${(await login()).storageUrl}/${c}/run`;
    assert.match(
      text.stdout,
      new RegExp(`^uploaded ${files} \\(.*\\), skipped 0, failed 0 to ${escape(url)} in [\\d.]+ s\\n$`),
      "the summary of what was uploaded, alone on stdout",
    );
    assert.deepEqual(errLines(text), [sentence], "one line: the object, what was expected, what was found");
    assert.equal(sentence.split("found").length, 2, "found, once");

    const json = await script("upload", ["--json", "--changed", "--consolidate", tree, `${c}/run`]);
    assert.equal(json.code, 1, json.stderr);
    const line = summary(json) as unknown as Record<string, unknown>;
    assert.deepEqual([line.uploaded, line.skipped, line.failed], [0, files, 0]);
    assert.equal(line.consolidate_error, sentence.replace("upload.ts: ", ""));
    assert.deepEqual(errLines(json), [sentence]);
    assert.ok(!(await listing(c)).names.includes("run/.zmetadata"), "nothing consolidated");

    // Mended, the same command consolidates.
    await Deno.writeFile(`${tree}/temperature/.zarray`, good);
    const mended = await script("upload", ["--changed", "--consolidate", tree, `${c}/run`]);
    assert.equal(mended.code, 0, mended.stderr);
    assert.match(mended.stdout, /^consolidated the metadata of \d+ zarr v2 nodes into \.zmetadata /m);
  },
  120_000,
);

hostileTest(
  "an interrupted or failed large upload points at its segments only once some went, and its summary names the destination",
  async (t) => {
    const c = scopedContainer(t, "guard-slo");
    const dir = await scopedTempDir(t, "zs-guard-");
    const total = 5; // segments of 1 MiB
    await Deno.writeFile(`${dir}/big.bin`, randomBytes((total - 1) * MiB + 1234));

    // The proxy: holds the manifest's GET (before any segment goes) or its PUT, or refuses the PUT.
    const mode = { holdGet: false, holdPut: false, refusePut: false };
    const seen = { get: false, put: false, segments: 0 };
    const { storageUrl, token } = await login();
    const holder: { proxy?: HostileServer } = {};
    const forward = forwardTo(UPSTREAM, () => holder.proxy!.origin);
    const proxy = holder.proxy = t.server(async (req: Received) => {
      const manifest = req.query.has("multipart-manifest");
      if (req.method === "GET" && manifest && mode.holdGet) {
        seen.get = true;
        return { status: 200, hang: true };
      }
      if (req.method === "PUT" && manifest) {
        seen.put = true;
        if (mode.holdPut) return { status: 200, hang: true };
        if (mode.refusePut) return { status: 403, body: "refused by the test" };
      }
      const reply = await forward(req);
      if (req.method === "PUT" && req.path.includes(`/${c}_segments/`) && reply.status === 201) {
        seen.segments++;
      }
      return reply;
    }, { log: false });
    const env = { OS_STORAGE_URL: storageUrl.replace(UPSTREAM, proxy.origin), OS_AUTH_TOKEN: token };
    const url = `${env.OS_STORAGE_URL}/${c}/run`;
    const args = ["--changed", "--segment-size", "1M", dir, `${c}/run`];
    const interrupt = async (ready: () => boolean, what: string, extra: string[] = []): Promise<Ran> => {
      const running = start("upload", [...extra, ...args], { env });
      await until(ready, what);
      running.child.kill("SIGINT");
      const ran = await running.done;
      assert.equal(ran.code, 130, ran.stderr);
      return ran;
    };
    // Segments stay once some went out (or were there): said, with the bytes sent so far.
    const hint = new RegExp(
      `upload\\.ts: up to 4\\.0 MiB of segments of run/big\\.bin may stay in ${
        escape(c)
      }_segments: re-run with --changed to resume, or remove them with rm\\.ts -r ${
        escape(c)
      }_segments/run/big\\.bin/\n`,
    );

    // 1. Ctrl-C before any segment went (the segment container does not even exist): no hint.
    mode.holdGet = true;
    const early = await interrupt(() => seen.get, "the upload asks for the old manifest");
    assert.deepEqual(errLines(early), [
      `upload.ts: interrupted: uploaded 0 (0 B), skipped 0, failed 0 to ${url}`,
    ], "the destination as a complete run names it; no segment named");
    assert.deepEqual(await listing(`${c}_segments`), { exists: false, names: [] });
    // With --json, the counts so far are the last line of stdout too.
    seen.get = false;
    const json = await interrupt(() => seen.get, "the upload asks for the old manifest", ["--json"]);
    assert.deepEqual(JSON.parse(json.stdout.trim().split("\n").at(-1)!), {
      uploaded: 0,
      skipped: 0,
      excluded: 0,
      failed: 0,
      bytes: 0,
      deleted: 0,
      interrupted: true,
    });
    mode.holdGet = false;

    // 2. The manifest refused after every segment went: they stay, and it says so.
    mode.refusePut = true;
    const failed = await script("upload", args, { env });
    assert.equal(failed.code, 1, failed.stderr);
    assert.equal(seen.segments, total);
    assert.equal((await listing(`${c}_segments`)).names.length, total);
    assert.match(failed.stderr, hint);
    mode.refusePut = false;

    // 3. Ctrl-C while the manifest is held: none sent now (all reused), and they stay.
    mode.holdPut = true;
    seen.put = false;
    seen.segments = 0;
    const held = await interrupt(() => seen.put, "the manifest is sent");
    assert.equal(seen.segments, 0, "every segment reused");
    assert.match(held.stderr, hint);
    mode.holdPut = false;

    // 4. A complete run: the same destination, no hint.
    const done = await script("upload", args, { env });
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, new RegExp(`^uploaded 1 \\(.*\\), skipped 0, failed 0 to ${escape(url)} in `));
    assert.equal(done.stderr, "");
  },
  120_000,
);

/** `text` as a literal in a regular expression. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Every file under `dir`. */
async function* walkFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walkFiles(path);
    else yield path;
  }
}

/**
 * A routine proxy restart on the real Swift (`dev/swift.sh restart-proxy`: the proxy
 * stops, nothing answers for 5 s, it starts again) in the middle of a job, with the
 * default options: a 2,000-chunk zarrita write and `upload.ts` of 1,500 files both
 * finish, every chunk and file correct. Before issue 14 the write failed with a
 * NetworkError after its retries and upload.ts exited 1.
 */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { SwiftStore } from "../mod.ts";
import { AUTH_URL, dropContainer, tempAuth, uniqueName, USERS } from "./_swift.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** Restarts the Swift proxy after `after` ms, down for `seconds`; answers when it is back. */
async function restartProxy(after: number, seconds = 5): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, after));
  const out = await new Deno.Command("bash", {
    args: [`${ROOT}dev/swift.sh`, "restart-proxy", String(seconds)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, `restart-proxy failed: ${new TextDecoder().decode(out.stderr)}`);
}

Deno.test("a 2,000-chunk zarrita write rides out a 5 s proxy restart with the default options", async () => {
  const container = uniqueName("restart");
  let sent = 0;
  const counting: typeof fetch = (input, init) => {
    sent++;
    return fetch(input, init);
  };
  try {
    const store = await SwiftStore.open({ container, auth: tempAuth(), fetch: counting });
    const chunks = 2000;
    const values = Int32Array.from({ length: chunks * 16 }, (_, i) => (i * 2654435761) | 0);
    const arr = await zarr.create(zarr.root(store).resolve("a"), {
      shape: [values.length],
      chunkShape: [16],
      dtype: "int32",
      fillValue: 0,
      codecs: [{ name: "bytes", configuration: { endian: "little" } }],
    });
    const started = performance.now();
    const writing = zarr.set(arr, null, { data: values, shape: [values.length], stride: [1] });
    // Down once the write is under way (a few hundred chunks in).
    while (sent < 300) await new Promise((resolve) => setTimeout(resolve, 20));
    const restart = restartProxy(0);
    await Promise.all([writing, restart]);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${chunks} chunks written in ${seconds.toFixed(1)} s across a 5 s proxy restart, ${sent} requests`,
    );
    const reader = await SwiftStore.open({ container, auth: tempAuth(), readOnly: true });
    const back = await zarr.get(await zarr.open(zarr.root(reader).resolve("a"), { kind: "array" }));
    assert.deepEqual(back.data, values);
  } finally {
    await dropContainer(container);
  }
});

Deno.test("upload.ts of 1,500 files rides out a 5 s proxy restart: exit 0, every file there", async () => {
  const container = uniqueName("restart-up");
  const dir = await Deno.makeTempDir();
  try {
    const files = 1500;
    for (let i = 0; i < files; i++) {
      await Deno.writeTextFile(`${dir}/f${String(i).padStart(4, "0")}`, `file ${i}\n`.repeat(200));
    }
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}scripts/upload.ts`, "--json", dir, container],
      env: { ST_AUTH: AUTH_URL, ST_USER: USERS.tester.user, ST_KEY: USERS.tester.key, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const restart = restartProxy(1500);
    const [out] = await Promise.all([child.output(), restart]);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const summary = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
    assert.equal(summary.uploaded, files);
    assert.equal(summary.failed, 0);
    const store = await SwiftStore.open({ container, auth: tempAuth(), readOnly: true });
    let listed = 0;
    for await (const entry of store.scan("/")) {
      listed++;
      const i = Number(entry.key.slice(2));
      assert.equal(entry.size, `file ${i}\n`.length * 200, entry.key);
    }
    assert.equal(listed, files);
  } finally {
    await dropContainer(container);
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * A real browser reads a shared dataset: headless Chromium (Debian's, driven by
 * playwright-core) loads a page from 127.0.0.1 that imports the bundled library and
 * zarrita, opens the dataset in the local Swift through a `shareUrl` link with CORS
 * set, and shows the values; the test reads them off the page.
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import * as zarr from "zarrita";
import { setCors, shareUrl } from "../mod.ts";
import { utf8, withStore } from "./_swift.ts";

const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";

async function bundle(): Promise<string> {
  const out = await Deno.makeTempFile({ suffix: ".js" });
  const entry = new URL("./browser/entry.ts", import.meta.url).pathname;
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform", "browser", entry, "-o", out],
    stderr: "piped",
  }).output();
  assert.ok(result.success, `deno bundle failed: ${new TextDecoder().decode(result.stderr)}`);
  return await Deno.readTextFile(out);
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>zarrswift in a browser</title>
<pre id="out">loading…</pre>
<script type="module">
  import { readShared } from "/bundle.js";
  const { link, paths } = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  const out = document.getElementById("out");
  readShared(link, paths).then(
    (values) => { out.textContent = JSON.stringify(values); out.dataset.done = "ok"; },
    (err) => { out.textContent = String(err && err.stack || err); out.dataset.done = "error"; },
  );
</script>`;

Deno.test("a browser opens a shared dataset through a shareUrl link and shows its values", async () => {
  const code = await bundle();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/bundle.js") return new Response(code, { headers: { "Content-Type": "text/javascript" } });
    if (path === "/") return new Response(PAGE, { headers: { "Content-Type": "text/html" } });
    return new Response("not found", { status: 404 });
  });
  const origin = `http://127.0.0.1:${server.addr.port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    await withStore(async (store) => {
      const root = await zarr.create(store, { attributes: { title: "from the browser" } });
      const temperature = Float64Array.from({ length: 48 }, (_, i) => Math.round(Math.cos(i) * 1000) / 100);
      const t = await zarr.create(root.resolve("temperature"), {
        shape: [8, 6],
        chunkShape: [3, 4],
        dtype: "float64",
      });
      await zarr.set(t, null, { data: temperature, shape: [8, 6], stride: [6, 1] });
      const counts = Uint32Array.from([7, 0, 42, 4_000_000_000]);
      const c = await zarr.create(root.resolve("counts"), { shape: [4], chunkShape: [2], dtype: "uint32" });
      await zarr.set(c, null, { data: counts, shape: [4], stride: [1] });
      await store.set("/notes.txt", utf8("0123456789abcdef"));

      await setCors(store, { origins: [origin] });
      const link = await shareUrl(store, { expiresIn: 600 });

      const page = await browser.newPage();
      const problems: string[] = [];
      // A missing object is a 404 the browser logs (zarrita probes for zarr v2 keys): not a problem.
      page.on(
        "console",
        (m) => m.type() === "error" && !/status of 404/.test(m.text()) && problems.push(m.text()),
      );
      page.on("pageerror", (e) => problems.push(String(e)));
      const hash = encodeURIComponent(JSON.stringify({ link, paths: ["temperature", "counts"] }));
      await page.goto(`${origin}/#${hash}`);
      await page.waitForSelector("#out[data-done]", { timeout: 60_000 });
      const state = await page.getAttribute("#out", "data-done");
      const text = await page.textContent("#out");
      assert.equal(state, "ok", `the page failed: ${text}`);
      const shown = JSON.parse(text!) as Record<string, number[]>;
      assert.deepEqual(shown.temperature, Array.from(temperature));
      assert.deepEqual(shown.counts, Array.from(counts));
      assert.deepEqual(shown["attrs:title"], ["from the browser".length]);
      // A ranged read from the page: needs CORS preflight and an exposed Content-Range.
      const range = await page.evaluate(async (link) => {
        const url = new URL(link);
        const object = `${url.origin}${url.pathname}notes.txt${url.search}`;
        const res = await fetch(object, { headers: { Range: "bytes=4-7" } });
        return { status: res.status, body: await res.text(), contentRange: res.headers.get("Content-Range") };
      }, link);
      assert.deepEqual(range, { status: 206, body: "4567", contentRange: "bytes 4-7/16" });
      assert.deepEqual(problems, [], "no errors in the page (CORS included)");
      await page.close();
    }, { prefix: "browser/demo" });
  } finally {
    await browser.close();
    await server.shutdown();
  }
});

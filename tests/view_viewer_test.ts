/**
 * The browser viewer: `share.ts --viewer` uploads it next to the CF-style dataset in
 * the real Swift and prints a link; headless Chromium (Debian's, driven by
 * playwright-core) opens that link, the test reads the tree from the page, presses an
 * array's quick-look button and checks the image (its size, a transparent NaN patch),
 * and takes the screenshot shown in docs/ (written there with ZARRSWIFT_UPDATE_DOCS=1).
 * Also: the page holds no credentials and loads nothing from another origin, Swift
 * serves it inline only with `&inline`, the bundle is current, a public container's
 * plain link works, and bad names and read-only stores are refused.
 */
/// <reference lib="dom" />
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { decode } from "./_png_decode.ts";
import * as zarr from "zarrita";
import { ReadOnlyError, setPublic, SwiftStore } from "../mod.ts";
import { jupyterDisplay, quickLook, uploadViewer } from "../src/view/mod.ts";
import { VIEWER_APP_SOURCES } from "../src/view/viewer_app.ts";
import { sourcesHash } from "../dev/build_viewer.ts";
import { CF_NODES, writeCfDataset } from "./_view_fixtures.ts";
import { AUTH_URL, login, tempAuth, USERS, withStore } from "./_swift.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

Deno.test("the viewer's embedded script was built from the current sources (else: deno task viewer:build)", async () => {
  assert.equal(
    await sourcesHash(),
    VIEWER_APP_SOURCES,
    "stale src/view/viewer_app.ts: run dev/build_viewer.ts",
  );
});

async function shareViewer(location: string): Promise<{ link: string; stdout: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}scripts/share.ts`, "--viewer", "--expires", "1h", location],
    env: {
      ST_AUTH: AUTH_URL,
      ST_USER: USERS.tester.user,
      ST_KEY: USERS.tester.key,
      NO_COLOR: "1",
      PATH: Deno.env.get("PATH") ?? "",
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return { link: stdout.split("\n")[0], stdout };
}

Deno.test("share.ts --viewer: Chromium opens the printed link, shows the tree, and draws a quick look of a pressed array", async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    await withStore(async (store) => {
      await writeCfDataset(store);
      const { link, stdout } = await shareViewer(`${store.container}/${store.prefix}`);
      const url = new URL(link);
      assert.equal(url.pathname, `${new URL(store.url).pathname}/viewer.html`);
      assert.ok(url.searchParams.has("inline") && url.searchParams.has("temp_url_sig"));
      assert.match(stdout, /tree of 8 groups and arrays/);
      const { token } = await login();
      assert.ok(!stdout.includes(token));

      // What Swift serves: HTML, inline; without `inline` the TempURL middleware makes it a download.
      const res = await fetch(link);
      const html = await res.text();
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("Content-Type"), "text/html; charset=utf-8");
      assert.equal(res.headers.get("Content-Disposition"), "inline");
      const download = await fetch(link.replace("&inline", ""));
      await download.body?.cancel();
      assert.match(download.headers.get("Content-Disposition") ?? "", /^attachment/);
      // The page holds no signature, token or key, and refers to nothing outside itself.
      assert.ok(!html.includes(url.searchParams.get("temp_url_sig")!), "no signature in the page");
      assert.ok(!html.includes(token) && !html.includes(USERS.tester.key));
      assert.ok(
        !/<script[^>]+src=|<link[^>]+href="(?!data:)|@import|url\(\s*["']?(https?:|\/\/)|src="(https?:|\/\/)/i
          .test(html),
        "nothing loaded from elsewhere",
      );

      const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
      const problems: string[] = [];
      const elsewhere: string[] = [];
      page.on("console", (m) => m.type() === "error" && problems.push(m.text())); // a 404 too: none expected
      page.on("pageerror", (e) => problems.push(String(e)));
      page.on("request", (r) => {
        if (/^https?:/.test(r.url()) && new URL(r.url()).origin !== url.origin) elsewhere.push(r.url());
      });
      await page.goto(link);
      await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
      const paths = await page.$$eval(".zs-node", (els) => els.map((e) => (e as HTMLElement).dataset.path));
      assert.deepEqual(paths, CF_NODES, "the tree, every group and array");
      const title = await page.textContent("h1");
      assert.equal(title, "CF-style example: near-surface air temperature");
      const buttons = await page.$$eval(
        "button.zs-look",
        (els) => els.map((e) => (e as HTMLElement).dataset.path),
      );
      assert.deepEqual(buttons, ["/ancillary/land_mask", "/pr", "/tas"], "arrays of 2 or more dimensions");

      await page.click(`button.zs-look[data-path="/tas"]`);
      await page.waitForSelector("#look[data-state=done], #look[data-state=error]", { timeout: 60_000 });
      assert.equal(
        await page.getAttribute("#look", "data-state"),
        "done",
        await page.textContent("#look") ?? "",
      );
      const expected = await quickLook(
        await zarr.open(zarr.root(store).resolve("tas"), { kind: "array" }),
        null,
        { maxSize: 512, minSize: 480 },
      );
      const scale = expected.info.image.scale;
      assert.equal(scale, Math.floor(480 / 90));
      // Sample (0, 0) is valid; sample (12, 25) lies in the NaN patch (lat 10–15, lon 20–31 at time 0).
      const probes = [[0, 0], [25 * scale, 12 * scale]];
      const shown = await page.$eval("#look img", async (img, probes) => {
        const image = img as HTMLImageElement;
        await image.decode();
        const canvas = document.createElement("canvas");
        canvas.width = image.naturalWidth;
        canvas.height = image.naturalHeight;
        const ctx = canvas.getContext("2d")!;
        ctx.drawImage(image, 0, 0);
        const at = ([x, y]: number[]) => Array.from(ctx.getImageData(x, y, 1, 1).data);
        return { width: image.naturalWidth, height: image.naturalHeight, at: probes.map(at) };
      }, probes);
      assert.deepEqual([shown.width, shown.height], [expected.info.width, expected.info.height]);
      assert.equal(shown.at[0][3], 255, "a valid value is opaque");
      assert.equal(shown.at[1][3], 0, "the NaN patch is transparent");
      assert.match(
        await page.textContent("#look .info") ?? "",
        /^lat × lon: 45 × 90 samples \(every element\), values [\d.]+ to [\d.]+; read 9 of 9 chunks$/,
      );

      await page.check("#look input[type=checkbox]"); // latitudes ascend: draw the first row at the bottom
      await page.waitForSelector("#look[data-state=done]", { timeout: 60_000 });
      assert.equal(await page.isChecked("#look input[type=checkbox]"), true);
      await page.click(`summary:has(button.zs-look[data-path="/tas"]) .zs-name`); // unfold its details
      const shot = await page.screenshot({ fullPage: false });
      assert.equal(decode(shot).width, 1280);
      if (Deno.env.get("ZARRSWIFT_UPDATE_DOCS") === "1") await Deno.writeFile(`${ROOT}docs/viewer.png`, shot);

      // Another time step and colormap redraw in place.
      await page.fill("#look input[type=number]", "9");
      await page.dispatchEvent("#look input[type=number]", "change");
      await page.waitForSelector("#look[data-state=done]", { timeout: 60_000 });
      assert.equal(await page.$eval("#look input[type=number]", (i) => (i as HTMLInputElement).value), "9");
      await page.selectOption("#look select", "magma");
      await page.waitForSelector("#look[data-state=done]", { timeout: 60_000 });
      assert.equal(await page.$eval("#look select", (s) => (s as HTMLSelectElement).value), "magma");
      assert.deepEqual(elsewhere, [], "every request went to the page's own origin");
      assert.deepEqual(problems, [], "no errors in the page");
      await page.close();
    }, { label: "viewer", prefix: "datasets/cf-example" });
  } finally {
    await browser.close();
  }
});

Deno.test("the notebook's HTML tree of the CF-style dataset in Chromium: collapsible, every node; and a quick look", async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    await withStore(async (store) => {
      await writeCfDataset(store);
      const bundle = await jupyterDisplay(store);
      const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
      await page.setContent(
        `<!doctype html><meta charset="utf-8"><body style="margin:12px">${bundle["text/html"]}`,
      );
      const paths = await page.$$eval(".zs-node", (els) => els.map((e) => (e as HTMLElement).dataset.path));
      assert.deepEqual(paths, CF_NODES);
      const visible = () => page.isVisible(`.zs-node[data-path="/ancillary/land_mask"] > summary`);
      assert.equal(await visible(), true, "groups start open to depth 1");
      await page.click(`.zs-node[data-path="/ancillary"] > summary`);
      assert.equal(await visible(), false, "a click folds a group");
      await page.click(`.zs-node[data-path="/ancillary"] > summary`);
      await page.click(`.zs-node[data-path="/tas"] > summary`);
      assert.equal(
        await page.isVisible(`.zs-node[data-path="/tas"] dd`),
        true,
        "a click unfolds an array's details",
      );
      const shot = await page.locator(".zs-tree").screenshot();
      assert.ok(decode(shot).width > 300);
      if (Deno.env.get("ZARRSWIFT_UPDATE_DOCS") === "1") {
        await Deno.writeFile(`${ROOT}docs/tree.png`, shot);
        const tas = await zarr.open(zarr.root(store).resolve("tas"), { kind: "array" });
        await Deno.writeFile(
          `${ROOT}docs/quicklook.png`,
          await quickLook(tas, null, { origin: "lower", minSize: 360 }),
        );
      }
      await page.close();
    }, { label: "viewer", prefix: "datasets/cf-example" });
  } finally {
    await browser.close();
  }
});

Deno.test("a public container: the viewer's plain link works, without a TempURL", async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    await withStore(async (store) => {
      await writeCfDataset(store);
      await setPublic(store, true);
      const viewer = await uploadViewer(store, { access: "public", name: "index.html" });
      assert.equal(viewer.link, `${store.url}/index.html`);
      const page = await browser.newPage();
      await page.goto(viewer.link);
      await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
      await page.click(`button.zs-look[data-path="/ancillary/land_mask"]`);
      await page.waitForSelector("#look[data-state=done], #look[data-state=error]", { timeout: 60_000 });
      assert.equal(
        await page.getAttribute("#look", "data-state"),
        "done",
        await page.textContent("#look") ?? "",
      );
      assert.match(
        await page.textContent("#look .info") ?? "",
        /lat × lon: 45 × 90 samples \(every element\), values 0 to 1; read 1 of 1 chunks/,
      );
      await page.close();
    }, { label: "viewer" });
  } finally {
    await browser.close();
  }
});

Deno.test("uploadViewer refuses a bad name and a read-only store before any request", async () => {
  let requests = 0;
  const counting: typeof fetch = (input, init) => {
    requests++;
    return fetch(input, init);
  };
  await withStore(async (store) => {
    const before = requests;
    await assert.rejects(
      uploadViewer(store, { name: "../x.html" }),
      /plain file name ending in \.html for the viewer, found "\.\.\/x\.html"/,
    );
    await assert.rejects(uploadViewer(store, { name: "viewer.htm" }), TypeError);
    await assert.rejects(uploadViewer(store, { access: "open" as "public" }), /"tempurl" or "public"/);
    const reader = await SwiftStore.open({
      container: store.container,
      auth: tempAuth(),
      readOnly: true,
      fetch: counting,
    });
    const opened = requests;
    await assert.rejects(uploadViewer(reader), ReadOnlyError);
    assert.equal(requests, opened, "no request for a read-only store");
    assert.equal(opened - before, requests - before);
  }, { label: "viewer", fetch: counting });
});

/**
 * The hierarchy display against the real Swift: the CF-style dataset and a 1,000-node
 * hierarchy read from a listing and from consolidated metadata (request counts), v2
 * metadata, stores that cannot list (TempURLs), broken and hostile metadata, and the
 * Jupyter bundles of a store, a group and an array.
 */
import assert from "node:assert/strict";
import { decode } from "./_png_decode.ts";
import * as zarr from "zarrita";
import { shareUrl, SwiftStore } from "../mod.ts";
import {
  describeHierarchy,
  hierarchyHtml,
  hierarchyText,
  jupyterDisplay,
  openForDisplay,
  withDisplay,
} from "../src/view/mod.ts";
import { CF_NODES, consolidateForTest, writeCfDataset, writeThousandNodes } from "./_view_fixtures.ts";
import { utf8, withStore } from "./_swift.ts";

/** A fetch that records each request as "METHOD path?query-names". */
function recording(): { fetch: typeof fetch; log: string[] } {
  const log: string[] = [];
  return {
    log,
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      log.push(`${init?.method ?? "GET"} ${decodeURIComponent(url.pathname)}${url.search ? "?" : ""}`);
      return fetch(input, init);
    },
  };
}

const isListing = (line: string) => /^GET \/v1\/[^/]+\/[^/]+\?$/.test(line);
const isObjectGet = (line: string) => /^GET \/v1\/[^/]+\/[^/]+\/.+/.test(line);

Deno.test("the CF-style dataset: every node, shape, type, chunks, codecs, dimensions and stored bytes, from a listing", async () => {
  const rec = recording();
  await withStore(async (store) => {
    await writeCfDataset(store);
    const sizes = new Map<string, number>();
    rec.log.length = 0;
    for await (const e of store.scan("/")) sizes.set(e.key, e.bytes);
    const listingRequests = rec.log.filter(isListing).length; // the pages, and the empty page that ends them
    rec.log.length = 0;
    const tree = await describeHierarchy(store);
    assert.equal(tree.source, "listing");
    assert.deepEqual(tree.nodes.map((n) => n.path), CF_NODES);
    assert.equal(rec.log.filter(isObjectGet).length, CF_NODES.length, "one GET per node's zarr.json");
    assert.equal(rec.log.filter(isListing).length, listingRequests, "one listing");
    const tas = tree.nodes.find((n) => n.path === "/tas")!;
    assert.deepEqual(
      [tas.kind, tas.shape, tas.dtype, tas.chunks, tas.dimensionNames, tas.zarrFormat],
      ["array", [10, 45, 90], "float32", [5, 15, 30], ["time", "lat", "lon"], 3],
    );
    assert.deepEqual(tas.codecs, ["bytes(endian=little)", "zstd(level=3, checksum=false)"]);
    assert.equal(tas.fillValue, "NaN");
    assert.equal(tas.attributes.units, "K");
    const chunks = [...sizes].filter(([k]) => k.startsWith("/tas/") && k !== "/tas/zarr.json");
    assert.equal(chunks.length, 2 * 3 * 3);
    assert.equal(tas.storedObjects, chunks.length);
    assert.equal(tas.storedBytes, chunks.reduce((n, [, b]) => n + b, 0));
    assert.equal(tree.objects, sizes.size);
    assert.equal(tree.bytes, [...sizes.values()].reduce((a, b) => a + b, 0));
    const mask = tree.nodes.find((n) => n.path === "/ancillary/land_mask")!;
    assert.deepEqual([mask.dtype, mask.storedObjects], ["bool", 1]);

    const html = hierarchyHtml(tree);
    assert.equal(html.match(/<details class="zs-node/g)?.length, CF_NODES.length);
    for (const path of CF_NODES) assert.ok(html.includes(`data-path="${path}"`), path);
    assert.ok(html.includes("(time: 10, lat: 45, lon: 90)"));
    assert.ok(html.includes("CF-style example: near-surface air temperature"));
    const text = hierarchyText(tree).split("\n");
    assert.equal(text.length, 1 + CF_NODES.length);
    assert.match(text[0], /: 2 groups, 6 arrays; 31 objects, /);
    const kib = (mask.storedBytes! / 1024).toFixed(1);
    assert.ok(
      text.includes(`    land_mask  (lat: 45, lon: 90)  bool  chunks [45, 90]  1 object, ${kib} KiB`),
      text.join("\n"),
    );
  }, { label: "view", fetch: rec.fetch });
});

Deno.test("consolidated metadata: the same nodes from one metadata GET; a TempURL store shows them without sizes", async () => {
  const rec = recording();
  await withStore(async (store) => {
    await writeCfDataset(store);
    const listed = await describeHierarchy(store);
    assert.equal(await consolidateForTest(store), CF_NODES.length - 1);
    rec.log.length = 0;
    for await (const _ of store.scan("/")) continue;
    const listingRequests = rec.log.filter(isListing).length;
    rec.log.length = 0;
    const tree = await describeHierarchy(store);
    assert.equal(tree.source, "consolidated");
    assert.deepEqual(rec.log.filter(isObjectGet), [`GET /v1/AUTH_test/${store.container}/zarr.json`]);
    assert.equal(rec.log.filter(isListing).length, listingRequests, "one listing, for the sizes");
    const strip = (t: typeof tree) =>
      t.nodes.map((n) => ({ ...n, attributes: n.path === "/" ? {} : n.attributes }));
    assert.deepEqual(strip(tree), strip(listed));
    rec.log.length = 0;
    const noSizes = await describeHierarchy(store, { sizes: false });
    assert.deepEqual(rec.log, [`GET /v1/AUTH_test/${store.container}/zarr.json`]);
    assert.equal(noSizes.sizes, false);

    // Through a TempURL nothing can list: consolidated metadata still gives every node.
    const shared = SwiftStore.fromUrl(
      await shareUrl(store, { expiresIn: 600, wholeContainer: store.prefix === "" }),
    );
    const viaLink = await describeHierarchy(shared);
    assert.deepEqual([viaLink.source, viaLink.sizes], ["consolidated", false]);
    assert.deepEqual(viaLink.nodes.map((n) => n.path), CF_NODES);
    assert.equal(viaLink.nodes.find((n) => n.path === "/tas")!.storedObjects, undefined);
    assert.match(hierarchyText(viaLink).split("\n")[0], /sizes unknown; from consolidated metadata/);
  }, { label: "view", fetch: rec.fetch });

  await withStore(async (store) => {
    await writeCfDataset(store);
    const shared = SwiftStore.fromUrl(
      await shareUrl(store, { expiresIn: 600, wholeContainer: store.prefix === "" }),
    );
    const root = await describeHierarchy(shared);
    assert.deepEqual([root.source, root.sizes, root.nodes.map((n) => n.path)], ["root", false, ["/"]]);
    assert.match(hierarchyText(root), /no listing allowed, no consolidated metadata/);
  }, { label: "view" });
});

Deno.test("zarr v2: .zgroup/.zarray/.zattrs from a listing and from .zmetadata; dimension names from _ARRAY_DIMENSIONS", async () => {
  await withStore(async (store) => {
    const docs: Record<string, unknown> = {
      ".zgroup": { zarr_format: 2 },
      ".zattrs": { title: "v2" },
      "t2m/.zarray": {
        zarr_format: 2,
        shape: [4, 3],
        chunks: [2, 3],
        dtype: "<f4",
        compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 },
        fill_value: "NaN",
        order: "F",
        filters: null,
      },
      "t2m/.zattrs": { _ARRAY_DIMENSIONS: ["y", "x"], units: "K" },
      "sub/.zgroup": { zarr_format: 2 },
    };
    for (const [key, doc] of Object.entries(docs)) await store.set(`/${key}`, utf8(JSON.stringify(doc)));
    await store.set("/t2m/0.0", utf8("x".repeat(10)));
    await store.set("/t2m/1.0", utf8("y".repeat(5)));
    const check = (tree: Awaited<ReturnType<typeof describeHierarchy>>) => {
      assert.deepEqual(tree.nodes.map((n) => [n.path, n.kind, n.zarrFormat]), [
        ["/", "group", 2],
        ["/sub", "group", 2],
        ["/t2m", "array", 2],
      ]);
      const t2m = tree.nodes[2];
      assert.deepEqual(
        [t2m.shape, t2m.dtype, t2m.chunks, t2m.dimensionNames, t2m.fillValue],
        [[4, 3], "<f4", [2, 3], ["y", "x"], "NaN"],
      );
      assert.deepEqual(t2m.codecs, ["blosc(cname=lz4, clevel=5, shuffle=1, blocksize=0)", "order=F"]);
      assert.deepEqual([t2m.storedObjects, t2m.storedBytes], [2, 15]);
      assert.equal(tree.nodes[0].attributes.title, "v2");
    };
    const listed = await describeHierarchy(store);
    assert.equal(listed.source, "listing");
    check(listed);
    await store.set("/.zmetadata", utf8(JSON.stringify({ zarr_consolidated_format: 1, metadata: docs })));
    const consolidated = await describeHierarchy(store);
    assert.equal(consolidated.source, "consolidated");
    check(consolidated);
  }, { label: "view" });
});

Deno.test("broken and hostile metadata: a node with a problem, every name and attribute escaped", async () => {
  await withStore(async (store) => {
    await zarr.create(store, { attributes: { title: "<script>alert(1)</script>", "<img src=x>": "'\"&" } });
    await zarr.create(zarr.root(store).resolve("ok"), { shape: [2, 2], chunkShape: [2, 2], dtype: "uint8" });
    await store.set("/broken/zarr.json", utf8("{ not json"));
    await store.set(
      "/evil<b>name/zarr.json",
      utf8(JSON.stringify({ zarr_format: 3, node_type: "group", attributes: {} })),
    );
    const tree = await describeHierarchy(store);
    assert.deepEqual(tree.nodes.map((n) => n.path), ["/", "/broken", "/evil<b>name", "/ok"]);
    assert.match(tree.nodes[1].problem!, /\/broken\/zarr\.json is not valid JSON \(10 bytes\)/);
    const html = hierarchyHtml(tree);
    assert.ok(!/<script>alert|<img src=x>|evil<b>name/.test(html), "no markup from the data");
    assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert.ok(html.includes("&#39;&quot;&amp;"));
    assert.ok(html.includes("evil&lt;b&gt;name"));
    assert.match(hierarchyText(tree), /broken {2}group {2}\/broken\/zarr\.json is not valid JSON/);
  }, { label: "view" });
});

Deno.test("1,000 nodes: one pass from a listing (bounded GETs) and from consolidated metadata; maxNodes truncates", async () => {
  const rec = recording();
  await withStore(async (store) => {
    const docs = await writeThousandNodes(store);
    rec.log.length = 0;
    const listed = await describeHierarchy(store, { concurrency: 16 });
    assert.equal(listed.nodes.length, 1000);
    assert.equal(rec.log.filter(isObjectGet).length, 1000);
    assert.equal(listed.nodes.filter((n) => n.storedObjects === 1).length, 99);
    const html = hierarchyHtml(listed);
    assert.equal(html.match(/<details class="zs-node/g)?.length, 1000);
    assert.equal(hierarchyText(listed).split("\n").length, 1001);
    assert.equal(await consolidateForTest(store, docs), 999);
    rec.log.length = 0;
    const consolidated = await describeHierarchy(store);
    assert.equal(consolidated.nodes.length, 1000);
    assert.equal(rec.log.filter(isObjectGet).length, 1);
    const few = await describeHierarchy(store, { maxNodes: 10, sizes: false });
    assert.equal(few.nodes.length, 1000, "consolidated metadata is one document: maxNodes limits GETs only");
    await store.delete("/zarr.json");
    const limited = await describeHierarchy(store, { maxNodes: 10 });
    assert.deepEqual([limited.nodes.length, limited.truncated], [10, 989]);
    assert.match(hierarchyText(limited).split("\n")[0], /989 more not read/);
  }, { label: "view", fetch: rec.fetch });
});

Deno.test("Jupyter bundles: a store, a group and an array (with a quick look that decodes)", async () => {
  await withStore(async (store) => {
    await writeCfDataset(store);
    const storeBundle = await jupyterDisplay(store);
    assert.ok(storeBundle["text/html"].includes("SwiftStore"));
    assert.ok(storeBundle["text/plain"].startsWith(`zarr hierarchy ${store.url}: 2 groups, 6 arrays`));
    const shown = withDisplay(store);
    const display =
      (shown as unknown as Record<symbol, () => Promise<unknown>>)[Symbol.for("Jupyter.display")];
    assert.deepEqual(await display(), storeBundle);

    const group = await openForDisplay(store, "/ancillary");
    assert.equal(group.kind, "group");
    const groupBundle = await (group as unknown as Record<symbol, () => Promise<Record<string, string>>>)[
      Symbol.for("Jupyter.display")
    ]();
    assert.deepEqual(groupBundle["text/plain"].split("\n").slice(1), [
      "/ancillary  group  1 attribute",
      `  land_mask  (lat: 45, lon: 90)  bool  chunks [45, 90]  1 object, ${
        groupBundle["text/plain"].match(/1 object, ([\d.]+ \w+)$/)![1]
      }`,
    ]);

    const tas = await openForDisplay(store, "/tas");
    const bundle = await jupyterDisplay(tas);
    const src = /<img alt="quick look" src="data:image\/png;base64,([^"]+)">/.exec(bundle["text/html"]);
    assert.ok(src, "the array's bundle has a quick look");
    const image = decode(Uint8Array.from(atob(src[1]), (c) => c.charCodeAt(0)));
    assert.ok(image.width > 90 && image.height >= 45);
    const line = await jupyterDisplay(await openForDisplay(store, "/time"));
    assert.ok(!line["text/html"].includes("<img"), "1-D arrays have no quick look");
  }, { label: "view" });
});

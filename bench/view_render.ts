/**
 * How long the hierarchy display takes for 1,000 nodes (and the CF-style dataset) on
 * the local Swift: reading the metadata from a listing (bounded concurrent GETs) and
 * from consolidated metadata, and rendering the HTML and text (pure, synchronous: the
 * time the notebook kernel is busy). Medians of `--rounds` (default 5).
 *
 *   deno run -A bench/view_render.ts [--rounds 5]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { SwiftStore, TempAuth } from "../mod.ts";
import { describeHierarchy, hierarchyHtml, hierarchyText } from "../src/view/mod.ts";
import { consolidateForTest, writeCfDataset, writeThousandNodes } from "../tests/_view_fixtures.ts";

const { values } = parseArgs({ args: Deno.args, options: { rounds: { type: "string" } } });
const rounds = Number(values.rounds ?? 5);
const auth = new TempAuth({
  authUrl: "http://127.0.0.1:8080/auth/v1.0",
  user: "test:tester",
  key: "testing",
});

async function median(fn: () => unknown | Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const ms = (t: number) => `${t.toFixed(t < 10 ? 2 : 0)} ms`;
const container = `zs-bench-view-${Date.now().toString(36)}`;
const store = await SwiftStore.open({ container, auth });
try {
  for (
    const [name, write] of [["CF-style dataset", writeCfDataset], [
      "1,000 nodes",
      writeThousandNodes,
    ]] as const
  ) {
    await store.deletePrefix("/");
    const docs = await write(store);
    const listed = await describeHierarchy(store);
    const fromListing = await median(() => describeHierarchy(store));
    const html = hierarchyHtml(listed);
    const renderHtml = await median(() => hierarchyHtml(listed));
    const renderText = await median(() => hierarchyText(listed));
    await consolidateForTest(store, docs ?? undefined);
    const fromConsolidated = await median(() => describeHierarchy(store));
    const consolidatedNoSizes = await median(() => describeHierarchy(store, { sizes: false }));
    console.log(
      `${name}: ${listed.nodes.length} nodes, ${listed.objects} objects; ` +
        `read from a listing ${ms(fromListing)}, from consolidated metadata ${ms(fromConsolidated)} ` +
        `(${ms(consolidatedNoSizes)} without sizes); render HTML ${ms(renderHtml)} (${
          (html.length / 1024).toFixed(0)
        } KiB), text ${ms(renderText)}`,
    );
  }
} finally {
  await store.deletePrefix("/");
  await fetch(`${store.url}`, {
    method: "DELETE",
    headers: { "X-Auth-Token": (await auth.credentials()).token! },
  }).then((r) => r.body?.cancel());
}

#!/usr/bin/env -S deno run -A
/**
 * Makes a destination hold what a source holds, either way: a local directory to
 * `<container>[/<prefix>]`, or a prefix to a local directory. Transfers what is
 * missing or differs (size first, then MD5; a Static Large Object segment by
 * segment), and with `--delete` removes what the source no longer has (bulk delete
 * in Swift) — only once every transfer succeeded, so a failed run deletes nothing.
 * The plan comes from the two listings (the library's `planSync`): files are hashed
 * only when their sizes match; `--dry-run` prints it with counts and bytes and
 * changes nothing. Filters, headers and expiry as in upload.ts.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/sync.ts --delete ./data.zarr my-container/run-42
 * deno run -A jsr:@zarrswift/store/scripts/sync.ts --dry-run my-container/run-42 ./run-42.zarr
 * ```
 *
 * @module
 */

import { ContainerNotFoundError, Limiter, type SwiftStore, type SyncItem, type SyncPlan } from "../mod.ts";
import {
  answerChecks,
  AUTH_HELP,
  AUTH_OPTIONS,
  bytes,
  concurrencyFlag,
  deleteListed,
  describeLocation,
  downloadObject,
  FILTER_HELP,
  FILTER_OPTIONS,
  HEADER_HELP,
  HEADER_OPTIONS,
  inMemoryLimit,
  Job,
  localIndex,
  localPath,
  localSide,
  location,
  looksLocal,
  objectHeaders,
  openStore,
  pathFilter,
  Progress,
  remoteSide,
  requireDir,
  run,
  secondsSince,
  settledPlan,
  sizeFlag,
  TargetDirs,
  terminalSafe,
  TRANSFER_CONCURRENCY,
  uploadFile,
  UsageError,
} from "./_cli/mod.ts";

const HELP = `
Usage: sync.ts [options] <local-dir> <container>[/<prefix>]     (up)
       sync.ts [options] <container>[/<prefix>] <local-dir>     (down)

Makes the destination hold what the source holds: transfers what is missing or
differs there (size, then MD5; large objects segment by segment). The local side is
the argument that starts with /, ./, ../ or ~, or names an existing directory.

Options:
  --delete               also delete what the destination has and the source does not
                         (only when every transfer succeeded; bulk delete in Swift)
  --dry-run              print the plan (what would be transferred and deleted, why,
                         counts and bytes) and change nothing
  --segment-size SIZE    up: files larger than this go up as Static Large Objects (default 1G)
  --segment-container C  up: where segments go (default <container>_segments)
  --concurrency N        requests in flight (default 128)
  --json                 print one JSON summary as the last line; no progress bar
  -h, --help             this help

${FILTER_HELP}
  What the filters leave out is neither transferred nor deleted (rclone's rule).

${HEADER_HELP}
  (up only)

Local files: regular files and symlinks to regular files are taken; symlinks to
directories, FIFOs, sockets and devices are skipped, and never deleted down.
Down, files are written as <name>.part and renamed when complete; empty directories stay.

${AUTH_HELP}

Exit status: 0 when everything is in sync, 1 on any failure (then nothing is deleted),
2 on bad usage.`;

await run("sync.ts", {
  options: {
    ...AUTH_OPTIONS,
    delete: { type: "boolean" },
    "dry-run": { type: "boolean" },
    "segment-size": { type: "string" },
    "segment-container": { type: "string" },
    concurrency: { type: "string" },
    json: { type: "boolean" },
    ...FILTER_OPTIONS,
    ...HEADER_OPTIONS,
  },
  help: HELP,
  positionals: { min: 2, max: 2 },
}, async ({ values, positionals }) => {
  const at = await localIndex(positionals[0], positionals[1]);
  if (at === undefined) {
    const both = await looksLocal(positionals[0]);
    throw new UsageError(
      `expected one local directory and one <container>[/<prefix>], found ${
        both ? "two local paths" : "two locations"
      } (${positionals.map((p) => JSON.stringify(p)).join(" and ")}); write a local path as ./name or /path`,
    );
  }
  const up = at === 0;
  const dir = positionals[at].replace(/\/+$/, "") || "/";
  const loc = location(positionals[1 - at]);
  await requireDir(dir, up ? "to sync from" : "to sync into", !up);
  const concurrency = concurrencyFlag(values, TRANSFER_CONCURRENCY);
  const segmentSize = sizeFlag(values["segment-size"], "segment-size", 2 ** 30);
  const segmentContainer = (values["segment-container"] as string | undefined) ?? `${loc.container}_segments`;
  const dryRun = Boolean(values["dry-run"]);
  const filter = await pathFilter(values);
  const headers = objectHeaders(values);
  if (!up && headers.given) {
    throw new UsageError("-H, -m, --delete-after and --delete-at apply to sync up only");
  }
  const started = performance.now();
  const where = describeLocation(loc);

  // Up, the container is created (a dry run writes nothing: a missing one is empty).
  const store: SwiftStore | undefined = await openStore(loc, values, {
    concurrency,
    readOnly: !up || dryRun,
    createContainer: up && !dryRun,
  }).catch((err) => {
    if (up && dryRun && err instanceof ContainerNotFoundError) return undefined;
    throw err;
  });
  const counts = { transferred: 0, same: 0, excluded: 0, skipped: 0, failed: 0, bytes: 0, deleted: 0 };
  const progress = new Progress(!values.json && !dryRun);
  const job = new Job(
    "sync.ts",
    counts,
    (c) => `transferred ${c.transferred} (${bytes(c.bytes)}), failed ${c.failed}; nothing deleted`,
    { beforeExit: () => progress.done() },
  );

  const local = await localSide(dir);
  for (const p of local.failed) job.fail(p.path, new Error(p.reason));
  for (const p of local.skipped) console.error(terminalSafe(`sync.ts: ${p.path}: skipped, ${p.reason}`));
  counts.skipped = local.skipped.length;
  const remote = await remoteSide(store, job.signal);
  const [source, destination] = up ? [local.entries, remote] : [remote, local.entries];
  // An empty source is a mistake more often than a wish to empty the destination.
  if (source.length === 0 && local.failed.length === 0) {
    job.finish();
    console.error(terminalSafe(`sync.ts: nothing ${up ? `in ${dir}` : `under ${where}/`}: nothing to sync`));
    return 1;
  }
  // Down, what could not be read locally is never deleted; up, a source that could not be read is kept too.
  const options = { delete: Boolean(values.delete), filter, keep: local.keep };
  const localRole = up ? "source" as const : "destination" as const;
  const plan = await settledPlan(
    source,
    destination,
    options,
    (checks) =>
      answerChecks(checks, { side: localRole, dir }, store, { progress, signal: job.signal, concurrency }),
  );
  counts.same = plan.same;
  counts.excluded = plan.excluded;

  if (dryRun) {
    progress.done();
    job.finish();
    return report(plan, true);
  }
  progress.setTotal(plan.transfer.length, plan.transferBytes);
  const large = new Set(remote.filter((e) => e.largeObject).map((e) => e.path));
  const targets = new TargetDirs(dir);
  // Made when the first object arrives: a sync that writes nothing leaves no empty directory.
  let made: Promise<void> | undefined;
  await new Limiter(concurrency * 2).each(job.until(plan.transfer), async (item) => {
    try {
      if (up) {
        const file = local.files.get(item.path)!;
        await uploadFile(store!, file, {
          segmentSize,
          segmentContainer,
          headers: headers.headers,
          contentType: headers.contentType,
          signal: job.signal,
          inMemory: inMemoryLimit(concurrency),
          replacesLargeObject: (f) => large.has(f.key.slice(1)),
        }, progress.track());
      } else {
        const path = localPath(dir, item.path);
        if (path === undefined) throw new TypeError(`the object name ${item.path} cannot be a local path`);
        await (made ??= Deno.mkdir(dir, { recursive: true }));
        await targets.prepare(path);
        await downloadObject(
          store!,
          `/${item.path}`,
          item.size,
          path,
          progress,
          job.signal,
          inMemoryLimit(concurrency),
        );
      }
      counts.transferred++;
      counts.bytes += item.size;
      progress.tick();
      job.ok();
    } catch (err) {
      if (!job.isStop(err)) job.fail(item.path, err);
    }
  });
  progress.done();

  // Deleting only after every transfer succeeded: a failed run loses nothing.
  let note = "";
  if (plan.delete.length > 0 && (counts.failed > 0 || job.stopped)) {
    note =
      `--delete: nothing deleted (${plan.delete.length} planned), as ${counts.failed} transfer(s) failed`;
  } else if (plan.delete.length > 0) {
    if (up) {
      const objects = plan.delete.map((d) => ({
        name: store!.prefix === "" ? d.path : `${store!.prefix}/${d.path}`,
        largeObject: large.has(d.path),
      }));
      const result = await deleteListed(store!, objects, { signal: job.signal });
      counts.deleted = plan.delete.length - result.notFound;
    } else {
      for (const item of plan.delete) {
        try {
          await Deno.remove(`${dir}/${item.path}`);
          counts.deleted++;
        } catch (err) {
          job.fail(`${dir}/${item.path}`, err);
        }
      }
    }
  }
  job.finish();
  const code = report(plan, false);
  if (note) console.error(`sync.ts: ${note}`);
  if (job.outage) {
    console.error(`sync.ts: ${job.outage.message}`);
    return 1;
  }
  return code;

  /** Prints the plan (a dry run) or what was done; answers the exit code. */
  function report(plan: SyncPlan, planOnly: boolean): number {
    const seconds = secondsSince(started);
    const arrow = up ? `${dir} -> ${where}` : `${where} -> ${dir}`;
    const name = (item: SyncItem) => up ? `${where}/${item.path}` : `${dir}/${item.path}`;
    if (planOnly) {
      if (!values.json) {
        for (const t of plan.transfer) {
          console.log(terminalSafe(`would transfer ${t.path} (${bytes(t.size)}, ${t.reason})`));
        }
        for (const d of plan.delete) console.log(terminalSafe(`would delete ${name(d)} (${bytes(d.size)})`));
        console.log(terminalSafe(
          `plan ${arrow}: transfer ${plan.transfer.length} (${
            bytes(plan.transferBytes)
          }), delete ${plan.delete.length} (${bytes(plan.deleteBytes)}), same ${plan.same}${
            filter ? `, excluded ${plan.excluded}` : ""
          }, failed ${counts.failed} (dry run: nothing changed)`,
        ));
      } else {
        console.log(JSON.stringify({
          dry_run: true,
          transfer: plan.transfer.length,
          transfer_bytes: plan.transferBytes,
          delete: plan.delete.length,
          delete_bytes: plan.deleteBytes,
          same: plan.same,
          excluded: plan.excluded,
          skipped: counts.skipped,
          failed: counts.failed,
          transfers: plan.transfer,
          deletes: plan.delete,
          seconds,
        }));
      }
      return counts.failed > 0 ? 1 : 0;
    }
    if (values.json) console.log(JSON.stringify({ ...counts, seconds }));
    else {
      console.log(terminalSafe(
        `${counts.failed > 0 ? "incomplete sync" : "synced"} ${arrow}: transferred ${counts.transferred} (${
          bytes(counts.bytes)
        }), same ${counts.same}${values.delete ? `, deleted ${counts.deleted}` : ""}${
          filter ? `, excluded ${counts.excluded}` : ""
        }, skipped ${counts.skipped}, failed ${counts.failed} in ${seconds} s`,
      ));
    }
    return counts.failed > 0 ? 1 : 0;
  }
});

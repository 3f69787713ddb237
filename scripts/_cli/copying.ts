/**
 * What `cp.ts` and `mv.ts` share: resolving the source (one object, or every object
 * under a prefix) and the destination names, copying on the server with the
 * library's `copyObject` (no byte through the client; a large object as its
 * manifest unless `--copy-segments`), and for a move, deleting the sources once every
 * copy succeeded.
 *
 * @module
 */

import { TRANSFER_CONCURRENCY } from "./files.ts";
import {
  ContainerNotFoundError,
  copyObject,
  Limiter,
  otherAccount,
  SwiftStore,
  type SwiftStoreOptions,
} from "../../mod.ts";
import { concurrencyFlag, type Options, str, UsageError, type Values } from "./args.ts";
import { AUTH_HELP, AUTH_OPTIONS, connection } from "./auth.ts";
import { deleteListed } from "./deleting.ts";
import { FILTER_HELP, FILTER_OPTIONS, pathFilter } from "./filters.ts";
import { bytes, secondsSince, segmentSample, terminalSafe } from "./format.ts";
import { HEADER_HELP, HEADER_OPTIONS, objectHeaders } from "./headers.ts";
import { Job } from "./job.ts";
import { describeLocation, type Location, location } from "./location.ts";
import { Progress } from "./progress.ts";
import type { Command } from "./run.ts";

/** The options of cp.ts and mv.ts. */
export const COPY_OPTIONS: Options = {
  ...AUTH_OPTIONS,
  "from-account": { type: "string" },
  "copy-segments": { type: "boolean" },
  "segment-container": { type: "string" },
  "fresh-metadata": { type: "boolean" },
  "dry-run": { type: "boolean" },
  concurrency: { type: "string" },
  json: { type: "boolean" },
  ...FILTER_OPTIONS,
  ...HEADER_OPTIONS,
};

/** The `--help` text of cp.ts (`move` false) or mv.ts. */
export function copyHelp(move: boolean): string {
  const name = move ? "mv.ts" : "cp.ts";
  return `
Usage: ${name} [options] <container>/<object> <container>[/<object>]
       ${name} [options] <container>[/<prefix>] <container>[/<prefix>]

${move ? "Moves" : "Copies"} one object, or every object under a prefix, within the cluster: Swift
copies each object on the server (X-Copy-From), no byte passes through this
machine. Objects under the source prefix land under the destination prefix; one
object lands under the name given (under its own name when the destination is a
container, or below a destination ending in /). The destination container is
created when missing. Metadata, content type and expiry come along.
${
    move
      ? `
The sources are deleted only once every copy succeeded: a failed run deletes nothing.
`
      : ""
  }
A Static Large Object is copied as its manifest: the copy uses the same segments,
which are not duplicated${
    move
      ? ": they stay where they are (the moved manifest points at them)."
      : " (deleting the source with its segments, as rm.ts does,\nwould break the copy)."
  }
--copy-segments copies the segments too, under the copy's own name in
<container>_segments${move ? ", and deletes the source's" : ""}.

Options:
  --from-account ACCOUNT  the source is in another account (AUTH_name), as its ACLs allow
                          (X-Copy-From-Account)
  --copy-segments         copy large objects' segments too (server-side), instead of sharing them
  --segment-container C   where copied segments go (default <container>_segments)
  --fresh-metadata        leave the sources' metadata behind
  --dry-run               show what would be ${move ? "moved" : "copied"}; change nothing
  --concurrency N         copies in flight (default 128)
  --json                  print one JSON summary as the last line; no progress bar
  -h, --help              this help

${FILTER_HELP}
  (names relative to the source prefix)

${HEADER_HELP}

${AUTH_HELP}

Exit status: 0 when every object was ${move ? "moved" : "copied"}, 1 on any failure (or nothing to ${
    move ? "move" : "copy"
  }),
2 on bad usage.`;
}

/** One object to copy. */
interface Item {
  /** The source's object name. */
  from: string;
  /** The copy's object name. */
  to: string;
  /** Its size (for counts; the bytes never pass here). */
  size: number;
  /** Whether it is a Static Large Object. */
  largeObject: boolean;
}

/** Opens a store over a container, unprefixed; `options.auth` overrides the flags' credentials. */
function open(
  loc: Location,
  values: Values,
  concurrency: number,
  options: Partial<SwiftStoreOptions>,
): Promise<SwiftStore> {
  return SwiftStore.open({ container: loc.container, ...connection(values, concurrency), ...options });
}

/** The main function of cp.ts (`move` false) or mv.ts. */
export function copyCommand(move: boolean): (command: Command) => Promise<number> {
  const name = move ? "mv.ts" : "cp.ts";
  return async ({ values, positionals }) => {
    const src = location(positionals[0]);
    const dst = location(positionals[1]);
    const concurrency = concurrencyFlag(values, TRANSFER_CONCURRENCY);
    const fromAccount = str(values, "from-account");
    const copySegments = Boolean(values["copy-segments"]);
    const dryRun = Boolean(values["dry-run"]);
    const filter = await pathFilter(values);
    const { headers, contentType } = objectHeaders(values);
    if (contentType !== undefined) headers["Content-Type"] = contentType;
    if (copySegments && fromAccount !== undefined) {
      throw new UsageError("--copy-segments copies within one account: not with --from-account");
    }
    const started = performance.now();
    const base = connection(values, concurrency);
    const source = await open(src, values, concurrency, {
      readOnly: !move || dryRun,
      createContainer: false,
      ...(fromAccount === undefined ? {} : { auth: otherAccount(base.auth, fromAccount) }),
    });
    const target = await open(dst, values, concurrency, { readOnly: dryRun, createContainer: !dryRun }).catch(
      (err) => {
        if (dryRun && err instanceof ContainerNotFoundError) return undefined;
        throw err;
      },
    );

    // The source: one object (it exists, no trailing /), else everything under the prefix.
    const single = src.path !== "" && !src.trailingSlash ? await source.stat(`/${src.path}`) : undefined;
    const items: Item[] = [];
    let excluded = 0;
    if (single) {
      const base = src.path.slice(src.path.lastIndexOf("/") + 1);
      const to = dst.path === "" ? src.path : dst.trailingSlash ? `${dst.path}/${base}` : dst.path;
      items.push({ from: src.path, to, size: single.size, largeObject: single.largeObject });
    } else {
      const root = src.path === "" ? "" : `${src.path}/`;
      for await (const e of source.swiftContainer.list(root)) {
        if (!("name" in e) || e.name.endsWith("/")) continue;
        const rest = e.name.slice(root.length);
        if (filter && !filter(rest)) {
          excluded++;
          continue;
        }
        items.push({
          from: e.name,
          to: dst.path === "" ? rest : `${dst.path}/${rest}`,
          size: e.size,
          largeObject: e.largeObject,
        });
      }
    }
    const sameContainer = src.container === dst.container && fromAccount === undefined;
    if (sameContainer && items.some((i) => i.from === i.to)) {
      throw new UsageError(`${describeLocation(src)} and ${describeLocation(dst)} are the same objects`);
    }
    if (sameContainer && !single && (src.path === "" || `${dst.path}/`.startsWith(`${src.path}/`))) {
      throw new UsageError(
        `${describeLocation(dst)} is inside ${describeLocation(src)}: it would copy its own copies`,
      );
    }
    if (items.length === 0) {
      const where = describeLocation(src);
      console.error(terminalSafe(
        excluded
          ? `${name}: nothing under ${where}/ matches the filters (${excluded} excluded)`
          : `${name}: no object ${where} and nothing under ${where}/`,
      ));
      return 1;
    }

    const counts = { copied: 0, excluded, failed: 0, bytes: 0, segments_copied: 0, deleted: 0 };
    const verb = move ? "moved" : "copied";
    const progress = new Progress(!values.json && !dryRun);
    progress.setTotal(items.length, items.reduce((n, i) => n + i.size, 0));
    const job = new Job(
      name,
      counts,
      (c) => `copied ${c.copied} of ${items.length}, failed ${c.failed}${move ? "; nothing deleted" : ""}`,
      {
        beforeExit: () => progress.done(),
      },
    );
    const where = (n: string) => `${dst.container}/${n}`;
    if (dryRun) {
      for (const i of items) {
        console.log(
          terminalSafe(
            `would ${move ? "move" : "copy"} ${src.container}/${i.from} to ${where(i.to)} (${bytes(i.size)})`,
          ),
        );
      }
      counts.copied = items.length;
      counts.bytes = items.reduce((n, i) => n + i.size, 0);
    } else {
      await new Limiter(concurrency).each(job.until(items), async (item) => {
        try {
          const done = await copyObject(target!.swiftContainer, item.to, item.from, {
            fromContainer: src.container,
            fromAccount,
            headers,
            freshMetadata: Boolean(values["fresh-metadata"]),
            copySegments,
            segmentContainer: str(values, "segment-container"),
            signal: job.signal,
          });
          if (done === undefined) throw new Error("the source disappeared before it was copied");
          counts.copied++;
          counts.bytes += item.size;
          counts.segments_copied += done.segmentsCopied;
          progress.add(item.size);
          progress.tick();
          job.ok();
        } catch (err) {
          if (!job.isStop(err)) job.fail(`${src.container}/${item.from}`, err);
        }
      });
    }
    progress.done();

    // A move deletes its sources only once every copy succeeded.
    let note = "";
    if (move && !dryRun) {
      if (counts.failed > 0 || job.stopped) {
        note = `nothing deleted: ${counts.failed} cop${counts.failed === 1 ? "y" : "ies"} failed`;
      } else {
        // Shared segments stay: the moved manifests point at them.
        const result = await deleteListed(
          source,
          items.map((i) => ({ name: i.from, largeObject: i.largeObject })),
          {
            keepSegments: !copySegments,
            signal: job.signal,
          },
        );
        counts.deleted = items.length - result.notFound;
        const large = items.filter((i) => i.largeObject).length;
        if (large > 0 && !copySegments) {
          note =
            `${large} large object(s) moved as manifests: their segments stay where they were (--copy-segments moves them too)`;
        } else if (result.kept.length > 0) {
          // Segments the sources pointed at outside their own segment path were not theirs to delete.
          note =
            `kept ${result.kept.length} segment(s) the sources pointed at outside their own segment path: ${
              segmentSample(result.kept)
            }`;
        }
      }
    }
    job.finish();
    const seconds = secondsSince(started);
    const { deleted, ...rest } = counts;
    if (values.json) {
      console.log(
        JSON.stringify({
          ...rest,
          ...(move ? { deleted } : {}),
          ...(dryRun ? { dry_run: true } : {}),
          seconds,
        }),
      );
    } else {
      console.log(terminalSafe(
        `${dryRun ? `would ${move ? "move" : "copy"}` : verb} ${counts.copied} object(s) (${
          bytes(counts.bytes)
        }, on the server) from ${describeLocation(src)} to ${describeLocation(dst)}${
          filter ? `, excluded ${excluded}` : ""
        }${
          counts.segments_copied ? `, ${counts.segments_copied} segment(s) copied` : ""
        }, failed ${counts.failed}${move && !dryRun ? `, deleted ${deleted} source(s)` : ""} in ${seconds} s${
          dryRun ? " (dry run: nothing changed)" : ""
        }`,
      ));
    }
    if (note) console.error(terminalSafe(`${name}: ${note}`));
    if (job.outage) {
      console.error(`${name}: ${job.outage.message}`);
      return 1;
    }
    return counts.failed > 0 ? 1 : 0;
  };
}

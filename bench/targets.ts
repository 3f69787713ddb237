/**
 * The targets of the benchmark suite (issue 18): each stated against the raw floor or a
 * peer measured in the same run at the same round-trip time, never against a figure from
 * elsewhere. Each answers the figures it judged and whether they meet it.
 *
 * Imports: stats.ts only (pure, no I/O).
 *
 * @module
 */

import { fmt, ratio, type Stats, type Target } from "./stats.ts";

/** Several targets as one: every text, met when each is. */
export function all(...targets: Target[]): Target {
  return { text: targets.map((t) => t.text).filter(Boolean).join("; "), met: targets.every((t) => t.met) };
}

/**
 * "At least `least`× the floor's speed", with the range of the ratio round by round (the
 * two ran back to back in each round).
 */
export function nearFloor(ours: Stats, floor: Stats, least = 0.9): Target {
  const x = ratio(ours.objectsPerSecond, floor.objectsPerSecond);
  return { text: `≥ ${least}× floor: ${fmt(x, 3)}× (rounds ${roundRange(ours, floor)})`, met: x >= least };
}

/** The lowest and highest speed ratio of `ours` to `other` round by round ("0.79–0.97×"). */
function roundRange(ours: Stats, other: Stats): string {
  const xs = ours.runs.map((run, i) => (other.runs[i] ? other.runs[i].seconds / run.seconds : Number.NaN));
  return `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}×`;
}

/**
 * `ours` against a reference that is no target (reported, always met): a floor that also
 * does work any client must do, to tell that work from our own cost.
 */
export function beside(ours: Stats, other: Stats | undefined, name: string): Target {
  if (!other) return { text: "", met: true };
  const x = ratio(ours.objectsPerSecond, other.objectsPerSecond);
  return { text: `[${name}: ${fmt(x, 3)}× (rounds ${roundRange(ours, other)})]`, met: true };
}

/** "Within `most`× the floor's time" (the WAN form of {@link nearFloor}). */
export function withinFloor(ours: Stats, floor: Stats, most = 1.2): Target {
  const x = ratio(ours.seconds, floor.seconds);
  return { text: `≤ ${most}× floor's time: ${fmt(x)}×`, met: x <= most };
}

/** "At least `least`× `peer`'s speed", named `name`. */
export function ahead(ours: Stats, peer: Stats | undefined, least: number, name: string): Target {
  const x = peer ? ratio(ours.objectsPerSecond, peer.objectsPerSecond) : Number.NaN;
  return { text: `≥ ${least}× ${name}: ${fmt(x)}×`, met: x >= least };
}

/** Client CPU per object of `ours` against the floor's, in ms (reported, always met). */
export function cpuPerObject(ours: Stats, floor: Stats, objects: number): Target {
  const per = (s: Stats) => fmt((s.cpu / objects) * 1000, 3);
  return { text: `client CPU ${per(ours)} ms/object (floor ${per(floor)})`, met: true };
}

/**
 * A listing of `objects` over a link of `rtt` ms: within 1.1× of ⌈N/10,000⌉ sequential
 * round trips plus the server's time (the raw listing on the loopback, same run).
 */
export function listingBound(ours: Stats, loopback: Stats | undefined, objects: number, rtt: number): Target {
  const bound = (loopback?.seconds ?? Number.NaN) + (Math.ceil(objects / 10_000) * rtt) / 1000;
  const x = ratio(ours.seconds, bound);
  return {
    text: `≤ 1.1× (${Math.ceil(objects / 10_000)} RTT + loopback listing = ${fmt(bound)} s): ${fmt(x)}×`,
    met: x <= 1.1,
  };
}

/**
 * Deletes: `ours` sends at most 1 % of the requests of the per-object client `each` (when the
 * link counted them), and is no slower than the fastest per-object client. `swift delete`
 * is reported beside it: python-swiftclient bulk-deletes too when the cluster offers it,
 * so it is no per-object client here.
 */
export function deleteTarget(
  ours: Stats,
  perObject: Stats[],
  each: Stats | undefined,
  swift?: Stats,
): Target {
  const fastest = Math.min(...perObject.map((s) => s.seconds));
  const speed = ratio(fastest, ours.seconds);
  const share = each ? ratio(ours.requests, each.requests) : Number.NaN;
  const counted = Number.isFinite(share);
  const peer = swift
    ? `; [swift delete (bulk too): ${fmt(ratio(swift.seconds, ours.seconds))}× its time${
      Number.isFinite(swift.requests) ? `, ${swift.requests} requests` : ""
    }]`
    : "";
  return {
    text: `${
      counted
        ? `requests ≤ 1 % of per-object: ${fmt(100 * share, 2)} % (${ours.requests} vs ${each!.requests})`
        : "requests counted through a link only"
    }; no slower than the fastest per-object client: ${fmt(speed)}×${peer}`,
    met: (!counted || share <= 0.01) && speed >= 1,
  };
}

/** The adaptive limit within 10 % of the best fixed concurrency's time. */
export function adaptiveTarget(stats: Record<string, Stats>, adaptive: string, fixed: string[]): Target {
  const best = fixed.filter((n) => stats[n]).sort((a, b) => stats[a].seconds - stats[b].seconds)[0];
  const x = ratio(stats[adaptive]?.seconds, stats[best]?.seconds);
  return { text: `${adaptive} ≤ 1.1× the best fixed (${best}): ${fmt(x)}×`, met: x <= 1.1 };
}

/** Consolidated metadata: one request fewer for each array than opening node by node, and what it saves. */
export function consolidatedTarget(consolidated: Stats, plain: Stats, nodes: number): Target {
  const counted = Number.isFinite(consolidated.requests);
  const most = plain.requests - nodes;
  return {
    text: `${
      counted ? `consolidated ${consolidated.requests} requests (≤ ${most}) vs ${plain.requests}; ` : ""
    }${fmt(plain.seconds - consolidated.seconds)} s saved (${
      fmt(ratio(plain.seconds, consolidated.seconds))
    }×)`,
    met: (!counted || consolidated.requests <= most) && consolidated.seconds <= plain.seconds,
  };
}

/**
 * The targets of uploads and downloads (issue 18, point 4). Loopback: ≥ 0.9× the floor, with
 * client CPU per object. Through a link: within 1.2× the floor's time at the same concurrency;
 * at 50 ms also ahead of each peer at 32 by `peers` and, each at its defaults, ≥ 4× `swift` and
 * ≥ 8× rclone.
 */
export function transferTarget(
  s: Record<string, Stats>,
  rtt: number,
  ours: string,
  swift: string,
  objects: number,
  peers: [swift: number, rclone: number],
): Target {
  if (rtt === 0) {
    return all(nearFloor(s[ours], s["raw fetch"]), cpuPerObject(s[ours], s["raw fetch"], objects));
  }
  const targets = [withinFloor(s[ours], s["raw fetch"])];
  if (rtt === 50) {
    targets.push(
      ahead(s[ours], s[swift], peers[0], swift),
      ahead(s[ours], s["rclone copy"], peers[1], "rclone"),
    );
    const mine = s[`${ours} (defaults)`];
    targets.push(
      ahead(mine, s[`${swift} (defaults)`], 4, `${swift} at defaults`),
      ahead(mine, s["rclone copy (defaults)"], 8, "rclone at defaults"),
    );
    // What the proposals would reach at their defaults (reported, not judged).
    for (const proposal of [`${ours} ×128`, `${ours} adaptive`]) {
      if (!s[proposal] || !s[`${swift} (defaults)`]) continue;
      const t = all(
        ahead(s[proposal], s[`${swift} (defaults)`], 4, `${swift} at defaults`),
        ahead(s[proposal], s["rclone copy (defaults)"], 8, "rclone at defaults"),
      );
      targets.push({ text: `[${proposal}: ${t.text}]`, met: true });
    }
  }
  return all(...targets);
}

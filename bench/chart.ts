/**
 * The concurrency sweep as a small SVG line chart, written by hand (no dependency):
 * chunks per second against requests in flight (8 to 128, doubling), one line per
 * round-trip time, and the adaptive limit as a point of the same colour at the right.
 *
 * Imports: stats.ts only (pure, no I/O).
 *
 * @module
 */

import { fmt, type Stats } from "./stats.ts";

/** One line of the chart: a round-trip time and the contenders' figures there. */
export interface SweepLine {
  rtt: number;
  stats: Record<string, Stats>;
}

const COLORS = ["#1b6ac9", "#d9480f", "#2b8a3e", "#862e9c", "#c92a2a", "#495057"];
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** A "nice" step for an axis from 0 to `max` with about five ticks. */
function step(max: number): number {
  const raw = max / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
}

/**
 * The SVG of the sweep.
 *
 * @param lines One per round-trip time, in order.
 * @param levels The fixed concurrencies (contenders named `SwiftStore ×<n>`).
 * @param adaptive The adaptive contender's name.
 * @returns The SVG document.
 */
export function sweepChart(lines: SweepLine[], levels: number[], adaptive: string): string {
  const W = 640, H = 360, left = 64, right = 150, top = 36, bottom = 48;
  const columns = [...levels.map((n) => `×${n}`), "adaptive"];
  const x = (i: number) => left + ((W - left - right) * (i + 0.5)) / columns.length;
  const rate = (s?: Stats) => s?.objectsPerSecond ?? Number.NaN;
  const values = lines.flatMap((
    l,
  ) => [...levels.map((n) => rate(l.stats[`SwiftStore ×${n}`])), rate(l.stats[adaptive])]);
  const max = Math.max(1, ...values.filter(Number.isFinite));
  const dy = step(max);
  const top_ = Math.ceil((max * 1.05) / dy) * dy;
  const y = (v: number) => H - bottom - ((H - top - bottom) * v) / top_;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">zarr chunk reads: chunks/s by requests in flight</text>`,
  ];
  for (let v = 0; v <= top_ + 1e-9; v += dy) {
    out.push(
      `<line x1="${left}" x2="${W - right}" y1="${y(v)}" y2="${y(v)}" stroke="#e0e0e0"/>`,
      `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${fmt(v, 0)}</text>`,
    );
  }
  columns.forEach((c, i) =>
    out.push(`<text x="${x(i)}" y="${H - bottom + 18}" text-anchor="middle">${c}</text>`)
  );
  out.push(
    `<text x="${(left + W - right) / 2}" y="${H - 10}" text-anchor="middle">requests in flight</text>`,
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${H - bottom}" stroke="#444"/>`,
    `<line x1="${left}" x2="${W - right}" y1="${H - bottom}" y2="${H - bottom}" stroke="#444"/>`,
  );
  lines.forEach((line, k) => {
    const color = COLORS[k % COLORS.length];
    const points = levels.map((n, i) => [x(i), y(rate(line.stats[`SwiftStore ×${n}`]))])
      .filter(([, py]) => Number.isFinite(py));
    out.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${
        points.map((p) => p.join(",")).join(" ")
      }"/>`,
      ...points.map(([px, py]) => `<circle cx="${px}" cy="${py}" r="3" fill="${color}"/>`),
    );
    const a = rate(line.stats[adaptive]);
    if (Number.isFinite(a)) {
      const ax = x(levels.length), ay = y(a);
      out.push(
        `<path d="M${ax - 6},${ay} L${ax},${ay - 6} L${ax + 6},${ay} L${ax},${ay + 6} Z" fill="${color}"/>`,
      );
    }
    const ly = top + 8 + k * 20;
    out.push(
      `<line x1="${W - right + 16}" x2="${
        W - right + 40
      }" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${W - right + 46}" y="${ly + 4}">${
        esc(line.rtt === 0 ? "loopback" : `RTT +${line.rtt} ms`)
      }</text>`,
    );
  });
  out.push(
    `<text x="${W - right + 16}" y="${top + 14 + lines.length * 20}" fill="#444">◆ adaptive limit</text>`,
    `</svg>`,
  );
  return out.join("\n") + "\n";
}

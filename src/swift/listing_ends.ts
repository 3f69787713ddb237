/**
 * A container listing from both ends at once. Forward pages follow `marker` from the
 * start while reverse pages (`reverse=true`) come down from the end; the listing is
 * complete when the forward side reaches the lowest name the reverse side has seen.
 * Over a link with latency this halves the round trips one after another: 50,000
 * names take 3 rounds of two requests instead of 6 requests (5 pages and the empty
 * page that says the listing ended), and a listing of one page takes one round trip
 * instead of two.
 *
 * Safe on every server:
 * - The reverse pages are trusted only once one of them has shown two names in
 *   descending order (a server that ignores `reverse` answers ascending pages), and
 *   only while each next page stays below the one before; otherwise the listing goes
 *   on forward only, as `listPages` does.
 * - At most {@linkcode MAX_TAIL_PAGES} reverse pages are held (the end of the listing,
 *   held until the forward side reaches it); past that the forward side goes on alone.
 * - The forward side keeps its own checks (each page moves past its marker), so the
 *   listing ends whatever the reverse side does.
 *
 * Listings with a delimiter stay forward only (`listObjects` chooses): rolled-up
 * prefixes and markers inside them are not worth the risk.
 *
 * @module
 */

import type { SwiftClient } from "../http/client.ts";
import { encodeObjectName } from "../util/names.ts";
import {
  compareNames,
  fetchListingPage,
  keyOf,
  type ListingEntry,
  type ListOptions,
} from "./listing_pages.ts";

/** Reverse pages held at most (each up to the server's page size: 10,000 names by default). */
export const MAX_TAIL_PAGES = 8;

/** A container's listing (without a delimiter) page by page in ascending order, read from both ends at once. */
export async function* listFromBothEnds(
  client: SwiftClient,
  container: string,
  options: ListOptions,
): AsyncGenerator<ListingEntry[]> {
  const path = `/${encodeObjectName(container)}`;
  const page = (marker: string, reverse: boolean) =>
    fetchListingPage<ListingEntry>(client, path, container, options, marker, reverse);

  const tail: ListingEntry[][] = []; // reverse pages, each descending, each below the one before
  let low: string | undefined; // the lowest name of the tail, which holds every name from it to the end
  let proven = false; // a reverse page has shown two names in descending order
  let more = true; // whether to ask for more of the tail
  let marker = "";
  for (;;) {
    const reverse = more ? page(low ?? "", true) : undefined;
    reverse?.catch(() => {}); // observed below; a failing forward page must not leave it unhandled
    const forward = await page(marker, false);
    const back = reverse && await reverse;
    if (back !== undefined) {
      if (back.length === 0) more = false; // nothing below `low`: the tail reaches the start
      else if (!descendingBelow(back, low)) {
        // Not a reverse listing after all: drop the tail and go on forward only.
        tail.length = 0;
        low = undefined;
        proven = more = false;
      } else {
        tail.push(back);
        low = keyOf(back[back.length - 1]);
        proven ||= back.length >= 2;
        more = tail.length < MAX_TAIL_PAGES;
      }
    }
    // The tail counts only once proven (then `low` is set).
    const bound = proven ? low : undefined;
    if (forward.length === 0) {
      // The end came first (names removed meanwhile, or replicas that disagree): the
      // rest of the tail, past what was yielded.
      if (bound !== undefined) yield* ascending(tail, marker);
      return;
    }
    if (bound !== undefined && compareNames(keyOf(forward[forward.length - 1]), bound) >= 0) {
      const cut = forward.findIndex((e) => compareNames(keyOf(e), bound) >= 0);
      if (cut > 0) yield forward.slice(0, cut);
      // The tail may reach below names yielded in earlier rounds: those are not repeated.
      yield* ascending(tail, marker);
      return;
    }
    yield forward;
    marker = keyOf(forward[forward.length - 1]);
  }
}

/** Whether a reverse page is strictly descending and below `low` (when set). */
function descendingBelow(page: ListingEntry[], low: string | undefined): boolean {
  let above = low;
  for (const e of page) {
    const key = keyOf(e);
    if (above !== undefined && compareNames(key, above) >= 0) return false;
    above = key;
  }
  return true;
}

/** The tail's pages in ascending order, without names up to `after` (`""`: all). */
function* ascending(tail: ListingEntry[][], after: string): Generator<ListingEntry[]> {
  for (let i = tail.length - 1; i >= 0; i--) {
    const page = tail[i].toReversed();
    const kept = after === "" ? page : page.filter((e) => compareNames(keyOf(e), after) > 0);
    if (kept.length > 0) yield kept;
  }
}

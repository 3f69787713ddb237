/**
 * A job over many objects or files (upload, download, delete): its counts, the
 * failures it reports one line each, the stop after an outage (several requests in
 * a row that failed after all their retries with no answer or a server error), and
 * Ctrl-C (a one-line summary, with --json also the counts as JSON; exit code 130).
 *
 * @module
 */

import { NetworkError, ServerError, SwiftError, TimeoutError } from "../../mod.ts";
import { terminalSafe } from "./format.ts";
import { cliMessage, exit, scriptValues } from "./run.ts";

/** Failures in a row, each after its retries, that stop a job. */
const OUTAGE_STREAK = 5;

/** The job stopped because the server stopped answering. */
export class OutageError extends Error {}

/** Whether a failure (after the retries) says the server is gone rather than that this one item failed. */
function isOutage(err: unknown): boolean {
  return err instanceof NetworkError || err instanceof TimeoutError ||
    (err instanceof ServerError && (err.status === 502 || err.status === 503 || err.status === 504));
}

/** Options of a {@link Job}. */
export interface JobOptions {
  /** Called first on Ctrl-C (e.g. to clear the progress line). */
  beforeExit?: () => void;
  /** Lines printed after the summary on Ctrl-C (e.g. how to resume or clean up). */
  notes?: () => string[];
}

/** Counts, failures, the outage stop and Ctrl-C for one script run. */
export class Job<C extends Record<string, number> & { failed: number }> {
  /** The counts so far. */
  readonly counts: C;
  #name: string;
  #controller = new AbortController();
  #streak = 0;
  #summary: () => string;
  #options: JobOptions;
  #onInterrupt = () => {
    this.#controller.abort(new Error("interrupted"));
    this.#options.beforeExit?.();
    console.error(terminalSafe(`${this.#name}: interrupted: ${this.#summary()}`));
    for (const note of this.#options.notes?.() ?? []) console.error(terminalSafe(`${this.#name}: ${note}`));
    // With --json, the counts so far as the last line too (in the summary's snake_case).
    if (scriptValues().json) {
      const counts = Object.entries(this.counts).map((
        [k, v],
      ) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]);
      console.log(JSON.stringify({ ...Object.fromEntries(counts), interrupted: true }));
    }
    exit(130);
  };

  /** A job named `name` (for messages); `summary` describes the counts in one line. */
  constructor(name: string, counts: C, summary: (counts: C) => string, options: JobOptions = {}) {
    this.#name = name;
    this.counts = counts;
    this.#summary = () => summary(this.counts);
    this.#options = options;
    Deno.addSignalListener("SIGINT", this.#onInterrupt);
  }

  /** Aborted on an outage or Ctrl-C: pass it to every request. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the job was stopped. */
  get stopped(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Records a success: the outage streak starts again. */
  ok(): void {
    this.#streak = 0;
  }

  /**
   * Records a failure of `what` and prints it; after {@link OUTAGE_STREAK} outage
   * failures in a row, stops the job (every request in flight is aborted).
   */
  fail(what: string, err: unknown): void {
    if (this.stopped) return;
    this.counts.failed++;
    const message = cliMessage(err);
    console.error(terminalSafe(`${this.#name}: ${what}: ${message}`));
    if (!isOutage(err)) {
      this.#streak = 0;
      return;
    }
    if (++this.#streak >= OUTAGE_STREAK) {
      const reason = err instanceof SwiftError ? err.message : message;
      this.#controller.abort(
        new OutageError(
          `stopped after ${OUTAGE_STREAK} requests in a row failed after all their retries; the server looks down (${reason})`,
        ),
      );
    }
  }

  /** The reason the job stopped, when it did. */
  get stopReason(): unknown {
    return this.#controller.signal.reason;
  }

  /** The outage that stopped the job, if one did. */
  get outage(): OutageError | undefined {
    const reason = this.#controller.signal.reason;
    return reason instanceof OutageError ? reason : undefined;
  }

  /** Whether `err` only says that the job was stopped (an aborted request), not that an item failed. */
  isStop(err: unknown): boolean {
    return this.stopped && (err === this.stopReason || (err instanceof Error && err.name === "AbortError") ||
      (err instanceof SwiftError && /abort/i.test(err.message)));
  }

  /** `items`, until the job is stopped. */
  async *until<T>(items: AsyncIterable<T> | Iterable<T>): AsyncGenerator<T> {
    for await (const item of items) {
      if (this.stopped) return;
      yield item;
    }
  }

  /** Stops listening for Ctrl-C. */
  finish(): void {
    Deno.removeSignalListener("SIGINT", this.#onInterrupt);
  }
}

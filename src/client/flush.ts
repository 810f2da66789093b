// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { type MlflowError, MlflowFlushError } from "../base/errors.ts";
import type { QueueBudget } from "../delivery/budget.ts";
import type { TickScheduler } from "../delivery/scheduler.ts";
import type { RunState } from "./run.ts";

/** What a flush waits for, besides the runs' own queues. */
export interface FlushSources {
  runs: Set<RunState>;
  scheduler: TickScheduler<RunState>;
  /** Uploads, checks and trace exports started beside the queues. */
  background: Set<Promise<unknown>>;
  /** Settles once no run creation (or its duplicate check) is under way. */
  creator: { settled(): Promise<void> };
  /** Settles once no assessment (or its duplicate check) is under way. */
  assessments: { settled(): Promise<void> };
  budget: QueueBudget;
}

/** The failure ledger and `flush()`: every flush rejects for each failure reported while it waited. */
export interface Flusher {
  /** Records a write that failed for good. */
  record(error: MlflowError): void;
  /** Waits for everything logged so far; rejects with what failed or was dropped meanwhile. */
  flush(): Promise<void>;
  /** Items dropped since the last flush that reported drops. */
  droppedSinceFlush(): number;
  /** Settles once what was logged before the call has left the queues; never hurries or rejects. */
  delivered(): Promise<void>;
}

/**
 * Failures not yet thrown by a finished flush are kept. Every flush throws each failure reported
 * while it waited (and the ones pending when it started), so concurrent flushes all see a
 * failure; entries are trimmed only when no flush is running, so their indexes stay valid.
 */
export function createFlusher(sources: FlushSources): Flusher {
  const { runs, scheduler, background, creator, assessments, budget } = sources;
  let failures: MlflowError[] = [];
  let delivered = 0;
  let droppedDelivered = 0;
  let activeFlushes = 0;

  async function waitForAll(): Promise<void> {
    for (const state of runs) state.drain();
    scheduler.drainNow();
    const waits: Promise<unknown>[] = [...runs].map((s) => s.queue.settled());
    waits.push(...background);
    await Promise.all(waits);
    // Uploads and checks started by tasks that ran meanwhile (none by later calls).
    do {
      await Promise.all([...background]);
      await creator.settled();
      await assessments.settled();
    } while (background.size > 0);
  }

  return {
    async delivered() {
      // This tick's writes reach their queues when the tick scheduler drains them, at its end.
      await new Promise((resolve) => setTimeout(resolve, 0));
      // A snapshot: later writes, queued behind these or started beside them, are not waited for.
      await Promise.all([...runs].map((s) => s.queue.settled()));
      await Promise.allSettled([...background]);
    },
    record: (error) => void failures.push(error),
    droppedSinceFlush: () => budget.dropped - droppedDelivered,
    async flush() {
      const from = delivered;
      const droppedFrom = droppedDelivered;
      activeFlushes++;
      try {
        await waitForAll();
      } finally {
        activeFlushes--;
      }
      const to = failures.length;
      const failed = failures.slice(from, to);
      const lost = budget.dropped - droppedFrom;
      delivered = Math.max(delivered, to);
      droppedDelivered = Math.max(droppedDelivered, budget.dropped);
      if (activeFlushes === 0) {
        failures = failures.slice(delivered);
        delivered = 0;
        for (const state of runs) if (state.idle()) runs.delete(state);
      }
      if (failed.length > 0 || lost > 0) throw new MlflowFlushError(failed, lost);
    },
  };
}

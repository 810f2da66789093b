// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/** Something with writes waiting, drained at the end of the tick. */
export interface Drainable {
  /** Hands what is pending to the serial queue. */
  drain(): void;
}

/** The end-of-tick scheduler: `schedule` marks a run dirty, `drainNow` drains every dirty run. */
export interface TickScheduler<T extends Drainable> {
  /** Marks `item` as having writes; the first mark in a tick queues one microtask. */
  schedule(item: T): void;
  /** Drains every dirty item now (flush and drain do not wait for the tick). */
  drainNow(): void;
}

/**
 * One microtask per tick hands every dirty run's writes to its queue, after the synchronous code
 * that logged them has finished: that is what makes 5,000 metrics logged in a loop five
 * `log-batch` requests instead of 5,000.
 */
export function createTickScheduler<T extends Drainable>(): TickScheduler<T> {
  const dirty = new Set<T>();
  let scheduled = false;
  const drainNow = () => {
    for (const item of dirty) item.drain();
    dirty.clear();
  };
  return {
    schedule(item) {
      dirty.add(item);
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        drainNow();
      });
    },
    drainNow,
  };
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * A promise chain: each task starts once every task pushed before it has settled, so the
 * operations on one run reach the server in the order they were made. Pushing never waits.
 */
export interface SerialQueue {
  /** Appends `task`. The result settles with the task; the chain goes on either way. */
  push<T>(task: () => Promise<T>): Promise<T>;
  /** Settles (never rejects) once every task pushed before this call has settled. */
  settled(): Promise<void>;
}

/** Creates an empty {@linkcode SerialQueue}. */
export function createSerialQueue(): SerialQueue {
  let tail: Promise<void> = Promise.resolve();
  const ignore = () => {};
  return {
    push<T>(task: () => Promise<T>): Promise<T> {
      const result = tail.then(task);
      tail = result.then(ignore, ignore);
      return result;
    },
    settled(): Promise<void> {
      return tail;
    },
  };
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/** Runs at most `size` tasks at once; the rest wait in arrival order. */
export interface Limiter {
  /** Runs `task` as soon as a slot is free. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
}

/** Creates a {@linkcode Limiter} with `size` slots. */
export function createLimiter(size: number): Limiter {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`maxInFlight must be a positive integer: current value is ${size}`);
  }
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return {
    get active() {
      return active;
    },
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active < size) active++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}

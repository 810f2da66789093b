// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * The memory budget for everything that waits to be sent: metrics, params, tags, artifacts and
 * traces, across all runs. Room is reserved when an item is queued and given back once it left
 * (sent, or failed for good). Beyond the budget new items are dropped and counted, never held,
 * so an outage cannot grow memory without bound; `waitBelow` lets a producer wait instead.
 */
export interface QueueBudget {
  /** Reserves room for `items` items of about `bytes` bytes; false when they must be dropped. */
  reserve(items: number, bytes: number): boolean;
  /** Gives room back. */
  release(items: number, bytes: number): void;
  /** Counts items that were taken but cannot be sent (their run was never created). */
  lose(items: number): void;
  /** Resolves once fewer than `bytes` bytes wait (at once if that holds now). */
  waitBelow(bytes: number): Promise<void>;
  /** Bytes waiting now. */
  readonly bytes: number;
  /** Items waiting now. */
  readonly items: number;
  /** Items dropped since the budget was made (never decreases). */
  readonly dropped: number;
}

/** Limits of a {@linkcode QueueBudget}. */
export interface QueueBudgetLimits {
  /** Bytes that may wait. */
  maxBytes: number;
  /** Items that may wait (`Infinity` for no item limit). */
  maxItems: number;
  /** Called once when dropping starts, again only after room came back. */
  onFull(what: { maxBytes: number; maxItems: number; byItems: boolean }): void;
}

/** Creates a {@linkcode QueueBudget}. */
export function createQueueBudget(limits: QueueBudgetLimits): QueueBudget {
  let bytes = 0;
  let items = 0;
  let dropped = 0;
  let full = false;
  const waiters: { below: number; resolve: () => void }[] = [];

  return {
    reserve(n, size) {
      const byItems = items + n > limits.maxItems;
      // An item larger than the whole budget still goes through when nothing else waits, so one
      // big artifact is never dropped for being big.
      if (byItems || (bytes + size > limits.maxBytes && bytes > 0)) {
        dropped += n;
        if (!full) {
          full = true;
          limits.onFull({ maxBytes: limits.maxBytes, maxItems: limits.maxItems, byItems });
        }
        return false;
      }
      bytes += size;
      items += n;
      return true;
    },
    release(n, size) {
      bytes -= size;
      items -= n;
      if (bytes < limits.maxBytes * 0.9 && items < limits.maxItems) full = false;
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (bytes < waiters[i].below) waiters.splice(i, 1)[0].resolve();
      }
    },
    lose(n) {
      dropped += n;
    },
    waitBelow(below) {
      if (bytes < below) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ below, resolve }));
    },
    get bytes() {
      return bytes;
    },
    get items() {
      return items;
    },
    get dropped() {
      return dropped;
    },
  };
}

/** Estimated bytes a queued metric holds: the object and its fields. */
export function metricBytes(key: string): number {
  return 64 + key.length;
}

/** Estimated bytes a queued param or tag holds. */
export function keyValueBytes(key: string, value: string): number {
  return 64 + key.length + value.length;
}

/** Bytes of an artifact body. */
export function bodyBytes(body: Uint8Array | Blob | string): number {
  if (typeof body === "string") return body.length;
  return body instanceof Uint8Array ? body.byteLength : body.size;
}

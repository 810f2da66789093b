// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/** Limits and sink of a {@linkcode Gatherer}. */
export interface GatherOptions<T> {
  /** Items one request may carry. */
  maxItems: number;
  /** Bytes one request may carry (an item bigger than this goes alone). */
  maxBytes: number;
  /** Longest an item waits for company once it is ready, in ms. */
  maxWaitMs: number;
  /** Sends one group; it settles each item's outcome itself and must not reject. */
  send(key: string, items: T[]): Promise<void>;
}

/** Groups ready items by key and sends each group in as few requests as its limits allow. */
export interface Gatherer<T> {
  /**
   * Announces an item on its way (its own first request is in flight): groups wait for it, so
   * items finishing close together share a request. Call the returned function once it was
   * added, or will never be.
   */
  expect(): () => void;
  /** Adds a ready item of about `bytes` bytes to group `key`. */
  add(key: string, item: T, bytes: number): void;
}

interface Group<T> {
  items: T[];
  bytes: number;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Creates a {@linkcode Gatherer}. A group goes out when it is full, when nothing announced is
 * still on its way (at the end of that tick, so what is added in one tick travels together), or
 * after `maxWaitMs`: busy producers fill requests, and an idle client never holds an item back
 * for long.
 */
export function createGatherer<T>(options: GatherOptions<T>): Gatherer<T> {
  const groups = new Map<string, Group<T>>();
  let expected = 0;
  let scheduled = false;

  function send(key: string): void {
    const group = groups.get(key);
    if (!group) return;
    groups.delete(key);
    if (group.timer !== undefined) clearTimeout(group.timer);
    void options.send(key, group.items);
  }

  function sendAllAtTickEnd(): void {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (expected > 0) return;
      for (const key of [...groups.keys()]) send(key);
    });
  }

  return {
    expect() {
      expected++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        if (--expected === 0) sendAllAtTickEnd();
      };
    },
    add(key, item, bytes) {
      let group = groups.get(key);
      if (
        group && (group.items.length >= options.maxItems || group.bytes + bytes > options.maxBytes)
      ) {
        send(key);
        group = undefined;
      }
      if (!group) {
        const fresh: Group<T> = { items: [], bytes: 0 };
        fresh.timer = setTimeout(() => {
          if (groups.get(key) === fresh) send(key);
        }, options.maxWaitMs);
        groups.set(key, fresh);
        group = fresh;
      }
      group.items.push(item);
      group.bytes += bytes;
      if (group.items.length >= options.maxItems) send(key);
      else if (expected === 0) sendAllAtTickEnd();
    },
  };
}

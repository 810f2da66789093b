// Copyright 2026 the evalhooks authors. MIT license.

// A hosted server's rate limit, as a fault_proxy policy: at most `limit` requests whose path
// contains `pathPart` are let through in any sliding one-second window, and the rest are answered
// 429 with `Retry-After: 1` (the proxy's "429" fault), as Databricks does above about 47
// log-batch requests per second per workspace. Every arrival is recorded, refused or not, so a
// test can measure the rate the client actually sent at.

import type { FaultPolicy } from "./fault_proxy.ts";

/** A sliding-window rate limit and what it saw. */
export interface RateLimit {
  /** The policy to give to `startFaultProxy`. */
  policy: FaultPolicy;
  /** Arrival times (ms, `performance.now()`) of matching requests, refused ones included. */
  arrivals: number[];
  /** Arrival times of the refused ones. */
  refused: number[];
  /** The most arrivals in any window of `windowMs` (default 1000). */
  maxInWindow(times?: number[], windowMs?: number): number;
}

/** Creates a {@linkcode RateLimit} of `limit` per second on paths containing `pathPart`. */
export function slidingWindowLimit(limit: number, pathPart: string): RateLimit {
  const arrivals: number[] = [];
  const refused: number[] = [];
  const accepted: number[] = [];
  return {
    arrivals,
    refused,
    policy: ({ path }) => {
      if (!path.includes(pathPart)) return undefined;
      const now = performance.now();
      arrivals.push(now);
      while (accepted.length > 0 && accepted[0] <= now - 1000) accepted.shift();
      if (accepted.length >= limit) {
        refused.push(now);
        return "429";
      }
      accepted.push(now);
      return undefined;
    },
    maxInWindow(times = arrivals, windowMs = 1000) {
      let best = 0;
      for (let i = 0, j = 0; j < times.length; j++) {
        while (times[j] - times[i] >= windowMs) i++;
        best = Math.max(best, j - i + 1);
      }
      return best;
    },
  };
}

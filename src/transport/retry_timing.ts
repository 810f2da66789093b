// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * How requests are retried. Two budgets apply. While the server is unreachable (no connection, no
 * answer within `timeoutMs`, a 502/503/504 from a gateway) all requests share one recovery: one of
 * them probes on the backoff schedule, the rest wait without spending attempts, and each gives up
 * only when `maxElapsedMs` has passed since it was first sent (5 minutes by default, well over a
 * deploy restart). A failure of one request while the server answers others (500, 429, 408, a body
 * cut short) is retried `maxRetries` times (8: 0.5 + 1 + 2 + … + 30 s of backoff, jittered ±20 %).
 * Set `maxRetries` without `maxElapsedMs` and outages count against `maxRetries` too, as before
 * the time budget existed: `{ maxRetries: 0 }` still means one attempt and no more.
 *
 * @example Give up sooner in an interactive tool
 * ```ts
 * import { createMlflow, type RetryOptions } from "@evalhooks/mlflow";
 *
 * const retry: RetryOptions = { maxRetries: 2, baseDelayMs: 200, timeoutMs: 5_000 };
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", retry });
 * ```
 */
export interface RetryOptions {
  /** Retries after the first attempt. @default {8} */
  maxRetries?: number;
  /** The first backoff delay; each retry doubles it. @default {500} */
  baseDelayMs?: number;
  /** The longest backoff delay (before jitter). @default {30000} */
  maxDelayMs?: number;
  /** Time allowed for one attempt before it is aborted and retried. @default {60000} */
  timeoutMs?: number;
  /**
   * The whole budget of one request, from its first attempt, outages included: past it the
   * request fails with its last error. @default {300000}
   */
  maxElapsedMs?: number;
}

/** The retry options with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions> & {
  /**
   * Whether attempts made during an outage count against `maxRetries` too: true when the caller
   * set `maxRetries` and not `maxElapsedMs`, who asked to give up after that many attempts.
   */
  outagesCountAsRetries: boolean;
};

/**
 * The defaults, documented on {@linkcode RetryOptions}.
 *
 * @example Double the retry budget for a flaky network
 * ```ts
 * import { createMlflow, DEFAULT_RETRY } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({
 *   trackingUri: "http://127.0.0.1:5000",
 *   retry: { maxRetries: DEFAULT_RETRY.maxRetries * 2 },
 * });
 * ```
 */
export const DEFAULT_RETRY: Readonly<Required<RetryOptions>> = {
  maxRetries: 8,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  timeoutMs: 60_000,
  maxElapsedMs: 300_000,
};

// MLflow's Python client caps its backoff at 120 s; a Retry-After beyond that is not honoured
// in full, so one misconfigured proxy cannot park a flush for hours.
const RETRY_AFTER_CAP_MS = 120_000;

/** HTTP statuses worth another attempt: the same set as MLflow's Python client. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Fills in defaults and checks each option, naming the bad one and its value. */
export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  const resolved = {
    ...DEFAULT_RETRY,
    outagesCountAsRetries: options.maxRetries !== undefined && options.maxElapsedMs === undefined,
  };
  for (const name of Object.keys(DEFAULT_RETRY) as (keyof RetryOptions)[]) {
    const value = options[name];
    if (value === undefined) continue;
    const min = name === "maxRetries" || name === "baseDelayMs" ? 0 : 1;
    if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
      throw new RangeError(
        `retry.${name} must be a number ≥ ${min}: current value is ${String(value)}`,
      );
    }
    resolved[name] = value;
  }
  return resolved;
}

/**
 * Milliseconds to wait for a `Retry-After` header: delay-seconds or an HTTP-date, never negative.
 * `undefined` when absent or unparseable, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(
  header: string | null,
  now: number = Date.now(),
): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.min(Number(text) * 1000, RETRY_AFTER_CAP_MS);
  // An HTTP-date has a month name; without this, Date.parse reads "-5" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), RETRY_AFTER_CAP_MS);
}

/**
 * The wait before retry number `attempt` (0 for the first retry): exponential, capped, jittered
 * by ±20 % so that many clients failing together do not come back together. A `Retry-After`
 * answer is authoritative when present.
 */
export function retryDelay(
  attempt: number,
  options: Pick<ResolvedRetryOptions, "baseDelayMs" | "maxDelayMs">,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round(exponential * (0.8 + 0.4 * random()));
}

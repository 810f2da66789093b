// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Request pacing and 429 handling, shared by every request of a client. Requests are grouped in
// endpoint families; each family has a FIFO queue and is released at most at its rate (the
// configured `maxRequestsPerSecond`, and after a 429 an adaptive rate as well), under one global
// rate on top. A 429 pauses its whole family until a shared "not before" time (the answer's
// Retry-After, or the backoff) and halves the family's adaptive rate; successes raise it again
// slowly (AIMD), so a client with no configured limit still settles below the server's.

/**
 * The endpoint families that {@linkcode MaxRequestsPerSecond} paces separately:
 * `logBatch` (`runs/log-batch`, where metrics, params and tags go), `traces` (trace infos,
 * assessments, OTLP spans), `artifacts` (uploads, downloads, listings), `reads` (every GET and
 * every search) and `other` (run creation and updates, experiments, models, datasets).
 *
 * @example Pace only the metric batches, below a hosted server's 47 per second
 * ```ts
 * import { createMlflow, type RequestFamily } from "@evalhooks/mlflow";
 *
 * const family: RequestFamily = "logBatch";
 * const mlflow = createMlflow({
 *   trackingUri: "http://127.0.0.1:5000",
 *   maxRequestsPerSecond: { [family]: 40 },
 * });
 * ```
 */
export type RequestFamily = "logBatch" | "traces" | "artifacts" | "reads" | "other";

/** Every {@linkcode RequestFamily}, in the order they are checked. */
export const REQUEST_FAMILIES: readonly RequestFamily[] = [
  "logBatch",
  "traces",
  "artifacts",
  "reads",
  "other",
];

/**
 * Requests per second the client sends at most: a number for all requests together, or a record
 * with `default` (all requests together) and a rate per {@linkcode RequestFamily}.
 *
 * @example Stay under a hosted server's 47 log-batch requests per second
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({
 *   trackingUri: "https://mlflow.example.com",
 *   maxRequestsPerSecond: { logBatch: 40, default: 100 },
 * });
 * ```
 */
export type MaxRequestsPerSecond = number | {
  /** All requests together. */
  default?: number;
  /** `runs/log-batch`. */
  logBatch?: number;
  /** Trace infos, assessments and OTLP spans. */
  traces?: number;
  /** Artifact uploads, downloads and listings. */
  artifacts?: number;
  /** GETs and searches. */
  reads?: number;
  /** Everything else: run creation and updates, experiments, models, datasets. */
  other?: number;
};

/** The family of a request, from its method and endpoint. */
export function requestFamily(method: string, endpoint: string): RequestFamily {
  if (endpoint.endsWith("/runs/log-batch")) return "logBatch";
  if (endpoint.includes("/mlflow-artifacts/") || endpoint.endsWith("/artifacts/list")) {
    return "artifacts";
  }
  if (method === "GET" || endpoint.endsWith("/search") || endpoint.endsWith("/get-history")) {
    return "reads";
  }
  if (endpoint.startsWith("/api/3.0/mlflow/traces") || endpoint === "/v1/traces") return "traces";
  return "other";
}

/** The checked limits: requests per second, `Infinity` for none. */
export type ResolvedRateLimits = { global: number } & Record<RequestFamily, number>;

/** No limit at all: the default. */
export const NO_RATE_LIMITS: ResolvedRateLimits = {
  global: Infinity,
  logBatch: Infinity,
  traces: Infinity,
  artifacts: Infinity,
  reads: Infinity,
  other: Infinity,
};

const ENV_NAME = "MLFLOW_MAX_REQUESTS_PER_SECOND";

function checkRate(name: string, value: unknown, shown: unknown = value): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(
      `${name} must be a positive number of requests per second: current value is ${
        typeof shown === "string" ? JSON.stringify(shown) : String(shown)
      }`,
    );
  }
  return value;
}

/**
 * Checks `maxRequestsPerSecond` (or, when it is undefined, the text of the environment variable
 * `MLFLOW_MAX_REQUESTS_PER_SECOND`: `40`, or `logBatch=40,default=100`). A bad value is a
 * RangeError naming the key and the rule.
 */
export function resolveRateLimits(
  option: MaxRequestsPerSecond | undefined,
  envText?: string,
): ResolvedRateLimits {
  const out = { ...NO_RATE_LIMITS };
  if (option === undefined && envText !== undefined) {
    const text = envText.trim();
    if (!text.includes("=")) {
      out.global = checkRate(ENV_NAME, text === "" ? text : Number(text), text);
      return out;
    }
    const record: Record<string, number> = {};
    for (const part of text.split(",")) {
      const [key, value = ""] = part.split("=").map((s) => s.trim());
      record[key] = checkRate(`${ENV_NAME} (${key})`, value === "" ? value : Number(value), value);
    }
    option = record;
  }
  if (option === undefined) return out;
  if (typeof option === "number") {
    out.global = checkRate("maxRequestsPerSecond", option);
    return out;
  }
  if (typeof option !== "object" || option === null || Array.isArray(option)) {
    throw new RangeError(
      `maxRequestsPerSecond must be a number or a record of rates: current value is ${
        String(option)
      }`,
    );
  }
  for (const [key, value] of Object.entries(option)) {
    if (value === undefined) continue;
    if (key !== "default" && !(REQUEST_FAMILIES as readonly string[]).includes(key)) {
      throw new RangeError(
        `maxRequestsPerSecond.${key} is not a request family: use default, ${
          REQUEST_FAMILIES.join(", ")
        }`,
      );
    }
    const rate = checkRate(`maxRequestsPerSecond.${key}`, value);
    if (key === "default") out.global = rate;
    else out[key as RequestFamily] = rate;
  }
  return out;
}

/** A clock and timers, injectable so the pacer is tested without waiting. */
export interface PacerClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` after `ms`. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a timer. */
  clearTimeout(handle: unknown): void;
}

const realClock: PacerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as number),
};

/** What {@linkcode createPacer} needs. */
export interface PacerConfig {
  /** The configured rates (none by default). */
  limits?: ResolvedRateLimits;
  /** The pause after the `strike`-th 429 in a row (0-based) that had no Retry-After. */
  backoff?: (strike: number) => number;
  /** The clock (the real one by default). */
  clock?: PacerClock;
}

/** Paces the requests of one client; see the module comment. */
export interface Pacer {
  /** Resolves when a request of `family` may be sent; requests of a family leave in call order. */
  take(family: RequestFamily): Promise<void>;
  /** A request of `family` sent at `sentAt` was answered 429, with its Retry-After if any. */
  throttled(family: RequestFamily, sentAt: number, retryAfterMs?: number): void;
  /** A request of `family` succeeded. */
  succeeded(family: RequestFamily): void;
  /** The family's adaptive rate (requests per second), `undefined` before any 429. */
  adaptiveRate(family: RequestFamily): number | undefined;
  /** The time before which the family sends nothing (0 when it is not paused). */
  notBefore(family: RequestFamily): number;
  /** Requests waiting, across families. */
  readonly waiting: number;
}

/** The lowest adaptive rate: one request per second, so a family never stops altogether. */
export const MIN_ADAPTIVE_RATE = 1;
/** Above this, with no configured limit, the adaptive rate is dropped: the server has room. */
const MAX_ADAPTIVE_RATE = 1000;

interface FamilyState {
  queue: { seq: number; resolve: () => void }[];
  next: number; // earliest release time by rate
  notBefore: number; // earliest release time after a 429
  adaptive: number | undefined;
  lastDecrease: number;
  strikes: number;
  recent: number[]; // release times within the last second
}

/** Creates a {@linkcode Pacer}. */
export function createPacer(config: PacerConfig = {}): Pacer {
  const limits = config.limits ?? NO_RATE_LIMITS;
  const clock = config.clock ?? realClock;
  const backoff = config.backoff ?? ((strike: number) => Math.min(30_000, 500 * 2 ** strike));
  const families = new Map<RequestFamily, FamilyState>();
  let globalNext = 0;
  let seq = 0;
  let waiting = 0;
  let timer: unknown;
  let timerAt = Infinity;

  const state = (family: RequestFamily): FamilyState => {
    let s = families.get(family);
    if (!s) {
      s = {
        queue: [],
        next: 0,
        notBefore: 0,
        adaptive: undefined,
        lastDecrease: -Infinity,
        strikes: 0,
        recent: [],
      };
      families.set(family, s);
    }
    return s;
  };

  const rateOf = (family: RequestFamily, s: FamilyState) =>
    Math.min(limits[family], s.adaptive ?? Infinity);

  const pump = () => {
    for (;;) {
      const now = clock.now();
      let best: { family: RequestFamily; s: FamilyState } | undefined;
      let earliest = Infinity;
      for (const [family, s] of families) {
        if (s.queue.length === 0) continue;
        const at = Math.max(s.next, s.notBefore, globalNext);
        if (at <= now) {
          if (!best || s.queue[0].seq < best.s.queue[0].seq) best = { family, s };
        } else earliest = Math.min(earliest, at);
      }
      if (best) {
        const { family, s } = best;
        const waiter = s.queue.shift()!;
        waiting--;
        s.next = now + 1000 / rateOf(family, s);
        globalNext = now + 1000 / limits.global;
        s.recent.push(now);
        while (s.recent.length > 0 && s.recent[0] <= now - 1000) s.recent.shift();
        waiter.resolve();
        continue;
      }
      if (earliest < timerAt) {
        if (timer !== undefined) clock.clearTimeout(timer);
        timerAt = earliest;
        timer = clock.setTimeout(() => {
          timer = undefined;
          timerAt = Infinity;
          pump();
        }, earliest - now);
      }
      return;
    }
  };

  return {
    take(family) {
      const s = state(family);
      const now = clock.now();
      // The fast path: nothing queued and nothing to wait for.
      if (
        s.queue.length === 0 && Math.max(s.next, s.notBefore, globalNext) <= now &&
        waiting === 0
      ) {
        s.next = now + 1000 / rateOf(family, s);
        globalNext = now + 1000 / limits.global;
        s.recent.push(now);
        while (s.recent.length > 0 && s.recent[0] <= now - 1000) s.recent.shift();
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        s.queue.push({ seq: seq++, resolve });
        waiting++;
        pump();
      });
    },
    throttled(family, sentAt, retryAfterMs) {
      const s = state(family);
      const now = clock.now();
      const pause = retryAfterMs ?? backoff(s.strikes);
      s.strikes++;
      s.notBefore = Math.max(s.notBefore, now + pause);
      // One decrease per round: the other requests already in flight when the rate was cut
      // were sent at the old rate, and their 429s say nothing new.
      if (sentAt >= s.lastDecrease) {
        while (s.recent.length > 0 && s.recent[0] <= now - 1000) s.recent.shift();
        const from = s.adaptive ?? Math.min(limits[family], Math.max(s.recent.length, 1));
        s.adaptive = Math.max(MIN_ADAPTIVE_RATE, from / 2);
        s.lastDecrease = now;
        // Requests already spaced at the old rate move to the new one.
        s.next = Math.max(s.next, now + 1000 / rateOf(family, s));
      }
      pump();
    },
    succeeded(family) {
      const s = families.get(family);
      if (!s) return;
      s.strikes = 0;
      if (s.adaptive === undefined) return;
      // Additive increase: about +2 requests/s per second of traffic at low rates, +10 %/s
      // at high ones.
      s.adaptive += Math.max(2, s.adaptive * 0.1) / s.adaptive;
      if (
        s.adaptive >= limits[family] ||
        (limits[family] === Infinity && s.adaptive > MAX_ADAPTIVE_RATE)
      ) {
        s.adaptive = undefined;
      }
    },
    adaptiveRate: (family) => families.get(family)?.adaptive,
    notBefore: (family) => families.get(family)?.notBefore ?? 0,
    get waiting() {
      return waiting;
    },
  };
}

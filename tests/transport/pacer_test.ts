// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  createPacer,
  MIN_ADAPTIVE_RATE,
  type PacerClock,
  requestFamily,
  resolveRateLimits,
} from "../../src/transport/pacer.ts";

/** A clock that only moves when told, with timers that fire as it moves. */
function fakeClock(): PacerClock & { advance(ms: number): Promise<void> } {
  let now = 0;
  let id = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      timers.set(++id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    async advance(ms) {
      for (let i = 0; i < 3; i++) await Promise.resolve();
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
        await Promise.resolve();
        await Promise.resolve();
      }
      now = end;
      await Promise.resolve();
      await Promise.resolve();
    },
  };
}

/** Takes `n` slots of `family`, recording when each was granted. */
function takeAll(
  pacer: ReturnType<typeof createPacer>,
  clock: PacerClock,
  family: Parameters<typeof requestFamily>[0] extends string ? "logBatch" | "traces" | "reads"
    : never,
  n: number,
  out: { family: string; i: number; at: number }[],
) {
  for (let i = 0; i < n; i++) {
    pacer.take(family).then(() => out.push({ family, i, at: clock.now() }));
  }
}

test("pacer: families of the endpoints the client uses", () => {
  assert.equal(requestFamily("POST", "/api/2.0/mlflow/runs/log-batch"), "logBatch");
  assert.equal(requestFamily("POST", "/api/3.0/mlflow/traces"), "traces");
  assert.equal(requestFamily("POST", "/v1/traces"), "traces");
  assert.equal(requestFamily("POST", "/api/3.0/mlflow/traces/tr-1/assessments"), "traces");
  assert.equal(requestFamily("POST", "/api/3.0/mlflow/traces/search"), "reads");
  assert.equal(
    requestFamily("PUT", "/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/a.txt"),
    "artifacts",
  );
  assert.equal(requestFamily("GET", "/api/2.0/mlflow/artifacts/list"), "artifacts");
  assert.equal(requestFamily("GET", "/api/2.0/mlflow/metrics/get-history"), "reads");
  assert.equal(requestFamily("POST", "/api/2.0/mlflow/runs/search"), "reads");
  assert.equal(requestFamily("POST", "/api/2.0/mlflow/runs/create"), "other");
  assert.equal(requestFamily("POST", "/api/2.0/mlflow/runs/update"), "other");
});

test("pacer: options and environment are checked, naming the key and the rule", () => {
  assert.equal(resolveRateLimits(undefined).global, Infinity);
  assert.equal(resolveRateLimits(20).global, 20);
  const r = resolveRateLimits({ logBatch: 40, default: 100 });
  assert.equal(r.logBatch, 40);
  assert.equal(r.global, 100);
  assert.equal(r.traces, Infinity);
  assert.equal(resolveRateLimits(undefined, "12.5").global, 12.5);
  const e = resolveRateLimits(undefined, "logBatch=40, default=90");
  assert.equal(e.logBatch, 40);
  assert.equal(e.global, 90);
  assert.equal(resolveRateLimits(5, "logBatch=40").logBatch, Infinity); // the option wins
  assert.throws(() => resolveRateLimits(0), /maxRequestsPerSecond must be a positive number.*0/);
  assert.throws(
    () => resolveRateLimits({ logBatch: -1 }),
    (e: unknown) =>
      e instanceof RangeError &&
      /maxRequestsPerSecond\.logBatch must be a positive/.test(e.message),
  );
  assert.throws(
    () => resolveRateLimits({ logbatch: 4 } as never),
    /logbatch is not a request family/,
  );
  assert.throws(() => resolveRateLimits({ traces: NaN }), /traces .*NaN/);
  assert.throws(
    () => resolveRateLimits(undefined, "fast"),
    /MLFLOW_MAX_REQUESTS_PER_SECOND .*"fast"/,
  );
  assert.throws(() => resolveRateLimits(undefined, "logBatch=x"), /\(logBatch\)/);
  assert.throws(() => resolveRateLimits(undefined, "lots=3"), /lots is not a request family/);
});

test("pacer: a family's rate spaces its requests, in call order; others go free", async () => {
  const clock = fakeClock();
  const pacer = createPacer({ limits: resolveRateLimits({ logBatch: 10 }), clock });
  const out: { family: string; i: number; at: number }[] = [];
  takeAll(pacer, clock, "logBatch", 5, out);
  takeAll(pacer, clock, "reads", 3, out);
  await clock.advance(0);
  assert.deepEqual(out.filter((o) => o.family === "reads").map((o) => o.at), [0, 0, 0]);
  await clock.advance(1000);
  const batches = out.filter((o) => o.family === "logBatch");
  assert.deepEqual(batches.map((o) => o.i), [0, 1, 2, 3, 4]);
  assert.deepEqual(batches.map((o) => o.at), [0, 100, 200, 300, 400]);
});

test("pacer: the global rate bounds all families together", async () => {
  const clock = fakeClock();
  const pacer = createPacer({ limits: resolveRateLimits(4), clock });
  const out: { family: string; i: number; at: number }[] = [];
  takeAll(pacer, clock, "logBatch", 3, out);
  takeAll(pacer, clock, "traces", 3, out);
  await clock.advance(2000);
  assert.deepEqual(out.map((o) => o.at), [0, 250, 500, 750, 1000, 1250]);
  // Any one-second window holds at most rate + 1 grants.
  for (const o of out) {
    assert.ok(out.filter((p) => p.at >= o.at && p.at < o.at + 1000).length <= 4);
  }
});

test("pacer: a 429 pauses the whole family until Retry-After, then halves its rate", async () => {
  const clock = fakeClock();
  const pacer = createPacer({ clock });
  const out: { family: string; i: number; at: number }[] = [];
  // 20 unpaced requests in the first second.
  for (let i = 0; i < 20; i++) {
    await pacer.take("logBatch");
    await clock.advance(50);
  }
  assert.equal(clock.now(), 1000);
  pacer.throttled("logBatch", 950, 1000);
  assert.equal(pacer.notBefore("logBatch"), 2000);
  assert.equal(pacer.adaptiveRate("logBatch"), 9.5); // 19 in the last second, halved
  // The other requests in flight at the old rate say nothing new: no second halving.
  pacer.throttled("logBatch", 900, 1000);
  pacer.throttled("logBatch", 990, 1000);
  assert.equal(pacer.adaptiveRate("logBatch"), 9.5);
  takeAll(pacer, clock, "logBatch", 6, out);
  takeAll(pacer, clock, "reads", 1, out);
  await clock.advance(999);
  assert.deepEqual(out.map((o) => o.family), ["reads"]); // another family is not paused
  await clock.advance(1000);
  assert.deepEqual(
    out.filter((o) => o.family === "logBatch").map((o) => Math.round(o.at)),
    [2000, 2105, 2211, 2316, 2421, 2526], // 1000 / 9.5 ms apart
  );
  // A 429 to a request sent after the cut halves again.
  pacer.throttled("logBatch", 2600, 1000);
  assert.equal(pacer.adaptiveRate("logBatch"), 4.75);
});

test("pacer: without Retry-After the pause is the backoff, growing per 429 in a row", async () => {
  const clock = fakeClock();
  const pacer = createPacer({ clock, backoff: (strike) => 100 * 2 ** strike });
  await pacer.take("traces");
  pacer.throttled("traces", 0);
  assert.equal(pacer.notBefore("traces"), 100);
  pacer.throttled("traces", 0);
  assert.equal(pacer.notBefore("traces"), 200);
  pacer.succeeded("traces");
  await clock.advance(1000);
  pacer.throttled("traces", 1000);
  assert.equal(pacer.notBefore("traces"), 1100); // the streak ended with the success
});

test("pacer: the adaptive rate recovers with successes and never drops below the floor", async () => {
  const clock = fakeClock();
  const pacer = createPacer({ clock, limits: resolveRateLimits({ logBatch: 8 }) });
  await pacer.take("logBatch");
  for (let i = 0; i < 10; i++) pacer.throttled("logBatch", clock.now() + i, 0);
  assert.equal(pacer.adaptiveRate("logBatch"), MIN_ADAPTIVE_RATE);
  let successes = 0;
  while (pacer.adaptiveRate("logBatch") !== undefined) {
    pacer.succeeded("logBatch");
    successes++;
  }
  // Back to the configured 8/s, where the adaptive limit is dropped, after a few dozen.
  assert.ok(successes > 5 && successes < 40, `${successes} successes`);
});

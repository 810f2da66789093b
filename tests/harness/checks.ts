// Copyright 2026 the evalhooks authors. MIT license.
// Small checks the runner and example tests share: a number equal up to float rounding, a mean,
// and the skip reason of a test that runs once, from the Deno phase.

import assert from "node:assert/strict";

/** Asserts `actual` is `expected` up to float rounding (1e-9), naming `what` if not. */
export function assertClose(actual: number | undefined, expected: number, what: string): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) < 1e-9,
    `${what}: ${actual} vs ${expected}`,
  );
}

/** The arithmetic mean of `values`. */
export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * `skip` for a test whose work happens in child processes (`children` says which): under Bun it
 * would only repeat what the Deno phase ran, so it is listed skipped there, with this reason, and
 * still counts; under Deno it runs.
 */
export function onceFromDeno(children: string): string | false {
  return "Bun" in globalThis ? `runs once, from the Deno phase, ${children}` : false;
}

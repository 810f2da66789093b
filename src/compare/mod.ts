// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * Compare two evals with statistics: is the candidate better than the baseline, or is it noise?
 * Samples are paired (Inspect `(id, epoch)`, an `id` in `evaluate()` inputs, else the row
 * index); pass/fail scorers get McNemar's test, continuous ones a seeded paired bootstrap (or a
 * t-test), each with a CI, Cohen's d and win/tie/loss. Works on runs of our hooks, import and
 * `evaluate()`, on runs of the Python `inspect_mlflow` hook, and on Inspect logs.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { compareEvals, formatComparison } from "@evalhooks/mlflow/compare";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const result = await compareEvals("<baseline run id>", "<candidate run id>", { mlflow });
 * console.log(formatComparison(result));
 * ```
 *
 * @module
 */

export { compareEvals } from "./compare_evals.ts";
export { formatComparison, markdownComparison } from "./report.ts";
export { samplesOfInspectLog } from "./sources.ts";
export type {
  CompareOptions,
  Comparison,
  EvalSample,
  EvalSamples,
  EvalSource,
  InspectLogLike,
  ScorerComparison,
} from "./types.ts";

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { MlflowValidationError } from "../base/errors.ts";
import { compareScorer } from "./compare_scorer.ts";
import { logComparison } from "./report.ts";
import { loadSamples } from "./sources.ts";
import type { CompareOptions, Comparison, EvalSample, EvalSource } from "./types.ts";

function check(ok: boolean, key: string, rule: string, message: string): void {
  if (!ok) throw new MlflowValidationError(message, { key, rule, call: "compareEvals" });
}

function meanOf(pairs: [EvalSample, EvalSample][], pick: (s: EvalSample) => number | undefined) {
  const diffs = pairs
    .map(([a, b]) => [pick(a), pick(b)])
    .filter((p): p is [number, number] => typeof p[0] === "number" && typeof p[1] === "number")
    .map(([a, b]) => b - a);
  return diffs.length > 0 ? diffs.reduce((s, d) => s + d, 0) / diffs.length : undefined;
}

/**
 * Compares two evals sample by sample: per scorer, the paired difference (candidate −
 * baseline) with a CI, a p-value (McNemar for pass/fail scorers, a seeded paired bootstrap or a
 * t-test for continuous ones), Cohen's d and win/tie/loss counts; and the latency, token and
 * cost differences where both sides have them. Samples pair by Inspect `(id, epoch)`, by an
 * `id` in `evaluate()` inputs, else by row index. With `options.mlflow`, the comparison is also
 * logged as a run (unless `log: false`).
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { compareEvals } from "@evalhooks/mlflow/compare";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const result = await compareEvals("<baseline run id>", "<candidate run id>", { mlflow });
 * for (const s of result.scorers) {
 *   console.log(s.scorer, s.diff, s.pValue, s.significant ? "significant" : "noise");
 * }
 * ```
 */
export async function compareEvals(
  baseline: EvalSource,
  candidate: EvalSource,
  options: CompareOptions = {},
): Promise<Comparison> {
  const alpha = options.alpha ?? 0.05;
  check(
    alpha > 0 && alpha < 1,
    "alpha",
    "range",
    `compareEvals: alpha must be in (0, 1), got ${alpha}`,
  );
  const resamples = options.resamples ?? 10_000;
  check(
    Number.isInteger(resamples) && resamples >= 100,
    "resamples",
    "range",
    `compareEvals: resamples must be an integer ≥ 100, got ${resamples}`,
  );
  const a = await loadSamples(baseline, "baseline", options.mlflow);
  const b = await loadSamples(candidate, "candidate", options.mlflow);
  const pairedBy = a.pairedBy === b.pairedBy ? a.pairedBy : "index";
  const key = (s: EvalSample, i: number, side: typeof a) =>
    pairedBy === side.pairedBy ? s.key : String(i);
  const bByKey = new Map(b.samples.map((s, i) => [key(s, i, b), s]));
  const aKeys = new Set(a.samples.map((s, i) => key(s, i, a)));
  const pairs: [EvalSample, EvalSample][] = [];
  a.samples.forEach((s, i) => {
    const other = bByKey.get(key(s, i, a));
    if (other) pairs.push([s, other]);
  });
  const paired = new Set(pairs.map(([s]) => s));
  const unpairedA = a.samples.filter((s) => !paired.has(s));
  const unpairedB = b.samples.filter((s, i) => !aKeys.has(key(s, i, b)));
  const scored = (s: EvalSample, scorer: string) =>
    typeof s.scores[scorer] === "number" && !Number.isNaN(s.scores[scorer]);

  const names = options.scorers ?? [
    ...new Set([...a.samples, ...b.samples].flatMap((s) => Object.keys(s.scores))),
  ].sort();
  const scorers = names.map((scorer) => {
    const xs: number[] = [];
    const ys: number[] = [];
    // Samples with a number for this scorer on one side only: unpaired, or unscored on the other.
    let onlyBaseline = unpairedA.filter((s) => scored(s, scorer)).length;
    let onlyCandidate = unpairedB.filter((s) => scored(s, scorer)).length;
    for (const [sa, sb] of pairs) {
      const x = sa.scores[scorer];
      const y = sb.scores[scorer];
      const hasX = scored(sa, scorer);
      const hasY = scored(sb, scorer);
      if (hasX && hasY) {
        xs.push(x);
        ys.push(y);
      } else if (hasX) onlyBaseline++;
      else if (hasY) onlyCandidate++;
    }
    return compareScorer(scorer, xs, ys, { onlyBaseline, onlyCandidate }, {
      alpha,
      continuousTest: options.continuousTest ?? "bootstrap",
      resamples,
      seed: options.seed ?? 0,
    });
  });
  const latency = meanOf(pairs, (s) => s.latencySeconds);
  const tokens = meanOf(pairs, (s) => s.tokens);
  const result: Comparison = {
    baseline: a.label,
    candidate: b.label,
    pairedBy,
    alpha,
    scorers,
    ...(latency !== undefined ? { latencyDiffSeconds: latency } : {}),
    ...(tokens !== undefined ? { tokensDiff: tokens } : {}),
    ...(a.costUsd !== undefined && b.costUsd !== undefined
      ? { costDiffUsd: b.costUsd - a.costUsd }
      : {}),
  };
  if (options.mlflow && options.log !== false) {
    result.runId = await logComparison(options.mlflow, result, {
      baselineRunId: a.runId,
      candidateRunId: b.runId,
      experimentName: options.experimentName,
    });
  }
  return result;
}

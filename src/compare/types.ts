// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { Run } from "../client/run_types.ts";
import type { MlflowClient } from "../client/types.ts";

/**
 * One sample of an eval, as compareEvals pairs it: a key (Inspect: `id` and `epoch`;
 * `evaluate()`: the row's `id` input, else its index), its numeric scores by scorer (`NaN` when
 * the score is missing or not a number), and what it cost where that is known.
 *
 * @example
 * ```ts
 * import type { EvalSample } from "@evalhooks/mlflow/compare";
 *
 * const sample: EvalSample = { key: "q1#1", scores: { accuracy: 1 }, latencySeconds: 0.8 };
 * ```
 */
export interface EvalSample {
  /** What pairs it with the other eval's sample. */
  key: string;
  /** Scores by scorer name. */
  scores: Record<string, number>;
  /** Seconds it took, where known. */
  latencySeconds?: number;
  /** Tokens it used, where known. */
  tokens?: number;
}

/**
 * The samples of one eval, and how they were found.
 *
 * @example
 * ```ts
 * import type { EvalSamples } from "@evalhooks/mlflow/compare";
 *
 * const samples: EvalSamples = { label: "baseline", samples: [], pairedBy: "index" };
 * ```
 */
export interface EvalSamples {
  /** A name for it in reports (a run id, a file name). */
  label: string;
  /** The samples. */
  samples: EvalSample[];
  /** How samples are keyed: Inspect `(id, epoch)`, an `id` input, or the row index. */
  pairedBy: "id-epoch" | "id" | "index";
  /** The run it came from, when it came from one. */
  runId?: string;
  /** Its total cost in USD (the run's `cost/total_usd` metric), where known. */
  costUsd?: number;
}

/**
 * What compareEvals takes for each side: an MLflow run (its id, or a `Run` handle) of the
 * Inspect hooks, the CLI import, the Python `inspect_mlflow` hook or `evaluate()`; an Inspect
 * log already parsed (its `samples` are read); or samples you built.
 *
 * @example
 * ```ts
 * import type { EvalSource } from "@evalhooks/mlflow/compare";
 *
 * const baseline: EvalSource = "4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e";
 * ```
 */
export type EvalSource = string | Run | EvalSamples | InspectLogLike;

/**
 * The parts of an Inspect eval log that compareEvals reads.
 *
 * @example
 * ```ts
 * import type { InspectLogLike } from "@evalhooks/mlflow/compare";
 *
 * const log: InspectLogLike = {
 *   eval: { task: "qa", eval_id: "e1" },
 *   samples: [{ id: 1, epoch: 1, scores: { match: { value: "C" } }, total_time: 1.5 }],
 * };
 * ```
 */
export interface InspectLogLike {
  /** The eval's header. */
  eval: { task?: string; eval_id?: string };
  /** Its samples. */
  samples?: {
    id: string | number;
    epoch?: number;
    scores?: Record<string, { value?: unknown } | null>;
    total_time?: number | null;
    model_usage?: Record<string, { total_tokens?: number }>;
  }[];
}

/**
 * Options of compareEvals.
 *
 * @example
 * ```ts
 * import type { CompareOptions } from "@evalhooks/mlflow/compare";
 *
 * const options: CompareOptions = { scorers: ["accuracy"], alpha: 0.05, seed: 7 };
 * ```
 */
export interface CompareOptions {
  /** The client that reads runs (needed when a side is a run) and logs the comparison. */
  mlflow?: MlflowClient;
  /** Compare only these scorers. @default {every scorer either side has} */
  scorers?: string[];
  /** Significance level; the CIs are (1 − alpha). @default {0.05} */
  alpha?: number;
  /** Test for continuous scorers. @default {"bootstrap"} */
  continuousTest?: "bootstrap" | "t-test";
  /** Bootstrap resamples. @default {10000} */
  resamples?: number;
  /** Bootstrap seed, so a comparison repeats exactly. @default {0} */
  seed?: number;
  /**
   * Log the comparison as a run (with `mlflow`): tags naming both runs, metrics
   * `compare/<scorer>/…`, a table and a Markdown summary. @default {true when `mlflow` is given}
   */
  log?: boolean;
  /** Experiment of the comparison run. @default {the baseline run's, else the client's} */
  experimentName?: string;
}

/**
 * The comparison of one scorer: candidate − baseline over the paired samples.
 *
 * @example
 * ```ts
 * import type { ScorerComparison } from "@evalhooks/mlflow/compare";
 *
 * const worse = (s: ScorerComparison) => s.significant && s.diff < 0;
 * ```
 */
export interface ScorerComparison {
  /** The scorer. */
  scorer: string;
  /** `binary` when every paired score is 0 or 1, else `continuous`. */
  kind: "binary" | "continuous";
  /** Test used: exact McNemar when b + c < 25, its chi-square form otherwise, or the bootstrap / t-test. */
  test: "mcnemar-exact" | "mcnemar-chi-square" | "bootstrap" | "t-test" | "none";
  /** Samples with a number on both sides. */
  nPaired: number;
  /** Samples only the baseline has (or only it scored with a number). */
  onlyBaseline: number;
  /** Samples only the candidate has (or only it scored with a number). */
  onlyCandidate: number;
  /** Binary: pairs the baseline got right and the candidate wrong (b), and the reverse (c). */
  discordant?: { baselineOnly: number; candidateOnly: number };
  /** Mean of the baseline over the paired samples. */
  baselineMean: number;
  /** Mean of the candidate over the paired samples. */
  candidateMean: number;
  /** candidateMean − baselineMean. */
  diff: number;
  /** The (1 − alpha) CI of the difference (binary: Wald for paired proportions). */
  ciLow: number;
  /** Upper end of the CI. */
  ciHigh: number;
  /** Two-sided p-value; `null` when no test is possible (then `note` says why). */
  pValue: number | null;
  /** pValue < alpha. */
  significant: boolean;
  /** Cohen's d of the paired differences (mean ÷ standard deviation); `null` when undefined. */
  cohensD: number | null;
  /** Pairs where the candidate scored higher, the same, lower. */
  wins: number;
  /** Pairs scored the same. */
  ties: number;
  /** Pairs where the candidate scored lower. */
  losses: number;
  /** Why a number is missing or how to read it (no discordant pairs, n = 1, …). */
  note?: string;
}

/**
 * What compareEvals returns.
 *
 * @example
 * ```ts
 * import type { Comparison } from "@evalhooks/mlflow/compare";
 *
 * const regressed = (c: Comparison) => c.scorers.some((s) => s.significant && s.diff < 0);
 * ```
 */
export interface Comparison {
  /** The baseline's label (run id or name). */
  baseline: string;
  /** The candidate's label. */
  candidate: string;
  /** How samples were paired. */
  pairedBy: EvalSamples["pairedBy"];
  /** Significance level used. */
  alpha: number;
  /** One entry per scorer. */
  scorers: ScorerComparison[];
  /** Mean seconds per paired sample, candidate − baseline, where both sides have them. */
  latencyDiffSeconds?: number;
  /** Mean tokens per paired sample, candidate − baseline, where both sides have them. */
  tokensDiff?: number;
  /** Total cost in USD, candidate − baseline, only when both runs have a cost (never 0 for unknown). */
  costDiffUsd?: number;
  /** The comparison run, when it was logged. */
  runId?: string;
}

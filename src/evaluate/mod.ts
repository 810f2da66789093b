// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * Evaluation on its own entry: `evaluate()` over any client (the core `MlflowClient`
 * included), and the built-in scorers. The same names are exported by `@evalhooks/mlflow`;
 * integrations that hold only an `MlflowClient` import them from here.
 *
 * @example Evaluate with a client an integration was given
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { evaluate, exactMatch } from "@evalhooks/mlflow/evaluate";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", experimentName: "qa" });
 * const result = await evaluate(mlflow, {
 *   data: [{ inputs: { question: "2 + 2?" }, expectations: { answer: "4" } }],
 *   predict: () => "4",
 *   scorers: [exactMatch()],
 * });
 * console.log(result.metrics);
 * ```
 *
 * @module
 */

export {
  type EvalRow,
  evaluate,
  type EvaluateOptions,
  type EvaluateResult,
  type RowResult,
  type RowScore,
} from "./evaluate.ts";
export {
  exactMatch,
  includes,
  jsonValid,
  latencyUnder,
  regexMatch,
  type Scorer,
  scorer,
  type ScorerInput,
  type ScorerResult,
  type ScoreValue,
} from "./scorers.ts";
export {
  type AutoevalsArgs,
  type AutoevalsScore,
  type AutoevalsScorer,
  fromAutoevals,
  type FromAutoevalsOptions,
} from "./autoevals.ts";
export { type JudgeMessage, type JudgeModel, llmJudge, type LlmJudgeOptions } from "./judge.ts";
export { type JudgeFeedbackType, type ParsedVerdict, parseVerdict } from "./judge_parse.ts";
export {
  type BuiltinJudgeOptions,
  correctness,
  guidelines,
  relevanceToQuery,
  retrievalGroundedness,
  type RetrievalGroundednessOptions,
  safety,
} from "./judge_prompts.ts";
export { createMlflow, type Mlflow } from "./create_mlflow.ts";
export type { MlflowClient } from "../client/types.ts";

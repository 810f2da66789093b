// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * Track LLM evaluations in MLflow from TypeScript, with no dependencies: runs, params, metrics,
 * tags and artifacts, batched into as few requests as MLflow's limits allow, delivered in order,
 * retried through outages, on Deno, Bun, Node and edge runtimes.
 *
 * @example Quick start
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", experimentName: "my-evals" });
 * await mlflow.run({ runName: "baseline" }, (run) => {
 *   run.logParams({ model: "gpt-4o-mini", dataset: "gsm8k" });
 *   for (let i = 0; i < 100; i++) run.logMetric("accuracy", Math.random(), { step: i });
 *   run.logTable([{ question: "2+2?", answer: "4", correct: true }], "results.json");
 * });
 * await mlflow.flush();
 * ```
 *
 * @module
 */

export { createMlflow, type Mlflow } from "./src/evaluate/create_mlflow.ts";
export { type ActiveContext, activeContext } from "./src/client/active.ts";
export {
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_QUEUED_BYTES,
  DEFAULT_MAX_QUEUED_ITEMS,
} from "./src/client/defaults.ts";
export {
  MlflowConfigError,
  MlflowError,
  MlflowFlushError,
  MlflowValidationError,
} from "./src/base/errors.ts";
export {
  type EvalHooks,
  mlflowHooks,
  type MlflowHooksOptions,
} from "./src/integrations/inspect/mlflow_hooks.ts";
export { evalIdOf, replayLog, type ReplayOptions } from "./src/integrations/inspect/replay.ts";
export type { HooksConfig } from "./src/integrations/inspect/config.ts";
export { parseInspectJson } from "./src/integrations/inspect/json.ts";
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
} from "./src/evaluate/scorers.ts";
export {
  type JudgeMessage,
  type JudgeModel,
  llmJudge,
  type LlmJudgeOptions,
} from "./src/evaluate/judge.ts";
export {
  type JudgeFeedbackType,
  type ParsedVerdict,
  parseVerdict,
} from "./src/evaluate/judge_parse.ts";
export {
  type BuiltinJudgeOptions,
  correctness,
  guidelines,
  relevanceToQuery,
  retrievalGroundedness,
  type RetrievalGroundednessOptions,
  safety,
} from "./src/evaluate/judge_prompts.ts";
export type {
  EvalRow,
  EvaluateOptions,
  EvaluateResult,
  RowResult,
  RowScore,
} from "./src/evaluate/evaluate.ts";
export type { Prompt, PromptRef, RegisterPromptOptions } from "./src/client/prompts.ts";
export type { LoadedTable } from "./src/client/load_table.ts";
export type { DatasetInput } from "./src/client/dataset_types.ts";
export type {
  CreateDatasetOptions,
  DatasetInfo,
  DatasetRecord,
  DatasetRecordInput,
  DatasetRecordSource,
  EvaluationDataset,
  MergeRecordsResult,
  SearchDatasetsOptions,
} from "./src/client/genai_dataset_types.ts";
export type { RunDataset } from "./src/store/types.ts";
export type {
  BaseEvent,
  ChatMessage,
  EvalError,
  EvalLog,
  EvalMetric,
  EvalPlan,
  EvalPlanStep,
  EvalResults,
  EvalRetryError,
  EvalSample,
  EvalScore,
  EvalSetEnd,
  EvalSetStart,
  EvalSpec,
  EvalStats,
  Event,
  ModelEvent,
  ModelOutput,
  ModelRetry,
  ModelUsage,
  ModelUsageData,
  OtherEvent,
  RunEnd,
  RunStart,
  SampleAttemptEnd,
  SampleAttemptStart,
  SampleEnd,
  SampleEvent,
  SampleStart,
  Score,
  ScoreEvent,
  SpanBeginEvent,
  SpanEndEvent,
  TaskEnd,
  TaskStart,
  ToolEvent,
} from "./src/integrations/inspect/types.ts";
export { DEFAULT_EXIT_FLUSH_MS } from "./src/client/exit_hooks.ts";
export { LIMITS } from "./src/store/limits.ts";
export { DEFAULT_RETRY, type RetryOptions } from "./src/transport/retry_timing.ts";
export type { MaxRequestsPerSecond, RequestFamily } from "./src/transport/pacer.ts";
export type { DatabricksOptions } from "./src/client/databricks.ts";
export type {
  Assessment,
  AssessmentSource,
  EndSpanOptions,
  ExpectationOptions,
  FeedbackOptions,
  SearchTracesOptions,
  Span,
  SpanData,
  SpanStatus,
  SpanType,
  StartSpanOptions,
  StartTraceOptions,
  TraceFnOptions,
  TraceInfo,
} from "./src/client/trace_types.ts";
export type {
  ActiveModelOptions,
  CreateLoggedModelOptions,
  LoggedModel,
  SearchLoggedModelsOptions,
} from "./src/client/logged_models.ts";
export type {
  DeleteTracesOptions,
  OverrideFeedbackOptions,
  UpdateAssessmentOptions,
} from "./src/client/trace_review.ts";
export type {
  ArtifactEntry,
  CreateExperimentOptions,
  Experiment,
  JoinedRun,
  JoinRunOptions,
  MetricOptions,
  MetricPoint,
  MlflowClient,
  MlflowOptions,
  MlflowStats,
  Run,
  RunData,
  RunInfo,
  RunStatus,
  SearchExperimentsOptions,
  SearchRunsOptions,
  StartRunOptions,
  Table,
} from "./src/client/types.ts";

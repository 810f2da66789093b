// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Inspect AI's log and hook data, with the snake_case field names of its `.json` logs
// (inspect_ai/log/_log.py, inspect_ai/event/*, inspect_ai/hooks/_hooks.py). Fields Inspect adds
// over versions are allowed through the index signatures.

/**
 * Token usage of a model, as Inspect records it.
 *
 * @example
 * ```ts
 * import type { ModelUsage } from "@evalhooks/mlflow";
 *
 * const usage: ModelUsage = { input_tokens: 12, output_tokens: 3, total_tokens: 15 };
 * ```
 */
export interface ModelUsage {
  /** Input tokens. */
  input_tokens: number;
  /** Output tokens. */
  output_tokens: number;
  /** Total tokens. */
  total_tokens: number;
  /** Cache writes. */
  input_tokens_cache_write?: number | null;
  /** Cache reads. */
  input_tokens_cache_read?: number | null;
  /** Reasoning tokens. */
  reasoning_tokens?: number | null;
  /** Cost in USD, where the provider integration knows it. */
  total_cost?: number | null;
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * A chat message (system, user, assistant or tool).
 *
 * @example
 * ```ts
 * import type { ChatMessage } from "@evalhooks/mlflow";
 *
 * const message: ChatMessage = { role: "user", content: "What is 2 + 2?" };
 * ```
 */
export interface ChatMessage {
  /** Who speaks. */
  role: "system" | "user" | "assistant" | "tool";
  /** Text, or content parts (`{type: "text", text}`, images, …). */
  content: string | Record<string, unknown>[];
  /** Message id. */
  id?: string;
  /** Where it came from (`input`, `generate`). */
  source?: string;
  /** Tool calls of an assistant message. */
  tool_calls?: {
    id: string;
    function: string;
    arguments: Record<string, unknown>;
    /** Fields other Inspect versions add. */
    [key: string]: unknown;
  }[] | null;
  /** The call a tool message answers. */
  tool_call_id?: string | null;
  /** Tool function name (tool messages). */
  function?: string | null;
  /** Tool error (tool messages). */
  error?: { type?: string; message: string } | null;
  /** Model (assistant messages). */
  model?: string | null;
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * A model's output.
 *
 * @example
 * ```ts
 * import type { ModelOutput } from "@evalhooks/mlflow";
 *
 * const output: ModelOutput = {
 *   model: "openai/gpt-4o-mini",
 *   choices: [{ message: { role: "assistant", content: "4" }, stop_reason: "stop" }],
 *   usage: { input_tokens: 12, output_tokens: 1, total_tokens: 13 },
 * };
 * ```
 */
export interface ModelOutput {
  /** Model. */
  model?: string;
  /** Choices; the first is the answer. */
  choices?: { message: ChatMessage; stop_reason?: string; [key: string]: unknown }[];
  /** Usage. */
  usage?: ModelUsage | null;
  /** Seconds the call took. */
  time?: number | null;
  /** Text of the first choice (some versions write it). */
  completion?: string;
  /** Error text. */
  error?: string | null;
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * A score from a scorer.
 *
 * @example
 * ```ts
 * import type { Score } from "@evalhooks/mlflow";
 *
 * const score: Score = { value: "C", answer: "4", explanation: "exact match" };
 * ```
 */
export interface Score {
  /** `C`/`I`/`P`, a number, a boolean, or a list or dict of them. */
  value: unknown;
  /** The answer extracted. */
  answer?: string | null;
  /** Why. */
  explanation?: string | null;
  /** Extra data. */
  metadata?: Record<string, unknown> | null;
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * An error of a sample or an eval.
 *
 * @example
 * ```ts
 * import type { EvalError } from "@evalhooks/mlflow";
 *
 * const error: EvalError = { message: "timeout", traceback: "…" };
 * ```
 */
export interface EvalError {
  /** Message. */
  message: string;
  /** Python traceback. */
  traceback?: string;
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * Fields every sample event has.
 *
 * @example
 * ```ts
 * import type { BaseEvent } from "@evalhooks/mlflow";
 *
 * const base: BaseEvent = { event: "info", timestamp: "2025-05-12T20:28:26.845209-04:00" };
 * ```
 */
export interface BaseEvent {
  /** The event kind. */
  event: string;
  /** When (ISO 8601 with offset). */
  timestamp: string;
  /** Seconds of working time at the event. */
  working_start?: number;
  /** True while the event is still under way (Inspect publishes it again when done). */
  pending?: boolean | null;
  /** Event id. */
  uuid?: string | null;
  /** The span the event sits in. */
  span_id?: string | null;
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * A model call.
 *
 * @example
 * ```ts
 * import type { ModelEvent } from "@evalhooks/mlflow";
 *
 * const event: ModelEvent = {
 *   event: "model",
 *   timestamp: "2025-05-12T20:28:26.849005-04:00",
 *   model: "openai/gpt-4o-mini",
 *   input: [{ role: "user", content: "Hi" }],
 *   output: { choices: [{ message: { role: "assistant", content: "Hello" } }] },
 *   working_time: 0.68,
 * };
 * ```
 */
export interface ModelEvent extends BaseEvent {
  /** Kind. */
  event: "model";
  /** Model name. */
  model: string;
  /** Messages sent. */
  input: ChatMessage[];
  /** Tools offered. */
  tools?: unknown[];
  /** Output. */
  output: ModelOutput;
  /** Raw provider call. */
  call?:
    | { request?: unknown; response?: unknown; time?: number | null; [key: string]: unknown }
    | null;
  /** When it completed. */
  completed?: string | null;
  /** Seconds of working time. */
  working_time?: number | null;
  /** Error text. */
  error?: string | null;
  /** HTTP retries of the request before it succeeded. */
  retries?: number | null;
}

/**
 * A tool call.
 *
 * @example
 * ```ts
 * import type { ToolEvent } from "@evalhooks/mlflow";
 *
 * const event: ToolEvent = {
 *   event: "tool",
 *   timestamp: "2025-05-12T20:28:27.000000-04:00",
 *   id: "call_1",
 *   function: "add",
 *   arguments: { x: 1, y: 2 },
 *   result: 3,
 * };
 * ```
 */
export interface ToolEvent extends BaseEvent {
  /** Kind. */
  event: "tool";
  /** Call id. */
  id: string;
  /** Function name. */
  function: string;
  /** Arguments. */
  arguments: Record<string, unknown>;
  /** Result. */
  result?: unknown;
  /** Error. */
  error?: { type?: string; message: string } | null;
  /** When it completed. */
  completed?: string | null;
  /** Seconds of working time. */
  working_time?: number | null;
  /** True when the call failed to run. */
  failed?: boolean | null;
}

/**
 * The start of a span of events.
 *
 * @example
 * ```ts
 * import type { SpanBeginEvent } from "@evalhooks/mlflow";
 *
 * const event: SpanBeginEvent = { event: "span_begin", timestamp: "2025-05-12T20:28:26Z", id: "s1", name: "solvers" };
 * ```
 */
export interface SpanBeginEvent extends BaseEvent {
  /** Kind. */
  event: "span_begin";
  /** Span id. */
  id: string;
  /** Parent span id. */
  parent_id?: string | null;
  /** Span type (`solver`, `scorer`, `tool`, …). */
  type?: string | null;
  /** Span name. */
  name: string;
}

/**
 * The end of a span.
 *
 * @example
 * ```ts
 * import type { SpanEndEvent } from "@evalhooks/mlflow";
 *
 * const event: SpanEndEvent = { event: "span_end", timestamp: "2025-05-12T20:28:27Z", id: "s1" };
 * ```
 */
export interface SpanEndEvent extends BaseEvent {
  /** Kind. */
  event: "span_end";
  /** Span id. */
  id: string;
}

/**
 * A scoring.
 *
 * @example
 * ```ts
 * import type { ScoreEvent } from "@evalhooks/mlflow";
 *
 * const event: ScoreEvent = { event: "score", timestamp: "2025-05-12T20:28:33Z", score: { value: "C" }, target: "4" };
 * ```
 */
export interface ScoreEvent extends BaseEvent {
  /** Kind. */
  event: "score";
  /** The score. */
  score: Score;
  /** Target. */
  target?: unknown;
  /** An intermediate score (not the final one). */
  intermediate?: boolean;
}

/**
 * Any other event (sample_init, sample_limit, state, store, approval, input, error, logger, info,
 * step, subtask, sandbox, …): counted and tabled, not traced.
 *
 * @example
 * ```ts
 * import type { OtherEvent } from "@evalhooks/mlflow";
 *
 * const event: OtherEvent = { event: "info", timestamp: "2025-05-12T20:28:26Z", data: "hello" };
 * ```
 */
export interface OtherEvent extends BaseEvent {
  /** Kind. */
  event:
    | "sample_init"
    | "sample_limit"
    | "state"
    | "store"
    | "approval"
    | "input"
    | "error"
    | "logger"
    | "info"
    | "step"
    | "subtask"
    | "sandbox"
    | (string & Record<never, never>);
}

/**
 * A sample event.
 *
 * @example
 * ```ts
 * import type { Event } from "@evalhooks/mlflow";
 *
 * function isModelCall(event: Event): boolean {
 *   return event.event === "model" && !event.pending;
 * }
 * ```
 */
export type Event =
  | ModelEvent
  | ToolEvent
  | SpanBeginEvent
  | SpanEndEvent
  | ScoreEvent
  | OtherEvent;

/**
 * What a task was run with.
 *
 * @example
 * ```ts
 * import type { EvalSpec } from "@evalhooks/mlflow";
 *
 * const spec: EvalSpec = {
 *   eval_id: "e1", run_id: "r1", created: "2026-01-01T00:00:00+00:00", task: "qa",
 *   model: "openai/gpt-4o-mini", dataset: { name: "qa", samples: 10 },
 * };
 * ```
 */
export interface EvalSpec {
  /** Eval id. */
  eval_id: string;
  /** Run id. */
  run_id: string;
  /** Eval set id. */
  eval_set_id?: string | null;
  /** When created. */
  created: string;
  /** Task name. */
  task: string;
  /** Task id. */
  task_id?: string;
  /** Task version. */
  task_version?: number | string;
  /** Task file. */
  task_file?: string | null;
  /** Task arguments. */
  task_args?: Record<string, unknown>;
  /** Arguments the user passed explicitly. */
  task_args_passed?: Record<string, unknown>;
  /** Solver. */
  solver?: string | null;
  /** Dataset. */
  dataset?: {
    name?: string | null;
    location?: string | null;
    samples?: number | null;
    /** Fields other Inspect versions add. */
    [key: string]: unknown;
  };
  /** Model. */
  model: string;
  /** Generation config. */
  model_generate_config?: {
    temperature?: number | null;
    top_p?: number | null;
    max_tokens?: number | null;
    /** Fields other Inspect versions add. */
    [key: string]: unknown;
  };
  /** The source revision the eval ran at (Inspect records git's commit and origin). */
  revision?: { type?: string | null; origin?: string | null; commit?: string | null } | null;
  /** Tags. */
  tags?: string[] | null;
  /** Eval config (epochs, limits, …). */
  config?: Record<string, unknown>;
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * A metric of a score.
 *
 * @example
 * ```ts
 * import type { EvalMetric } from "@evalhooks/mlflow";
 *
 * const metric: EvalMetric = { name: "accuracy", value: 0.8 };
 * ```
 */
export interface EvalMetric {
  /** Name. */
  name: string;
  /** Value (numbers are logged; others are not). */
  value: unknown;
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * A scorer's results over a task.
 *
 * @example
 * ```ts
 * import type { EvalScore } from "@evalhooks/mlflow";
 *
 * const score: EvalScore = { name: "match", scorer: "match", metrics: { accuracy: { name: "accuracy", value: 0.8 } } };
 * ```
 */
export interface EvalScore {
  /** Name. */
  name: string;
  /** Scorer. */
  scorer: string;
  /** Metrics by name. */
  metrics: Record<string, EvalMetric>;
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * A task's results.
 *
 * @example
 * ```ts
 * import type { EvalResults } from "@evalhooks/mlflow";
 *
 * const results: EvalResults = { total_samples: 10, completed_samples: 10, scores: [] };
 * ```
 */
export interface EvalResults {
  /** Samples. */
  total_samples: number;
  /** Completed samples. */
  completed_samples: number;
  /** Scores. */
  scores: EvalScore[];
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * A task's timing and usage.
 *
 * @example
 * ```ts
 * import type { EvalStats } from "@evalhooks/mlflow";
 *
 * const stats: EvalStats = { started_at: "2026-01-01T00:00:00+00:00", completed_at: "2026-01-01T00:01:00+00:00", model_usage: {} };
 * ```
 */
export interface EvalStats {
  /** Start. */
  started_at: string;
  /** End. */
  completed_at: string;
  /** Usage by model. */
  model_usage: Record<string, ModelUsage>;
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * The error of a sample attempt that Inspect retried.
 *
 * @example
 * ```ts
 * import type { EvalRetryError } from "@evalhooks/mlflow/inspect";
 *
 * const retry: EvalRetryError = { message: "connection reset", traceback: "…", traceback_ansi: "…" };
 * ```
 */
export interface EvalRetryError {
  /** Message. */
  message: string;
  /** Python traceback. */
  traceback?: string;
  /** The traceback with ANSI colors. */
  traceback_ansi?: string;
  /** The attempt's events back to its last model event. */
  events?: Event[] | null;
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * One sample (one epoch of one dataset row) with its transcript.
 *
 * @example
 * ```ts
 * import type { EvalSample } from "@evalhooks/mlflow";
 *
 * const sample: EvalSample = { id: 1, epoch: 1, input: "2 + 2?", target: "4", scores: { match: { value: "C" } } };
 * ```
 */
export interface EvalSample {
  /** Dataset id. */
  id: string | number;
  /** Epoch (from 1). */
  epoch: number;
  /** Unique id of this sample run. */
  uuid?: string;
  /** Input: text or messages. */
  input: string | ChatMessage[];
  /** Target. */
  target: string | string[];
  /** Messages. */
  messages?: ChatMessage[];
  /** Output. */
  output?: ModelOutput;
  /** Scores by scorer. */
  scores?: Record<string, Score> | null;
  /** Metadata. */
  metadata?: Record<string, unknown>;
  /** Events. */
  events?: Event[];
  /** Usage by model. */
  model_usage?: Record<string, ModelUsage>;
  /** Seconds from start to end. */
  total_time?: number | null;
  /** Seconds of work (excluding waits). */
  working_time?: number | null;
  /** When it started. */
  started_at?: string | null;
  /** When it completed. */
  completed_at?: string | null;
  /** Error. */
  error?: EvalError | null;
  /**
   * The errors of earlier attempts of this sample, when Inspect retried it (`retry_on_error`).
   * A retried sample is still one sample: one log entry, one `on_sample_end`.
   */
  error_retries?: EvalRetryError[] | null;
  /** Contents referred to as `attachment://<hash>`. */
  attachments?: Record<string, string>;
  /** Pools that condensed model events refer to (`input_refs`, `call_refs`). */
  events_data?: { messages?: unknown[]; calls?: unknown[] } | null;
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * One solver of a plan.
 *
 * @example
 * ```ts
 * import type { EvalPlanStep } from "@evalhooks/mlflow/inspect";
 *
 * const step: EvalPlanStep = { solver: "generate", params: { cache: false } };
 * ```
 */
export interface EvalPlanStep {
  /** Solver name. */
  solver: string;
  /** Its parameters. */
  params?: Record<string, unknown>;
  /** The parameters the user passed explicitly. */
  params_passed?: Record<string, unknown>;
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * The solvers a task runs, in order (`EvalPlan`; `data.plan` of `on_task_start`, `plan` of a log).
 *
 * @example
 * ```ts
 * import type { EvalPlan } from "@evalhooks/mlflow/inspect";
 *
 * const plan: EvalPlan = { name: "plan", steps: [{ solver: "use_tools" }, { solver: "generate" }] };
 * ```
 */
export interface EvalPlan {
  /** Plan name. */
  name?: string;
  /** Steps. */
  steps?: EvalPlanStep[];
  /** The step always run at the end (also the last of `steps`). */
  finish?: EvalPlanStep | null;
  /** Generation config. */
  config?: Record<string, unknown>;
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * An eval log: one task's spec, plan, results, stats and samples.
 *
 * @example
 * ```ts
 * import type { EvalLog } from "@evalhooks/mlflow";
 *
 * function accuracy(log: EvalLog): unknown {
 *   return log.results?.scores[0]?.metrics.accuracy?.value;
 * }
 * ```
 */
export interface EvalLog {
  /** Log format version. */
  version?: number;
  /** `started`, `success`, `cancelled` or `error`. */
  status: "started" | "success" | "cancelled" | "error" | (string & Record<never, never>);
  /** The spec. */
  eval: EvalSpec;
  /** The plan (solver steps). */
  plan?: EvalPlan;
  /** Results. */
  results?: EvalResults | null;
  /** Stats. */
  stats?: EvalStats;
  /** Error of the eval. */
  error?: EvalError | null;
  /** Samples (absent in header-only logs). */
  samples?: EvalSample[] | null;
  /** Where the log was read from. */
  location?: string;
  /** Per-scorer reductions across epochs. */
  reductions?: unknown;
  /** Fields other Inspect versions add. */
  [key: string]: unknown;
}

/**
 * `on_run_start`.
 *
 * @example
 * ```ts
 * import type { RunStart } from "@evalhooks/mlflow";
 *
 * const data: RunStart = { run_id: "r1", task_names: ["qa"] };
 * ```
 */
export interface RunStart {
  /** Run id. */
  run_id: string;
  /** Eval set id. */
  eval_set_id?: string | null;
  /** Tasks of the run. */
  task_names: string[];
  /** Not Inspect's: when replaying a finished log, the run's start time (live hooks use now). */
  started_at?: string;
}

/**
 * `on_run_end`.
 *
 * @example
 * ```ts
 * import type { RunEnd } from "@evalhooks/mlflow";
 *
 * const data: RunEnd = { run_id: "r1", logs: [] };
 * ```
 */
export interface RunEnd {
  /** Run id. */
  run_id: string;
  /** Eval set id. */
  eval_set_id?: string | null;
  /** The exception that ended the run, if one did. */
  exception?: unknown;
  /** The logs of the run's tasks. */
  logs: EvalLog[];
}

/**
 * `on_task_start`.
 *
 * @example
 * ```ts
 * import type { TaskStart } from "@evalhooks/mlflow";
 *
 * const data: TaskStart = {
 *   run_id: "r1", eval_id: "e1",
 *   spec: { eval_id: "e1", run_id: "r1", created: "2026-01-01T00:00:00Z", task: "qa", model: "mockllm/model" },
 * };
 * ```
 */
export interface TaskStart {
  /** Run id. */
  run_id: string;
  /** Eval set id. */
  eval_set_id?: string | null;
  /** Eval id. */
  eval_id: string;
  /** The spec. */
  spec: EvalSpec;
  /** The solvers that will run, in order (Inspect passes it since 0.3.1xx): logged as the `plan/plan_<eval_id>.json` artifact. */
  plan?: EvalPlan | null;
}

/**
 * `on_task_end`.
 *
 * @example
 * ```ts
 * import type { EvalLog, TaskEnd } from "@evalhooks/mlflow";
 *
 * declare const log: EvalLog;
 * const data: TaskEnd = { run_id: log.eval.run_id, eval_id: log.eval.eval_id, log };
 * ```
 */
export interface TaskEnd {
  /** Run id. */
  run_id: string;
  /** Eval set id. */
  eval_set_id?: string | null;
  /** Eval id. */
  eval_id: string;
  /** The task's log (header only in eval sets). */
  log: EvalLog;
}

/**
 * `on_sample_start`.
 *
 * @example
 * ```ts
 * import type { SampleStart } from "@evalhooks/mlflow";
 *
 * const data: SampleStart = { run_id: "r1", eval_id: "e1", sample_id: "abc", summary: { id: 1, epoch: 1 } };
 * ```
 */
export interface SampleStart {
  /** Run id. */
  run_id: string;
  /** Eval set id. */
  eval_set_id?: string | null;
  /** Eval id. */
  eval_id: string;
  /** Unique id of the sample run. */
  sample_id: string;
  /** Summary of the sample. */
  summary?: { id?: string | number; epoch?: number; [key: string]: unknown };
}

/**
 * `on_sample_event`.
 *
 * @example
 * ```ts
 * import type { SampleEvent } from "@evalhooks/mlflow";
 *
 * const data: SampleEvent = {
 *   run_id: "r1", eval_id: "e1", sample_id: "abc",
 *   event: { event: "info", timestamp: "2026-01-01T00:00:00Z" },
 * };
 * ```
 */
export interface SampleEvent {
  /** Run id. */
  run_id: string;
  /** Eval set id. */
  eval_set_id?: string | null;
  /** Eval id. */
  eval_id: string;
  /** Unique id of the sample run. */
  sample_id: string;
  /** The event. */
  event: Event;
}

/**
 * `on_sample_end`.
 *
 * @example
 * ```ts
 * import type { SampleEnd } from "@evalhooks/mlflow";
 *
 * const data: SampleEnd = {
 *   run_id: "r1", eval_id: "e1", sample_id: "abc",
 *   sample: { id: 1, epoch: 1, input: "2 + 2?", target: "4" },
 * };
 * ```
 */
export interface SampleEnd {
  /** Run id. */
  run_id: string;
  /** Eval set id. */
  eval_set_id?: string | null;
  /** Eval id. */
  eval_id: string;
  /** Unique id of the sample run. */
  sample_id: string;
  /** The finished sample. */
  sample: EvalSample;
}

/**
 * `on_model_usage`: one model call's usage.
 *
 * @example
 * ```ts
 * import type { ModelUsageData } from "@evalhooks/mlflow";
 *
 * const data: ModelUsageData = {
 *   model_name: "openai/gpt-4o-mini",
 *   usage: { input_tokens: 12, output_tokens: 3, total_tokens: 15 },
 *   call_duration: 0.42,
 * };
 * ```
 */
export interface ModelUsageData {
  /** Model. */
  model_name: string;
  /** Usage of the call. */
  usage: ModelUsage;
  /** Seconds the call took. */
  call_duration: number;
  /** Eval set, run, eval and task of the call, where Inspect says. */
  eval_set_id?: string | null;
  /** Run id. */
  run_id?: string | null;
  /** Eval id. */
  eval_id?: string | null;
  /** Task name. */
  task_name?: string | null;
  /** HTTP retries made before the call succeeded (Inspect passes it in recent versions). */
  retries?: number | null;
}

/**
 * `on_model_retry`: a model call failed transiently and will be retried.
 *
 * @example
 * ```ts
 * import type { ModelRetry } from "@evalhooks/mlflow/inspect";
 *
 * const data: ModelRetry = {
 *   model_name: "openai/gpt-4o-mini", attempt: 1, wait_time: 2.5, eval_id: "e1", status_code: 429,
 * };
 * ```
 */
export interface ModelRetry {
  /** Model. */
  model_name: string;
  /** The attempt that just failed (1 for the first failure). */
  attempt: number;
  /** Seconds of backoff before the next attempt. */
  wait_time: number;
  /** Eval set id. */
  eval_set_id?: string | null;
  /** Run id. */
  run_id?: string | null;
  /** Eval id. */
  eval_id?: string | null;
  /** Unique id of the sample run. */
  sample_id?: string | null;
  /** Task name. */
  task_name?: string | null;
  /** The exception's type name (`RateLimitError`), if known. */
  exception_type?: string | null;
  /** The HTTP status of the failure (429, 503), if any. */
  status_code?: number | null;
}

/**
 * `on_sample_attempt_start`: every attempt of a sample, the first included (`on_sample_start`
 * comes once per sample).
 *
 * @example
 * ```ts
 * import type { SampleAttemptStart } from "@evalhooks/mlflow/inspect";
 *
 * const data: SampleAttemptStart = { run_id: "r1", eval_id: "e1", sample_id: "abc", summary: { id: 1, epoch: 1 }, attempt: 2 };
 * ```
 */
export interface SampleAttemptStart {
  /** Run id. */
  run_id: string;
  /** Eval set id. */
  eval_set_id?: string | null;
  /** Eval id. */
  eval_id: string;
  /** Unique id of the sample run (the same for every attempt). */
  sample_id: string;
  /** Summary of the sample. */
  summary?: { id?: string | number; epoch?: number; [key: string]: unknown };
  /** 1-based attempt number. */
  attempt: number;
}

/**
 * `on_sample_attempt_end`: the end of every attempt, the last included.
 *
 * @example
 * ```ts
 * import type { SampleAttemptEnd } from "@evalhooks/mlflow/inspect";
 *
 * const data: SampleAttemptEnd = {
 *   run_id: "r1", eval_id: "e1", sample_id: "abc", attempt: 1,
 *   error: { message: "connection reset" }, will_retry: true,
 * };
 * ```
 */
export interface SampleAttemptEnd extends SampleAttemptStart {
  /** The attempt's error, if any. */
  error?: EvalError | EvalRetryError | null;
  /** Whether the sample will be retried after this attempt. */
  will_retry: boolean;
  /** Not Inspect's: when replaying a finished log, when the attempt ended (live hooks use now). */
  ended_at?: string | null;
}

/**
 * `on_eval_set_start`.
 *
 * @example
 * ```ts
 * import type { EvalSetStart } from "@evalhooks/mlflow";
 *
 * const data: EvalSetStart = { eval_set_id: "set-1", log_dir: "./logs" };
 * ```
 */
export interface EvalSetStart {
  /** Eval set id. */
  eval_set_id: string;
  /** Log folder. */
  log_dir?: string;
}

/**
 * `on_eval_set_end`.
 *
 * @example
 * ```ts
 * import type { EvalSetEnd } from "@evalhooks/mlflow";
 *
 * const data: EvalSetEnd = { eval_set_id: "set-1", log_dir: "./logs" };
 * ```
 */
export interface EvalSetEnd {
  /** Eval set id. */
  eval_set_id: string;
  /** Log folder. */
  log_dir?: string;
}

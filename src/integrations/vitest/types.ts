// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The parts of Vitest's reporter API (Vitest 3 and 4: `TestCase`, `TestSuite`, `TestModule`)
// and of vitest-evals' task metadata that the reporter reads, duck-typed so the library depends
// on neither. Every member is one Vitest's own classes have, so they are assignable here.

/**
 * A test as Vitest's reporter API hands it over (`TestCase`).
 *
 * @example
 * ```ts
 * import type { VitestTestCase } from "@evalhooks/mlflow/vitest";
 *
 * const passed = (test: VitestTestCase) => test.result().state === "passed";
 * ```
 */
export interface VitestTestCase {
  /** Always `test`. */
  readonly type: "test";
  /** Stable id. */
  readonly id: string;
  /** The test's name. */
  readonly name: string;
  /** Names of its suites and itself, joined with ` > `. */
  readonly fullName: string;
  /** Its suite, or its module when it is at the top of the file. */
  readonly parent: VitestTestSuite | VitestTestModule;
  /** Its file. */
  readonly module: VitestTestModule;
  /** What the test attached to `task.meta` (vitest-evals: `eval`, `harness`). */
  meta(): unknown;
  /** Its state and errors. */
  result(): { readonly state: string; readonly errors?: ReadonlyArray<VitestError> };
  /** Start time and duration, once it finished. */
  diagnostic():
    | { readonly startTime: number; readonly duration: number; readonly retryCount?: number }
    | undefined;
}

/**
 * A `describe` block (`TestSuite`): `describeEval` makes one.
 *
 * @example
 * ```ts
 * import type { VitestTestSuite } from "@evalhooks/mlflow/vitest";
 *
 * const title = (suite: VitestTestSuite) => suite.fullName;
 * ```
 */
export interface VitestTestSuite {
  /** Always `suite`. */
  readonly type: "suite";
  /** Stable id. */
  readonly id: string;
  /** The suite's name. */
  readonly name: string;
  /** Names of its suites and itself, joined with ` > `. */
  readonly fullName: string;
  /** Its file. */
  readonly module: VitestTestModule;
}

/**
 * A test file (`TestModule`).
 *
 * @example
 * ```ts
 * import type { VitestTestModule } from "@evalhooks/mlflow/vitest";
 *
 * const file = (m: VitestTestModule) => m.relativeModuleId ?? m.moduleId;
 * ```
 */
export interface VitestTestModule {
  /** Always `module`. */
  readonly type: "module";
  /** Stable id. */
  readonly id: string;
  /** Absolute path (Vite's module id). */
  readonly moduleId: string;
  /** Path relative to the project root (Vitest 4). */
  readonly relativeModuleId?: string;
}

/**
 * An error of a failed test.
 *
 * @example
 * ```ts
 * import type { VitestError } from "@evalhooks/mlflow/vitest";
 *
 * const line = (e: VitestError) => `${e.name ?? "Error"}: ${e.message}`;
 * ```
 */
export interface VitestError {
  /** Message. */
  readonly message: string;
  /** Class name. */
  readonly name?: string;
}

/**
 * A score as vitest-evals records it in `task.meta.eval.scores`.
 *
 * @example
 * ```ts
 * import type { EvalScoreMeta } from "@evalhooks/mlflow/vitest";
 *
 * const score: EvalScoreMeta = { name: "ExactJudge", score: 1, metadata: { rationale: "exact" } };
 * ```
 */
export interface EvalScoreMeta {
  /** The scorer's or judge's name. */
  name?: string;
  /** 0 to 1, or null for "not scored". */
  score: number | null;
  /** `rationale`, and whatever else the scorer returned. */
  metadata?: Record<string, unknown>;
}

/**
 * A span of a vitest-evals harness run (`HarnessRun.traces[].spans[]`).
 *
 * @example
 * ```ts
 * import type { HarnessSpanMeta } from "@evalhooks/mlflow/vitest";
 *
 * const span: HarnessSpanMeta = { name: "lookupInvoice", kind: "tool", durationMs: 12 };
 * ```
 */
export interface HarnessSpanMeta {
  /** Operation name. */
  name: string;
  /** `run`, `agent`, `model`, `tool`, … */
  kind?: string;
  /** ISO start. */
  startedAt?: string;
  /** ISO end. */
  finishedAt?: string;
  /** Duration, ms. */
  durationMs?: number;
  /** `ok` or `error`. */
  status?: string;
  /** The error. */
  error?: { message?: string };
  /** Attributes (OpenTelemetry GenAI keys). */
  attributes?: Record<string, unknown>;
}

/**
 * A vitest-evals harness run (`task.meta.harness.run`).
 *
 * @example
 * ```ts
 * import type { HarnessRunMeta } from "@evalhooks/mlflow/vitest";
 *
 * const tokens = (run: HarnessRunMeta) => run.usage?.totalTokens ?? 0;
 * ```
 */
export interface HarnessRunMeta {
  /** The app-facing output. */
  output?: unknown;
  /** The transcript; its first user message is the input. */
  session?: { events?: { type?: string; role?: string; content?: unknown }[]; model?: string };
  /** Token usage. */
  usage?: { inputTokens?: number; outputTokens?: number; totalTokens?: number; model?: string };
  /** Timing. */
  timings?: { totalMs?: number };
  /** Spans. */
  traces?: { spans?: HarnessSpanMeta[] }[];
  /** Errors of the run. */
  errors?: { message?: unknown; name?: unknown }[];
}

/**
 * What vitest-evals (0.12 and later, and its `vitest-evals/legacy` `describeEval`) attaches to an
 * eval test's `task.meta`, plus `input` and `expected`, which a test may set itself: vitest-evals
 * records neither.
 *
 * @example Record the expected answer of a case
 * ```ts ignore
 * it("capital of France", async ({ run, task }) => {
 *   (task.meta as { expected?: unknown }).expected = "Paris";
 *   expect((await run("France")).output).toBe("Paris");
 * });
 * ```
 */
export interface VitestEvalsMeta {
  /** Scores, their average, the output, and whether the threshold failed. */
  eval?: {
    scores?: EvalScoreMeta[];
    avgScore?: number | null;
    output?: unknown;
    thresholdFailed?: boolean;
  };
  /** The harness and its normalized run. */
  harness?: { name?: string; run?: HarnessRunMeta };
  /** The case's input, when set by the test (else the harness's user message, else its name). */
  input?: unknown;
  /** The case's expected value, when set by the test. */
  expected?: unknown;
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A Vitest reporter that logs vitest-evals suites as they run: a suite's first finished eval
// case starts its run, each case is traced as it is reported, and the suite's end logs the
// aggregates and ends the run. Web-only: it is handed Vitest's reporter callbacks and only
// fetches, so it runs wherever Vitest's main process does.

import { MlflowFlushError } from "../../base/errors.ts";
import { createClient } from "../../client/client.ts";
import { readEnv } from "../../client/env.ts";
import type { MlflowClient, Run } from "../../client/types.ts";
import type { RowResult } from "../../evaluate/types.ts";
import { traceRunnerCase } from "../runner/case_trace.ts";
import { endSuiteRun } from "../runner/suite_run.ts";
import { evalMetaOf, readCase } from "./read_case.ts";
import type { VitestTestCase, VitestTestModule, VitestTestSuite } from "./types.ts";

/**
 * Options of {@linkcode mlflowReporter}.
 *
 * @example
 * ```ts
 * import type { MlflowReporterOptions } from "@evalhooks/mlflow/vitest";
 *
 * const options: MlflowReporterOptions = { experimentName: "agent-evals", tags: { branch: "main" } };
 * ```
 */
export interface MlflowReporterOptions {
  /** Experiment. @default {env MLFLOW_EXPERIMENT_NAME, else "vitest-evals"} */
  experimentName?: string;
  /** Tracking server, when no `mlflow` client is given. @default {env MLFLOW_TRACKING_URI} */
  trackingUri?: string;
  /** A client to log with (its own options: auth, retries, `onError`); else one is made. */
  mlflow?: MlflowClient;
  /** Tags on every run. */
  tags?: Record<string, string>;
}

/**
 * The reporter: the Vitest 3+ reporter hooks it uses. Pass it in `reporters`; Vitest awaits each.
 *
 * @example
 * ```ts
 * import { mlflowReporter, type VitestReporter } from "@evalhooks/mlflow/vitest";
 *
 * const reporter: VitestReporter = mlflowReporter({ trackingUri: "http://127.0.0.1:5000" });
 * ```
 */
export interface VitestReporter {
  /** A new test run (also each rerun in watch mode). */
  onTestRunStart(): void;
  /** A test finished: an eval case is traced into its suite's run. */
  onTestCaseResult(test: VitestTestCase): Promise<void>;
  /** A suite finished: its run gets its aggregates and ends. */
  onTestSuiteResult(suite: VitestTestSuite): void;
  /** A file finished: the runs of its top-level cases (and any left open) end. */
  onTestModuleEnd(module: VitestTestModule): void;
  /** The run ended: every run is ended and everything is on the server when this resolves. */
  onTestRunEnd(): Promise<void>;
}

interface SuiteRun {
  run: Run;
  moduleId: string;
  rows: RowResult[];
  passed: number;
  failed: number;
  startMs: number;
  endMs: number;
}

// A case's writes are queued, not sent: waiting for room every so many cases keeps a large
// suite within the client's queue limits, whatever the server's speed.
const DRAIN_EVERY = 200;

/**
 * A Vitest reporter that logs [vitest-evals](https://github.com/getsentry/vitest-evals) suites to
 * MLflow: each `describeEval` (any suite with eval cases) is a run named after the suite
 * (`mlflow.runType = genai_evaluate`), each eval case a trace in it (request = the input,
 * response = the output, the expected value as an expectation, spans of the harness run), each
 * score feedback named after its scorer, plus `success` (the test passed: its threshold and
 * assertions held) and `score` (vitest-evals' average); the run gets `<scorer>/mean`,
 * `success/mean` (the pass rate), `score/mean`, the `eval.*` tags (rows, errors, latency
 * percentiles), `vitest.passed`/`vitest.failed`/`vitest.duration_ms` and `eval_results.json`.
 * Tests without vitest-evals metadata are left out. Cases are traced as Vitest reports them;
 * the run's end resolves once all of it is on the server. Logging failures are reported by the
 * client's `onError` and never fail the tests. Duck-typed: it imports neither vitest nor
 * vitest-evals. Throws a TypeError when there is no tracking URI.
 *
 * @example vitest.config.ts
 * ```ts ignore
 * import { defineConfig } from "vitest/config";
 * import { mlflowReporter } from "@evalhooks/mlflow/vitest";
 *
 * export default defineConfig({
 *   test: {
 *     include: ["evals/*.eval.ts"],
 *     reporters: ["default", mlflowReporter({ experimentName: "agent-evals" })],
 *   },
 * });
 * ```
 */
export function mlflowReporter(options: MlflowReporterOptions = {}): VitestReporter {
  const experimentName = options.experimentName ?? readEnv("MLFLOW_EXPERIMENT_NAME") ??
    "vitest-evals";
  const mlflow = options.mlflow ??
    createClient({ trackingUri: options.trackingUri, experimentName });
  const open = new Map<string, SuiteRun>();
  let invocation = crypto.randomUUID();
  let traced = 0;

  const start = (test: VitestTestCase, startMs: number): SuiteRun => {
    const suite = test.parent;
    const file = test.module.relativeModuleId ?? test.module.moduleId;
    const name = suite.type === "suite" ? suite.fullName : file;
    const run = mlflow.startRun({
      experimentName,
      runName: name,
      startTime: Math.floor(startMs),
      tags: {
        // An evaluation run to MLflow's GenAI views, as evaluate()'s runs are.
        "mlflow.runType": "genai_evaluate",
        "vitest.file": file,
        "vitest.suite": name,
        "vitest.invocation": invocation,
        ...options.tags,
      },
    });
    const state: SuiteRun = {
      run,
      moduleId: test.module.id,
      rows: [],
      passed: 0,
      failed: 0,
      startMs,
      endMs: startMs,
    };
    open.set(suite.id, state);
    return state;
  };

  const finish = (key: string) => {
    const state = open.get(key);
    if (!state) return;
    open.delete(key);
    endSuiteRun(state.run, state.rows, {
      tags: {
        "vitest.passed": String(state.passed),
        "vitest.failed": String(state.failed),
        "vitest.duration_ms": String(Math.round(state.endMs - state.startMs)),
      },
      endTime: Math.ceil(state.endMs),
    });
  };

  return {
    onTestRunStart() {
      invocation = crypto.randomUUID();
    },
    async onTestCaseResult(test) {
      const meta = evalMetaOf(test);
      if (!meta) return;
      const state = open.get(test.parent.id);
      const c = readCase(test, meta, state?.rows.length ?? 0);
      const suite = state ?? start(test, c.startMs);
      const row = traceRunnerCase(mlflow, suite.run, c);
      suite.rows.push(row);
      if (test.result().state === "passed") suite.passed++;
      else suite.failed++;
      suite.startMs = Math.min(suite.startMs, c.startMs);
      suite.endMs = Math.max(suite.endMs, c.startMs + row.latencyMs);
      if (++traced % DRAIN_EVERY === 0) await mlflow.drain();
    },
    onTestSuiteResult(suite) {
      finish(suite.id);
    },
    onTestModuleEnd(module) {
      finish(module.id);
      // A suite Vitest did not report the end of (a crash mid-file) ends with its file.
      for (const [key, state] of open) if (state.moduleId === module.id) finish(key);
    },
    async onTestRunEnd() {
      for (const key of [...open.keys()]) finish(key);
      try {
        await mlflow.flush();
      } catch (error) {
        // Already reported, item by item, to the client's onError: the tests' outcome stands.
        if (!(error instanceof MlflowFlushError)) throw error;
      }
    },
  };
}

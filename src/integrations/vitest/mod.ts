// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * Log [vitest-evals](https://github.com/getsentry/vitest-evals) suites to MLflow from Vitest's
 * reporter hooks: one run per `describeEval`, one trace per eval case with its scores as
 * feedback, `<scorer>/mean` and the pass rate per run. Web-only and duck-typed: it depends on
 * neither vitest nor vitest-evals, and runs in Vitest's main process on Node, Bun or Deno.
 *
 * @example vitest.config.ts
 * ```ts ignore
 * import { defineConfig } from "vitest/config";
 * import { mlflowReporter } from "@evalhooks/mlflow/vitest";
 *
 * export default defineConfig({
 *   test: { reporters: ["default", mlflowReporter({ experimentName: "agent-evals" })] },
 * });
 * ```
 *
 * @module
 */

export { mlflowReporter, type MlflowReporterOptions, type VitestReporter } from "./reporter.ts";
export type {
  EvalScoreMeta,
  HarnessRunMeta,
  HarnessSpanMeta,
  VitestError,
  VitestEvalsMeta,
  VitestTestCase,
  VitestTestModule,
  VitestTestSuite,
} from "./types.ts";
export type { MlflowClient } from "../../client/types.ts";

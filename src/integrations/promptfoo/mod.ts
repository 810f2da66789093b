// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * Import promptfoo evals into MLflow, or log them as they run. `importPromptfooResults` takes the
 * results file `promptfoo eval -o results.json` writes, already parsed: no file system, so it
 * runs on Deno, Bun, Node, Workers and in browsers (the CLI's `import-promptfoo` reads the file
 * and calls this). `mlflowExtension` is a promptfoo extension hook (`extensions:` in
 * promptfooconfig.yaml) that logs the same runs, traces and feedback while promptfoo runs the
 * eval. One parent run per eval, one run per provider, one trace per test case and prompt, each
 * assertion as feedback.
 *
 * @example Import a results file
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { importPromptfooResults } from "@evalhooks/mlflow/promptfoo";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const results = await (await fetch("https://ci.example.com/promptfoo/results.json")).json();
 * const imported = await importPromptfooResults(mlflow, results, { experimentName: "prompts" });
 * console.log(imported.status, imported.runs.map((r) => r.metrics["success/mean"]));
 * await mlflow.close();
 * ```
 *
 * @example Log live from promptfoo: mlflow_hook.mjs, and `extensions: ["file://mlflow_hook.mjs:mlflow"]`
 * ```ts ignore
 * import { mlflowExtension } from "@evalhooks/mlflow/promptfoo";
 *
 * export const mlflow = mlflowExtension({ experimentName: "prompts" });
 * ```
 *
 * @module
 */

export { EVAL_ID_TAG } from "./parent_tags.ts";
export {
  mlflowExtension,
  type PromptfooExtensionHook,
  type PromptfooExtensionOptions,
} from "./extension.ts";
export {
  importPromptfooResults,
  type PromptfooImportOptions,
  type PromptfooImportResult,
} from "./import_results.ts";
export type { PromptfooProviderRun } from "./provider_run.ts";
export type {
  PromptfooGradingResult,
  PromptfooOutputFile,
  PromptfooPrompt,
  PromptfooResult,
  PromptfooTokenUsage,
} from "./types.ts";
export type { MlflowClient } from "../../client/types.ts";

// Copyright 2026 the evalhooks authors. MIT license.

/**
 * What the core client cannot do without a file system: upload a folder tree as a run's
 * artifacts (`logArtifacts`), and read the git commit, branch and remote of the code being run
 * (`gitSourceTags`, `detectSourceTags`) so MLflow's UI fills its Source column. Uses `node:`
 * APIs, so it runs on Deno, Bun and Node; the core (`@evalhooks/mlflow`) stays web-only.
 *
 * @example Tag runs with the commit, and upload a folder
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { detectSourceTags, logArtifacts } from "@evalhooks/mlflow/node";
 *
 * const mlflow = createMlflow({
 *   trackingUri: "http://127.0.0.1:5000",
 *   experimentName: "qa-evals",
 *   sourceTags: await detectSourceTags(), // script path, git commit, branch, remote
 * });
 * await mlflow.run({ runName: "nightly" }, async (run) => {
 *   run.logMetric("accuracy", 0.91);
 *   await logArtifacts(mlflow, run, "./out", "outputs"); // ./out/a/b.txt → outputs/a/b.txt
 * });
 * await mlflow.close();
 * ```
 *
 * @module
 */

export {
  logArtifacts,
  type LogArtifactsOptions,
  type LogArtifactsResult,
} from "./log_artifacts.ts";
export { gitSourceTags, mainModulePath } from "./git_source.ts";
export { detectSourceTags } from "./source_tags.ts";
export {
  type DatabricksConfig,
  databricksConfig,
  type DatabricksConfigOptions,
} from "./databricks_config.ts";

// Copyright 2026 the evalhooks authors. MIT license.

// Every source tag a file system can tell: the script's path and the git tags of its repository,
// for the client's `sourceTags` option.

import { gitSourceTags, mainModulePath } from "./git_source.ts";

/**
 * The source tags of the script being run, for `createMlflow({ sourceTags })`, as MLflow's
 * Python client sets them on runs (and as trace metadata) so MLflow's UI fills its Source
 * column:
 *
 * - `mlflow.source.name`: the script's path ({@linkcode mainModulePath}), when there is one;
 * - `mlflow.source.type`: `LOCAL`;
 * - the git tags of {@linkcode gitSourceTags}: `mlflow.source.git.commit`, `…branch`,
 *   `…repoURL` (credentials removed), for the repository holding the script (Python's choice),
 *   or `dir` when given.
 *
 * `mlflow.user` is left to the client, which detects it everywhere (this entry adds nothing a
 * web runtime could not know). Never throws: what cannot be found is left out.
 *
 * @param options.dir Where to look for the repository. @default {the script's folder, else the working directory}
 * @returns The tags, to pass as the `sourceTags` option or as a run's `tags`.
 *
 * @example Fill MLflow's Source column, commit included
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { detectSourceTags } from "@evalhooks/mlflow/node";
 *
 * const mlflow = createMlflow({
 *   trackingUri: "http://127.0.0.1:5000",
 *   sourceTags: await detectSourceTags(),
 * });
 * await mlflow.run({ runName: "nightly" }, (run) => {
 *   run.logMetric("accuracy", 0.91);
 * });
 * await mlflow.close();
 * ```
 */
export async function detectSourceTags(
  options: { dir?: string } = {},
): Promise<Record<string, string>> {
  const script = mainModulePath();
  const tags: Record<string, string> = { "mlflow.source.type": "LOCAL" };
  if (script) tags["mlflow.source.name"] = script;
  return { ...tags, ...(await gitSourceTags(options.dir ?? script)) };
}

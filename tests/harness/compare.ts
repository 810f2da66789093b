// Copyright 2026 the evalhooks authors. MIT license.

// What an experiment holds, with ids and times taken out, so two imports (or the Python hook and
// ours) can be compared field by field.

import type { Mlflow } from "../../mod.ts";

/** One run, described without ids and times. */
export interface RunDescription {
  name: string;
  status: string;
  tags: Record<string, string>;
  params: Record<string, string>;
  metrics: Record<string, number>;
  points: Record<string, number>;
  artifacts: string[];
  tables: Record<string, string[]>;
}

const VOLATILE_TAGS = new Set([
  "mlflow.parentRunId",
  "mlflow.loggedArtifacts",
  "inspect.run_id",
  "mlflow.user",
  "mlflow.source.name",
  "mlflow.source.type",
  "mlflow.source.git.commit",
  "mlflow.source.git.branch",
  "mlflow.source.git.repoURL",
  "evalhooks.createId", // a fresh id per create, by design
  // Ours only, by design: the key and state that let imports of one eval run share its parent.
  "evalhooks.parentKey",
  "evalhooks.parentState",
  // Ours only, by design: an imported task's run is joined by its eval id (joinRun), so two
  // importers of one log make one run.
  "evalhooks.joinKey",
  "evalhooks.joinState",
]);
/** joinRun's per-shard end tags (`evalhooks.shard.<name>`): ours only, one per importer. */
const isVolatile = (key: string) => VOLATILE_TAGS.has(key) || key.startsWith("evalhooks.shard.");

/** Every run of the experiment, by run name. */
export async function describeExperiment(
  mlflow: Mlflow,
  experimentName: string,
): Promise<Record<string, RunDescription>> {
  const experiment = await mlflow.getExperimentByName(experimentName);
  if (!experiment) throw new Error(`no experiment ${experimentName}`);
  const out: Record<string, RunDescription> = {};
  for (const run of await mlflow.searchRuns({ experimentIds: [experiment.experimentId] })) {
    const name = run.info.runName.startsWith("inspect-") ? "inspect-<run>" : run.info.runName;
    const points: Record<string, number> = {};
    for (const key of Object.keys(run.metrics)) {
      points[key] = (await mlflow.getMetricHistory(run.info.runId, key)).length;
    }
    const artifacts: string[] = [];
    const walk = async (path?: string) => {
      for (const entry of await mlflow.listArtifacts(run.info.runId, path)) {
        if (entry.isDir) await walk(entry.path);
        else artifacts.push(entry.path);
      }
    };
    await walk();
    const tables: Record<string, string[]> = {};
    for (const path of artifacts.filter((p) => p.startsWith("inspect/"))) {
      const json = JSON.parse(
        new TextDecoder().decode(await mlflow.downloadArtifact(run.info.runId, path)),
      );
      tables[path] = json.columns;
    }
    out[name] = {
      name,
      status: run.info.status,
      tags: Object.fromEntries(Object.entries(run.tags).filter(([k]) => !isVolatile(k))),
      params: run.params,
      metrics: run.metrics,
      points,
      artifacts: artifacts.sort(),
      tables,
    };
  }
  return out;
}

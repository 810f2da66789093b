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
  /** Every metric's history as (step, value) pairs, by step (then value). */
  series: Record<string, [number, number][]>;
  artifacts: string[];
  /** The columns of each `inspect/` table. */
  tables: Record<string, string[]>;
  /** The rows of each `inspect/` table. */
  cells: Record<string, unknown[][]>;
  /** The parsed content of each other JSON artifact (`sample_results/`, `eval_logs/`, ...). */
  documents: Record<string, unknown>;
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

/**
 * Every run of the experiment, by run name. `documents` reads the JSON artifacts that are not
 * tables too (`sample_results/`, `eval_logs/`); else `documents` is empty.
 */
export async function describeExperiment(
  mlflow: Mlflow,
  experimentName: string,
  options: { documents?: boolean } = {},
): Promise<Record<string, RunDescription>> {
  const experiment = await mlflow.getExperimentByName(experimentName);
  if (!experiment) throw new Error(`no experiment ${experimentName}`);
  const out: Record<string, RunDescription> = {};
  for (const run of await mlflow.searchRuns({ experimentIds: [experiment.experimentId] })) {
    const name = run.info.runName.startsWith("inspect-") ? "inspect-<run>" : run.info.runName;
    const series: Record<string, [number, number][]> = {};
    for (const key of Object.keys(run.metrics).sort()) {
      series[key] = (await mlflow.getMetricHistory(run.info.runId, key))
        .map((m): [number, number] => [m.step, m.value])
        .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
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
    const cells: Record<string, unknown[][]> = {};
    const documents: Record<string, unknown> = {};
    const read = (p: string) =>
      p.startsWith("inspect/") || (options.documents && p.endsWith(".json"));
    for (const path of artifacts.filter(read)) {
      const json = JSON.parse(
        new TextDecoder().decode(await mlflow.downloadArtifact(run.info.runId, path)),
      );
      if (path.startsWith("inspect/")) {
        tables[path] = json.columns;
        cells[path] = json.data;
      } else documents[path] = json;
    }
    out[name] = {
      name,
      status: run.info.status,
      tags: Object.fromEntries(Object.entries(run.tags).filter(([k]) => !isVolatile(k))),
      params: run.params,
      metrics: run.metrics,
      series,
      artifacts: artifacts.sort(),
      tables,
      cells,
      documents,
    };
  }
  return out;
}

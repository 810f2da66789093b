// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.
//
// Where compareEvals finds the per-sample scores of an eval: in a run's
// `sample_results/sample_results_<eval_id>.json` (the Inspect hooks, the CLI import and the
// Python inspect_mlflow hook all write it), in its `eval_results.json` table (`evaluate()`), in the
// nested task runs of an Inspect parent run, or in an Inspect log given as an object.

import type { Run } from "../client/run_types.ts";
import type { MlflowClient } from "../client/types.ts";
import { MlflowValidationError } from "../base/errors.ts";
import { scoreToNumeric } from "../integrations/inspect/score.ts";
import type { EvalSample, EvalSamples, EvalSource, InspectLogLike } from "./types.ts";

const decoder = new TextDecoder();
type Row = Record<string, unknown>;

const numeric = (value: unknown): number => scoreToNumeric(value) ?? NaN;

function refuse(argument: string, rule: string, message: string): never {
  throw new MlflowValidationError(message, { key: argument, rule, call: "compareEvals" });
}

/** Inspect samples keyed by `(id, epoch)`. */
function fromInspectRows(
  rows: Row[],
  prefix: string,
): EvalSample[] {
  return rows.map((r) => {
    const scores: Record<string, number> = {};
    for (const [k, v] of Object.entries(r)) {
      if (k.startsWith("score/")) scores[k.slice(6)] = numeric(v);
    }
    const time = typeof r.total_time === "number" ? r.total_time : undefined;
    return {
      key: `${prefix}${String(r.id)}#${String(r.epoch ?? 1)}`,
      scores,
      latencySeconds: time,
    };
  });
}

/**
 * The samples of an Inspect eval log (parsed JSON), keyed by `(id, epoch)`, for compareEvals.
 *
 * @example
 * ```ts
 * import { compareEvals, samplesOfInspectLog } from "@evalhooks/mlflow/compare";
 *
 * const log = {
 *   eval: { task: "qa", eval_id: "e1" },
 *   samples: [{ id: 1, epoch: 1, scores: { match: { value: "C" } } }],
 * };
 * const result = await compareEvals(samplesOfInspectLog(log), samplesOfInspectLog(log));
 * ```
 */
export function samplesOfInspectLog(log: InspectLogLike, label?: string): EvalSamples {
  const samples = (log.samples ?? []).map((s): EvalSample => {
    const scores: Record<string, number> = {};
    for (const [name, score] of Object.entries(s.scores ?? {})) {
      scores[name] = numeric(score?.value ?? score);
    }
    const tokens = s.model_usage
      ? Object.values(s.model_usage).reduce((n, u) => n + (u?.total_tokens ?? 0), 0)
      : undefined;
    return {
      key: `${String(s.id)}#${String(s.epoch ?? 1)}`,
      scores,
      latencySeconds: typeof s.total_time === "number" ? s.total_time : undefined,
      tokens,
    };
  });
  return {
    label: label ?? log.eval.eval_id ?? log.eval.task ?? "inspect log",
    samples,
    pairedBy: "id-epoch",
  };
}

/** Samples of an `evaluate()` run's `eval_results.json` (MLflow's split table). */
function fromEvalResults(table: { columns: string[]; data: unknown[][] }): {
  samples: EvalSample[];
  pairedBy: "id" | "index";
} {
  const col = (name: string) => table.columns.indexOf(name);
  const first = col("expectations") + 1;
  const last = col("error");
  const scorers = table.columns.slice(first, last);
  const inputsAt = col("inputs");
  const ids = table.data.map((r) => {
    const inputs = r[inputsAt];
    return inputs && typeof inputs === "object" && "id" in inputs
      ? String((inputs as { id: unknown }).id)
      : undefined;
  });
  const byId = ids.every((id) => id !== undefined) && new Set(ids).size === ids.length;
  const samples = table.data.map((r, i): EvalSample => {
    const scores: Record<string, number> = {};
    scorers.forEach((s, j) => (scores[s] = numeric(r[first + j])));
    const ms = r[col("latency_ms")];
    return {
      key: byId ? ids[i]! : String(r[col("row")] ?? i),
      scores,
      latencySeconds: typeof ms === "number" ? ms / 1000 : undefined,
    };
  });
  return { samples, pairedBy: byId ? "id" : "index" };
}

async function readJson(mlflow: MlflowClient, runId: string, path: string): Promise<unknown> {
  return JSON.parse(decoder.decode(await mlflow.downloadArtifact(runId, path)));
}

/** The samples of one run (recursing once into the task runs of an Inspect parent run). */
async function samplesOfRun(
  mlflow: MlflowClient,
  runId: string,
  depth = 0,
): Promise<{ samples: EvalSample[]; pairedBy: EvalSamples["pairedBy"] } | undefined> {
  const top = await mlflow.listArtifacts(runId);
  if (top.some((f) => f.path === "sample_results" && f.isDir)) {
    const files = (await mlflow.listArtifacts(runId, "sample_results"))
      .filter((f) => f.path.endsWith(".json"));
    const samples: EvalSample[] = [];
    for (const f of files) {
      samples.push(...fromInspectRows((await readJson(mlflow, runId, f.path)) as Row[], ""));
    }
    return { samples, pairedBy: "id-epoch" };
  }
  if (top.some((f) => f.path === "eval_results.json")) {
    const table = await readJson(mlflow, runId, "eval_results.json") as {
      columns: string[];
      data: unknown[][];
    };
    return fromEvalResults(table);
  }
  if (depth > 0) return undefined;
  // An Inspect parent run: its task runs, each sample keyed by its task too.
  const run = await mlflow.getRun(runId);
  const children = await mlflow.searchRuns({
    experimentIds: [run.info.experimentId],
    filter: `tags.mlflow.parentRunId = '${runId}'`,
  });
  const samples: EvalSample[] = [];
  for (const child of children) {
    const found = await samplesOfRun(mlflow, child.info.runId, depth + 1);
    const task = child.tags["inspect.task"] ?? child.info.runName;
    for (const s of found?.samples ?? []) samples.push({ ...s, key: `${task}/${s.key}` });
  }
  return children.length > 0 ? { samples, pairedBy: "id-epoch" } : undefined;
}

function isRun(source: unknown): source is Run {
  return typeof source === "object" && source !== null &&
    typeof (source as Run).info === "function" && typeof (source as Run).logMetric === "function";
}

/** Reads the samples of `source`; `argument` names it in errors (`baseline`, `candidate`). */
export async function loadSamples(
  source: EvalSource,
  argument: string,
  mlflow: MlflowClient | undefined,
): Promise<EvalSamples> {
  if (typeof source === "string" || isRun(source)) {
    if (!mlflow) {
      refuse(
        argument,
        "mlflow",
        `compareEvals: ${argument} is a run, so options.mlflow is needed to read it`,
      );
    }
    const runId = typeof source === "string" ? source : (await source.info()).runId;
    if (typeof source === "string" && !/^[0-9a-zA-Z-]{1,64}$/.test(runId)) {
      refuse(argument, "run_id", `compareEvals: ${argument} '${runId}' is not a run id`);
    }
    const data = await mlflow.getRun(runId);
    const found = await samplesOfRun(mlflow, runId);
    if (!found) {
      refuse(
        argument,
        "no_samples",
        `compareEvals: run ${runId} (${argument}) has no sample_results/ or eval_results.json to compare`,
      );
    }
    const cost = data.metrics["cost/total_usd"];
    return {
      label: data.info.runName ? `${data.info.runName} (${runId})` : runId,
      runId,
      ...found,
      ...(typeof cost === "number" ? { costUsd: cost } : {}),
    };
  }
  if (
    typeof source === "object" && source !== null && "samples" in source && "pairedBy" in source
  ) {
    return source as EvalSamples;
  }
  if (typeof source === "object" && source !== null && "eval" in source) {
    return samplesOfInspectLog(source as InspectLogLike);
  }
  return refuse(
    argument,
    "value_type",
    `compareEvals: ${argument} must be a run id, a Run, an Inspect log or EvalSamples`,
  );
}

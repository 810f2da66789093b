// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The run's artifacts: uploads run beside the serial queue (bounded by maxInFlight), after the
// run exists; tables also go into the `mlflow.loggedArtifacts` tag MLflow's UI reads.

import { asMlflowError, MlflowValidationError } from "../base/errors.ts";
import { bodyBytes, keyValueBytes } from "../delivery/budget.ts";
import { toJsonText, toSplitTable, uploadArtifact } from "../store/artifacts.ts";
import { LIMITS } from "../store/limits.ts";
import { toCsv } from "./csv.ts";
import { reportNotLogged } from "./run_lost.ts";
import type { RunContext, RunState } from "./run_context.ts";
import type { Table } from "./types.ts";

/** Queues artifact uploads of one run. */
export interface RunArtifacts {
  /** Uploads `body` to `path` once the run exists (dropped and counted when the budget is full). */
  upload(path: string, body: Uint8Array | Blob | string, contentType: string): void;
  /** Uploads a table as split JSON and lists it in `mlflow.loggedArtifacts`. */
  logTable(table: Table, path: string, addTag: (key: string, value: string) => void): void;
  /** Uploads `llm_predictions.csv`. */
  logPredictions(inputs: unknown[], outputs: unknown[], prompts?: unknown[]): void;
}

/** The artifact functions of one run; `name` names the run in errors. */
export function createRunArtifacts(ctx: RunContext, state: RunState, name: string): RunArtifacts {
  const upload = (path: string, body: Uint8Array | Blob | string, contentType: string) => {
    const bytes = bodyBytes(body);
    if (!ctx.reserve(1, bytes)) return;
    ctx.logged.artifacts++;
    const task = (async () => {
      const info = await state.created;
      if (!info) return reportNotLogged(ctx, name, `artifact '${path}'`, path);
      try {
        await uploadArtifact(ctx.rest, info, path, body, contentType);
      } catch (error) {
        ctx.report(
          asMlflowError(error, `upload artifact '${path}'`, { key: path, runId: info.runId }),
        );
      }
    })().finally(() => ctx.release(1, bytes));
    state.uploads.add(task);
    ctx.track(task);
    task.finally(() => state.uploads.delete(task));
  };

  return {
    upload,
    logTable(table, path, addTag) {
      if (!path.endsWith(".json")) {
        throw new MlflowValidationError(`logTable: table path '${path}' must end in .json`, {
          key: path,
          rule: "artifact_path",
          call: "logTable",
        });
      }
      const text = toJsonText(toSplitTable(table, path, "logTable"), path, "logTable");
      upload(path, text, "application/json");
      if (!state.tables.includes(path)) state.tables.push(path);
      addTag("mlflow.loggedArtifacts", loggedArtifactsTag(ctx, state));
    },
    logPredictions(inputs, outputs, prompts) {
      if (
        !Array.isArray(inputs) || !Array.isArray(outputs) || inputs.length !== outputs.length ||
        (prompts !== undefined && (!Array.isArray(prompts) || prompts.length !== inputs.length))
      ) {
        throw new MlflowValidationError(
          "logPredictions: inputs, outputs (and prompts, if given) must be arrays of the same length",
          { key: "llm_predictions.csv", rule: "value_type", call: "logPredictions" },
        );
      }
      const columns = prompts ? ["inputs", "outputs", "prompts"] : ["inputs", "outputs"];
      const rows = inputs.map((input, i) =>
        prompts ? [input, outputs[i], prompts[i]] : [input, outputs[i]]
      );
      upload("llm_predictions.csv", toCsv(columns, rows), "text/csv; charset=utf-8");
    },
  };
}

/**
 * A resumed run's tables: those its `mlflow.loggedArtifacts` tag lists already come first, so
 * tables logged now are added to the UI's list instead of replacing it. A tag value still
 * unsent (tables logged before the run was read) is rewritten with the whole list.
 */
export function adoptLoggedTables(ctx: RunContext, state: RunState, tag: string | undefined): void {
  let listed: string[] = [];
  try {
    const parsed: unknown = JSON.parse(tag ?? "[]");
    if (Array.isArray(parsed)) {
      listed = parsed.flatMap((entry) =>
        typeof entry?.path === "string" && entry.type === "table" ? [entry.path as string] : []
      );
    }
  } catch {
    return; // not ours to repair: left as it is
  }
  const fresh = state.tables.filter((path) => !listed.includes(path));
  state.tables = [...listed, ...fresh];
  const key = "mlflow.loggedArtifacts";
  const unsent = state.pending.tags.get(key);
  if (unsent === undefined) return;
  const value = loggedArtifactsTag(ctx, state);
  ctx.release(0, keyValueBytes(key, unsent));
  ctx.reserve(0, keyValueBytes(key, value));
  state.pending.tags.set(key, value);
}

/**
 * The `mlflow.loggedArtifacts` tag, kept valid JSON within the tag limit: MLflow's `load_table`
 * fails on a run whose tag was cut mid-JSON, so the oldest tables leave the list instead (their
 * files stay), with one warning per run.
 */
function loggedArtifactsTag(ctx: RunContext, state: RunState): string {
  const tagOf = () => JSON.stringify(state.tables.map((p) => ({ path: p, type: "table" })));
  let tag = tagOf();
  if (tag.length <= LIMITS.tagValueLength) return tag;
  while (tag.length > LIMITS.tagValueLength && state.tables.length > 1) {
    state.tables.shift();
    tag = tagOf();
  }
  if (!state.tablesTrimmed) {
    state.tablesTrimmed = true;
    ctx.warn(
      new MlflowValidationError(
        "logTable: mlflow.loggedArtifacts would exceed 8000 characters; the oldest tables " +
          "are left out of it (their files are kept)",
        { key: "mlflow.loggedArtifacts", rule: "value_length", call: "logTable", truncated: true },
      ),
    );
  }
  return tag;
}

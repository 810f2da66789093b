// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { MlflowValidationError } from "../base/errors.ts";
import type { Run } from "./run_types.ts";

const decoder = new TextDecoder();

/**
 * A table read back by `loadTable`: its columns, and one record per row.
 *
 * @example
 * ```ts
 * import type { LoadedTable } from "@evalhooks/mlflow";
 *
 * const table: LoadedTable = { columns: ["question", "score"], rows: [{ question: "2+2", score: 1 }] };
 * ```
 */
export interface LoadedTable {
  /** Column names, in order (with `run_id` last when several runs were read). */
  columns: string[];
  /** One record per row. */
  rows: Record<string, unknown>[];
}

/** Reads MLflow's split-JSON table (`{"columns": [...], "data": [[...]]}`, an `index` ignored). */
function parseTable(bytes: Uint8Array, path: string, runId: string): LoadedTable {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes));
  } catch {
    json = undefined;
  }
  const table = json as { columns?: unknown; data?: unknown };
  if (!table || !Array.isArray(table.columns) || !Array.isArray(table.data)) {
    throw new MlflowValidationError(
      `loadTable: ${path} of run ${runId} is not a table ({"columns": [...], "data": [[...]]})`,
      { key: "path", rule: "table_shape", call: "loadTable", runId },
    );
  }
  const columns = table.columns.map(String);
  const rows = (table.data as unknown[][]).map((row) =>
    Object.fromEntries(columns.map((c, i) => [c, row?.[i] ?? null]))
  );
  return { columns, rows };
}

/**
 * The table at `path` of one run, or of several runs stacked with a `run_id` column (as
 * `mlflow.load_table(path, run_ids=…, extra_columns=["run_id"])` reads them). Columns a run lacks
 * are null in its rows. Reads tables logged by `logTable` here and by Python's `mlflow.log_table`.
 */
export async function loadTableOf(
  download: (run: Run | string, path: string) => Promise<Uint8Array>,
  runIdOf: (run: Run | string) => Promise<string>,
  runs: Run | string | readonly (Run | string)[],
  path: string,
): Promise<LoadedTable> {
  if (!Array.isArray(runs)) {
    const run = runs as Run | string;
    return parseTable(await download(run, path), path, await runIdOf(run));
  }
  const tables = await Promise.all(
    runs.map(async (run) => {
      const runId = await runIdOf(run);
      return { runId, table: parseTable(await download(run, path), path, runId) };
    }),
  );
  const columns = [...new Set(tables.flatMap((t) => t.table.columns)), "run_id"];
  const rows = tables.flatMap(({ runId, table }) =>
    table.rows.map((r) => ({
      ...Object.fromEntries(columns.map((c) => [c, r[c] ?? null])),
      run_id: runId,
    }))
  );
  return { columns, rows };
}

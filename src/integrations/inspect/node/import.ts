// Copyright 2026 the evalhooks authors. MIT license.

// Importing an Inspect log file: opens it (node:fs) and hands the reader to the web importer.

import { importInspectReader, type ImportOptions, type ImportResult } from "../import_log.ts";
import { readInspectLog } from "./read_file.ts";

export type { ImportOptions, ImportResult };

/**
 * Imports one Inspect log (`.eval` or `.json`) into MLflow by replaying it through
 * {@linkcode mlflowHooks}, so it lands exactly as the live hooks would have logged it, with the
 * log's own timestamps. A log whose eval already has a task run in the experiment is skipped
 * (`force` re-imports into new runs). A log that breaks part way leaves its runs `FAILED`; the
 * result says why. Never throws for a bad log: read `status`.
 *
 * @example
 * ```ts
 * import { importInspectLog } from "@evalhooks/mlflow/inspect";
 *
 * const result = await importInspectLog("logs/2025-02-11T15-17-00_popularity.eval", {
 *   trackingUri: "http://127.0.0.1:5000",
 * });
 * console.log(result.status, result.samples);
 * ```
 */
export async function importInspectLog(
  path: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const started = performance.now();
  let reader;
  try {
    reader = await readInspectLog(path);
  } catch (error) {
    const reason = (error as Error).message;
    return {
      path,
      status: /not an Inspect log/.test(reason) ? "skipped" : "failed",
      reason,
      samples: 0,
      seconds: (performance.now() - started) / 1000,
    };
  }
  try {
    const result = await importInspectReader(reader, { ...options, name: path });
    return { ...result, seconds: (performance.now() - started) / 1000 };
  } finally {
    await reader.close();
  }
}

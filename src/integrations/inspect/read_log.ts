// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Reads Inspect AI logs: `.eval` (a ZIP: header, summaries, reductions, and one member or one
// chunked folder per sample; read_eval.ts) and `.json` (read_json.ts). Samples are handed out one
// at a time, resolved the way Inspect resolves them on read (attachments inlined, condensed model
// inputs and calls expanded; resolve_sample.ts), so memory follows the largest sample, not the
// whole log.

import type { EvalLog, EvalSample } from "./types.ts";

export { readEvalLog } from "./read_eval.ts";
export { readJsonLog } from "./read_json.ts";
export { resolveSample } from "./resolve_sample.ts";

/**
 * An Inspect log opened for reading: its header now, its samples one at a time.
 *
 * @example
 * ```ts
 * import { readInspectLog } from "@evalhooks/mlflow/inspect";
 *
 * const log = await readInspectLog("logs/2025-02-11T15-17-00_popularity.eval");
 * console.log(log.header.eval.task, log.header.status, log.sampleCount);
 * for await (const sample of log.samples()) console.log(sample.id, sample.scores);
 * ```
 */
export interface InspectLogReader {
  /** The log without samples. `status` is `started` when the eval never wrote its header. */
  header: EvalLog;
  /** How many samples `samples()` yields. */
  sampleCount: number;
  /** The samples, in the log's order, resolved. */
  samples(): AsyncIterable<EvalSample>;
}

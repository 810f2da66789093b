// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The reader interface both log formats implement (read_eval.ts, read_json.ts).

import type { EvalLog, EvalSample } from "./types.ts";
import type { SampleOrder } from "./sample_order.ts";
export type { SampleOrder } from "./sample_order.ts";

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
  /**
   * The samples, resolved, in the order Inspect's own reader gives them for either format: by
   * epoch, then by id (numbers by value). With `order: "completion"`, in the order they
   * finished (`completed_at`, else the last event's timestamp; ties and samples without a time,
   * which come last, in Inspect's order): the order live hooks saw them end, which the import
   * replays. Both formats give the same order either way.
   */
  samples(options?: { order?: SampleOrder }): AsyncIterable<EvalSample>;
}

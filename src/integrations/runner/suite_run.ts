// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The end of one suite's run: evaluate()'s aggregates (`<scorer>/mean`, the `eval.*` tags,
// `eval_results.json`) over the cases traced in it, the runner's own tags, and the end.

import type { Run } from "../../client/types.ts";
import { logAggregates } from "../../evaluate/aggregate.ts";
import type { RowResult } from "../../evaluate/types.ts";

/** How a suite's run ends. */
export interface SuiteEnd {
  /** Tags set beside the aggregates (counts, durations). */
  tags?: Record<string, string>;
  /** End time, ms since the epoch. @default {now} */
  endTime?: number;
  /** @default {"FINISHED"} */
  status?: "FINISHED" | "FAILED";
}

/**
 * Logs the aggregates of `rows` (ordered by their index, as `eval_results.json` lists them) and
 * ends `run`; returns the metrics as `logAggregates` does. Does not wait for the end to land.
 */
export function endSuiteRun(
  run: Run,
  rows: RowResult[],
  end: SuiteEnd = {},
): Record<string, number> {
  const ordered = [...rows].sort((a, b) => a.index - b.index);
  const metrics = logAggregates(run, ordered);
  if (end.tags) run.setTags(end.tags);
  // The run's end is queued behind its writes; the caller's flush is what waits for all of it.
  void run.end(end.status ?? "FINISHED", { endTime: end.endTime }).catch(() => {
    // Reported to the client's onError and to the next flush(), which the caller awaits.
  });
  return metrics;
}

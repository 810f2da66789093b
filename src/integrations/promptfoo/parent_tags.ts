// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The tags of an eval's parent run, shared by the import (which reads them from a results file)
// and the live hook (which learns them as promptfoo runs): the eval id the eval is found by
// again, its providers, result count, promptfoo's counts and version.

import type { PromptfooResult } from "./types.ts";

/**
 * The tag that names the promptfoo eval a run belongs to (parent and provider runs, imported or logged live).
 *
 * @example Find the runs of an imported eval
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { EVAL_ID_TAG } from "@evalhooks/mlflow/promptfoo";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const experimentId = await mlflow.getOrCreateExperiment("promptfoo");
 * const runs = await mlflow.searchRuns({
 *   experimentIds: [experimentId],
 *   filter: `tags.\`${EVAL_ID_TAG}\` = 'eval-abc-2026-01-01T00:00:00'`,
 * });
 * ```
 */
export const EVAL_ID_TAG = "promptfoo.eval_id";

/** What the parent's tags say of an eval. */
export interface EvalFacts {
  /** The eval id. */
  evalId: string;
  /** Its providers' names (label, else id), in order. */
  providers: string[];
  /** Result count. */
  rows: number;
  /** promptfoo's counts: passed, failed an assertion, errored. */
  stats: { successes?: number; failures?: number; errors?: number };
  /** promptfoo's version, when the results file says it. */
  version?: string;
  /** The share link, if the eval was shared. */
  shareableUrl?: string;
}

/** The parent run's tags of an eval. */
export function parentTagsOf(facts: EvalFacts): Record<string, string> {
  return {
    [EVAL_ID_TAG]: facts.evalId,
    "promptfoo.providers": facts.providers.join(", "),
    "eval.rows": String(facts.rows),
    ...(facts.version ? { "promptfoo.version": facts.version } : {}),
    ...(facts.shareableUrl ? { "promptfoo.shareable_url": facts.shareableUrl } : {}),
    ...Object.fromEntries(
      (["successes", "failures", "errors"] as const)
        .filter((k) => typeof facts.stats[k] === "number")
        .map((k) => [`promptfoo.${k}`, String(facts.stats[k])]),
    ),
  };
}

/** promptfoo's counts of `results`, as its `stats` has them: failure reason 1 fails, 2 errors. */
export function statsOf(
  results: PromptfooResult[],
): { successes: number; failures: number; errors: number } {
  const reason = (r: PromptfooResult) => r.failureReason ?? (r.success ? 0 : 1);
  return {
    successes: results.filter((r) => r.success).length,
    failures: results.filter((r) => !r.success && reason(r) !== 2).length,
    errors: results.filter((r) => !r.success && reason(r) === 2).length,
  };
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The run an assessment was made in, written as `mlflow.assessment.sourceRunId` (the key MLflow's
// Evaluation runs view reads a run's scores by). A run handle's id is known only once the run is
// created in the background, so the assessment is marked when logged and the id filled in just
// before it is sent, whether it rides in its trace's info request or goes on its own.

import type { RunInfo } from "../store/types.ts";
import type { Run } from "./run_types.ts";

const SOURCE_RUN_KEY = "mlflow.assessment.sourceRunId";

const sourceRuns = new WeakMap<Record<string, unknown>, Run | string>();

/** Marks `assessment` (the object that will be sent) as made in `run`. */
export function markSourceRun(assessment: Record<string, unknown>, run: Run | string): void {
  sourceRuns.set(assessment, run);
}

/**
 * Writes the source run's id into each marked assessment's metadata (a key the caller set stays);
 * an assessment whose run was never created goes without it.
 */
export async function fillSourceRuns(
  runInfo: (run: Run | string) => Promise<RunInfo | undefined>,
  assessments: readonly Record<string, unknown>[],
): Promise<void> {
  // Every trace export passes here; most carry no marked assessment, so nothing to wait for.
  if (!assessments.some((a) => sourceRuns.has(a))) return;
  await Promise.all(assessments.map(async (assessment) => {
    const run = sourceRuns.get(assessment);
    if (run === undefined) return;
    sourceRuns.delete(assessment);
    let runId: string | undefined;
    try {
      runId = typeof run === "string" ? run : (await runInfo(run))?.runId;
    } catch {
      runId = undefined; // its failure is the run's to report
    }
    if (runId === undefined) return;
    const metadata = (assessment.metadata ?? {}) as Record<string, string>;
    if (metadata[SOURCE_RUN_KEY] === undefined) {
      assessment.metadata = { ...metadata, [SOURCE_RUN_KEY]: runId };
    }
  }));
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/** What one run still had unsent when the process stopped. */
export interface RunLoss {
  /** The run's name, if known (the server names runs that were given none). */
  runName?: string;
  /** The run's id; `undefined` when it was never created. */
  runId?: string;
  /** Metrics, params and tags never taken into a request. */
  notSent: number;
  /** Items in a request that had no answer yet: they may or may not have landed. */
  inFlight: number;
  /** Artifact uploads not finished. */
  artifacts: number;
  /** The end of the run was not confirmed by the server, so it may still read `RUNNING`. */
  leftRunning: boolean;
}

/** What one client still had unsent when the process stopped. */
export interface ClientLoss {
  /** Runs with anything unsent, or not confirmed ended. */
  runs: RunLoss[];
  /** Trace exports and assessments not finished. */
  traces: number;
}

/** True when `loss` holds nothing. */
export function isEmptyLoss(loss: ClientLoss): boolean {
  return loss.runs.length === 0 && loss.traces === 0;
}

/**
 * The stderr lines for what could not be sent at an exit: a headline naming the cause, then one
 * line per run with its counts. Nothing (an empty array) when nothing was lost.
 */
export function formatLossReport(headline: string, losses: ClientLoss[]): string[] {
  const lines: string[] = [];
  let traces = 0;
  for (const loss of losses) {
    traces += loss.traces;
    for (const run of loss.runs) lines.push(`[mlflow]   ${describeRun(run)}`);
  }
  if (traces > 0) lines.push(`[mlflow]   ${plural(traces, "trace write")} not finished`);
  return lines.length === 0 ? [] : [`[mlflow] ${headline}`, ...lines];
}

function describeRun(run: RunLoss): string {
  const name = run.runName === undefined ? "run" : `run '${run.runName}'`;
  const id = run.runId === undefined ? "(never created)" : `(${run.runId})`;
  const parts: string[] = [];
  if (run.notSent > 0) parts.push(`${plural(run.notSent, "item")} not sent`);
  if (run.inFlight > 0) parts.push(`${plural(run.inFlight, "item")} in flight (may have landed)`);
  if (run.artifacts > 0) parts.push(`${plural(run.artifacts, "artifact")} not uploaded`);
  if (run.leftRunning && run.runId !== undefined) parts.push("left RUNNING");
  return `${name} ${id}: ${parts.join(", ")}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

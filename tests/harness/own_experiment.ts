// Copyright 2026 the evalhooks authors. MIT license.
// A client that logs to an experiment of its own, so a search finds only the traces it made:
// what the SDK wrapper tests need to read back one call's trace from a shared server.

import { createMlflow, type Mlflow, type TraceInfo } from "../../mod.ts";
import { trackingUri, uniqueName } from "./server.ts";

const experimentOf = new WeakMap<Mlflow, string>();

/** A client (errors silenced) on a new experiment named after `prefix`. */
export async function clientOfOwnExperiment(prefix: string): Promise<Mlflow> {
  const experimentName = uniqueName(prefix);
  const mlflow = createMlflow({
    trackingUri: await trackingUri(),
    experimentName,
    onError: () => {},
  });
  experimentOf.set(mlflow, experimentName);
  return mlflow;
}

/** Every trace of the client's experiment, after a flush. */
export async function tracesOf(mlflow: Mlflow): Promise<TraceInfo[]> {
  await mlflow.flush();
  const id = await mlflow.getOrCreateExperiment(experimentOf.get(mlflow) ?? "");
  return await mlflow.searchTraces({ experimentIds: [id] });
}

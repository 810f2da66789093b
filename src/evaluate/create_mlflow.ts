// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The public client is the core client with `evaluate()` added. It is put together here, above
// both, so that the core never imports `evaluate()`: evaluation is built on the client's public
// interface, as Python's `mlflow.genai` sits on `MlflowClient`.

import { createClient } from "../client/client.ts";
import type { MlflowClient, MlflowOptions } from "../client/types.ts";
import { evaluate, type EvaluateOptions, type EvaluateResult } from "./evaluate.ts";

/**
 * The client: starts runs, delivers what they log, traces, evaluates, and reads back. Made by
 * {@linkcode createMlflow}.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", experimentName: "demo" });
 * const accuracy = await mlflow.run({ runName: "scored" }, (run) => {
 *   run.logMetric("accuracy", 0.75);
 *   return 0.75;
 * });
 * await mlflow.close();
 * ```
 */
export interface Mlflow extends MlflowClient {
  /**
   * Evaluates a dataset: runs `predict` over the rows with bounded concurrency, traces each row,
   * scores it (each score as feedback on the row's trace and as a step metric), logs aggregates
   * and a results table, and returns them. A failing row is recorded and the others go on.
   */
  evaluate(options: EvaluateOptions): Promise<EvaluateResult>;
}

/**
 * Creates a client for an MLflow tracking server.
 *
 * Logging never waits for the network: everything logged in one synchronous stretch is sent at
 * the end of the tick as `runs/log-batch` requests packed to MLflow's limits (5,000 metrics are 5
 * requests), each run's writes in the order they were made, different runs concurrently (at most
 * `maxInFlight` requests at once). Transient failures are retried with backoff; what fails for
 * good reaches `onError` and makes the next `flush()` reject.
 *
 * A script that returns without `flush()` still sends everything before it exits on Deno, Bun and
 * Node (requests in flight hold the process open), but `await mlflow.close()` is what tells you
 * whether it all landed. On SIGINT, SIGTERM, or `exit()` while something is unsent, open runs are
 * ended `KILLED` and a final flush of at most `exitFlushMs` (5 s) runs before the process stops;
 * what it could not send is reported on stderr. `close()` removes the client from those hooks.
 *
 * @example Log a run and wait for it to land
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", experimentName: "demo" });
 * const run = mlflow.startRun({ runName: "first" });
 * run.logParams({ model: "gpt-4o-mini", temperature: 0.2 });
 * for (let step = 0; step < 100; step++) run.logMetric("loss", 1 / (step + 1), { step });
 * run.end();
 * await mlflow.flush();
 * ```
 *
 * @throws {TypeError} when there is no tracking URI, or it is not http(s).
 * @throws {RangeError} when a numeric option is out of range.
 */
export function createMlflow(options: MlflowOptions = {}): Mlflow {
  const client = createClient(options);
  // The same object, so a client handed to an integration is the one the caller holds.
  return Object.assign(client, {
    evaluate: (opts: EvaluateOptions): Promise<EvaluateResult> => evaluate(client, opts),
  });
}

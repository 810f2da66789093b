// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * An error from the MLflow tracking server, or from talking to it.
 *
 * `errorCode` is the server's `error_code` (for example `INVALID_PARAMETER_VALUE`), or one of the
 * client's own codes when no answer came: `NETWORK_ERROR`, `TIMEOUT`, `BAD_RESPONSE`,
 * `QUEUE_FULL`, `CLIENT_CLOSED`. The message never contains a token, a password or a URL with
 * credentials in it.
 *
 * @example Branch on the server's error code
 * ```ts
 * import { createMlflow, MlflowError } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * try {
 *   await mlflow.getRun("no-such-run");
 * } catch (error) {
 *   if (error instanceof MlflowError && error.errorCode === "RESOURCE_DOES_NOT_EXIST") {
 *     console.log("no such run");
 *   }
 * }
 * ```
 */
export class MlflowError extends Error {
  /** The server's `error_code`, or the client's own code when the server gave none. */
  readonly errorCode: string;
  /** HTTP status of the answer; 0 when there was none (network error, timeout, client-side). */
  readonly status: number;
  /** HTTP method of the failed request (`GET`, `POST`, `PUT`), or `CLIENT` for client-side errors. */
  readonly method: string;
  /** The endpoint, relative to the tracking URI, e.g. `/api/2.0/mlflow/runs/log-batch`. */
  readonly endpoint: string;
  /** The metric, param or tag key (or artifact path) the error is about, when there is one. */
  readonly key?: string;
  /** The run the failed request wrote to, when there is one. */
  readonly runId?: string;

  /** Builds an error; the message should already be free of secrets. */
  constructor(
    message: string,
    details: {
      errorCode: string;
      status?: number;
      method?: string;
      endpoint?: string;
      key?: string;
      runId?: string;
      cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "MlflowError";
    this.errorCode = details.errorCode;
    this.status = details.status ?? 0;
    this.method = details.method ?? "CLIENT";
    this.endpoint = details.endpoint ?? "";
    if (details.key !== undefined) this.key = details.key;
    if (details.runId !== undefined) this.runId = details.runId;
  }
}

/**
 * Input the client can judge by itself, thrown synchronously where it was logged (and never sent).
 *
 * `rule` names the broken rule (`key_chars`, `key_path`, `key_length`, `value_type`, `step`,
 * `timestamp`, `value_length`, `well_formed`, `param_changed`, `artifact_path`, `json`, `closed`). When a long
 * value was truncated rather than refused, the same class reaches `onError` with `truncated: true`
 * as a warning; it is not a failure and `flush()` does not reject for it.
 *
 * @example
 * ```ts
 * import { createMlflow, MlflowValidationError } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const run = mlflow.startRun({ runName: "demo" });
 * try {
 *   run.logMetric("loss/../accuracy", 0.9);
 * } catch (error) {
 *   if (error instanceof MlflowValidationError) console.log(error.key, error.rule);
 * }
 * ```
 */
export class MlflowValidationError extends MlflowError {
  /** The rule the input broke. */
  readonly rule: string;
  /** True when this is a warning: the value was truncated to the limit and logged. */
  readonly truncated: boolean;

  /** Builds a validation error for `key` breaking `rule`. */
  constructor(
    message: string,
    details: { key: string; rule: string; call: string; truncated?: boolean; runId?: string },
  ) {
    super(message, {
      errorCode: "INVALID_PARAMETER_VALUE",
      method: "CLIENT",
      endpoint: details.call,
      key: details.key,
      runId: details.runId,
    });
    this.name = "MlflowValidationError";
    this.rule = details.rule;
    this.truncated = details.truncated ?? false;
  }
}

/**
 * What `flush()` rejects with when something logged since the previous flush failed for good
 * (after retries), or was dropped because the queue was full.
 *
 * @example
 * ```ts
 * import { createMlflow, MlflowFlushError } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * try {
 *   await mlflow.flush();
 * } catch (error) {
 *   if (error instanceof MlflowFlushError) {
 *     for (const e of error.errors) console.log(e.errorCode, e.key, e.message);
 *   }
 * }
 * ```
 */
export class MlflowFlushError extends MlflowError {
  /** Every failure since the previous flush, oldest first. */
  readonly errors: MlflowError[];
  /**
   * Items never logged: dropped because the queue was full (`maxQueuedItems`/`maxQueuedBytes`),
   * or given up because their run could not be created.
   */
  readonly dropped: number;

  /** Builds the aggregate error. */
  constructor(errors: MlflowError[], dropped = 0) {
    const first = errors[0]?.message ?? "";
    super(
      `${errors.length} MLflow operation(s) failed` +
        (dropped > 0
          ? ` and ${dropped} item(s) were not logged (queue full or run not created)`
          : "") +
        (first ? `; first: ${first}` : ""),
      { errorCode: "FLUSH_FAILED" },
    );
    this.name = "MlflowFlushError";
    this.errors = errors;
    this.dropped = dropped;
  }
}

/**
 * A configuration value that cannot be used, said at construction rather than replaced by a
 * silent default: names the variable (or option) and the value that arrived.
 *
 * @example
 * ```ts
 * import { mlflowHooks, MlflowConfigError } from "@evalhooks/mlflow";
 *
 * try {
 *   mlflowHooks({ env: { MLFLOW_TRACKING_URI: "http://127.0.0.1:5000", INSPECT_MLFLOW_LOG_ARTIFACTS: "maybe" } });
 * } catch (error) {
 *   if (error instanceof MlflowConfigError) console.error(error.variable, error.value);
 * }
 * ```
 */
export class MlflowConfigError extends MlflowError {
  /** The environment variable or option. */
  readonly variable: string;
  /** The value it had. */
  readonly value: string;

  /** Builds the error. */
  constructor(variable: string, value: string, expected: string) {
    super(`${variable} must be ${expected}, got ${JSON.stringify(value)}`, {
      errorCode: "INVALID_CONFIG",
    });
    this.name = "MlflowConfigError";
    this.variable = variable;
    this.value = value;
  }
}

/**
 * `error` as an {@linkcode MlflowError}: itself when it is one, else wrapped (message prefixed
 * with `what`, the original as `cause`), so `onError` and `flush()` only ever see one type.
 */
export function asMlflowError(
  error: unknown,
  what: string,
  details: { errorCode?: string; endpoint?: string; key?: string; runId?: string } = {},
): MlflowError {
  if (error instanceof MlflowError) return error;
  return new MlflowError(`${what}: ${error instanceof Error ? error.message : String(error)}`, {
    errorCode: "INTERNAL_CLIENT_ERROR",
    ...details,
    cause: error,
  });
}

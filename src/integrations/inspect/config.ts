// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { readEnv } from "../../client/env.ts";
import { MlflowConfigError } from "../../base/errors.ts";

/**
 * The hooks' settings, as `inspect_mlflow` reads them from the environment.
 *
 * @example
 * ```ts
 * import { mlflowHooks, type HooksConfig } from "@evalhooks/mlflow";
 *
 * const config: Partial<HooksConfig> = { experimentName: "qa", logArtifacts: true, tracing: true };
 * const hooks = mlflowHooks(config);
 * ```
 */
export interface HooksConfig {
  /** Tracking server; the hooks are enabled only when there is one. */
  trackingUri?: string;
  /** Experiment. */
  experimentName: string;
  /** Upload the `inspect/*.json` tables, `sample_results/` and `eval_logs/`. */
  logArtifacts: boolean;
  /** One trace per sample, scores as feedback. */
  tracing: boolean;
  /** Nest task runs under this existing run and leave it open for its owner. */
  parentRunId?: string;
}

const TRUE = new Set(["true", "1", "yes", "y", "on", "t"]);
const FALSE = new Set(["false", "0", "no", "n", "off", "f"]);

/** Parses a boolean the way `inspect_mlflow` does; anything else is a configuration error. */
export function parseBoolean(variable: string, raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new MlflowConfigError(variable, raw, "a boolean (true/1/yes/y/on/t or false/0/no/n/off/f)");
}

/** Reads `env`, or the process environment without it; an empty variable counts as unset. */
function envReader(
  env: Record<string, string | undefined> | undefined,
): (name: string) => string | undefined {
  return (name) => {
    const value = env ? env[name] : readEnv(name);
    return value === "" ? undefined : value;
  };
}

/**
 * The experiment Inspect runs go to: the explicit name, else `INSPECT_MLFLOW_EXPERIMENT_NAME`,
 * else `MLFLOW_EXPERIMENT_NAME`, else `inspect_ai`, as `inspect_mlflow` resolves it. An empty
 * variable counts as unset.
 */
export function resolveExperimentName(
  explicit: string | undefined,
  env: Record<string, string | undefined> | undefined = undefined,
): string {
  const get = envReader(env);
  return explicit ?? get("INSPECT_MLFLOW_EXPERIMENT_NAME") ?? get("MLFLOW_EXPERIMENT_NAME") ??
    "inspect_ai";
}

/**
 * Reads the configuration: explicit values first, then `INSPECT_MLFLOW_*`, then the older
 * `MLFLOW_*` / `MLFLOW_INSPECT_*` names, then defaults. `env` replaces the process environment
 * (for tests, and for runtimes without one).
 */
export function resolveHooksConfig(
  explicit: Partial<HooksConfig> = {},
  env: Record<string, string | undefined> | undefined = undefined,
): HooksConfig {
  const get = envReader(env);
  const bool = (names: string[], fallback: boolean) => {
    for (const name of names) {
      const raw = get(name);
      if (raw !== undefined) return parseBoolean(name, raw);
    }
    return fallback;
  };
  // Validated even though TypeScript has no provider autolog, so a typo is caught here too.
  bool(["INSPECT_MLFLOW_AUTOLOG_ENABLED"], true);
  const config: HooksConfig = {
    trackingUri: explicit.trackingUri ?? get("INSPECT_MLFLOW_TRACKING_URI") ??
      get("MLFLOW_TRACKING_URI"),
    experimentName: resolveExperimentName(explicit.experimentName, env),
    logArtifacts: explicit.logArtifacts ??
      bool(["INSPECT_MLFLOW_LOG_ARTIFACTS", "MLFLOW_INSPECT_LOG_ARTIFACTS"], true),
    tracing: explicit.tracing ??
      bool(["INSPECT_MLFLOW_TRACING_ENABLED", "MLFLOW_INSPECT_TRACING"], true),
    parentRunId: explicit.parentRunId ?? get("INSPECT_MLFLOW_PARENT_RUN_ID"),
  };
  if (config.parentRunId !== undefined && !/^[a-zA-Z0-9][\w-]{0,255}$/.test(config.parentRunId)) {
    throw new MlflowConfigError(
      "INSPECT_MLFLOW_PARENT_RUN_ID",
      config.parentRunId,
      "an MLflow run id",
    );
  }
  if (config.experimentName.length > 500) {
    throw new MlflowConfigError(
      "MLFLOW_EXPERIMENT_NAME",
      config.experimentName.slice(0, 40) + "…",
      "at most 500 characters",
    );
  }
  return config;
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// promptfoo's extension hook, logging an eval as it runs with the runs, traces and feedback the
// import writes for its results file. promptfoo 0.123 calls an extension named
// `file://hooks.mjs:<any name>` as `(hookName, context)` for every hook, and one named after a
// hook (`file://hooks.mjs:afterAll`) as `(context, { hookName })` for that hook alone; a truthy
// return replaces parts of the context, so this returns nothing. It gives the eval id to
// afterAll only, so the parent run starts under a provisional name and gets the eval's at the
// end; every result is traced as afterEach reports it.

import { MlflowFlushError } from "../../base/errors.ts";
import { createClient } from "../../client/client.ts";
import { readEnv } from "../../client/env.ts";
import type { MlflowClient, Run } from "../../client/types.ts";
import type { RowResult } from "../../evaluate/types.ts";
import { traceCase } from "./case_trace.ts";
import { parentTagsOf, statsOf } from "./parent_tags.ts";
import { endProviderRun, startProviderRun, untracedRow } from "./provider_run.ts";
import { providerOf, readPromptfooResults } from "./read.ts";
import type { PromptfooPrompt, PromptfooResult } from "./types.ts";
import { isRecord } from "../../base/records.ts";

/**
 * Options of {@linkcode mlflowExtension}.
 *
 * @example
 * ```ts
 * import type { PromptfooExtensionOptions } from "@evalhooks/mlflow/promptfoo";
 *
 * const options: PromptfooExtensionOptions = {
 *   experimentName: "prompt-evals",
 *   onError: (error) => console.error("MLflow logging:", error.message),
 * };
 * ```
 */
export interface PromptfooExtensionOptions {
  /** Experiment. @default {env MLFLOW_EXPERIMENT_NAME, else "promptfoo"} */
  experimentName?: string;
  /** Tracking server, when no `mlflow` client is given. @default {env MLFLOW_TRACKING_URI} */
  trackingUri?: string;
  /** A client to log with (its own options: auth, retries, `onError`); else one is made. */
  mlflow?: MlflowClient;
  /** One trace per result, with the verdicts as feedback. @default {true} */
  traces?: boolean;
  /** Tags on the eval's runs. */
  tags?: Record<string, string>;
  /**
   * Called with what went wrong in logging (also the made client's delivery failures); the eval
   * goes on either way. @default {a console.warn}
   */
  onError?: (error: Error) => void;
}

/**
 * The hook promptfoo calls: `(hookName, context)` for an extension named
 * `file://…:<your export>`, or `(context, { hookName })` for one named after a hook. Resolves
 * to nothing (promptfoo would take a returned value for a changed context) and never rejects.
 *
 * @example
 * ```ts
 * import { mlflowExtension, type PromptfooExtensionHook } from "@evalhooks/mlflow/promptfoo";
 *
 * export const mlflow: PromptfooExtensionHook = mlflowExtension({ experimentName: "prompts" });
 * ```
 */
export interface PromptfooExtensionHook {
  /** Every hook, by name: `beforeAll`, `beforeEach`, `afterEach`, `afterAll`. */
  (hookName: string, context: unknown): Promise<void>;
  /** One hook, the one the extension is named after. */
  (context: unknown, options: { hookName: string }): Promise<void>;
}

interface LiveProvider {
  run: Run;
  id: string;
  rows: RowResult[];
  results: PromptfooResult[];
}

interface LiveEval {
  parent: Run;
  startTime: number;
  // Names the eval in trace sessions, and the parent until the eval id is known.
  liveKey: string;
  providers: Map<string, LiveProvider>;
  results: number;
}

// A result's writes are queued, not sent: waiting for room every so many results keeps a large
// eval within the client's queue limits, whatever the server's speed.
const DRAIN_EVERY = 200;

/**
 * A [promptfoo extension hook](https://www.promptfoo.dev/docs/configuration/reference/#extension-hooks)
 * that logs an eval to MLflow as it runs, as {@linkcode importPromptfooResults} logs its results
 * file: `beforeAll` starts the eval's parent run, each `afterEach` traces its result (the vars
 * as request, the output as response, each assertion and the verdict as feedback) into the run
 * of its provider (named after its label, else its id; `mlflow.runType = genai_evaluate`), and
 * `afterAll` names the parent after the eval id (promptfoo tells it no earlier) and tags it
 * `promptfoo.eval_id`, logs each provider's params, `<name>/mean` per feedback name, the
 * `eval.*` tags, token usage and cost, ends the runs and resolves once all of it is on the
 * server, as promptfoo may exit right after. An import of the same eval's results file later
 * finds the eval id and skips it. Logging errors go to `onError` (else a console warning) and
 * never reach promptfoo: the eval runs and exits as it would without the hook. Duck-typed: it
 * imports nothing of promptfoo; promptfoo runs it on Node.
 *
 * @example mlflow_hook.mjs, named in promptfooconfig.yaml as `extensions: ["file://mlflow_hook.mjs:mlflow"]`
 * ```ts ignore
 * import { mlflowExtension } from "@evalhooks/mlflow/promptfoo";
 *
 * export const mlflow = mlflowExtension({ experimentName: "prompt-evals" });
 * ```
 *
 * @example With a client of your own, and errors that fail your CI step afterwards
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { mlflowExtension } from "@evalhooks/mlflow/promptfoo";
 *
 * const errors: Error[] = [];
 * export const mlflow = mlflowExtension({
 *   mlflow: createMlflow({ trackingUri: "http://127.0.0.1:5000" }),
 *   onError: (error) => errors.push(error),
 * });
 * ```
 */
export function mlflowExtension(options: PromptfooExtensionOptions = {}): PromptfooExtensionHook {
  const experimentName = options.experimentName ?? readEnv("MLFLOW_EXPERIMENT_NAME") ??
    "promptfoo";
  const traces = options.traces ?? true;
  let client: MlflowClient | undefined = options.mlflow;
  // undefined: no eval yet; null: this eval's start failed (reported once, the rest skipped).
  let live: LiveEval | null | undefined;

  const report = (error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    try {
      if (options.onError) options.onError(e);
      else console.warn(`[evalhooks] promptfoo eval not logged to MLflow: ${e.message}`);
    } catch {
      // A throwing onError must not reach promptfoo either.
    }
  };

  // Without an onError of the user's, the client's own reports delivery failures (once a kind).
  const mlflow = (): MlflowClient =>
    client ??= createClient({
      trackingUri: options.trackingUri,
      experimentName,
      onError: options.onError,
    });

  const begin = (suite: unknown): LiveEval => {
    const startTime = Date.now();
    const liveKey = `promptfoo-live-${crypto.randomUUID().slice(0, 8)}`;
    const description = isRecord(suite) && typeof suite.description === "string"
      ? suite.description
      : undefined;
    const parent = mlflow().startRun({
      experimentName,
      runName: liveKey,
      startTime,
      description,
      tags: { ...options.tags },
    });
    return { parent, startTime, liveKey, providers: new Map(), results: 0 };
  };

  // An eval whose start failed (no tracking URI, say) is reported once and not logged: null
  // until the next beforeAll.
  const start = (suite: unknown): LiveEval | null => {
    try {
      return begin(suite);
    } catch (error) {
      report(error);
      return null;
    }
  };

  const trace = (state: LiveEval, result: PromptfooResult): void => {
    const { id, label } = providerOf(result.provider);
    const key = label ?? id;
    let provider = state.providers.get(key);
    if (!provider) {
      const run = startProviderRun(mlflow(), {
        parent: state.parent,
        experimentName,
        startTime: state.startTime,
        tags: options.tags,
      }, { key, id, label });
      provider = { run, id, rows: [], results: [] };
      state.providers.set(key, provider);
    }
    const index = provider.rows.length;
    const latency = typeof result.latencyMs === "number" ? result.latencyMs : 0;
    provider.rows.push(
      traces
        ? traceCase(
          mlflow(),
          {
            run: provider.run,
            sessionKey: state.liveKey,
            providerId: provider.id,
            startTime: Math.round(Date.now() - latency),
          },
          result,
          index,
        )
        : untracedRow(result, index),
    );
    provider.results.push(result);
    state.results++;
  };

  const afterEach = async (context: unknown): Promise<void> => {
    if (live === null || !isRecord(context) || !isRecord(context.result)) return;
    live ??= start(undefined);
    if (live === null) return;
    trace(live, context.result as PromptfooResult);
    if (live.results % DRAIN_EVERY === 0) await mlflow().drain();
  };

  const afterAll = async (context: unknown): Promise<void> => {
    const state = live;
    live = undefined;
    if (state === null || !isRecord(context)) return;
    const ended = state ?? start(undefined);
    if (ended === null) return;
    const evalId = typeof context.evalId === "string" && context.evalId
      ? context.evalId
      : ended.liveKey;
    // The results as promptfoo lists them at the end, which is the results file's order (the
    // providers' order in the parent's tags follows it), each the one afterEach traced; one
    // recorded without an afterEach (the eval's time limit running out) is traced now.
    const keyOf = (r: PromptfooResult) => {
      const { id, label } = providerOf(r.provider);
      return `${label ?? id}\u0000${r.testIdx}\u0000${r.promptIdx}`;
    };
    const traced = new Map<string, PromptfooResult[]>();
    for (const p of ended.providers.values()) {
      for (const r of p.results) {
        const same = traced.get(keyOf(r));
        if (same) same.push(r);
        else traced.set(keyOf(r), [r]);
      }
    }
    const all: PromptfooResult[] = [];
    const finals = Array.isArray(context.results) ? context.results.filter(isRecord) : [];
    for (const r of finals as PromptfooResult[]) {
      const earlier = traced.get(keyOf(r))?.shift();
      if (earlier) all.push(earlier);
      else {
        trace(ended, r);
        all.push(r);
      }
    }
    for (const rest of traced.values()) all.push(...rest);
    const config = isRecord(context.config) ? context.config : undefined;
    const read = readPromptfooResults({
      evalId,
      results: {
        version: 3,
        timestamp: new Date(ended.startTime).toISOString(),
        prompts: Array.isArray(context.prompts) ? context.prompts as PromptfooPrompt[] : [],
        results: all,
      },
      config,
    });
    const endTime = Date.now();
    for (const group of read.providers) {
      const provider = ended.providers.get(group.key);
      if (!provider) continue;
      try {
        await endProviderRun(provider.run, { evalId, endTime }, group, provider.rows);
      } catch (error) {
        report(error);
      }
    }
    ended.parent.setTags({
      ...parentTagsOf({
        evalId,
        providers: read.providers.map((p) => p.key),
        rows: all.length,
        stats: statsOf(all),
      }),
      // The provisional name gives way to the eval id, as the import names the parent.
      "mlflow.runName": evalId,
      ...(read.description ? { "mlflow.note.content": read.description } : {}),
    });
    if (config) ended.parent.logJson(config, "promptfoo_config.json");
    await ended.parent.end("FINISHED", { endTime });
    try {
      await mlflow().flush();
    } catch (error) {
      // Already reported, item by item, to the client's onError.
      if (!(error instanceof MlflowFlushError)) throw error;
    }
  };

  const run = async (hookName: unknown, context: unknown): Promise<void> => {
    if (hookName === "beforeAll") {
      live = undefined;
      live = start(isRecord(context) ? context.suite : undefined);
    } else if (hookName === "afterEach") await afterEach(context);
    else if (hookName === "afterAll") await afterAll(context);
  };

  return async (first: unknown, second?: unknown): Promise<void> => {
    // `(context, { hookName })` for an extension named after a hook, else `(hookName, context)`.
    const [hookName, context] = typeof first === "string"
      ? [first, second]
      : [isRecord(second) ? second.hookName : undefined, first];
    try {
      await run(hookName, context);
    } catch (error) {
      report(error);
    }
  };
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The span and run that code is running under, carried along async calls, so an LLM call made
// deep inside `predict` (through a wrapped SDK) lands in the row's trace without anyone passing
// parents by hand. It rides on AsyncLocalStorage where the runtime has one (Deno, Bun, Node,
// Workers with nodejs_compat), found through `process.getBuiltinModule` so that nothing here
// imports `node:`; where there is none, there is no active context and explicit parents work.

import type { Span } from "./trace_types.ts";
import type { MlflowClient, Run } from "./types.ts";

/**
 * What code runs under: the client to log to, and the span and run it nests under. Set by
 * `mlflow.trace(...)`, `mlflow.run(...)` and `evaluate()`.
 *
 * @example
 * ```ts
 * import { activeContext, createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * await mlflow.trace("agent", () => {
 *   const active = activeContext(); // { mlflow, span: the "agent" span }
 *   active?.span?.setAttributes({ step: 1 });
 * });
 * ```
 */
export interface ActiveContext {
  /** The client that set the context. */
  readonly mlflow: MlflowClient;
  /** The innermost span, if any. */
  readonly span?: Span;
  /** The run, if any. */
  readonly run?: Run;
}

interface ContextStorage {
  getStore(): ActiveContext | undefined;
  run<R>(store: ActiveContext, fn: () => R): R;
}

type StorageConstructor = new () => ContextStorage;

function loadStorage(): ContextStorage | undefined {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
    .process;
  try {
    const hooks = process?.getBuiltinModule?.("node:async_hooks") as
      | { AsyncLocalStorage?: StorageConstructor }
      | undefined;
    return hooks?.AsyncLocalStorage ? new hooks.AsyncLocalStorage() : undefined;
  } catch {
    return undefined; // a runtime that refuses the module has no context, not an error
  }
}

const storage = loadStorage();

/** Whether this runtime carries an active context across async calls. */
export const hasActiveContext: boolean = storage !== undefined;

/**
 * The span and run the calling code runs under, or `undefined` outside any (or in a runtime
 * without AsyncLocalStorage: there, pass parents explicitly).
 *
 * @example
 * ```ts
 * import { activeContext, createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * await mlflow.run({ runName: "nightly" }, () => {
 *   console.log(activeContext()?.run !== undefined); // true
 * });
 * ```
 */
export function activeContext(): ActiveContext | undefined {
  return storage?.getStore();
}

/** Runs `fn` with `context` active for it and everything it awaits. */
export function withActiveContext<R>(context: ActiveContext, fn: () => R): R {
  return storage ? storage.run(context, fn) : fn();
}

/** The active context's run, when it was set by `mlflow` (another client's run is not ours). */
export function activeRunOf(mlflow: MlflowClient): Run | undefined {
  const active = storage?.getStore();
  return active?.mlflow === mlflow ? active.run : undefined;
}

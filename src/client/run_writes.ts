// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The run's params, metrics and tags: checked at the call, then queued for the next batch within
// the queue budget. A value that cannot be queued (budget full) is dropped and counted there.

import { MlflowValidationError } from "../base/errors.ts";
import { keyValueBytes, metricBytes } from "../delivery/budget.ts";
import { LIMITS } from "../store/limits.ts";
import type { RunContext, RunState } from "./run_context.ts";
import { limitLength, metricValueToWire, stringValue, validateKey } from "./validate.ts";

/** Queues one kind of value each; `each` applies one to a record. */
export interface RunWrites {
  addMetric(key: string, value: number, step: number, timestamp: number, modelId?: string): void;
  addParam(key: string, raw: unknown, call: string): void;
  addTag(key: string, raw: unknown, call: string): void;
  each<V>(record: Record<string, V>, call: string, add: (k: string, v: V) => void): void;
}

/** The write functions of one run. */
export function createRunWrites(ctx: RunContext, state: RunState): RunWrites {
  const truncate = ctx.truncateLongValues;

  const enqueue = (count: number, bytes: number): boolean => {
    if (!ctx.reserve(count, bytes)) return false;
    ctx.schedule(state);
    return true;
  };

  const addMetric = (
    key: string,
    value: number,
    step: number,
    timestamp: number,
    modelId?: string,
  ) => {
    const wireValue = metricValueToWire(key, value, "logMetric");
    if (enqueue(1, metricBytes(key) + (modelId?.length ?? 0))) {
      state.pending.metrics.push(
        modelId === undefined
          ? { key, value: wireValue, timestamp, step }
          : { key, value: wireValue, timestamp, step, model_id: modelId },
      );
      ctx.logged.metrics++;
    }
  };

  const addParam = (key: string, raw: unknown, call: string) => {
    validateKey(key, call);
    const limited = limitLength(
      key,
      stringValue(key, raw, call),
      LIMITS.paramValueLength,
      truncate,
      call,
    );
    const previous = state.params.get(key);
    if (previous !== undefined) {
      if (previous === limited.value) return; // already logged: the server would accept it, but why send
      throw new MlflowValidationError(
        `${call}: param '${key}' was already logged as ${
          JSON.stringify(previous.slice(0, 100))
        }; ` +
          "MLflow does not allow changing a param value",
        { key, rule: "param_changed", call },
      );
    }
    if (limited.warning) ctx.warn(limited.warning);
    if (enqueue(1, keyValueBytes(key, limited.value))) {
      state.params.set(key, limited.value);
      state.pending.params.push({ key, value: limited.value });
      ctx.logged.params++;
    }
  };

  const addTag = (key: string, raw: unknown, call: string) => {
    validateKey(key, call);
    const limited = limitLength(
      key,
      stringValue(key, raw, call),
      LIMITS.tagValueLength,
      truncate,
      call,
    );
    if (limited.warning) ctx.warn(limited.warning);
    const deleting = state.tagDeletes?.get(key);
    if (deleting) {
      // A delete of this key is queued: this value must reach the server after it.
      const bytes = keyValueBytes(key, limited.value);
      if (deleting.held === undefined) {
        if (ctx.reserve(1, bytes)) {
          deleting.held = limited.value;
          ctx.logged.tags++;
        }
      } else if (ctx.reserve(0, bytes)) {
        ctx.release(0, keyValueBytes(key, deleting.held));
        deleting.held = limited.value;
      }
      return;
    }
    const unsent = state.pending.tags.get(key);
    if (unsent !== undefined) {
      // Still unsent: the new value replaces it in place, in the old one's room.
      ctx.release(0, keyValueBytes(key, unsent));
      if (ctx.reserve(0, keyValueBytes(key, limited.value))) {
        state.pending.tags.set(key, limited.value);
      } else ctx.reserve(0, keyValueBytes(key, unsent));
      return;
    }
    if (enqueue(1, keyValueBytes(key, limited.value))) {
      state.pending.tags.set(key, limited.value);
      ctx.logged.tags++;
    }
  };

  // Validates every entry, logs the valid ones, then throws for the first invalid one: a bad key
  // in a record must not cost the good ones.
  const each = <V>(record: Record<string, V>, call: string, add: (k: string, v: V) => void) => {
    let first: unknown;
    let bad = 0;
    for (const [k, v] of Object.entries(record)) {
      try {
        add(k, v);
      } catch (error) {
        bad++;
        first ??= error;
      }
    }
    if (first instanceof MlflowValidationError && bad > 1) {
      throw new MlflowValidationError(
        `${first.message} (and ${bad - 1} more invalid in this call)`,
        {
          key: first.key ?? "",
          rule: first.rule,
          call,
        },
      );
    }
    if (first !== undefined) throw first;
  };

  return { addMetric, addParam, addTag, each };
}

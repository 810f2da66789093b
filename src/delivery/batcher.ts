// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { LIMITS } from "../store/limits.ts";
import type { WireMetricValue } from "../store/wire.ts";

/** A metric as `runs/log-batch` takes it. */
export interface WireMetric {
  /** Metric key. */
  key: string;
  /** Value; non-finite numbers as strings. */
  value: WireMetricValue;
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** Step. */
  step: number;
  /** The logged model the value is about (MLflow links the metric to it). */
  model_id?: string;
}

/** A param or tag as `runs/log-batch` takes it. */
export interface WireKeyValue {
  /** Key. */
  key: string;
  /** Value. */
  value: string;
}

/**
 * Writes waiting to be sent for one run. Metrics keep their order; a tag set twice before it is
 * sent goes out once with its last value (the server would keep the last one anyway).
 */
export interface PendingWrites {
  /** Metrics, oldest first, from `metricHead` on. */
  metrics: WireMetric[];
  /** Index of the oldest unsent metric, so taking a batch never shifts the array. */
  metricHead: number;
  /** Params, oldest first. */
  params: WireKeyValue[];
  /** Tags by key, in first-set order. */
  tags: Map<string, string>;
}

/** Creates an empty {@linkcode PendingWrites}. */
export function createPendingWrites(): PendingWrites {
  return { metrics: [], metricHead: 0, params: [], tags: new Map() };
}

/** Items waiting in `pending`. */
export function pendingCount(pending: PendingWrites): number {
  return pending.metrics.length - pending.metricHead + pending.params.length + pending.tags.size;
}

/** One `runs/log-batch` request, with its body already serialised and measured. */
export interface LogBatch {
  /** The request body. */
  body: string;
  /** The metrics in it (kept to split the batch if the server refuses it). */
  metrics: WireMetric[];
  /** The params in it. */
  params: WireKeyValue[];
  /** The tags in it. */
  tags: WireKeyValue[];
}

/** How many items a batch holds. */
export function batchSize(batch: LogBatch): number {
  return batch.metrics.length + batch.params.length + batch.tags.length;
}

/** UTF-8 length of a string, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 2; // a surrogate pair: 2 UTF-16 units, 4 UTF-8 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}

// `{"run_id":"…","metrics":[…],"params":[…],"tags":[…]}` around the items, for a run id of up to
// 64 characters; commas between items are counted per item.
const ENVELOPE_BYTES = 128;

/**
 * Takes the next batch from the front of `pending`, as large as MLflow's limits allow: at most
 * 1000 metrics, 100 params, 100 tags and 1000 items in all, and at most 1,000,000 bytes of JSON.
 * Params and tags go first so that a flood of metrics never holds them back. Returns `undefined`
 * when nothing is pending.
 */
export function takeBatch(
  pending: PendingWrites,
  runId: string,
  limits: typeof LIMITS = LIMITS,
): LogBatch | undefined {
  if (pendingCount(pending) === 0) return undefined;
  let bytes = ENVELOPE_BYTES + utf8Length(runId);
  let total = 0;
  const params: WireKeyValue[] = [];
  const paramParts: string[] = [];
  const tags: WireKeyValue[] = [];
  const tagParts: string[] = [];
  const metrics: WireMetric[] = [];
  const metricParts: string[] = [];

  // Each item is serialised once: its text is both measured and used in the body.
  const fits = (text: string) => {
    const size = utf8Length(text) + 1;
    if (bytes + size > limits.batchBytes && total > 0) return false;
    bytes += size;
    total++;
    return true;
  };

  let p = 0;
  while (
    p < pending.params.length && params.length < limits.paramsPerBatch &&
    total < limits.entitiesPerBatch
  ) {
    const text = JSON.stringify(pending.params[p]);
    if (!fits(text)) break;
    params.push(pending.params[p]);
    paramParts.push(text);
    p++;
  }
  pending.params.splice(0, p);

  for (const [key, value] of pending.tags) {
    if (tags.length >= limits.tagsPerBatch || total >= limits.entitiesPerBatch) break;
    const tag = { key, value };
    const text = JSON.stringify(tag);
    if (!fits(text)) break;
    tags.push(tag);
    tagParts.push(text);
  }
  for (const tag of tags) pending.tags.delete(tag.key);

  let m = pending.metricHead;
  while (
    m < pending.metrics.length && metrics.length < limits.metricsPerBatch &&
    total < limits.entitiesPerBatch
  ) {
    const text = JSON.stringify(pending.metrics[m]);
    if (!fits(text)) break;
    metrics.push(pending.metrics[m]);
    metricParts.push(text);
    m++;
  }
  if (m === pending.metrics.length) {
    pending.metrics = [];
    pending.metricHead = 0;
  } else {
    pending.metricHead = m;
    // Drop the sent prefix once it is the larger part, so memory follows what is still queued.
    if (m > 4096 && m * 2 > pending.metrics.length) {
      pending.metrics = pending.metrics.slice(m);
      pending.metricHead = 0;
    }
  }

  return {
    body: `{"run_id":${JSON.stringify(runId)},"metrics":[${metricParts.join(",")}],"params":[${
      paramParts.join(",")
    }],"tags":[${tagParts.join(",")}]}`,
    metrics,
    params,
    tags,
  };
}

/** Serialises a batch made of chosen items (used when a refused batch is split). */
export function buildBatch(
  runId: string,
  metrics: WireMetric[],
  params: WireKeyValue[],
  tags: WireKeyValue[],
): LogBatch {
  return {
    body: JSON.stringify({ run_id: runId, metrics, params, tags }),
    metrics,
    params,
    tags,
  };
}

/** Splits a batch into two halves of about equal item count, for isolating a refused item. */
export function splitBatch(runId: string, batch: LogBatch): [LogBatch, LogBatch] {
  const items: (["m", WireMetric] | ["p", WireKeyValue] | ["t", WireKeyValue])[] = [
    ...batch.params.map((x) => ["p", x] as ["p", WireKeyValue]),
    ...batch.tags.map((x) => ["t", x] as ["t", WireKeyValue]),
    ...batch.metrics.map((x) => ["m", x] as ["m", WireMetric]),
  ];
  const half = Math.ceil(items.length / 2);
  const build = (part: typeof items) =>
    buildBatch(
      runId,
      part.filter((i) => i[0] === "m").map((i) => i[1] as WireMetric),
      part.filter((i) => i[0] === "p").map((i) => i[1] as WireKeyValue),
      part.filter((i) => i[0] === "t").map((i) => i[1] as WireKeyValue),
    );
  return [build(items.slice(0, half)), build(items.slice(half))];
}

/** The key of the only item of a one-item batch. */
export function onlyKey(batch: LogBatch): string | undefined {
  return batch.metrics[0]?.key ?? batch.params[0]?.key ?? batch.tags[0]?.key;
}

/**
 * What a batch held, for the report of a batch that could not be sent: each metric key with its
 * step range, then the param and tag keys, at most `maxKeys` of each (the rest counted), so a
 * loss can be found and re-logged.
 */
export function describeBatch(batch: LogBatch, maxKeys = 10): string {
  const steps = new Map<string, [number, number, number]>();
  for (const m of batch.metrics) {
    const s = steps.get(m.key);
    if (s) {
      s[0] = Math.min(s[0], m.step);
      s[1] = Math.max(s[1], m.step);
      s[2]++;
    } else steps.set(m.key, [m.step, m.step, 1]);
  }
  const list = (items: string[]) =>
    items.slice(0, maxKeys).join(", ") +
    (items.length > maxKeys ? ` and ${items.length - maxKeys} more` : "");
  const parts: string[] = [];
  if (steps.size > 0) {
    parts.push(
      "metrics " +
        list(
          [...steps].map(([key, [lo, hi, n]]) =>
            `'${key}' ${lo === hi ? `step ${lo}` : `steps ${lo}–${hi}`} (${n})`
          ),
        ),
    );
  }
  if (batch.params.length > 0) {
    parts.push("params " + list(batch.params.map((p) => `'${p.key}'`)));
  }
  if (batch.tags.length > 0) parts.push("tags " + list(batch.tags.map((t) => `'${t.key}'`)));
  return parts.join("; ");
}

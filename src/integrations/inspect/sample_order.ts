// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The order Inspect's own readers give samples in (`sort_samples` in inspect_ai/log/_log.py), for
// a `.eval` as for a `.json`: by epoch, then by id, a number's id zero-filled to 20 characters so
// that numbers sort by value. Both our readers use it, so a log's format never changes the steps
// its samples land at.

/** The id part of Inspect's sample sort key: `str(id).zfill(20)` for a number, else the id. */
export function sampleSortKey(id: string | number, numeric = typeof id === "number"): string {
  const text = String(id);
  if (!numeric) return text;
  // zfill pads after a sign.
  return /^[+-]/.test(text) ? text[0] + text.slice(1).padStart(19, "0") : text.padStart(20, "0");
}

/** Compares two samples as Inspect's `sort_samples` does. */
export function compareSamples(
  a: { epoch: number; key: string },
  b: { epoch: number; key: string },
): number {
  return a.epoch - b.epoch || codePointCompare(a.key, b.key);
}

// Python's string order: by code point (JavaScript's `<` compares UTF-16 units).
function codePointCompare(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0)! - y[i].codePointAt(0)!;
  }
  return x.length - y.length;
}

/**
 * The order samples are handed out in: `inspect` (Inspect's own readers' order, the default) or
 * `completion` (the order they finished in, which is the order live hooks see them end).
 *
 * @example
 * ```ts
 * import type { SampleOrder } from "@evalhooks/mlflow/inspect/web";
 *
 * const asLiveHooksSawThem: SampleOrder = "completion";
 * ```
 */
export type SampleOrder = "inspect" | "completion";

/**
 * When a sample finished, in microseconds since the epoch (ISO times carry microseconds, which
 * `Date.parse` drops): `completed_at`, else its last event's timestamp, else undefined.
 */
export function finishedAt(
  sample: { completed_at?: string | null; events?: { timestamp?: string }[] | null },
): number | undefined {
  const completed = microsOf(sample.completed_at);
  if (completed !== undefined) return completed;
  const events = sample.events ?? [];
  for (let i = events.length - 1; i >= 0; i--) {
    const t = microsOf(events[i]?.timestamp);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** Microseconds since the epoch of an ISO time, or undefined. */
export function microsOf(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  const fraction = /T[\d:]+\.(\d+)/.exec(iso)?.[1] ?? "";
  return ms * 1000 + Number((fraction.slice(3, 6) || "0").padEnd(3, "0"));
}

/**
 * Compares two samples in completion order: those with a finishing time first, earliest first;
 * ties, and the samples without a time (after the others), in Inspect's order. A log without
 * any times keeps Inspect's order.
 */
export function compareCompletion(
  a: { epoch: number; key: string; time?: number },
  b: { epoch: number; key: string; time?: number },
): number {
  if (a.time !== undefined && b.time !== undefined && a.time !== b.time) return a.time - b.time;
  if ((a.time === undefined) !== (b.time === undefined)) return a.time === undefined ? 1 : -1;
  return compareSamples(a, b);
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { cutWithEllipsis } from "../../base/text.ts";
import { type PythonReprOptions, pythonStr } from "../../base/python_repr.ts";
import { LIMITS } from "../../store/limits.ts";

/** How long `inspect_mlflow` lets inputs, outputs, explanations and tool names be in its tables. */
export const TEXT_LIMIT = 500;

const STRING_SCORES: Record<string, number> = {
  C: 1,
  correct: 1,
  I: 0,
  incorrect: 0,
  P: 0.5,
  partial: 0.5,
};

/**
 * An Inspect score value as a number for an MLflow metric, as `inspect_mlflow` maps it:
 * booleans to 0/1, numbers as they are, `C`/`correct` 1, `I`/`incorrect` 0, `P`/`partial` 0.5,
 * anything else (other strings, lists, dicts) `undefined`, and so not logged as a metric.
 */
export function scoreToNumeric(value: unknown): number | undefined {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  if (typeof value === "string") return STRING_SCORES[value];
  return undefined;
}

/** `text` cut to `max` characters with `...`, as `inspect_mlflow`'s `truncate` does. */
export function truncate(text: unknown, max: number): string {
  const s = text === null || text === undefined
    ? ""
    : typeof text === "string"
    ? text
    : JSON.stringify(text);
  return cutWithEllipsis(s, max);
}

/**
 * A param value as `inspect_mlflow` writes it, `str(value)`: strings as they are, `None`,
 * `True`/`False`, floats as Python writes them (`1.0`, `1e-07`), dicts and lists as Python's
 * reprs, cut to MLflow's param length with `...`. Whether a whole number is a float comes from
 * `options` (`float`, or the `literal` the log wrote), and inside dicts and lists from the log as
 * `parseJsonKeepingNumbers` read it.
 */
export function paramValue(value: unknown, options: PythonReprOptions = {}): string {
  return truncate(pythonStr(value, options), LIMITS.paramValueLength);
}

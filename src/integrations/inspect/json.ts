// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import {
  jsonArrayItemStarts,
  jsonMemberSpans,
  parseJsonKeepingNumbers,
} from "../../base/json_floats.ts";
import type { EvalLog, EvalSample } from "./types.ts";

const SENTINELS: Record<string, number> = {
  NaN: NaN,
  Infinity: Infinity,
  "-Infinity": -Infinity,
};

/**
 * Parses JSON as Python's `json` module writes it: the bare tokens `NaN`, `Infinity` and
 * `-Infinity`, which Inspect AI writes for undefined metrics, are read as numbers. Logs without
 * them take the plain `JSON.parse` path; only logs with them pay for a scan, which rewrites the
 * tokens outside string literals (never inside) and revives them. For a whole log, the parts
 * whose numbers become params or `raw_value` (`eval`, `plan`, whole-number score values) are read
 * again keeping their written form, so the hooks write `1.0` as Python does, not `1`.
 *
 * @example
 * ```ts
 * import { parseInspectJson } from "@evalhooks/mlflow";
 *
 * const value = parseInspectJson('{"stderr": NaN, "note": "NaN stays text"}') as { stderr: number; note: string };
 * console.log(Number.isNaN(value.stderr), value.note);
 * ```
 */
export function parseInspectJson(text: string): unknown {
  const value = parseJson(text);
  // A whole log: the parts that feed params keep `1.0` a float (keepLogNumbers).
  if (isLog(value)) keepLogNumbers(text, value);
  return value;
}

function isLog(value: unknown): value is EvalLog {
  return !!value && typeof value === "object" && !Array.isArray(value) &&
    !!(value as EvalLog).eval && typeof (value as EvalLog).eval === "object";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
  }
  const marker = `\u0000py${Math.random().toString(36).slice(2)}:`;
  let out = "";
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) { // a string literal: skip to its closing quote, past escapes
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) {
        i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      }
      continue;
    }
    for (const token of ["-Infinity", "Infinity", "NaN"]) {
      if (text.startsWith(token, i)) {
        out += text.slice(last, i) + JSON.stringify(marker + token);
        i += token.length - 1;
        last = i + 1;
        break;
      }
    }
  }
  out += text.slice(last);
  return JSON.parse(
    out,
    (_key, value) =>
      typeof value === "string" && value.startsWith(marker)
        ? SENTINELS[value.slice(marker.length)]
        : value,
  );
}

/**
 * Parses a log's header (or any small part of a log) keeping what Python's str() needs of its
 * numbers: `1.0` stays a float (see `numberLiteral` in base/json_floats.ts). Bare `NaN` and
 * `Infinity` are read as numbers.
 */
export function parseInspectHeader(text: string): unknown {
  return parseJsonKeepingNumbers(text);
}

/**
 * Re-reads the `scores` of a sample parsed from `text` (the sample's object starts at `start`) so
 * a score value the log wrote as `1.0` keeps its float form for `raw_value`. Only samples with a
 * whole-number score value pay for it; the rest of the sample is skipped, not parsed again.
 */
export function keepScoreNumbers(text: string, sample: EvalSample, start = 0): void {
  const scores = sample.scores;
  if (!scores || typeof scores !== "object") return;
  if (!Object.values(scores).some((s) => hasWholeNumber(s?.value))) return;
  const span = jsonMemberSpans(text, ["scores"], start).scores;
  if (span) sample.scores = parseJsonKeepingNumbers(text, span[0], span[1]) as EvalSample["scores"];
}

/**
 * Re-reads the parts of a `.json` log parsed from `text` whose numbers feed params and
 * `raw_value` (`eval`, `plan`, and the samples' whole-number scores), keeping their float form.
 */
export function keepLogNumbers(text: string, log: EvalLog): void {
  const spans = jsonMemberSpans(text, ["eval", "plan"]);
  if (spans.eval) log.eval = parseJsonKeepingNumbers(text, ...spans.eval) as EvalLog["eval"];
  if (spans.plan) log.plan = parseJsonKeepingNumbers(text, ...spans.plan) as EvalLog["plan"];
  const samples = log.samples ?? [];
  const needed = samples.some((s) =>
    Object.values(s?.scores ?? {}).some((score) => hasWholeNumber(score?.value))
  );
  if (!needed) return;
  const span = jsonMemberSpans(text, ["samples"]).samples;
  if (!span) return;
  const starts = jsonArrayItemStarts(text, span[0]);
  samples.forEach((sample, i) => {
    if (starts[i] !== undefined) keepScoreNumbers(text, sample, starts[i]);
  });
}

function hasWholeNumber(value: unknown): boolean {
  if (typeof value === "number") return Number.isInteger(value);
  if (value && typeof value === "object") return Object.values(value).some(hasWholeNumber);
  return false;
}

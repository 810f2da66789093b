// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// What an evaluation run says it used, in the tags `mlflow.genai.evaluate` writes: the run type
// MLflow's Evaluation runs view lists, the evaluated function's name and a digest of its source,
// and a digest over the scorers' definitions. Computed as Python computes them (SHA-256 of the
// source text; of the sorted per-scorer digests joined by newlines), over JavaScript source:
// so a changed predict or scorer changes its digest, and an unchanged one keeps it.

import { pythonJsonDumps } from "../base/python_json.ts";
import { sha256Hex } from "../base/sha256.ts";
import type { Scorer } from "./scorers.ts";

/** The run tags of an evaluation that ran `predict` (if any) with `scorers`. */
export function lineageTags(
  predict: ((...args: never[]) => unknown) | undefined,
  scorers: readonly Scorer[],
): Record<string, string> {
  const tags: Record<string, string> = { "mlflow.runType": "genai_evaluate" };
  if (predict !== undefined) {
    // JavaScript functions carry no module, so the name is the function's own (none if anonymous).
    if (predict.name) tags["mlflow.genaiEvaluate.agent.function"] = predict.name;
    const source = sourceText(predict);
    if (source !== undefined) tags["mlflow.genaiEvaluate.agent.digest"] = digest(source);
  }
  const digests = scorers.map(scorerDigest).filter((d): d is string => d !== undefined);
  const summary: Record<string, unknown> = {};
  if (digests.length > 0) summary.digest = digest(digests.sort().join("\n"));
  summary.hashed = digests.length;
  summary.total = scorers.length;
  tags["mlflow.genaiEvaluate.scorersDigest"] = pythonJsonDumps(summary);
  return tags;
}

/**
 * `sha256:<hex>` over a scorer's name, source text and definition (a built-in's arguments); none
 * when the source cannot be read (a native or bound function shows no code).
 */
export function scorerDigest(scorer: Scorer): string | undefined {
  // Every row's feedback carries it: hashed once per scorer, not once per row.
  if (digests.has(scorer)) return digests.get(scorer);
  const source = sourceText(scorer.fn);
  let value: string | undefined;
  if (source !== undefined) {
    const definition: Record<string, unknown> = { name: scorer.name, source };
    if (scorer.definition !== undefined) definition.definition = scorer.definition;
    value = digest(JSON.stringify(sortKeys(definition)));
  }
  digests.set(scorer, value);
  return value;
}

// Scorers are readonly values: a digest computed once stays true.
const digests = new WeakMap<Scorer, string | undefined>();

function digest(text: string): string {
  return `sha256:${sha256Hex(text)}`;
}

function sourceText(fn: (...args: never[]) => unknown): string | undefined {
  try {
    const text = Function.prototype.toString.call(fn);
    return text.includes("[native code]") ? undefined : text;
  } catch {
    return undefined;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

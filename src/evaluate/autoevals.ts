// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Braintrust's autoevals scorers as our scorers. Duck-typed: nothing here imports autoevals, so
// the library keeps no dependency; any function of autoevals' shape works, its own or a user's.

import { type Scorer, scorer, type ScorerResult } from "./scorers.ts";

/**
 * What an autoevals scorer is called with: the row as autoevals names it (`input`, `output`,
 * `expected`) and any extra arguments (a `model`, a `context`, …).
 *
 * @example
 * ```ts
 * import type { AutoevalsArgs } from "@evalhooks/mlflow/evaluate";
 *
 * const args: AutoevalsArgs = { input: "2 + 2?", output: "4", expected: "4" };
 * ```
 */
export interface AutoevalsArgs {
  /** The row's inputs. */
  input?: unknown;
  /** The row's outputs. */
  output: unknown;
  /** The row's expected answer. */
  expected?: unknown;
  /** Extra arguments, from {@linkcode FromAutoevalsOptions.args}. */
  [key: string]: unknown;
}

/**
 * What an autoevals scorer returns (autoevals' `Score`).
 *
 * @example
 * ```ts
 * import type { AutoevalsScore } from "@evalhooks/mlflow/evaluate";
 *
 * const score: AutoevalsScore = { name: "Levenshtein", score: 0.8 };
 * ```
 */
export interface AutoevalsScore {
  /** The scorer's name. */
  name: string;
  /** Between 0 and 1; `null` when the scorer gives no score. */
  score: number | null;
  /** Whatever else it reports; an LLM classifier puts its `rationale` and `choice` here. */
  metadata?: Record<string, unknown>;
  /** Deprecated in autoevals, still set by some scorers when they fail. */
  error?: unknown;
}

/**
 * An autoevals scorer: `Levenshtein`, `ExactMatch`, `Factuality`, … or any function of that shape.
 *
 * @example
 * ```ts
 * import type { AutoevalsScorer } from "@evalhooks/mlflow/evaluate";
 *
 * const startsRight: AutoevalsScorer = ({ output, expected }) => ({
 *   name: "StartsRight",
 *   score: String(output).startsWith(String(expected).slice(0, 1)) ? 1 : 0,
 * });
 * ```
 */
export type AutoevalsScorer = {
  // Method syntax, so the parameter is checked both ways: autoevals types its scorers with a
  // narrower `output` (`Levenshtein` takes strings, `NumericDiff` numbers), and they are accepted.
  bivariant(args: AutoevalsArgs): AutoevalsScore | Promise<AutoevalsScore>;
}["bivariant"];

/**
 * Options of {@linkcode fromAutoevals}.
 *
 * @example
 * ```ts
 * import type { FromAutoevalsOptions } from "@evalhooks/mlflow/evaluate";
 *
 * const options: FromAutoevalsOptions = { name: "factuality", args: { model: "gpt-4o-mini" } };
 * ```
 */
export interface FromAutoevalsOptions {
  /**
   * The scorer's name (assessment name and `<name>/mean` metric).
   * @default {the function's name, which for autoevals' scorers is the name their scores carry;
   * give one for your own arrow functions, whose inferred names some transpilers drop}
   */
  name?: string;
  /** Extra arguments passed on every call (`model`, `openAiApiKey`, `context`, …). */
  args?: Record<string, unknown>;
}

/**
 * Makes a scorer of an autoevals scorer, so `evaluate()` runs it on every row and logs its
 * scores as feedback and `<name>/mean`. It is called with `input` = the row's inputs, `output` =
 * its outputs, and `expected` = its expectations (their `expected_response`, `expected`, `answer`
 * or `target` when the expectations are a record holding one, as the built-in scorers read
 * them), plus `options.args`. Its `score` is the feedback's value; `score: null` (or a score that
 * is not a finite number) is "no score": the feedback is logged without a value and the row is
 * left out of the mean. `metadata.rationale` becomes the rationale, and any other metadata is
 * appended to it as JSON. A scorer that throws, or returns autoevals' deprecated `error`, is
 * logged as a scorer error.
 *
 * The name is fixed when the scorer is made (the run's tags and digests name every scorer before
 * any row runs): `options.name`, else the function's name.
 *
 * @example Levenshtein distance and exact match from autoevals
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { evaluate, fromAutoevals } from "@evalhooks/mlflow/evaluate";
 * // import { ExactMatch, Levenshtein } from "autoevals";
 * declare const Levenshtein: (args: { output: unknown; expected?: unknown }) => Promise<{ name: string; score: number | null }>;
 * declare const ExactMatch: typeof Levenshtein;
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", experimentName: "qa" });
 * const { metrics } = await evaluate(mlflow, {
 *   data: [{ inputs: "capital of France?", outputs: "Paris", expectations: "Paris" }],
 *   scorers: [fromAutoevals(Levenshtein), fromAutoevals(ExactMatch)],
 * });
 * console.log(metrics["Levenshtein/mean"]);
 * ```
 *
 * @throws {TypeError} when `scorerFn` is not a function, or has no name and none is given.
 * @throws {MlflowValidationError} when the name is not a valid metric key or contains `.`.
 */
export function fromAutoevals(
  scorerFn: AutoevalsScorer,
  options: FromAutoevalsOptions = {},
): Scorer {
  if (typeof scorerFn !== "function") {
    throw new TypeError("fromAutoevals: give an autoevals scorer (a function)");
  }
  const name = options.name ?? scorerFn.name;
  if (!name) {
    throw new TypeError("fromAutoevals: the scorer function has no name: give options.name");
  }
  const extra = options.args ?? {};
  const made = scorer(name, async ({ inputs, outputs, expectations }): Promise<ScorerResult> => {
    const result = await scorerFn({
      ...extra,
      input: inputs,
      output: outputs,
      expected: expectedOf(expectations),
    });
    if (result === null || typeof result !== "object") {
      throw new TypeError(`autoevals scorer '${name}' returned ${String(result)}, not a score`);
    }
    if (result.error !== undefined && result.error !== null) {
      throw result.error instanceof Error ? result.error : new Error(String(result.error));
    }
    const rationale = rationaleOf(result.metadata);
    const score = result.score;
    if (typeof score !== "number" || !Number.isFinite(score)) {
      // No score: evaluate() logs a value-less feedback and leaves the row out of the mean.
      const why = score === null || score === undefined ? undefined : `score was ${score}`;
      return { value: undefined, rationale: joinLines(why, rationale) } as unknown as ScorerResult;
    }
    return rationale === undefined ? score : { value: score, rationale };
  });
  // The wrapper's source is the same for every autoevals scorer: the wrapped function (its name;
  // its source where readable, autoevals' own are bound) and the extra arguments are what tell
  // two of them apart in the run's scorer digests.
  const definition: Record<string, string | number | boolean> = { autoevals: scorerFn.name };
  const source = sourceOf(scorerFn);
  if (source !== undefined) definition.source = source;
  for (const [key, value] of Object.entries(extra)) {
    if (["string", "number", "boolean"].includes(typeof value)) {
      definition[`args.${key}`] = value as string | number | boolean;
    }
  }
  return { ...made, definition };
}

const EXPECTED_KEYS = ["expected_response", "expected", "answer", "target"];

/** The expected answer as the built-in scorers read it, or the expectations themselves. */
function expectedOf(expectations: unknown): unknown {
  if (expectations && typeof expectations === "object" && !Array.isArray(expectations)) {
    const record = expectations as Record<string, unknown>;
    for (const key of EXPECTED_KEYS) if (key in record) return record[key];
  }
  return expectations;
}

/** `metadata.rationale`, then the rest of the metadata as JSON (undefined values dropped). */
function rationaleOf(metadata: Record<string, unknown> | undefined): string | undefined {
  if (!metadata || typeof metadata !== "object") return undefined;
  const { rationale, ...rest } = metadata;
  const kept = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  const text = typeof rationale === "string" ? rationale : undefined;
  let json: string | undefined;
  if (rationale !== undefined && text === undefined) kept.rationale = rationale;
  if (Object.keys(kept).length > 0) {
    try {
      json = JSON.stringify(kept);
    } catch {
      json = undefined; // cyclic or BigInt metadata: the score still counts
    }
  }
  return joinLines(text, json === undefined ? undefined : `metadata: ${json}`);
}

function joinLines(...parts: (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => p !== undefined && p !== "");
  return kept.length > 0 ? kept.join("\n") : undefined;
}

function sourceOf(fn: AutoevalsScorer): string | undefined {
  try {
    const text = Function.prototype.toString.call(fn);
    return text.includes("[native code]") ? undefined : text;
  } catch {
    return undefined;
  }
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { MlflowValidationError } from "../base/errors.ts";
import { validateKey } from "../client/validate.ts";
import type { AssessmentSource } from "../client/trace_types.ts";

/**
 * What a scorer sees of one row.
 *
 * @example
 * ```ts
 * import { scorer, type ScorerInput } from "@evalhooks/mlflow";
 *
 * const polite = scorer("polite", ({ outputs }: ScorerInput) => /please|thank/i.test(String(outputs)));
 * ```
 */
export interface ScorerInput {
  /** The row's inputs. */
  inputs: unknown;
  /** What `predict` returned (or the row's own outputs). */
  outputs: unknown;
  /** The row's expectations, if any. */
  expectations?: unknown;
  /** The row's trace. */
  trace: { traceId: string };
  /** How long `predict` took, in ms. */
  latencyMs: number;
}

/**
 * One score: a number, a boolean (pass/fail), a string (a label), or any of these with a rationale.
 *
 * @example
 * ```ts
 * import type { ScoreValue } from "@evalhooks/mlflow";
 *
 * const score: ScoreValue = { value: 0.8, rationale: "4 of 5 facts present" };
 * ```
 */
export type ScoreValue = number | boolean | string | {
  value: number | boolean | string;
  rationale?: string;
};

/**
 * What a scorer returns: one score, or several named ones (each becomes `<scorer>/<name>`).
 *
 * @example
 * ```ts
 * import type { ScorerResult } from "@evalhooks/mlflow";
 *
 * const several: ScorerResult = { precision: 0.5, recall: { value: 1, rationale: "all found" } };
 * ```
 */
export type ScorerResult = ScoreValue | Record<string, ScoreValue>;

/**
 * A named scoring function, made with {@linkcode scorer}.
 *
 * @example
 * ```ts
 * import { type Scorer, scorer } from "@evalhooks/mlflow";
 *
 * const short: Scorer = scorer("short", ({ outputs }) => String(outputs).length < 100);
 * ```
 */
export interface Scorer {
  /** Name: the assessment name and the metric key. */
  readonly name: string;
  /** The function. */
  readonly fn: (input: ScorerInput) => ScorerResult | Promise<ScorerResult>;
  /**
   * What sets the scorer's behaviour apart beyond its function's source text: a built-in's
   * arguments (its pattern, its threshold). Hashed with the source into the digests `evaluate()`
   * writes (`mlflow.genaiEvaluate.scorersDigest`, `mlflow.assessment.scorerDigest`).
   */
  readonly definition?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Who its feedback is from. Unset: `{ sourceType: "CODE", sourceId: <name> }`. An LLM judge
   * (`llmJudge`, the built-in judges) sets `LLM_JUDGE` and its model's name.
   */
  readonly source?: AssessmentSource;
}

/**
 * Makes a scorer. `fn` receives `{ inputs, outputs, expectations, trace, latencyMs }` and returns
 * a number, boolean, string, `{ value, rationale }`, or several of them as a record. An LLM judge
 * is a scorer whose `fn` calls a model and returns `{ value, rationale }`.
 *
 * @example An exact match, and an LLM judge
 * ```ts
 * import { scorer } from "@evalhooks/mlflow";
 *
 * const exact = scorer("exact", ({ outputs, expectations }) => outputs === expectations);
 * declare function judge(prompt: string): Promise<{ score: number; why: string }>;
 * const grounded = scorer("grounded", async ({ inputs, outputs }) => {
 *   const { score, why } = await judge(`Is "${outputs}" supported by ${JSON.stringify(inputs)}?`);
 *   return { value: score, rationale: why };
 * });
 * ```
 *
 * @throws {MlflowValidationError} when the name is not a valid metric key or contains `.`.
 */
export function scorer(name: string, fn: Scorer["fn"]): Scorer {
  validateKey(name, "scorer");
  if (name.includes(".")) {
    throw new MlflowValidationError(
      `scorer: name '${name}' may not contain '.' (MLflow assessment names cannot)`,
      {
        key: name,
        rule: "key_chars",
        call: "scorer",
      },
    );
  }
  if (typeof fn !== "function") throw new TypeError(`scorer '${name}': fn must be a function`);
  return { name, fn };
}

/** The expected answer of a row: `expectations` itself, or its `expected_response`/`expected`. */
function expected(expectations: unknown): unknown {
  if (expectations && typeof expectations === "object" && !Array.isArray(expectations)) {
    const e = expectations as Record<string, unknown>;
    return e.expected_response ?? e.expected ?? e.answer ?? e.target;
  }
  return expectations;
}

const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value) ?? "");

/**
 * Output equals the expected answer (trimmed; `expected_response`, `expected`, `answer` or
 * `target` of the expectations).
 *
 * @example
 * ```ts
 * import { exactMatch } from "@evalhooks/mlflow";
 *
 * const scorers = [exactMatch()];
 * ```
 */
export function exactMatch(name = "exact_match"): Scorer {
  return scorer(
    name,
    ({ outputs, expectations }) => text(outputs).trim() === text(expected(expectations)).trim(),
  );
}

/**
 * Output contains the expected answer, ignoring case.
 *
 * @example
 * ```ts
 * import { includes } from "@evalhooks/mlflow";
 *
 * const scorers = [includes()];
 * ```
 */
export function includes(name = "includes"): Scorer {
  return scorer(
    name,
    ({ outputs, expectations }) =>
      text(outputs).toLowerCase().includes(text(expected(expectations)).toLowerCase()),
  );
}

/**
 * Output matches a regular expression.
 *
 * @example
 * ```ts
 * import { regexMatch } from "@evalhooks/mlflow";
 *
 * const scorers = [regexMatch(/^\d+$/, "is_number")];
 * ```
 */
export function regexMatch(pattern: RegExp | string, name = "regex_match"): Scorer {
  const re = typeof pattern === "string" ? new RegExp(pattern) : pattern;
  const made = scorer(name, ({ outputs }) => {
    re.lastIndex = 0;
    return re.test(text(outputs));
  });
  return { ...made, definition: { pattern: re.source, flags: re.flags } };
}

/**
 * Output is valid JSON (a string that parses, or a value that is already structured).
 *
 * @example
 * ```ts
 * import { jsonValid } from "@evalhooks/mlflow";
 *
 * const scorers = [jsonValid()];
 * ```
 */
export function jsonValid(name = "json_valid"): Scorer {
  return scorer(name, ({ outputs }) => {
    if (typeof outputs !== "string") return outputs !== undefined;
    try {
      JSON.parse(outputs);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * `predict` answered in under `ms` milliseconds.
 *
 * @example
 * ```ts
 * import { latencyUnder } from "@evalhooks/mlflow";
 *
 * const scorers = [latencyUnder(2000)];
 * ```
 */
export function latencyUnder(ms: number, name = `latency_under_${ms}ms`): Scorer {
  const made = scorer(
    name,
    ({ latencyMs }) => ({ value: latencyMs < ms, rationale: `${Math.round(latencyMs)} ms` }),
  );
  return { ...made, definition: { ms } };
}

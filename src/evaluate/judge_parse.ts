// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Reading an LLM judge's verdict out of whatever the model wrote. Models asked for a JSON object
// `{ "result", "rationale" }` answer with it bare, inside a ```json fence, after a sentence of
// preamble, or not at all ("Yes, because..."). All of these are read here; what cannot be read
// is reported (not guessed), so the judge can ask again. Pure: no I/O, no model.

/**
 * What a judge's `result` must be:
 * - `"boolean"`: `true`/`false` (also read from yes/no, pass/fail, 1/0 and their kin);
 * - `"number"`: a finite number;
 * - `"string"`: any label the model gives;
 * - a list of labels (categorical): one of them, matched without regard to case. A list holding
 *   both `"yes"` and `"no"` also reads their synonyms (pass, correct, fail, …) as MLflow's
 *   built-in judges do.
 *
 * @example
 * ```ts
 * import type { JudgeFeedbackType } from "@evalhooks/mlflow";
 *
 * const passFail: JudgeFeedbackType = ["yes", "no"];
 * const grade: JudgeFeedbackType = ["A", "B", "C"];
 * ```
 */
export type JudgeFeedbackType = "boolean" | "number" | "string" | readonly string[];

/**
 * A verdict read from a judge's answer, or why none could be read.
 *
 * @example
 * ```ts
 * import type { ParsedVerdict } from "@evalhooks/mlflow/evaluate";
 *
 * const read: ParsedVerdict = { ok: true, value: "yes", rationale: "All facts are present." };
 * ```
 */
export type ParsedVerdict =
  | { ok: true; value: number | boolean | string; rationale?: string }
  | { ok: false; reason: string };

// The words MLflow's judges read as a pass or a fail (mlflow/genai/judges/constants.py), so a
// model that says "correct" or "FAIL" means here what it means to MLflow.
const AFFIRMATIVE = new Set([
  "true",
  "pass",
  "passed",
  "correct",
  "success",
  "1",
  "1.0",
  "yes",
  "y",
  "yea",
  "yeah",
  "affirmative",
  "absolutely",
  "certainly",
  "indeed",
  "sure",
  "ok",
  "okay",
  "agree",
  "accepted",
  "right",
  "positive",
  "accurate",
  "valid",
  "confirmed",
  "approved",
  "complete",
  "completed",
  "good",
  "great",
  "excellent",
  "match",
  "matched",
  "validated",
  "approve",
  "accept",
  "safe",
  "grounded",
  "relevant",
]);
const NEGATIVE = new Set([
  "false",
  "fail",
  "failed",
  "incorrect",
  "failure",
  "0",
  "0.0",
  "no",
  "n",
  "nah",
  "nope",
  "negative",
  "reject",
  "rejected",
  "disagree",
  "not approved",
  "invalid",
  "inaccurate",
  "wrong",
  "declined",
  "denied",
  "incomplete",
  "bad",
  "poor",
  "missing",
  "absent",
  "mismatch",
  "mismatched",
  "deny",
  "disapprove",
  "disapproved",
  "unsafe",
  "ungrounded",
  "irrelevant",
]);

const RESULT_KEYS = ["result", "value", "score", "verdict", "rating"];
const RATIONALE_KEYS = ["rationale", "reasoning", "reason", "explanation", "justification"];

/**
 * Reads a judge's verdict from the model's answer `text`, as `type` asks for.
 *
 * In order: the whole answer as JSON; a fenced `json` code block; the first JSON object in
 * the text (prose around it is ignored). An object gives its `result` (or `value`, `score`,
 * `verdict`, `rating`) and its `rationale` (or `reasoning`, `reason`, `explanation`,
 * `justification`). Without an object, a line `result: <verdict>` (or `score:`, `verdict:`), or an
 * answer that starts with the verdict ("Yes. The answer…", "4", "**FAIL** because…"); the rest of
 * the text is the rationale. A leading "Let's think step by step." is dropped from rationales, as
 * MLflow drops it.
 *
 * @example
 * ```ts
 * import { parseVerdict } from "@evalhooks/mlflow/evaluate";
 *
 * parseVerdict('Verdict: {"result": "yes", "rationale": "ok"}', ["yes", "no"]);
 * // { ok: true, value: "yes", rationale: "ok" } (a fenced json block is read the same way)
 * parseVerdict("PASS - all facts present", "boolean");
 * // { ok: true, value: true, rationale: "all facts present" }
 * parseVerdict("hmm", "number"); // { ok: false, reason: "..." }
 * ```
 */
export function parseVerdict(text: string, type: JudgeFeedbackType): ParsedVerdict {
  if (typeof text !== "string" || text.trim() === "") {
    return { ok: false, reason: "the answer is empty" };
  }
  const object = findObject(text);
  if (object !== undefined) {
    const key = RESULT_KEYS.find((k) => k in object);
    if (key === undefined) {
      return { ok: false, reason: `the JSON answer has no "result" field` };
    }
    const value = coerce(object[key], type);
    if (value === undefined) {
      return {
        ok: false,
        reason: `"result" ${JSON.stringify(object[key])} is not ${describeType(type)}`,
      };
    }
    const rationaleKey = RATIONALE_KEYS.find((k) => typeof object[k] === "string");
    return verdict(value, rationaleKey ? object[rationaleKey] as string : undefined);
  }
  const labelled = /^\s*[*_#>-]*\s*(?:result|score|verdict|rating)\s*[*_]*\s*[:=]\s*(.+)$/im
    .exec(text);
  if (labelled) {
    const lead = leadingVerdict(labelled[1], type);
    if (lead !== undefined) {
      const rest = (text.slice(0, labelled.index) + text.slice(labelled.index + labelled[0].length))
        .trim();
      return verdict(lead.value, [lead.rest, rest].filter((s) => s !== "").join("\n"));
    }
  }
  const lead = leadingVerdict(text, type);
  if (lead !== undefined) return verdict(lead.value, lead.rest);
  return {
    ok: false,
    reason: `no JSON object with "result", and the answer does not start with ${
      describeType(type)
    }`,
  };
}

function verdict(value: number | boolean | string, rationale: string | undefined): ParsedVerdict {
  const cleaned = rationale?.replace(/^\s*let's think step by step\.?\s*/i, "").trim();
  return cleaned ? { ok: true, value, rationale: cleaned } : { ok: true, value };
}

function describeType(type: JudgeFeedbackType): string {
  if (typeof type !== "string") return `one of ${type.map((t) => JSON.stringify(t)).join(", ")}`;
  return type === "boolean" ? "a yes/no verdict" : type === "number" ? "a number" : "a label";
}

/** The first JSON object in `text`: the whole of it, a fenced block, or one inside prose. */
function findObject(text: string): Record<string, unknown> | undefined {
  const candidates = [text.trim()];
  for (const m of text.matchAll(/```[\w-]*[ \t]*\n?([\s\S]*?)```/g)) candidates.push(m[1].trim());
  for (const candidate of candidates) {
    const parsed = tryObject(candidate);
    if (parsed !== undefined) return parsed;
  }
  // Prose around an object: try each balanced {...} in turn.
  for (let start = text.indexOf("{"); start !== -1; start = text.indexOf("{", start + 1)) {
    const end = balancedEnd(text, start);
    if (end === -1) continue;
    const parsed = tryObject(text.slice(start, end + 1));
    if (parsed !== undefined && RESULT_KEYS.some((k) => k in parsed)) return parsed;
  }
  return undefined;
}

function tryObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith("{")) return undefined;
  for (const attempt of [text, text.replace(/,\s*([}\]])/g, "$1")]) {
    try {
      const value: unknown = JSON.parse(attempt);
      if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        return value as Record<string, unknown>;
      }
    } catch {
      // not JSON as written; the trailing-comma repair is tried next
    }
  }
  return undefined;
}

/** Index of the `}` closing the `{` at `start`, skipping strings; -1 when it never closes. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

function isYesNo(type: JudgeFeedbackType): boolean {
  return typeof type !== "string" && type.includes("yes") && type.includes("no");
}

function passFail(word: string): boolean | undefined {
  const w = word.trim().toLowerCase();
  return AFFIRMATIVE.has(w) ? true : NEGATIVE.has(w) ? false : undefined;
}

/** `value` as `type` wants it, or undefined when it is not that. */
function coerce(value: unknown, type: JudgeFeedbackType): number | boolean | string | undefined {
  if (type === "boolean") {
    if (typeof value === "boolean") return value;
    if (value === 1 || value === 0) return value === 1;
    return typeof value === "string" ? passFail(value) : undefined;
  }
  if (type === "number") {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value === "string" && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(value)) {
      return Number(value);
    }
    return undefined;
  }
  if (type === "string") {
    if (typeof value === "string") return value.trim() === "" ? undefined : value.trim();
    return typeof value === "number" || typeof value === "boolean" ? value : undefined;
  }
  const label = typeof value === "string"
    ? value.trim()
    : typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : undefined;
  if (label === undefined) return undefined;
  const match = type.find((t) => t.toLowerCase() === label.toLowerCase());
  if (match !== undefined) return match;
  if (isYesNo(type)) {
    const pf = passFail(label);
    if (pf !== undefined) return pf ? "yes" : "no";
  }
  return undefined;
}

/** A verdict the text starts with ("Yes.", "**4**", "FAIL -"), and the text after it. */
function leadingVerdict(
  text: string,
  type: JudgeFeedbackType,
): { value: number | boolean | string; rest: string } | undefined {
  const trimmed = text.trim().replace(/^[\s*_#>`"'-]+/, "");
  if (type === "number") {
    const m = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)(?![\w.])(?:\s*\/\s*\d+(?:\.\d+)?)?/i
      .exec(trimmed);
    if (!m) return undefined;
    return { value: Number(m[1]), rest: tidy(trimmed.slice(m[0].length)) };
  }
  if (type === "string") {
    // A free label is only trusted when it is the whole answer: one short line.
    const line = trimmed.replace(/[*_`"'.!]+$/, "").trim();
    return line !== "" && !line.includes("\n") && line.length <= 64
      ? { value: line, rest: "" }
      : undefined;
  }
  // Longest label first, so "not approved" wins over "not".
  const labels = typeof type === "string"
    ? [...AFFIRMATIVE, ...NEGATIVE]
    : [...type, ...(isYesNo(type) ? [...AFFIRMATIVE, ...NEGATIVE] : [])];
  const lower = trimmed.toLowerCase();
  for (const label of [...new Set(labels)].sort((a, b) => b.length - a.length)) {
    const l = label.toLowerCase();
    if (lower.startsWith(l) && !/[\p{L}\p{N}]/u.test(lower.charAt(l.length))) {
      const value = coerce(trimmed.slice(0, l.length), type);
      if (value !== undefined) return { value, rest: tidy(trimmed.slice(l.length)) };
    }
  }
  return undefined;
}

function tidy(rest: string): string {
  return rest.replace(/^[\s*_`"'.,:;!)\]-]+/, "").trim();
}

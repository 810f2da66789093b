// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// LLM judges: scorers whose verdict comes from a model. The model is whatever the caller hands
// in (a function from chat messages to text), so no SDK is imported here and any provider works;
// a client wrapped by `wrapOpenAI` traces its own call under the judge's span. Each model call is
// an `LLM` span under the row's trace (found through the active context `evaluate()` sets for
// scorers), so a judge's cost and answers sit beside the prediction it judged.

import { MlflowValidationError } from "../base/errors.ts";
import { activeContext, withActiveContext } from "../client/active.ts";
import { validateKey } from "../client/validate.ts";
import { type JudgeFeedbackType, parseVerdict } from "./judge_parse.ts";
import type { Scorer, ScorerInput, ScoreValue } from "./scorers.ts";

/**
 * One chat message sent to a judge's model, in the shape every chat API takes.
 *
 * @example
 * ```ts
 * import type { JudgeMessage } from "@evalhooks/mlflow";
 *
 * const message: JudgeMessage = { role: "user", content: "outputs: \"Paris\"" };
 * ```
 */
export interface JudgeMessage {
  /** `system`, `user` or `assistant`. */
  role: "system" | "user" | "assistant";
  /** The text. */
  content: string;
}

/**
 * A judge's model: a function from chat messages to the model's answer text, or an object that
 * also names the model (`{ name, call }`): the name is the feedback's source
 * (`LLM_JUDGE`, `sourceId` = the name), as MLflow records its judges' model URIs. A bare function
 * is known by its own name (`"custom"` when it has none).
 *
 * @example A wrapped OpenAI client, named
 * ```ts ignore
 * import OpenAI from "openai";
 * import type { JudgeModel } from "@evalhooks/mlflow";
 * import { wrapOpenAI } from "@evalhooks/mlflow/openai";
 *
 * const openai = wrapOpenAI(new OpenAI());
 * const model: JudgeModel = {
 *   name: "openai:/gpt-4o-mini",
 *   call: async (messages) =>
 *     (await openai.chat.completions.create({ model: "gpt-4o-mini", messages }))
 *       .choices[0].message.content ?? "",
 * };
 * ```
 */
export type JudgeModel =
  | ((messages: JudgeMessage[]) => Promise<string>)
  | { readonly name: string; call(messages: JudgeMessage[]): Promise<string> };

/**
 * Options of {@linkcode llmJudge}.
 *
 * @example
 * ```ts
 * import type { LlmJudgeOptions } from "@evalhooks/mlflow";
 *
 * const options: LlmJudgeOptions = {
 *   name: "polite",
 *   instructions: "Is {{ outputs }} polite? Answer yes or no.",
 *   model: { name: "my-model", call: async () => '{"result": "yes", "rationale": "says please"}' },
 *   feedbackType: ["yes", "no"],
 * };
 * ```
 */
export interface LlmJudgeOptions {
  /** The assessment name and metric key: letters, digits, `_`, `-`, `/`, no `.`. */
  name: string;
  /**
   * What to judge, referring to the row as `{{ inputs }}`, `{{ outputs }}`,
   * `{{ expectations }}` and `{{ trace }}` (at least one; no others).
   */
  instructions: string;
  /** The model that judges. */
  model: JudgeModel;
  /**
   * What the verdict is: `"boolean"`, `"number"`, `"string"`, or a list of labels.
   * @default {"string"}, as `make_judge`'s default `str`
   */
  feedbackType?: JudgeFeedbackType;
  /**
   * How many more times to ask when an answer holds no readable verdict; then the row records a
   * scorer error. Model errors (HTTP 500, timeouts) are not retried here: the SDK retries those.
   * @default {2}
   */
  retries?: number;
}

/** What {@linkcode makeJudge} needs: how to word the request for a row, and what to expect. */
export interface JudgeSpec {
  name: string;
  model: JudgeModel;
  feedbackType: JudgeFeedbackType;
  retries: number;
  /** The messages for one row; throws when the row lacks what the judge needs. */
  messages: (input: ScorerInput) => JudgeMessage[];
  /** What sets this judge apart, for the scorer digest. */
  definition: Record<string, string | number | boolean>;
  /** The calling function, for validation errors. */
  call: string;
}

const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}/g;
const VARIABLES = ["inputs", "outputs", "expectations", "trace"] as const;
type Variable = typeof VARIABLES[number];

/**
 * Makes an LLM judge: a scorer that asks `model` to judge each row by `instructions` and logs
 * its verdict (and rationale) as feedback with source `LLM_JUDGE` and the model's name, as
 * `mlflow.genai.judges.make_judge` does.
 *
 * The model gets a system message (the instructions, and the JSON `{ result, rationale }` the
 * answer must be) and a user message with the variables the instructions use, each as
 * `name: <JSON>`, in the order they appear. `{{ trace }}` gives the row's trace id, inputs,
 * outputs, expectations and latency (MLflow's judges get tools to read the spans instead).
 * Answers are read by `parseVerdict` (JSON, fenced JSON, JSON in prose, or a leading yes/no,
 * number or label); an unreadable one is asked again `retries` times, then it is a scorer error
 * on the row and the other scorers go on. Each model call is an `LLM` span in the row's trace.
 *
 * @example A judge on a plain function, and one on a wrapped OpenAI client
 * ```ts ignore
 * import OpenAI from "openai";
 * import { createMlflow, llmJudge } from "@evalhooks/mlflow";
 * import { wrapOpenAI } from "@evalhooks/mlflow/openai";
 *
 * const mlflow = createMlflow({ experimentName: "qa" });
 * const openai = wrapOpenAI(new OpenAI(), { mlflow });
 * const concise = llmJudge({
 *   name: "concise",
 *   instructions: "Does {{ outputs }} answer {{ inputs }} in one sentence?",
 *   feedbackType: ["yes", "no"],
 *   model: {
 *     name: "openai:/gpt-4o-mini",
 *     call: async (messages) =>
 *       (await openai.chat.completions.create({ model: "gpt-4o-mini", messages }))
 *         .choices[0].message.content ?? "",
 *   },
 * });
 * const local = llmJudge({
 *   name: "score",
 *   instructions: "Rate {{ outputs }} from 1 to 5.",
 *   feedbackType: "number",
 *   model: async (messages) => await myLocalModel(messages),
 * });
 * await mlflow.evaluate({ data, predict, scorers: [concise, local] });
 * declare function myLocalModel(m: unknown): Promise<string>;
 * declare const data: { inputs: unknown }[];
 * declare function predict(inputs: unknown): string;
 * ```
 *
 * @throws {MlflowValidationError} when the name is empty, not a valid key or contains `.`; the
 * instructions are empty or use no (or an unknown) variable; the model is neither a function nor
 * `{ name, call }`; or `feedbackType` / `retries` are not as documented.
 */
export function llmJudge(options: LlmJudgeOptions): Scorer {
  const call = "llmJudge";
  const { instructions } = options ?? {};
  if (typeof instructions !== "string" || instructions.trim() === "") {
    throw new MlflowValidationError(`${call}: instructions must be a non-empty string`, {
      key: "instructions",
      rule: "required",
      call,
    });
  }
  const used: Variable[] = [];
  for (const [, variable] of instructions.matchAll(VARIABLE)) {
    if (!(VARIABLES as readonly string[]).includes(variable)) {
      throw new MlflowValidationError(
        `${call}: instructions use {{ ${variable} }}; only ${
          VARIABLES.map((v) => `{{ ${v} }}`).join(", ")
        } are known`,
        { key: "instructions", rule: "template_variable", call },
      );
    }
    if (!used.includes(variable as Variable)) used.push(variable as Variable);
  }
  if (used.length === 0) {
    throw new MlflowValidationError(
      `${call}: instructions must refer to the row, with at least one of ${
        VARIABLES.map((v) => `{{ ${v} }}`).join(", ")
      }`,
      { key: "instructions", rule: "template_variable", call },
    );
  }
  const feedbackType = options.feedbackType ?? "string";
  return makeJudge({
    name: options.name,
    model: options.model,
    feedbackType,
    retries: options.retries ?? 2,
    call,
    definition: { kind: "llm_judge", instructions },
    messages: (input) => [
      { role: "system", content: systemMessage(instructions, feedbackType) },
      { role: "user", content: userMessage(used, input) },
    ],
  });
}

/** The name a model is known by: the feedback's `sourceId`. */
export function modelName(model: JudgeModel): string {
  if (typeof model === "function") {
    // An arrow written inline as `model: async (m) => ...` takes the property's name, which
    // says nothing about the model.
    return model.name && model.name !== "model" && model.name !== "call" ? model.name : "custom";
  }
  return model.name;
}

/** Validates a judge's spec and makes its scorer (shared by `llmJudge` and the built-ins). */
export function makeJudge(spec: JudgeSpec): Scorer {
  const { name, model, feedbackType, retries, call } = spec;
  if (typeof name !== "string" || name === "") {
    throw new MlflowValidationError(`${call}: name must be a non-empty string`, {
      key: String(name),
      rule: "required",
      call,
    });
  }
  validateKey(name, call);
  if (name.includes(".")) {
    throw new MlflowValidationError(
      `${call}: name '${name}' may not contain '.' (MLflow assessment names cannot)`,
      { key: name, rule: "key_chars", call },
    );
  }
  const isNamed = typeof model === "object" && model !== null &&
    typeof model.call === "function" && typeof model.name === "string" && model.name !== "";
  if (typeof model !== "function" && !isNamed) {
    throw new MlflowValidationError(
      `${call} '${name}': model must be a function (messages) => Promise<string>, or { name, call }`,
      { key: "model", rule: "model_type", call },
    );
  }
  const validType = feedbackType === "boolean" || feedbackType === "number" ||
    feedbackType === "string" ||
    (Array.isArray(feedbackType) && feedbackType.length > 0 &&
      feedbackType.every((t) => typeof t === "string" && t.trim() !== ""));
  if (!validType) {
    throw new MlflowValidationError(
      `${call} '${name}': feedbackType must be "boolean", "number", "string" or a list of labels`,
      { key: "feedbackType", rule: "feedback_type", call },
    );
  }
  if (!Number.isInteger(retries) || retries < 0) {
    throw new MlflowValidationError(
      `${call} '${name}': retries must be a whole number >= 0, got ${retries}`,
      { key: "retries", rule: "retries", call },
    );
  }
  const sourceId = modelName(model);
  const ask = typeof model === "function" ? model : model.call.bind(model);
  const fn = async (input: ScorerInput): Promise<ScoreValue> => {
    const first = spec.messages(input);
    let messages = first;
    let reason = "";
    let answer = "";
    for (let attempt = 0; attempt <= retries; attempt++) {
      answer = await tracedCall(name, sourceId, ask, messages, attempt);
      const read = parseVerdict(answer, feedbackType);
      if (read.ok) {
        return read.rationale === undefined
          ? { value: read.value }
          : { value: read.value, rationale: read.rationale };
      }
      reason = read.reason;
      // Asking again with the bad answer and what was wrong with it fixes most format slips.
      messages = [
        ...first,
        { role: "assistant", content: answer },
        {
          role: "user",
          content: `Your answer could not be read (${reason}). Reply with only a JSON object: ` +
            `{"result": <${typeText(feedbackType)}>, "rationale": "<why>"}`,
        },
      ];
    }
    throw new Error(
      `judge '${name}': no readable verdict in ${retries + 1} answer${retries ? "s" : ""} ` +
        `(${reason}); last answer: ${JSON.stringify(answer.slice(0, 200))}`,
    );
  };
  return {
    name,
    fn,
    source: { sourceType: "LLM_JUDGE", sourceId },
    definition: {
      ...spec.definition,
      model: sourceId,
      feedbackType: JSON.stringify(feedbackType),
      retries,
    },
  };
}

/** One model call, as an `LLM` span under the active span (the row's root, in `evaluate()`). */
async function tracedCall(
  judgeName: string,
  model: string,
  ask: (messages: JudgeMessage[]) => Promise<string>,
  messages: JudgeMessage[],
  attempt: number,
): Promise<string> {
  const active = activeContext();
  const parent = active?.span;
  const read = (answer: unknown): string => {
    if (answer === null || answer === undefined) return ""; // an empty answer is unreadable
    if (typeof answer !== "string") {
      throw new TypeError(`judge '${judgeName}': the model returned a ${typeof answer}, not text`);
    }
    return answer;
  };
  if (!active || !parent) return read(await ask(messages));
  const span = parent.startSpan({
    name: judgeName,
    spanType: "LLM",
    inputs: { messages },
    attributes: { "mlflow.llm.model": model, "judge.attempt": attempt },
  });
  try {
    // A wrapped SDK client inside the model function nests its own span under this one.
    const answer = read(
      await withActiveContext(
        { mlflow: active.mlflow, span, run: active.run },
        () => ask(messages),
      ),
    );
    span.end({ outputs: answer });
    return answer;
  } catch (error) {
    span.recordException(error);
    span.end();
    throw error;
  }
}

function typeText(type: JudgeFeedbackType): string {
  if (typeof type !== "string") return type.map((t) => JSON.stringify(t)).join(" | ");
  return type === "boolean" ? "true | false" : type;
}

/** The instructions, and the answer's format. */
export function systemMessage(instructions: string, type: JudgeFeedbackType): string {
  return [
    "You are an expert judge of an AI system's answers. Evaluate by the instructions below; " +
    "the values they refer to are given in the user message.",
    "",
    "Instructions:",
    instructions,
    "",
    "Answer with only a JSON object (no markdown, no other text) with these fields:",
    `- result (${typeText(type)}): your evaluation rating`,
    "- rationale (string): a short explanation of the rating",
  ].join("\n");
}

/** The row's values the instructions use, as `name: <JSON>` lines in order of use. */
function userMessage(used: readonly Variable[], input: ScorerInput): string {
  return used.map((variable) => {
    const value = variable === "trace"
      ? {
        trace_id: input.trace.traceId,
        inputs: input.inputs,
        outputs: input.outputs,
        expectations: input.expectations,
        latency_ms: Math.round(input.latencyMs),
      }
      : input[variable];
    if (value === undefined || value === null) {
      throw new Error(`the instructions use {{ ${variable} }} and the row has no ${variable}`);
    }
    return `${variable}: ${jsonText(value)}`;
  }).join("\n");
}

/** JSON, indented as MLflow's judges show values; `String()` for what JSON cannot hold. */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

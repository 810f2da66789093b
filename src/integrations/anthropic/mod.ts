// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * Autolog for the Anthropic SDK: `wrapAnthropic(new Anthropic())` traces `messages.create`
 * (plain and `stream: true`) and `messages.stream` into MLflow, nested under the active
 * `mlflow.trace`, `mlflow.run` or `evaluate()` row, with token usage on the span, the trace and
 * the run, in the message format MLflow's UI shows as a chat. No dependency: the SDK is
 * duck-typed, and this entry runs wherever `fetch` does.
 *
 * @example
 * ```ts ignore
 * import Anthropic from "@anthropic-ai/sdk";
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { wrapAnthropic } from "@evalhooks/mlflow/anthropic";
 *
 * const mlflow = createMlflow({ experimentName: "chat" });
 * const anthropic = wrapAnthropic(new Anthropic(), { mlflow });
 * await anthropic.messages.create({
 *   model: "claude-sonnet-4-5",
 *   max_tokens: 256,
 *   messages: [{ role: "user", content: "hi" }],
 * });
 * await mlflow.flush();
 * ```
 *
 * @module
 */

export { wrapAnthropic } from "./anthropic.ts";
export type { WrapOptions } from "../llm/traced_call.ts";
export type { ModelPrice, TokenUsage } from "../llm/usage.ts";

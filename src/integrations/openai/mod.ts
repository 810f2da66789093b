// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * Autolog for the OpenAI SDK: `wrapOpenAI(new OpenAI())` traces chat completions, responses and
 * embeddings (plain and streamed) into MLflow, nested under the active `mlflow.trace`,
 * `mlflow.run` or `evaluate()` row, with token usage on the span, the trace and the run. No
 * dependency: the SDK is duck-typed, and this entry runs wherever `fetch` does.
 *
 * @example
 * ```ts ignore
 * import OpenAI from "openai";
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { wrapOpenAI } from "@evalhooks/mlflow/openai";
 *
 * const mlflow = createMlflow({ experimentName: "chat" });
 * const openai = wrapOpenAI(new OpenAI(), { mlflow });
 * await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
 * await mlflow.flush();
 * ```
 *
 * @module
 */

export { wrapOpenAI } from "./openai.ts";
export type { WrapOptions } from "../llm/traced_call.ts";
export type { ModelPrice, TokenUsage } from "../llm/usage.ts";

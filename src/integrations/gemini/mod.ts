// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * Autolog for the Google Gen AI SDK (`@google/genai`): `wrapGemini(new GoogleGenAI(...))` traces
 * `models.generateContent` and `models.generateContentStream` into MLflow, nested under the
 * active `mlflow.trace`, `mlflow.run` or `evaluate()` row, with token usage on the span, the
 * trace and the run, in the message format MLflow's UI shows as a chat. No dependency: the SDK
 * is duck-typed, and this entry runs wherever `fetch` does.
 *
 * @example
 * ```ts ignore
 * import { GoogleGenAI } from "@google/genai";
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { wrapGemini } from "@evalhooks/mlflow/gemini";
 *
 * const mlflow = createMlflow({ experimentName: "chat" });
 * const ai = wrapGemini(new GoogleGenAI({ apiKey: "..." }), { mlflow });
 * await ai.models.generateContent({ model: "gemini-2.5-flash", contents: "hi" });
 * await mlflow.flush();
 * ```
 *
 * @module
 */

export { wrapGemini } from "./gemini.ts";
export type { WrapOptions } from "../llm/traced_call.ts";
export type { ModelPrice, TokenUsage } from "../llm/usage.ts";

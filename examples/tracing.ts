// Copyright 2026 the evalhooks authors. MIT license.
//
// Trace your own TypeScript code into MLflow, with a score as feedback:
//   MLFLOW_TRACKING_URI=http://127.0.0.1:5000 deno run -A examples/tracing.ts

import { createMlflow } from "../mod.ts";

const mlflow = createMlflow({ experimentName: "tracing-example" }); // MLFLOW_TRACKING_URI

const question = "What is the capital of France?";
const answer = await mlflow.trace("answer-question", async (root) => {
  const docs = await mlflow.trace("retrieve", () => ["Paris is the capital of France."], {
    parent: root,
    spanType: "RETRIEVER",
    inputs: { query: question },
  });
  const llm = root.startSpan({
    name: "chat",
    spanType: "CHAT_MODEL",
    inputs: {
      messages: [{ role: "system", content: docs.join("\n") }, { role: "user", content: question }],
    },
    attributes: {
      "mlflow.chat.tokenUsage": { input_tokens: 21, output_tokens: 2, total_tokens: 23 },
    },
  });
  const text = "Paris"; // your model call goes here
  llm.end({ outputs: { choices: [{ message: { role: "assistant", content: text } }] } });
  mlflow.logFeedback({
    traceId: root.traceId,
    name: "correct",
    value: text === "Paris",
    rationale: "matches the reference",
  });
  return text;
}, { inputs: { question } });

await mlflow.flush();
console.log(`answer: ${answer}; trace logged to ${mlflow.trackingUri}`);

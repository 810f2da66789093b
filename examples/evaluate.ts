// Copyright 2026 the evalhooks authors. MIT license.
//
// An eval without Inspect: a dataset, a model call, scorers, a versioned prompt.
//   MLFLOW_TRACKING_URI=http://127.0.0.1:5000 deno run -A examples/evaluate.ts

import { createMlflow, exactMatch, latencyUnder, scorer } from "../mod.ts";

const mlflow = createMlflow({ experimentName: "evaluate-example" }); // MLFLOW_TRACKING_URI

const prompt = await mlflow.registerPrompt({
  name: "capital-question",
  template: "What is the capital of {{country}}? Answer with the city only.",
  commitMessage: "first version",
});

const data = [
  { inputs: { country: "France" }, expectations: { expected_response: "Paris" } },
  { inputs: { country: "Japan" }, expectations: { expected_response: "Tokyo" } },
  { inputs: { country: "Australia" }, expectations: { expected_response: "Canberra" } },
];

// Stands in for your model: deterministic, offline, wrong about Australia.
const capitals: Record<string, string> = { France: "Paris", Japan: "Tokyo", Australia: "Sydney" };

const result = await mlflow.evaluate({
  data,
  runName: `capitals v${prompt.version}`,
  concurrency: 2,
  predict: (inputs, { span }) => {
    const { country } = inputs as { country: string };
    const text = prompt.format({ country });
    const llm = span.startSpan({
      name: "chat",
      spanType: "CHAT_MODEL",
      inputs: { messages: [{ role: "user", content: text }] },
    });
    const answer = capitals[country];
    llm.end({ outputs: { choices: [{ message: { role: "assistant", content: answer } }] } });
    return answer;
  },
  scorers: [
    exactMatch(),
    latencyUnder(1000),
    scorer(
      "brevity",
      ({ outputs }) => ({
        value: String(outputs).split(" ").length <= 2,
        rationale: "one or two words",
      }),
    ),
  ],
});
await mlflow.flush();
console.log(
  `run ${result.runId}: exact_match mean ${result.metrics["exact_match/mean"].toFixed(2)}, ` +
    `${result.rows.length} rows, ${result.metrics.error_count} errors`,
);

// Copyright 2026 the evalhooks authors. MIT license.
//
// Three capitals through Evalite, scored by two scorers. The task stands in for your model:
// canned answers, no model, no network, and wrong about Australia. It reports its "LLM call"
// with reportTrace, which MLflow shows as an LLM span of the row's trace.

import { evalite } from "evalite";
import { reportTrace } from "evalite/traces";

const CAPITALS: Record<string, string> = { France: "Paris", Japan: "Tokyo", Australia: "Sydney" };

evalite("capitals", {
  data: [
    { input: "France", expected: "Paris" },
    { input: "Japan", expected: "Tokyo" },
    { input: "Australia", expected: "Canberra" },
  ],
  task: (country: string) => {
    const start = Date.now();
    const question = `What is the capital of ${country}?`;
    const answer = CAPITALS[country]; // your model call goes here
    reportTrace({
      input: [{ role: "user", content: question }],
      output: answer,
      usage: { inputTokens: 9, outputTokens: 1, totalTokens: 10 },
      start,
      end: Date.now(),
    });
    return answer;
  },
  scorers: [
    {
      name: "Exact",
      description: "The answer is the expected city.",
      scorer: ({ output, expected }) => ({
        score: output === expected ? 1 : 0,
        metadata: { rationale: output === expected ? "exact" : `expected ${expected}` },
      }),
    },
    {
      name: "OneWord",
      description: "The answer is a single word.",
      scorer: ({ output }) => (output.trim().split(/\s+/).length === 1 ? 1 : 0),
    },
  ],
});

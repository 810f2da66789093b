// Copyright 2026 the evalhooks authors. MIT license.
//
// Three capitals through vitest-evals' harness API, scored by two judges. The harness stands in
// for your agent: canned answers, no model, no network, and wrong about Australia.

import { expect } from "vitest";
import { createHarness, createJudge, describeEval } from "vitest-evals";

type Case = { country: string; expected: string };

const CAPITALS: Record<string, string> = { France: "Paris", Japan: "Tokyo", Australia: "Sydney" };

const harness = createHarness<Case, string>({
  name: "capitals-agent",
  run: ({ input }) => {
    const output = CAPITALS[input.country]; // your agent call goes here
    return {
      output,
      events: [
        { type: "message", role: "user", content: `What is the capital of ${input.country}?` },
        { type: "message", role: "assistant", content: output },
      ],
    };
  },
});

const ExactJudge = createJudge<Case, string>("ExactJudge", ({ input, output }) => ({
  score: output === input.expected ? 1 : 0,
  metadata: { rationale: output === input.expected ? "exact" : `expected ${input.expected}` },
}));

const OneWordJudge = createJudge<Case, string>("OneWordJudge", ({ output }) => ({
  score: output.trim().split(/\s+/).length === 1 ? 1 : 0,
}));

// A case passes when its judges average 0.5 or more.
describeEval(
  "capitals",
  { harness, judges: [ExactJudge, OneWordJudge], judgeThreshold: 0.5 },
  (it) => {
    it.for([
      { country: "France", expected: "Paris" },
      { country: "Japan", expected: "Tokyo" },
      { country: "Australia", expected: "Canberra" },
    ])("capital of $country", async (input, { run, task }) => {
      // vitest-evals keeps no expected answer; this one becomes the trace's expected_response.
      Object.assign(task.meta, { expected: input.expected });
      const result = await run(input);
      expect(result.output).toBeTypeOf("string");
    });
  },
);

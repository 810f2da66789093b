// Copyright 2026 the evalhooks authors. MIT license.
//
// autoevals' scorers inside evaluate(): each row's scores as feedback on its trace, their means as
// the run's metrics. The outputs are canned (your model's answers, already made), and
// Levenshtein and ExactMatch call no model:
//   MLFLOW_TRACKING_URI=http://127.0.0.1:5000 deno run -A examples/autoevals.ts
// (in your own project: import from "jsr:@evalhooks/mlflow/evaluate").

// A one-file script, so the version is pinned here rather than in a deno.json.
// deno-lint-ignore no-import-prefix
import { ExactMatch, Levenshtein } from "npm:autoevals@0.3.0";
import { createMlflow, evaluate, fromAutoevals } from "../src/evaluate/mod.ts";

const mlflow = createMlflow({ experimentName: "capitals" });
const result = await evaluate(mlflow, {
  data: [
    { inputs: { country: "France" }, outputs: "Paris", expectations: "Paris" },
    { inputs: { country: "Italy" }, outputs: "Rom", expectations: { expected_response: "Rome" } },
  ],
  scorers: [fromAutoevals(Levenshtein), fromAutoevals(ExactMatch)],
});
console.log(result.metrics["Levenshtein/mean"], result.metrics["ExactMatch/mean"]); // 0.875 0.5
await mlflow.flush(); // traces and feedback

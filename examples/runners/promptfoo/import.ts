// Copyright 2026 the evalhooks authors. MIT license.
//
// A promptfoo results file imported into MLflow: a parent run per eval, a run per provider, a
// trace per test case with each assertion as feedback. In this folder:
//   npx promptfoo eval -o results.json
//   MLFLOW_TRACKING_URI=http://127.0.0.1:5000 deno run -A import.ts
// (in your own project: import from "jsr:@evalhooks/mlflow" and "jsr:@evalhooks/mlflow/promptfoo";
// `deno run -A jsr:@evalhooks/mlflow/cli import-promptfoo results.json` does the same.)

import { createMlflow } from "../../../mod.ts";
import { importPromptfooResults } from "../../../src/integrations/promptfoo/mod.ts";

const mlflow = createMlflow();
const results = JSON.parse(await Deno.readTextFile("results.json"));
const imported = await importPromptfooResults(mlflow, results, { experimentName: "prompt-evals" });
for (const run of imported.runs) console.log(run.provider, run.metrics["success/mean"]);
await mlflow.close();

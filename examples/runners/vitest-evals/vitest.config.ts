// Copyright 2026 the evalhooks authors. MIT license.
//
// vitest-evals suites logged to MLflow as Vitest runs them: a run per describeEval, a trace per
// case with each judge's score as feedback. In a project with vitest and vitest-evals:
//   MLFLOW_TRACKING_URI=http://127.0.0.1:5000 npx vitest run

import { defineConfig } from "vitest/config";
import { mlflowReporter } from "@evalhooks/mlflow/vitest"; // npx jsr add @evalhooks/mlflow

export default defineConfig({
  test: {
    include: ["evals/**/*.eval.ts"],
    reporters: ["default", mlflowReporter({ experimentName: "agent-evals" })],
  },
});

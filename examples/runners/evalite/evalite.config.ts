// Copyright 2026 the evalhooks authors. MIT license.
//
// Evalite evals logged to MLflow as they run: the storage Evalite writes every result and score
// to, wrapped, also writes them to MLflow. In a project with evalite and vitest:
//   MLFLOW_TRACKING_URI=http://127.0.0.1:5000 npx evalite run

import { defineConfig } from "evalite/config";
import { createInMemoryStorage } from "evalite/in-memory-storage";
import { mlflowStorage } from "@evalhooks/mlflow/evalite"; // npx jsr add @evalhooks/mlflow

export default defineConfig({
  storage: () => mlflowStorage(createInMemoryStorage(), { experimentName: "evalite" }),
});

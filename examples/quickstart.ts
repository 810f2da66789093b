// Copyright 2026 the evalhooks authors. MIT license.
//
// A small eval logged to MLflow: `deno task demo`.
// With MLFLOW_TRACKING_URI set, it logs there. Without it, it starts a local MLflow server over
// ./.mlflow/ (created on first use), logs to it, stops it, and prints how to open the UI.

import { createMlflow } from "../mod.ts";
import { startLocalMlflow } from "../src/local_server/mlflow_server.ts";

const dataset = [
  { question: "What is 2 + 2?", answer: "4" },
  { question: "Capital of France?", answer: "Paris" },
  { question: "Largest planet?", answer: "Jupiter" },
  { question: "H2O is?", answer: "water" },
  { question: "Square root of 81?", answer: "9" },
];

// Stands in for a model call: deterministic, offline, sometimes wrong.
async function model(question: string): Promise<{ text: string; tokens: number }> {
  await new Promise((r) => setTimeout(r, 20));
  const canned: Record<string, string> = {
    "What is 2 + 2?": "4",
    "Capital of France?": "Paris",
    "Largest planet?": "Saturn",
    "H2O is?": "Water",
    "Square root of 81?": "9",
  };
  return { text: canned[question] ?? "?", tokens: question.length + 3 };
}

const given = Deno.env.get("MLFLOW_TRACKING_URI");
const storeDir = new URL("../.mlflow/", import.meta.url).pathname;
const server = given ? undefined : await startLocalMlflow({ storeDir });
const trackingUri = given ?? server!.uri;

try {
  const mlflow = createMlflow({ trackingUri, experimentName: "quickstart" });
  const run = mlflow.startRun({ runName: `quickstart-${new Date().toISOString().slice(0, 19)}` });
  run.logParams({ model: "canned-model", dataset: "five-questions", samples: dataset.length });

  const rows = [];
  let correct = 0;
  for (const [step, sample] of dataset.entries()) {
    const started = performance.now();
    const output = await model(sample.question);
    const match = output.text.trim().toLowerCase() === sample.answer.toLowerCase();
    correct += match ? 1 : 0;
    // Logging returns at once; the client batches and sends in the background.
    run.logMetrics(
      { "sample/match": match ? 1 : 0, "sample/tokens": output.tokens },
      { step },
    );
    rows.push({
      ...sample,
      output: output.text,
      match,
      ms: Math.round(performance.now() - started),
    });
  }
  run.logMetric("match/accuracy", correct / dataset.length);
  run.logTable(rows, "results/samples.json");
  run.end();
  await mlflow.flush();

  const info = await run.info();
  console.log(`Logged ${dataset.length} samples, accuracy ${correct}/${dataset.length}.`);
  if (!server) {
    console.log(`Run: ${trackingUri}/#/experiments/${info.experimentId}/runs/${info.runId}`);
  } else {
    console.log("The local server has stopped. To browse the store in MLflow's UI:");
    console.log("  deno task ui");
    console.log(`and open the run at <ui>/#/experiments/${info.experimentId}/runs/${info.runId}`);
  }
} finally {
  await server?.close();
}

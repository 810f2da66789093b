// Copyright 2026 the evalhooks authors. MIT license.
//
// Your own eval loop, logged to MLflow the way inspect_mlflow logs Inspect AI evals:
//   MLFLOW_TRACKING_URI=http://127.0.0.1:5000 deno run -A examples/eval_hooks.ts

import { type EvalSample, mlflowHooks } from "../mod.ts";

const hooks = mlflowHooks({ experimentName: "eval-hooks-example" }); // MLFLOW_TRACKING_URI enables it
if (!hooks.enabled()) {
  console.error("Set MLFLOW_TRACKING_URI to log to MLflow.");
  Deno.exit(2);
}

const runId = crypto.randomUUID().replaceAll("-", "");
const evalId = crypto.randomUUID().replaceAll("-", "");
const spec = {
  eval_id: evalId,
  run_id: runId,
  created: new Date().toISOString(),
  task: "arithmetic",
  model: "example/canned",
  dataset: { name: "sums", samples: 3 },
  model_generate_config: { temperature: 0 },
};
hooks.onRunStart({ run_id: runId, task_names: [spec.task] });
hooks.onTaskStart({ run_id: runId, eval_id: evalId, spec });

const rows = [["1 + 1", "2"], ["2 + 3", "5"], ["7 * 6", "42"]];
for (const [i, [question, target]] of rows.entries()) {
  const started = new Date();
  const answer = i === 1 ? "6" : target; // a model that gets one wrong
  const done = new Date(started.getTime() + 120);
  const sample: EvalSample = {
    id: i + 1,
    epoch: 1,
    uuid: `${evalId}-${i}`,
    input: question,
    target,
    output: {
      model: spec.model,
      choices: [{ message: { role: "assistant", content: answer } }],
      usage: { input_tokens: 8, output_tokens: 1, total_tokens: 9 },
    },
    messages: [{ role: "user", content: question }, { role: "assistant", content: answer }],
    scores: {
      match: { value: answer === target ? "C" : "I", answer, explanation: `expected ${target}` },
    },
    events: [{
      event: "model",
      timestamp: started.toISOString(),
      completed: done.toISOString(),
      model: spec.model,
      input: [{ role: "user", content: question }],
      output: {
        choices: [{ message: { role: "assistant", content: answer } }],
        usage: { input_tokens: 8, output_tokens: 1, total_tokens: 9 },
      },
      working_time: 0.12,
    }],
    started_at: started.toISOString(),
    completed_at: done.toISOString(),
    total_time: 0.12,
    working_time: 0.12,
  };
  const ids = { run_id: runId, eval_id: evalId, sample_id: sample.uuid! };
  hooks.onSampleStart({ ...ids, summary: { id: sample.id, epoch: 1 } });
  for (const event of sample.events!) hooks.onSampleEvent({ ...ids, event });
  hooks.onSampleEnd({ ...ids, sample });
}

const accuracy = 2 / 3;
hooks.onTaskEnd({
  run_id: runId,
  eval_id: evalId,
  log: {
    status: "success",
    eval: spec,
    results: {
      total_samples: 3,
      completed_samples: 3,
      scores: [{
        name: "match",
        scorer: "match",
        metrics: { accuracy: { name: "accuracy", value: accuracy } },
      }],
    },
    stats: {
      started_at: spec.created,
      completed_at: new Date().toISOString(),
      model_usage: { [spec.model]: { input_tokens: 24, output_tokens: 3, total_tokens: 27 } },
    },
  },
});
hooks.onRunEnd({ run_id: runId, logs: [] });
await hooks.flush();
console.log(
  `Logged task "arithmetic" (accuracy ${accuracy.toFixed(2)}) with 3 sample traces to ${
    hooks.mlflow!.trackingUri
  }`,
);

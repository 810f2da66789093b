// Copyright 2026 the evalhooks authors. MIT license.
//
// The quick start on Bun:
//   MLFLOW_TRACKING_URI=http://127.0.0.1:5000 bun examples/bun-quickstart.ts
// (in your own project: `bunx jsr add @evalhooks/mlflow`, then import from "@evalhooks/mlflow").

import { createMlflow } from "../mod.ts";

declare const Bun: { version: string }; // Bun's global, for `deno check` of this file

const mlflow = createMlflow({ experimentName: "bun-quickstart" }); // reads MLFLOW_TRACKING_URI
const answers: [string, string, string][] = [["2 + 2", "4", "4"], ["3 * 3", "9", "6"], [
  "10 / 2",
  "5",
  "5",
]];

const accuracy = await mlflow.run({ runName: `bun-${Bun.version}` }, (run) => {
  run.logParams({ runtime: `bun ${Bun.version}`, model: "canned" });
  let correct = 0;
  for (const [step, [question, target, output]] of answers.entries()) {
    const ok = output === target;
    correct += ok ? 1 : 0;
    run.logMetric("sample/match", ok ? 1 : 0, { step });
    mlflow.startTrace({ name: `sample:${step}`, run, inputs: question }).end({ outputs: output });
  }
  run.logTable(
    answers.map(([question, target, output]) => ({ question, target, output })),
    "results.json",
  );
  run.logMetric("match/accuracy", correct / answers.length);
  return correct / answers.length;
});
await mlflow.flush();
console.log(`accuracy ${accuracy.toFixed(2)}, logged to ${mlflow.trackingUri}`);

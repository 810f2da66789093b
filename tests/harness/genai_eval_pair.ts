// Copyright 2026 the evalhooks authors. MIT license.
// One eval run twice into one experiment: by Python's `mlflow.genai.evaluate` and by our
// `evaluate()`, on the same rows, with the same predict and the same scorers (pass/fail, numeric,
// several values, and one that throws). What the parity test and the UI check compare.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createMlflow, type EvaluateResult, type Mlflow, scorer } from "../../mod.ts";
import { mlflowPython } from "./mlflow_python.ts";

export const ROWS = [
  { inputs: { country: "France" }, expectations: { expected_response: "Paris" } },
  { inputs: { country: "Japan" }, expectations: { expected_response: "Tokyo" } },
  { inputs: { country: "Australia" }, expectations: { expected_response: "Canberra" } },
];

const PYTHON = `
import json, mlflow
from mlflow.entities import Feedback
from mlflow.genai.scorers import scorer
mlflow.set_experiment(experiment_id=EXPERIMENT_ID)
data = json.loads(ROWS)
capitals = {"France": "Paris", "Japan": "Tokyo", "Australia": "Sydney"}
def predict(country):
    return capitals[country]
@scorer
def exact_match(outputs, expectations):
    return outputs == expectations["expected_response"]
@scorer
def brevity(outputs):
    return len(str(outputs).split(" ")) <= 2
@scorer
def length(outputs):
    return len(outputs)
@scorer
def multi(outputs):
    return [Feedback(name="multi/len", value=len(outputs)), Feedback(name="multi/upper", value=outputs.isupper())]
@scorer
def boom(outputs):
    raise ValueError("kaboom")
with mlflow.start_run(run_name="python") as run:
    mlflow.genai.evaluate(data=data, predict_fn=predict, scorers=[exact_match, brevity, length, multi, boom])
print("OUT:" + run.info.run_id)
`;

/** Both runs, in one new experiment; our client is returned open (the caller closes it). */
export async function genaiEvalPair(uri: string, experimentName: string): Promise<{
  mlflow: Mlflow;
  experimentId: string;
  pythonRunId: string;
  ours: EvaluateResult;
}> {
  const mlflow = createMlflow({ trackingUri: uri, experimentName });
  const capitals: Record<string, string> = { France: "Paris", Japan: "Tokyo", Australia: "Sydney" };
  const ours = await mlflow.evaluate({
    data: ROWS,
    runName: "typescript",
    predict: function predict(inputs) {
      return capitals[(inputs as { country: string }).country];
    },
    scorers: [
      scorer(
        "exact_match",
        ({ outputs, expectations }) =>
          outputs === (expectations as { expected_response: string }).expected_response,
      ),
      scorer("brevity", ({ outputs }) => String(outputs).split(" ").length <= 2),
      scorer("length", ({ outputs }) => String(outputs).length),
      scorer("multi", ({ outputs }) => ({
        len: String(outputs).length,
        upper: String(outputs).toUpperCase() === outputs,
      })),
      scorer("boom", () => {
        throw new Error("kaboom");
      }),
    ],
  });
  await mlflow.flush();
  const { experimentId } = await mlflow.getRun(ours.runId).then((r) => r.info);
  // From a file, so that Python can read predict's source for its digest.
  const script = join(mkdtempSync(join(tmpdir(), "genai-eval-")), "eval.py");
  writeFileSync(
    script,
    PYTHON.replace("EXPERIMENT_ID", JSON.stringify(experimentId)).replace(
      "json.loads(ROWS)",
      `json.loads(${JSON.stringify(JSON.stringify(ROWS))})`,
    ),
  );
  const pythonRunId = mlflowPython(
    `import runpy; runpy.run_path(${JSON.stringify(script)}, run_name="__main__")`,
    { MLFLOW_TRACKING_URI: uri },
  );
  rmSync(dirname(script), { recursive: true, force: true });
  return { mlflow, experimentId, pythonRunId, ours };
}

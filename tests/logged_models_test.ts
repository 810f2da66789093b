// Copyright 2026 the evalhooks authors. MIT license.
// Agent versions (MLflow's LoggedModels): created here and read by Python's client, an active
// model carried by traces, and evaluate() linking its run and scores to the version.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow, exactMatch, type Mlflow, MlflowValidationError } from "../mod.ts";
import { startFaultProxy } from "./harness/fault_proxy.ts";
import { mlflowPython } from "./harness/mlflow_python.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

async function client(uri?: string): Promise<Mlflow> {
  return createMlflow({
    trackingUri: uri ?? await trackingUri(),
    experimentName: uniqueName("agents"),
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    onError: () => {},
  });
}

test("logged models: created ready with params and tags; Python's get_logged_model reads the same", async () => {
  const uri = await trackingUri();
  const mlflow = await client();
  const model = await mlflow.createLoggedModel({
    name: "support-agent",
    params: { model: "gpt-4o-mini", temperature: 0.2, tools: true },
    tags: { team: "support" },
    modelType: "agent",
  });
  assert.match(model.modelId, /^m-/);
  assert.equal(model.status, "LOGGED_MODEL_READY");
  // Values as params are written everywhere in the client: a boolean as Python's str() has it.
  assert.deepEqual(model.params, { model: "gpt-4o-mini", temperature: "0.2", tools: "True" });
  const py = JSON.parse(mlflowPython(
    `import json, mlflow
m = mlflow.get_logged_model(${JSON.stringify(model.modelId)})
print("OUT:" + json.dumps({"name": m.name, "status": str(m.status), "params": m.params, "type": m.model_type, "team": m.tags.get("team"), "external": m.tags.get("mlflow.model.isExternal")}))`,
    { MLFLOW_TRACKING_URI: uri },
  ));
  assert.deepEqual(py, {
    name: "support-agent",
    status: "READY",
    params: { model: "gpt-4o-mini", temperature: "0.2", tools: "True" },
    type: "agent",
    team: "support",
    external: "true",
  });
  assert.equal((await mlflow.searchLoggedModels({ filter: "name = 'support-agent'" })).length, 1);
  await assert.rejects(
    mlflow.createLoggedModel({ name: " " }),
    (e) => e instanceof MlflowValidationError && e.rule === "non_empty_string",
  );
  await mlflow.close();
});

test("logged models: a create whose answer is lost is checked by its create id: one model, not two", async () => {
  const uri = await trackingUri();
  let creates = 0;
  const proxy = await startFaultProxy(uri, ({ path, method }) => {
    if (method !== "POST" || !path.endsWith("/logged-models")) return undefined;
    return ++creates === 1 ? "reset-after" : undefined; // the first one lands, unanswered
  });
  try {
    const mlflow = await client(proxy.uri);
    const model = await mlflow.createLoggedModel({ name: "retried-agent" });
    // Bun's fetch leaves the retry to us (found by its create id, not sent again); Deno's sends
    // the POST again itself, and the twin it made is removed by its create id.
    assert.ok(creates >= 1 && creates <= 2, `${creates} creates`);
    assert.deepEqual(
      (await mlflow.searchLoggedModels({ filter: "name = 'retried-agent'" })).map((m) => m.modelId),
      [model.modelId],
    );
    await mlflow.close();
  } finally {
    await proxy.close();
  }
});

test("setActiveModel: found or made by name; traces carry mlflow.modelId; evaluate() links run and scores", async () => {
  const uri = await trackingUri();
  const mlflow = await client();
  const v1 = await mlflow.setActiveModel({ name: "capitals-agent-v1", params: { prompt: "v1" } });
  assert.ok(v1);
  // Made once, then found again by name.
  assert.equal((await mlflow.setActiveModel({ name: "capitals-agent-v1" }))?.modelId, v1.modelId);
  assert.equal(mlflow.activeModelId(), v1.modelId);

  await mlflow.trace("ad-hoc", () => "Paris", { inputs: "capital of France?" });
  const result = await mlflow.evaluate({
    data: [
      { inputs: "France", outputs: "Paris", expectations: "Paris" },
      { inputs: "Australia", outputs: "Sydney", expectations: "Canberra" },
    ],
    scorers: [exactMatch()],
  });
  await mlflow.flush();

  const run = await mlflow.getRun(result.runId);
  const traces = await mlflow.searchTraces({ experimentIds: [run.info.experimentId] });
  assert.equal(traces.length, 3);
  for (const t of traces) assert.equal(t.metadata["mlflow.modelId"], v1.modelId);
  // The version holds the eval's score, linked to the run.
  const model = await mlflow.getLoggedModel(v1.modelId);
  assert.equal(model.metrics["exact_match/mean"], 0.5);

  const py = JSON.parse(mlflowPython(
    `import json, mlflow
run = mlflow.get_run(${JSON.stringify(result.runId)})
m = mlflow.get_logged_model(${JSON.stringify(v1.modelId)})
traces = mlflow.search_traces(locations=[${JSON.stringify(run.info.experimentId)}], model_id=${
      JSON.stringify(v1.modelId)
    }, return_type="list")
print("OUT:" + json.dumps({"inputs": [i.model_id for i in run.inputs.model_inputs], "metrics": [[x.key, x.value, x.run_id] for x in m.metrics], "traces": len(traces)}))`,
    { MLFLOW_TRACKING_URI: uri },
  ));
  assert.deepEqual(py, {
    inputs: [v1.modelId],
    metrics: [["exact_match/mean", 0.5, result.runId]],
    traces: 3,
  });

  // A second version, and clearing: traces then carry no model.
  const v2 = await mlflow.setActiveModel({ name: "capitals-agent-v2" });
  assert.notEqual(v2?.modelId, v1.modelId);
  assert.equal(await mlflow.setActiveModel(null), undefined);
  const root = mlflow.startTrace({ name: "after" });
  root.end();
  await mlflow.flush();
  assert.equal((await mlflow.getTrace(root.traceId)).info.metadata["mlflow.modelId"], undefined);
  await assert.rejects(
    mlflow.setActiveModel({ modelId: v1.modelId, name: "capitals-agent-v2" }),
    (e) => e instanceof MlflowValidationError && e.rule === "name_mismatch",
  );
  await assert.rejects(
    mlflow.setActiveModel({}),
    (e) => e instanceof MlflowValidationError && e.rule === "one_of",
  );
  await mlflow.close();
});

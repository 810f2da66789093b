// Copyright 2026 the evalhooks authors. MIT license.
// The same end-to-end smoke on every runtime: a run with params, metrics and a table artifact, a
// trace with feedback, flush, then read it all back. Plain JavaScript so that Node and workerd
// load it as they are. `lib` is the module under test (mod.ts, or its bundle).

/** Logs, flushes, reads back; throws on any mismatch; returns what it checked. */
export async function smoke(lib, trackingUri, experimentName, runtime) {
  const mlflow = lib.createMlflow({ trackingUri, experimentName, onError: () => {} });
  const run = mlflow.startRun({ runName: `smoke-${runtime}`, tags: { runtime } });
  run.logParams({ runtime, model: "smoke/model" });
  for (let step = 0; step < 20; step++) run.logMetric("sample/score", step / 20, { step });
  run.logTable(
    [{ q: "2+2", a: "4", ok: true }, { q: "3+3", a: "5", ok: false }],
    "smoke/table.json",
  );
  const root = mlflow.startTrace({ name: "smoke", run, inputs: { q: "2+2" } });
  root.startSpan({
    name: "model",
    spanType: "CHAT_MODEL",
    inputs: { messages: [{ role: "user", content: "2+2" }] },
  })
    .end({ outputs: { choices: [{ message: { role: "assistant", content: "4" } }] } });
  root.end({ outputs: "4" });
  mlflow.logFeedback({ traceId: root.traceId, name: "correct", value: true });
  run.end();
  await mlflow.flush();

  const data = await mlflow.getRun(run);
  const check = (ok, what) => {
    if (!ok) throw new Error(`${runtime}: ${what}`);
  };
  check(data.info.status === "FINISHED", `status ${data.info.status}`);
  check(data.params.runtime === runtime, "param");
  check((await mlflow.getMetricHistory(run, "sample/score")).length === 20, "metric history");
  const table = JSON.parse(
    new TextDecoder().decode(await mlflow.downloadArtifact(run, "smoke/table.json")),
  );
  check(table.columns.join(",") === "q,a,ok" && table.data.length === 2, "table");
  check(JSON.parse(data.tags["mlflow.loggedArtifacts"])[0].type === "table", "table tag");
  const trace = await mlflow.getTrace(root.traceId);
  check(trace.spans.length === 2, "spans");
  check(
    trace.info.assessments.length === 1 && trace.info.assessments[0].value === true,
    "feedback",
  );
  check(trace.info.metadata["mlflow.sourceRun"] === data.info.runId, "trace linked to run");
  return { runId: data.info.runId, traceId: root.traceId, runtime };
}

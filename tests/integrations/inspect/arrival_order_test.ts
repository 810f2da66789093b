// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { createMlflow, type Mlflow } from "../../../mod.ts";
import {
  type EvalLog,
  type EvalSample,
  importInspectLog,
  mlflowHooks,
  readInspectLog,
  replayLog,
} from "../../../src/integrations/inspect/mod.ts";
import { FIXTURES, readJsonFixture } from "../../harness/fixtures.ts";
import { trackingUri, uniqueName } from "../../harness/server.ts";

// The fixture's samples as the live hooks would see them end: by completed_at (all written in
// UTC with microseconds, so the strings sort as the times do).
function byCompletion(samples: readonly EvalSample[]): EvalSample[] {
  return [...samples].sort((a, b) => a.completed_at!.localeCompare(b.completed_at!));
}

async function taskRunSeries(mlflow: Mlflow, experimentName: string) {
  const experiment = await mlflow.getExperimentByName(experimentName);
  const runs = await mlflow.searchRuns({ experimentIds: [experiment!.experimentId] });
  const task = runs.find((r) => r.tags["mlflow.parentRunId"])!;
  const series: Record<string, [number, number][]> = {};
  for (const key of Object.keys(task.metrics).filter((k) => /^(sample|event)\//.test(k)).sort()) {
    series[key] = (await mlflow.getMetricHistory(task.info.runId, key))
      .map((p) => [p.step, p.value] as [number, number])
      .sort((a, b) => a[0] - b[0]);
  }
  return { run: task, series };
}

test("arrival order: both readers give the samples in the order they finished", async () => {
  const expected = byCompletion(readJsonFixture("out_of_order.json").samples!)
    .map((s) => `${s.epoch}/${s.id}`);
  // The fixture finishes out of id order: the default (Inspect's) order differs.
  assert.notDeepEqual(
    expected,
    [1, 2].flatMap((epoch) => Array.from({ length: 12 }, (_, i) => `${epoch}/${i + 1}`)),
  );
  for (const file of ["out_of_order.eval", "out_of_order.json"]) {
    const log = await readInspectLog(join(FIXTURES, file));
    const ids: string[] = [];
    for await (const s of log.samples({ order: "completion" })) ids.push(`${s.epoch}/${s.id}`);
    await log.close();
    assert.deepEqual(ids, expected, file);
  }
});

test("arrival order: without times, samples keep Inspect's order; ties break by it", async () => {
  const sample = (id: number, epoch: number, completed_at?: string): EvalSample => ({
    id,
    epoch,
    input: "q",
    target: "a",
    completed_at,
    events: [],
  });
  const order = (samples: EvalSample[]) => {
    const seen: string[] = [];
    const hooks = mlflowHooks({ env: {} }); // no server: disabled, but the calls still arrive
    hooks.onSampleEnd = (data) => seen.push(`${data.sample.epoch}/${data.sample.id}`);
    const log = {
      status: "success",
      eval: { eval_id: "e", run_id: "r", created: "", task: "t", model: "m" },
      samples,
    } as EvalLog;
    return replayLog(log, hooks).then(() => seen);
  };
  assert.deepEqual(
    await order([sample(10, 1), sample(2, 2), sample(2, 1), sample(1, 1)]),
    ["1/1", "1/2", "1/10", "2/2"],
  );
  const t = "2026-01-01T00:00:00.000001+00:00";
  assert.deepEqual(
    await order([
      sample(3, 1, t),
      sample(2, 1, "2026-01-01T00:00:00.000002+00:00"),
      sample(1, 1, t),
      sample(4, 1),
    ]),
    ["1/1", "1/3", "1/2", "1/4"],
  );
});

test("arrival order: the import's steps follow completed_at in both formats, as the live hooks' do", async () => {
  const uri = await trackingUri();
  const mlflow = createMlflow({ trackingUri: uri });
  const log = readJsonFixture("out_of_order.json");
  const finished = byCompletion(log.samples!);

  const imported = [];
  for (const file of ["out_of_order.eval", "out_of_order.json"]) {
    const experimentName = uniqueName("arrival-import");
    const result = await importInspectLog(join(FIXTURES, file), {
      trackingUri: uri,
      experimentName,
      traces: false,
      env: {},
    });
    assert.equal(result.status, "imported", result.reason);
    imported.push((await taskRunSeries(mlflow, experimentName)).series);
  }
  assert.deepEqual(imported[1], imported[0], ".eval and .json land the same steps");

  // Each sample's metrics sit at its rank by completed_at.
  const series = imported[0];
  assert.deepEqual(
    series["sample/total_time"],
    finished.map((s, step) => [step, s.total_time]),
  );
  for (const scorer of Object.keys(finished[0].scores ?? {})) {
    const points = series[`sample/${scorer}`];
    if (!points) continue;
    for (const [step, value] of points) {
      const score = finished[step].scores![scorer].value;
      if (typeof score === "number") assert.equal(value, score, `${scorer} at ${step}`);
    }
  }

  // The live hooks, fed the same samples in the order they finished, log the same series.
  const experimentName = uniqueName("arrival-live");
  const hooks = mlflowHooks({ trackingUri: uri, experimentName, tracing: false, env: {} });
  const spec = log.eval;
  const ids = { run_id: spec.run_id, eval_id: spec.eval_id };
  hooks.onRunStart({ run_id: spec.run_id, task_names: [spec.task] });
  hooks.onTaskStart({ ...ids, spec, plan: log.plan });
  for (const sample of finished) {
    const base = { ...ids, sample_id: sample.uuid! };
    hooks.onSampleStart({ ...base, summary: { id: sample.id, epoch: sample.epoch } });
    for (const event of sample.events ?? []) hooks.onSampleEvent({ ...base, event });
    hooks.onSampleEnd({ ...base, sample });
  }
  const { samples: _samples, ...header } = log;
  hooks.onTaskEnd({ ...ids, log: header as EvalLog });
  hooks.onRunEnd({ run_id: spec.run_id, logs: [header as EvalLog] });
  await hooks.flush();
  assert.deepEqual((await taskRunSeries(mlflow, experimentName)).series, series);
});

test("new hook data: model retries, sample attempts, usage retries and the plan", async () => {
  const uri = await trackingUri();
  const mlflow = createMlflow({ trackingUri: uri });
  const experimentName = uniqueName("hook-retries");
  const hooks = mlflowHooks({ trackingUri: uri, experimentName, tracing: false, env: {} });
  const plan = {
    name: "plan",
    steps: [{ solver: "use_tools", params: {} }, { solver: "generate", params: { cache: false } }],
    config: {},
  };
  const sample = (id: number, completed: string, extra: Partial<EvalSample> = {}): EvalSample => ({
    id,
    epoch: 1,
    uuid: `u${id}`,
    input: "2 + 2?",
    target: "4",
    scores: { match: { value: "C" } },
    total_time: id,
    completed_at: completed,
    events: [{
      event: "model",
      timestamp: completed,
      model: "mockllm/model",
      input: [],
      output: { usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } },
      retries: id === 2 ? 3 : 0,
    }],
    ...extra,
  });
  const log: EvalLog = {
    status: "success",
    eval: {
      eval_id: "retries-eval",
      run_id: "retries-run",
      created: "2026-01-01T00:00:00+00:00",
      task: "retries",
      model: "mockllm/model",
    },
    plan,
    stats: {
      started_at: "2026-01-01T00:00:00+00:00",
      completed_at: "2026-01-01T00:01:00+00:00",
      model_usage: {},
    },
    samples: [
      sample(1, "2026-01-01T00:00:30+00:00"),
      // Retried twice, then it succeeded: still one sample.
      sample(2, "2026-01-01T00:00:20+00:00", {
        error_retries: [{ message: "reset" }, { message: "reset again" }],
      }),
    ],
  };
  // Live-only data, as Inspect's runner would pass it while the samples run.
  const live = { eval_id: "retries-eval", model_name: "mockllm/model" };
  const realTaskStart = hooks.onTaskStart;
  hooks.onTaskStart = (data) => {
    realTaskStart(data);
    hooks.onModelRetry!({ ...live, attempt: 1, wait_time: 1.5, status_code: 429 });
    hooks.onModelRetry!({ ...live, attempt: 2, wait_time: 3, status_code: 429 });
    hooks.onModelRetry!({ ...live, attempt: 1, wait_time: 0.5, status_code: 503 });
    hooks.onModelRetry!({ ...live, attempt: 1, wait_time: 0.5 });
    const usage = { input_tokens: 1, output_tokens: 1, total_tokens: 2 };
    hooks.onModelUsage({ ...live, usage, call_duration: 0.1, retries: 2 });
    hooks.onModelUsage({ ...live, usage, call_duration: 0.1, retries: 1 });
  };
  await replayLog(log, hooks);
  await hooks.flush();

  const experiment = await mlflow.getExperimentByName(experimentName);
  const runs = await mlflow.searchRuns({ experimentIds: [experiment!.experimentId] });
  const task = runs.find((r) => r.tags["mlflow.parentRunId"])!;
  const history = async (key: string) =>
    (await mlflow.getMetricHistory(task.info.runId, key))
      .map((p) => [p.step, p.value])
      .sort((a, b) => a[0] - b[0]);
  assert.deepEqual(await history("event/model_retry"), [[0, 1], [1, 2], [2, 3], [3, 4]]);
  assert.deepEqual(await history("event/model_retry_wait"), [[0, 1.5], [1, 3], [2, 0.5], [3, 0.5]]);
  assert.deepEqual(await history("event/model_retry/429"), [[0, 1], [1, 2]]);
  assert.deepEqual(await history("event/model_retry/503"), [[0, 1]]);
  assert.deepEqual(await history("model_usage/mockllm/model/retries"), [[0, 2], [1, 3]]);
  // The retried sample: one step (it finished first), its failed attempts counted apart.
  assert.deepEqual(await history("sample/total_time"), [[0, 2], [1, 1]]);
  assert.deepEqual(await history("event/sample_retry"), [[0, 1], [1, 2]]);
  assert.equal(task.metrics.retried_samples, 1);
  assert.equal(task.metrics.total_sample_retries, 2);
  assert.equal(task.metrics.total_model_retries, 3);
  assert.equal(task.metrics.total_model_calls, 2);
  const samples = JSON.parse(
    new TextDecoder().decode(
      await mlflow.downloadArtifact(task.info.runId, "inspect/samples.json"),
    ),
  );
  assert.equal(samples.data.length, 2);
  const logged = JSON.parse(
    new TextDecoder().decode(
      await mlflow.downloadArtifact(task.info.runId, "plan/plan_retries-eval.json"),
    ),
  );
  assert.deepEqual(logged, plan);
});

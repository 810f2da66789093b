// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  createMlflow,
  evalIdOf,
  type EvalLog,
  type EvalSample,
  type Mlflow,
  MlflowConfigError,
  type MlflowError,
  MlflowFlushError,
  mlflowHooks,
  replayLog,
} from "../mod.ts";
import { freePort } from "../src/local_server/mlflow_server.ts";
import { numberLiteral } from "../src/base/json_floats.ts";
import { pythonStr } from "../src/base/python_repr.ts";
import {
  compareCompletion,
  finishedAt,
  sampleSortKey,
} from "../src/integrations/inspect/sample_order.ts";
import { fixtureNames, readJsonFixture } from "./harness/fixtures.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

// What inspect_mlflow maps to a number; computed here from the log, independently of the hooks.
const NUMERIC: Record<string, number> = {
  C: 1,
  correct: 1,
  I: 0,
  incorrect: 0,
  P: 0.5,
  partial: 0.5,
};
const numeric = (v: unknown) =>
  typeof v === "boolean"
    ? Number(v)
    : typeof v === "number"
    ? v
    : typeof v === "string"
    ? NUMERIC[v]
    : undefined;

async function replayInto(log: EvalLog, extra: Record<string, unknown> = {}) {
  const experimentName = uniqueName("hooks");
  const errors: MlflowError[] = [];
  const hooks = mlflowHooks({
    trackingUri: await trackingUri(),
    experimentName,
    env: {},
    onError: (e) => errors.push(e),
    ...extra,
  });
  await replayLog(log, hooks);
  await hooks.flush();
  const reader = createMlflow({ trackingUri: await trackingUri() });
  const experiment = await reader.getExperimentByName(experimentName);
  const runs = await reader.searchRuns({ experimentIds: [experiment!.experimentId] });
  return { reader, runs, experimentId: experiment!.experimentId, errors, hooks };
}

for (const name of fixtureNames(".json")) {
  test(`hooks: replaying ${name} writes inspect_mlflow's structure`, async () => {
    const log = readJsonFixture(name);
    const evalId = evalIdOf(log);
    // Replayed in the order they finished (sample_order.ts): steps are arrival indices.
    const samples = (log.samples ?? [])
      .map((s) => ({ s, epoch: s.epoch, key: sampleSortKey(s.id), time: finishedAt(s) }))
      .sort(compareCompletion)
      .map(({ s }) => s);
    const { reader, runs, experimentId, errors } = await replayInto(log);
    assert.deepEqual(errors.map((e) => e.message), []);

    // The run tree: a parent named after the run id, one nested task run.
    assert.equal(runs.length, 2);
    const parent = runs.find((r) => r.info.runName.startsWith("inspect-"))!;
    const task = runs.find((r) => r !== parent)!;
    assert.equal(parent.info.runName, `inspect-${log.eval.run_id.slice(0, 8)}`);
    assert.deepEqual(
      [
        parent.tags["inspect.run_id"],
        parent.tags["inspect.task_count"],
        parent.tags["inspect.tasks"],
      ],
      [log.eval.run_id, "1", log.eval.task],
    );
    assert.equal(task.info.runName, log.eval.task);
    assert.equal(task.tags["mlflow.parentRunId"], parent.info.runId);
    assert.equal(task.tags["inspect.eval_id"], evalId);
    assert.equal(task.tags["inspect.task"], log.eval.task);
    assert.equal(task.tags["inspect.model"], log.eval.model);
    const expectedStatus = { success: "FINISHED", cancelled: "KILLED" }[log.status as string] ??
      "FAILED";
    assert.equal(task.info.status, expectedStatus);
    assert.equal(parent.info.status, log.status === "error" ? "FAILED" : "FINISHED");

    // Params.
    assert.equal(task.params.task, log.eval.task);
    assert.equal(task.params.model, log.eval.model);
    assert.equal(task.params.task_version, String(log.eval.task_version ?? 0));
    assert.equal(task.params["dataset.name"], log.eval.dataset?.name ?? "");
    assert.equal(task.params["dataset.samples"], String(log.eval.dataset?.samples ?? ""));
    // As Python's str() writes them: `1.0`, `None`, `{'k': 2}`; temperature and top_p are floats.
    const args = log.eval.task_args_passed ?? {};
    for (const [k, v] of Object.entries(args)) {
      assert.equal(task.params[`task_arg.${k}`], pythonStr(v, { literal: numberLiteral(args, k) }));
    }
    const config = log.eval.model_generate_config ?? {};
    for (const k of ["temperature", "top_p", "max_tokens"] as const) {
      const float = k !== "max_tokens";
      if (config[k] != null) assert.equal(task.params[k], pythonStr(config[k], { float }));
    }

    // Task-level metrics: every numeric score metric, as the log has it.
    const expected: Record<string, number> = {};
    for (const score of log.results?.scores ?? []) {
      for (const [m, metric] of Object.entries(score.metrics)) {
        if (typeof metric.value === "number") expected[`${score.name}/${m}`] = metric.value;
      }
    }
    if (log.results) {
      expected.total_samples = log.results.total_samples;
      expected.completed_samples = log.results.completed_samples;
    }
    for (const [model, u] of Object.entries(log.stats?.model_usage ?? {})) {
      expected[`usage/${model}/input_tokens`] = u.input_tokens;
      expected[`usage/${model}/output_tokens`] = u.output_tokens;
      expected[`usage/${model}/total_tokens`] = u.total_tokens;
    }
    for (const [k, v] of Object.entries(expected)) {
      if (Number.isNaN(v)) assert.ok(Number.isNaN(task.metrics[k]), k);
      else assert.equal(task.metrics[k], v, k);
    }

    // Per-sample metrics: samples are counted 0..n-1, and each has a point at its step for each
    // numeric score it has (an errored or cancelled sample has none), as in inspect_mlflow.
    const scorers = new Set<string>();
    for (const s of samples) {
      for (const [scorer, score] of Object.entries(s.scores ?? {})) {
        if (numeric(score.value) !== undefined) scorers.add(scorer);
      }
    }
    for (const scorer of scorers) {
      const scored = [...samples.entries()].filter(([, s]) =>
        numeric(s.scores?.[scorer]?.value) !== undefined
      );
      const history = await reader.getMetricHistory(task.info.runId, `sample/${scorer}`);
      assert.deepEqual(
        history.map((p) => p.step).sort((a, b) => a - b),
        scored.map(([i]) => i),
        scorer,
      );
      const bySteps = history.sort((a, b) => a.step - b.step).map((p) => p.value);
      assert.deepEqual(bySteps, scored.map(([, s]) => numeric(s.scores?.[scorer]?.value)));
    }
    if (samples.some((s) => typeof s.total_time === "number")) {
      assert.equal(
        (await reader.getMetricHistory(task.info.runId, "sample/total_time")).length,
        samples.length,
      );
      const walls = samples.map((s) => s.total_time!).sort((a, b) => a - b);
      assert.ok(
        Math.abs(
          task.metrics["latency/per_sample_mean_seconds"] -
            walls.reduce((a, b) => a + b, 0) / walls.length,
        ) < 1e-9,
      );
    }
    // Event counters: exactly the completed model and tool events of the log.
    const events = samples.flatMap((s) => s.events ?? []).filter((e) => !e.pending);
    const modelEvents = events.filter((e) => e.event === "model").length;
    const toolEvents = events.filter((e) => e.event === "tool").length;
    if (events.length > 0) {
      assert.equal(task.metrics.total_model_calls, modelEvents);
      assert.equal(task.metrics.total_tool_calls, toolEvents);
      assert.equal(
        (await reader.getMetricHistory(task.info.runId, "event/model_call")).length,
        modelEvents,
      );
    }

    // Tables: the six inspect tables (those with rows), their columns and row counts.
    const tables = JSON.parse(task.tags["mlflow.loggedArtifacts"] ?? "[]") as { path: string }[];
    const read = async (path: string) =>
      JSON.parse(new TextDecoder().decode(await reader.downloadArtifact(task.info.runId, path)));
    const taskTable = await read("inspect/tasks.json");
    assert.deepEqual(taskTable.columns, [
      "task_name",
      "eval_id",
      "task_file",
      "task_version",
      "task_id",
      "solver",
      "model",
      "dataset",
      "dataset_samples",
    ]);
    assert.equal(taskTable.data.length, 1);
    if (samples.length > 0) {
      assert.deepEqual(tables.map((t) => t.path).slice(0, 2), [
        "inspect/tasks.json",
        "inspect/samples.json",
      ]);
      const sampleTable = await read("inspect/samples.json");
      assert.deepEqual(sampleTable.columns.slice(0, 11), [
        "task_name",
        "eval_id",
        "sample_id",
        "input",
        "target",
        "output",
        "scores",
        "events_count",
        "total_time",
        "working_time",
        "error",
      ]);
      assert.equal(sampleTable.data.length, samples.length);
      const scoreRows = samples.reduce((n, s) => n + Object.keys(s.scores ?? {}).length, 0);
      // Empty tables are not written, as in inspect_mlflow.
      if (scoreRows > 0) {
        assert.equal((await read("inspect/sample_scores.json")).data.length, scoreRows);
      } else assert.ok(!tables.some((t) => t.path === "inspect/sample_scores.json"));
      const messages = samples.reduce((n, s) => n + (s.messages?.length ?? 0), 0);
      if (messages > 0) assert.equal((await read("inspect/messages.json")).data.length, messages);
      const allEvents = samples.reduce((n, s) => n + (s.events?.length ?? 0), 0);
      if (allEvents > 0) assert.equal((await read("inspect/events.json")).data.length, allEvents);
      const results = await read(`sample_results/sample_results_${evalId}.json`);
      assert.equal(results.length, samples.length);
    }
    const evalLog = await read(`eval_logs/eval_log_${evalId}.json`);
    assert.equal(evalLog.eval.eval_id, evalId);
    assert.equal(evalLog.samples, undefined);

    // One trace per sample, linked to the task run, with one feedback per score.
    const traces = await reader.searchTraces({ experimentIds: [experimentId] });
    assert.equal(traces.length, samples.length);
    for (const trace of traces) {
      assert.equal(trace.metadata["mlflow.sourceRun"], task.info.runId);
      assert.equal(trace.metadata["inspect.eval_id"], evalId);
      const sample = samples.find((s) =>
        String(s.id) === trace.metadata["inspect.sample_id"] &&
        String(s.epoch) === trace.metadata["inspect.epoch"]
      )!;
      assert.ok(sample, `trace for an unknown sample ${trace.metadata["inspect.sample_id"]}`);
      const feedback = Object.fromEntries(trace.assessments.map((a) => [a.name, a]));
      for (const [scorer, score] of Object.entries(sample.scores ?? {})) {
        const a = feedback[`inspect/${scorer}`];
        assert.ok(a, `no feedback for ${scorer}`);
        assert.deepEqual(a.value, numeric(score.value) ?? score.value);
        assert.deepEqual(a.source, { sourceType: "CODE", sourceId: "inspect_ai" });
        if (score.explanation) assert.equal(a.rationale, score.explanation);
      }
    }
  });
}

test("hooks: the span tree of a sample's trace follows its events", async () => {
  const log = readJsonFixture("large.json");
  const { reader, experimentId } = await replayInto(log);
  const sample = log.samples![0];
  const [trace] = await reader.searchTraces({
    experimentIds: [experimentId],
    filter: `metadata.\`inspect.sample_id\` = '${sample.id}'`,
  });
  const { spans } = await reader.getTrace(trace.traceId);
  const root = spans.find((s) => !s.parentSpanId)!;
  assert.equal(root.name, `sample:${sample.id}`);
  const events = (sample.events ?? []).filter((e) => !e.pending);
  const count = (type: string) => events.filter((e) => e.event === type).length;
  for (const type of ["model", "tool", "score", "span_begin"]) assert.ok(count(type) > 0, type);
  assert.equal(spans.filter((s) => s.name.startsWith("model:")).length, count("model"));
  assert.equal(spans.filter((s) => s.name.startsWith("tool:")).length, count("tool"));
  // Score events are "score" spans; Inspect's own "scorers" and per-scorer spans are EVALUATOR
  // spans too, counted with span_begin below.
  assert.equal(
    spans.filter((s) =>
      s.spanType === "EVALUATOR" && (s.name === "score" || s.name.startsWith("score:"))
    ).length,
    count("score"),
  );
  assert.equal(
    spans.length,
    1 + count("model") + count("tool") + count("score") + count("span_begin"),
  );
  const llm = spans.find((s) => s.spanType === "LLM")!;
  assert.ok(Array.isArray((llm.inputs as { messages: unknown[] }).messages));
  assert.ok(llm.attributes["mlflow.chat.tokenUsage"]);
  // Span times are the sample's and the events' own, not the time of the replay (to the ms).
  const ms = (ns: bigint) => Number(ns / 1_000_000n);
  assert.ok(sample.started_at);
  // The root spans the whole sample: Inspect 0.3.285 stamps started_at about 11 ms after the
  // sample's first event, so the root starts at whichever is earlier, and no span before it.
  assert.equal(
    ms(root.startTimeNs),
    Math.min(Date.parse(sample.started_at), Date.parse(sample.events![0].timestamp)),
  );
  for (const span of spans) {
    assert.ok(span.startTimeNs >= root.startTimeNs, `${span.name} starts before its trace`);
  }
  const firstModel = events.find((e) => e.event === "model")!;
  const modelSpans = spans.filter((s) => s.name.startsWith("model:"));
  assert.equal(
    Math.min(...modelSpans.map((s) => ms(s.startTimeNs))),
    Date.parse(firstModel.timestamp),
  );
});

test("hooks: configuration from the environment, strict booleans, clear errors", () => {
  const make = (env: Record<string, string>) => mlflowHooks({ env });
  assert.equal(make({}).enabled(), false);
  assert.equal(make({ MLFLOW_TRACKING_URI: "http://127.0.0.1:1" }).enabled(), true);
  assert.equal(make({ INSPECT_MLFLOW_TRACKING_URI: "http://127.0.0.1:1" }).enabled(), true);
  for (const bad of ["maybe", "2", "enabled"]) {
    assert.throws(
      () => make({ MLFLOW_TRACKING_URI: "http://x", INSPECT_MLFLOW_LOG_ARTIFACTS: bad }),
      (e: unknown) => {
        assert.ok(e instanceof MlflowConfigError);
        assert.equal(e.variable, "INSPECT_MLFLOW_LOG_ARTIFACTS");
        assert.equal(e.value, bad);
        return true;
      },
    );
  }
  assert.throws(
    () => make({ MLFLOW_TRACKING_URI: "http://x", MLFLOW_INSPECT_TRACING: "yes please" }),
    MlflowConfigError,
  );
  assert.throws(
    () => make({ MLFLOW_TRACKING_URI: "http://x", INSPECT_MLFLOW_PARENT_RUN_ID: "not a run id!" }),
    MlflowConfigError,
  );
  for (const ok of ["true", "1", "YES", "y", "On", "t", "false", "0", "no", "N", "off", "F"]) {
    make({ MLFLOW_TRACKING_URI: "http://x", INSPECT_MLFLOW_LOG_ARTIFACTS: ok });
  }
});

test("hooks: INSPECT_MLFLOW_* wins over the older names; the experiment defaults to inspect_ai", async () => {
  const uri = await trackingUri();
  const newName = uniqueName("new-prefix");
  const hooks = mlflowHooks({
    env: {
      MLFLOW_TRACKING_URI: "http://127.0.0.1:1", // wrong on purpose: the new prefix must win
      INSPECT_MLFLOW_TRACKING_URI: uri,
      MLFLOW_EXPERIMENT_NAME: "old-name",
      INSPECT_MLFLOW_EXPERIMENT_NAME: newName,
      MLFLOW_INSPECT_LOG_ARTIFACTS: "true",
      INSPECT_MLFLOW_LOG_ARTIFACTS: "false",
    },
  });
  await replayLog(readJsonFixture("formats.json"), hooks);
  await hooks.flush();
  const reader = createMlflow({ trackingUri: uri });
  const experiment = await reader.getExperimentByName(newName);
  assert.ok(experiment);
  const runs = await reader.searchRuns({ experimentIds: [experiment.experimentId] });
  const task = runs.find((r) => r.tags["inspect.task"])!;
  assert.deepEqual(await reader.listArtifacts(task.info.runId), []); // artifacts off
});

test("hooks: INSPECT_MLFLOW_PARENT_RUN_ID nests task runs under a run left open for its owner", async () => {
  const uri = await trackingUri();
  const owner = createMlflow({ trackingUri: uri, experimentName: uniqueName("owner") });
  const outer = owner.startRun({ runName: "pipeline" });
  const { runId, experimentId } = await outer.info();
  const experiment = (await owner.searchRuns({ experimentIds: [experimentId] }))[0];
  void experiment;
  const hooks = mlflowHooks({
    env: { MLFLOW_TRACKING_URI: uri, INSPECT_MLFLOW_PARENT_RUN_ID: runId },
  });
  await replayLog(readJsonFixture("formats.json"), hooks);
  await hooks.flush();
  const reader = createMlflow({ trackingUri: uri });
  const inspectExp = await reader.getExperimentByName("inspect_ai");
  const nested = await reader.searchRuns({
    experimentIds: [inspectExp!.experimentId],
    filter: `tags.mlflow.parentRunId = '${runId}'`,
  });
  assert.equal(nested.length, 1);
  assert.equal((await reader.getRun(runId)).info.status, "RUNNING");
});

function syntheticSample(task: number, i: number, scorer: string): EvalSample {
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  return {
    id: `t${task}-s${i}`,
    epoch: 1,
    uuid: `uuid-t${task}-s${i}`,
    input: `question ${i}`,
    target: "42",
    scores: {
      [scorer]: { value: (task * 1000 + i) / 10_000, explanation: `task ${task} sample ${i}` },
    },
    total_time: 1 + i / 100,
    working_time: 0.5,
    events: [
      {
        event: "model",
        timestamp: t(i),
        uuid: `m1-${task}-${i}`,
        model: `model-${task}`,
        input: [],
        output: { usage: { input_tokens: task, output_tokens: i, total_tokens: task + i } },
        working_time: 0.1,
      },
      {
        event: "tool",
        timestamp: t(i),
        uuid: `tool-${task}-${i}`,
        id: "c",
        function: `fn_${task}`,
        arguments: {},
        working_time: 0.01,
        ...(i % 10 === 0 ? { error: { message: "boom" } } : {}),
      },
      {
        event: "model",
        timestamp: t(i),
        uuid: `m2-${task}-${i}`,
        model: `model-${task}`,
        input: [],
        output: { usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } },
      },
    ],
  };
}

test("hooks: 4 tasks × 50 samples driven concurrently never mix up runs; every counter is exact", async () => {
  const experimentName = uniqueName("concurrent");
  const hooks = mlflowHooks({
    trackingUri: await trackingUri(),
    experimentName,
    env: {},
    tracing: false,
    logArtifacts: false,
  });
  const runId = "concurrent-run-0001";
  const taskIds = [0, 1, 2, 3];
  hooks.onRunStart({ run_id: runId, task_names: taskIds.map((t) => `task-${t}`) });
  for (const t of taskIds) {
    hooks.onTaskStart({
      run_id: runId,
      eval_id: `eval-${t}`,
      spec: {
        eval_id: `eval-${t}`,
        run_id: runId,
        created: new Date().toISOString(),
        task: `task-${t}`,
        model: `model-${t}`,
      },
    });
  }
  // Interleave: each task's samples run as concurrent async loops, events delivered twice
  // (pending first, then completed, and completed again) as Inspect may.
  await Promise.all(taskIds.map(async (t) => {
    for (let i = 0; i < 50; i++) {
      const sample = syntheticSample(t, i, `score_${t}`);
      const base = { run_id: runId, eval_id: `eval-${t}`, sample_id: sample.uuid! };
      hooks.onSampleStart({ ...base, summary: { id: sample.id, epoch: 1 } });
      for (const event of sample.events!) {
        hooks.onSampleEvent({ ...base, event: { ...event, pending: true } });
        await new Promise((r) => setTimeout(r, Math.random() * 2));
        hooks.onSampleEvent({ ...base, event });
        hooks.onSampleEvent({ ...base, event }); // the same event handed over again
      }
      hooks.onSampleEnd({ ...base, sample });
    }
  }));
  for (const t of taskIds) {
    hooks.onTaskEnd({
      run_id: runId,
      eval_id: `eval-${t}`,
      log: {
        status: "success",
        eval: {
          eval_id: `eval-${t}`,
          run_id: runId,
          created: "",
          task: `task-${t}`,
          model: `model-${t}`,
        },
      },
    });
  }
  hooks.onRunEnd({ run_id: runId, logs: [] });
  await hooks.flush();

  const reader = createMlflow({ trackingUri: await trackingUri() });
  const experiment = await reader.getExperimentByName(experimentName);
  const runs = await reader.searchRuns({ experimentIds: [experiment!.experimentId] });
  assert.equal(runs.length, 5);
  for (const t of taskIds) {
    const run = runs.find((r) => r.info.runName === `task-${t}`)!;
    assert.equal(run.tags["inspect.eval_id"], `eval-${t}`);
    // Only this task's scorer, 50 points at steps 0..49, values from this task only.
    assert.deepEqual(Object.keys(run.metrics).filter((k) => k.startsWith("sample/score")), [
      `sample/score_${t}`,
    ]);
    const history = await reader.getMetricHistory(run.info.runId, `sample/score_${t}`);
    assert.deepEqual(history.map((p) => p.step).sort((a, b) => a - b), [...Array(50).keys()]);
    for (const p of history) {
      assert.ok(p.value >= t / 10 && p.value < (t + 1) / 10, `task ${t} got ${p.value}`);
    }
    assert.equal(run.metrics.total_model_calls, 100);
    assert.equal(run.metrics.total_tool_calls, 50);
    assert.equal((await reader.getMetricHistory(run.info.runId, "event/model_call")).length, 100);
    assert.equal((await reader.getMetricHistory(run.info.runId, "event/tool_call")).length, 50);
    assert.equal((await reader.getMetricHistory(run.info.runId, "event/tool_error")).length, 5);
    assert.equal(run.params["tool_call.0.function"], `fn_${t}`);
    assert.equal(run.params["tool_call.49.function"], `fn_${t}`);
    const tokens = await reader.getMetricHistory(run.info.runId, "event/input_tokens");
    assert.equal(tokens.filter((p) => p.value === t).length, t === 1 ? 100 : 50);
  }
});

test("hooks: a failing server or a bad scorer name never throws into the eval, and is reported", async () => {
  const errors: MlflowError[] = [];
  const down = mlflowHooks({
    trackingUri: `http://127.0.0.1:${await freePort()}`,
    env: {},
    client: { retry: { maxRetries: 0 } },
    onError: (e) => errors.push(e),
  });
  const log = readJsonFixture("large.json");
  await replayLog(log, down); // must not throw
  await assert.rejects(down.flush(), MlflowFlushError);
  assert.ok(errors.length > 0);

  // A scorer whose name MLflow refuses as a metric key.
  const reported: MlflowError[] = [];
  const experimentName = uniqueName("weird-scorer");
  const hooks = mlflowHooks({
    trackingUri: await trackingUri(),
    experimentName,
    env: {},
    onError: (e) => reported.push(e),
  });
  const weird = structuredClone(readJsonFixture("formats.json"));
  for (const s of weird.samples ?? []) {
    s.scores = { "match#1": { value: "C" }, "fine": { value: 1 } };
  }
  await replayLog(weird, hooks);
  await assert.rejects(
    hooks.flush(),
    (e: unknown) =>
      e instanceof MlflowFlushError && e.errors.some((x) => x.key === "sample/match#1"),
  );
  assert.ok(reported.some((e) => e.key === "sample/match#1"));
  const reader = createMlflow({ trackingUri: await trackingUri() });
  const experiment = await reader.getExperimentByName(experimentName);
  const task = (await reader.searchRuns({ experimentIds: [experiment!.experimentId] })).find((r) =>
    r.tags["inspect.task"]
  )!;
  assert.equal(task.metrics["sample/fine"], 1); // the good score of the same sample landed
  assert.equal(task.info.status, "FINISHED");
});

test("hooks: replaying the largest fixture takes close to the minimum of requests", async () => {
  let requests = 0;
  const uri = await trackingUri();
  const mlflow: Mlflow = createMlflow({
    trackingUri: uri,
    experimentName: uniqueName("requests"),
    fetch: (input, init) => {
      requests++;
      return fetch(input, init);
    },
  });
  const log = readJsonFixture("large.json");
  const hooks = mlflowHooks({ mlflow, env: {} });
  await replayLog(log, hooks);
  await hooks.flush();
  const samples = log.samples!.length;
  const scores = log.samples!.reduce((n, s) => n + Object.keys(s.scores ?? {}).length, 0);
  const scored = log.samples!.filter((s) => Object.keys(s.scores ?? {}).length > 0).length;
  // Fixed: experiment lookup+create (2), 2 run creates with a search before and after each (6),
  // the trace-API probe (1), 2 run ends (2), 9 artifacts (6 tables, sample results, eval log, plan), and
  // the task run's metrics/params/tags in at most 2 log-batch requests (the parent's tags ride with
  // its create), and the task's dataset input (1 log-inputs). Traces: 2 per sample (info, spans), 1 per score (feedback), and 1 read of each
  // trace with feedback once its feedback has landed, to delete a silent re-send (see
  // src/store/assessments.ts).
  const minimum = 2 + 6 + 1 + 2 + 9 + 2 + 1 + 2 * samples + scores + scored;
  console.log(`replay of ${samples} samples: ${requests} requests (budget ${minimum})`);
  assert.ok(requests <= minimum, `${requests} requests, expected at most ${minimum}`);
});

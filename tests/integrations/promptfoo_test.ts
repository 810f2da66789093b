// Copyright 2026 the evalhooks authors. MIT license.

// importPromptfooResults() and `cli import-promptfoo` against the real server, with a results
// file written by the real promptfoo (tests/fixtures/promptfoo/generate.sh): every run, param,
// metric, trace and feedback read back is checked against the file itself, and the aggregates
// also against promptfoo's own per-prompt totals in it. mlflowExtension() runs in the real
// promptfoo (Node 22), and what it logged live is checked against the import of the results
// file that same run wrote.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMlflow, type Mlflow } from "../../src/evaluate/mod.ts";
import type { TraceInfo } from "../../src/client/trace_types.ts";
import type { RunData } from "../../src/store/types.ts";
import {
  EVAL_ID_TAG,
  importPromptfooResults,
  mlflowExtension,
  type PromptfooOutputFile,
  type PromptfooResult,
} from "../../src/integrations/promptfoo/mod.ts";
import { percentile } from "../../src/base/stats.ts";
import { bundle } from "../harness/bundle.ts";
import { ensurePromptfoo, promptfooEnv } from "../harness/promptfoo.ts";
import { trackingUri, uniqueName } from "../harness/server.ts";
import { assertClose, onceFromDeno } from "../harness/checks.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURE = join(ROOT, "tests/fixtures/promptfoo/results.json");
const file = (): PromptfooOutputFile => JSON.parse(readFileSync(FIXTURE, "utf8"));

async function client(experimentName: string): Promise<Mlflow> {
  return createMlflow({ trackingUri: await trackingUri(), experimentName, onError: () => {} });
}

type Metrics = Record<string, number>;
const providerKey = (r: PromptfooResult) =>
  typeof r.provider === "string" ? r.provider : r.provider.label ?? r.provider.id;

test("promptfoo fixture: real promptfoo output, 2 prompts x 2 providers x 3 tests, the assertion kinds the import maps", () => {
  const f = file();
  assert.equal(f.results.version, 3);
  assert.match(f.evalId ?? "", /^eval-/);
  assert.equal(f.metadata?.promptfooVersion, "0.123.1");
  assert.equal(f.results.results.length, 12);
  assert.equal(f.results.prompts?.length, 4); // one per prompt and provider
  assert.deepEqual([...new Set(f.results.results.map(providerKey))].sort(), ["canned", "echo"]);
  const types = new Set(
    f.results.results.flatMap((r) =>
      (r.gradingResult?.componentResults ?? []).map((c) => c.assertion?.type)
    ),
  );
  assert.deepEqual([...types].sort(), ["contains", "equals", "icontains", "javascript"]);
  // Passes, assertion failures and a provider error, as promptfoo counted them.
  assert.deepEqual(
    [f.results.stats?.successes, f.results.stats?.failures, f.results.stats?.errors],
    [4, 7, 1],
  );
});

test("promptfoo import: parent per eval, run per provider, trace per result, feedback per assertion; re-import skipped", async () => {
  const f = file();
  const experimentName = uniqueName("promptfoo");
  const mlflow = await client(experimentName);
  const imported = await importPromptfooResults(mlflow, f, { experimentName });
  assert.equal(imported.status, "imported", imported.reason);
  assert.equal(imported.evalId, f.evalId);
  assert.equal(imported.traces, 12);

  // The parent: named after the eval, its counts from promptfoo's stats.
  const parent = await mlflow.getRun(imported.parentRunId!);
  assert.equal(parent.info.runName, f.evalId);
  assert.equal(parent.info.status, "FINISHED");
  assert.equal(parent.tags[EVAL_ID_TAG], f.evalId);
  assert.equal(parent.tags["promptfoo.version"], "0.123.1");
  assert.equal(parent.tags["promptfoo.successes"], String(f.results.stats?.successes));
  assert.equal(parent.tags["promptfoo.failures"], String(f.results.stats?.failures));
  assert.equal(parent.tags["promptfoo.errors"], String(f.results.stats?.errors));
  assert.equal(parent.tags["mlflow.note.content"], f.config?.description);
  assert.equal(parent.info.startTime, Date.parse(String(f.metadata?.evaluationCreatedAt)));
  const config = JSON.parse(
    new TextDecoder().decode(
      await mlflow.downloadArtifact(parent.info.runId, "promptfoo_config.json"),
    ),
  );
  assert.deepEqual(config, f.config);

  const experimentId = parent.info.experimentId;
  const children = await mlflow.searchRuns({
    experimentIds: [experimentId],
    filter: `tags.\`mlflow.parentRunId\` = '${parent.info.runId}'`,
  });
  assert.deepEqual(children.map((c) => c.info.runName).sort(), ["canned", "echo"]);
  const traces = await mlflow.searchTraces({ experimentIds: [experimentId] });
  assert.equal(traces.length, 12);

  for (const run of children) {
    const provider = run.info.runName!;
    const results = f.results.results.filter((r) => providerKey(r) === provider);
    const prompts = (f.results.prompts ?? []).filter((p) => p.provider === provider);
    assert.equal(results.length, 6);
    assert.equal(run.info.status, "FINISHED");
    assert.equal(run.tags["mlflow.runType"], "genai_evaluate");
    assert.equal(run.tags[EVAL_ID_TAG], f.evalId);

    // Params: the provider and its config, the prompts' labels and templates.
    const first = results[0].provider as { id: string; label: string };
    assert.equal(run.params["provider.id"], first.id);
    assert.equal(run.params["provider.label"], first.label);
    if (provider === "canned") {
      assert.equal(run.params["provider.config_id"], "file://canned_provider.mjs");
      assert.equal(run.params["provider.config.temperature"], "0");
      assert.equal(run.params["provider.config.model"], "canned-v1");
    }
    for (const [n, p] of prompts.entries()) {
      assert.equal(run.params[`prompt.${n}.label`], p.label);
      assert.equal(run.params[`prompt.${n}.template`], p.raw);
    }

    // Metrics, against the results themselves and promptfoo's per-prompt totals.
    const m: Metrics = run.metrics;
    const pm = prompts.map((p) => p.metrics as Record<string, unknown>);
    const sum = (get: (x: Record<string, unknown>) => unknown) =>
      pm.reduce((n, x) => n + Number(get(x) ?? 0), 0);
    const passes = sum((x) => x.testPassCount);
    const all = passes + sum((x) => x.testFailCount) + sum((x) => x.testErrorCount);
    assertClose(
      m["success/mean"],
      results.filter((r) => r.success).length / results.length,
      "success",
    );
    assertClose(m["success/mean"], passes / all, "success vs promptfoo's counts");
    assertClose(
      m["score/mean"],
      results.reduce((n, r) => n + r.score, 0) / results.length,
      "score",
    );
    // A named metric's mean is promptfoo's own: the sum of its scores over their count.
    for (const metric of ["non_empty", "brevity", "exact_number"]) {
      const named = sum((x) => (x.namedScores as Metrics)[metric]) /
        sum((x) => (x.namedScoresCount as Metrics)[metric]);
      assertClose(m[`${metric}/mean`], named, `${provider} ${metric}`);
    }
    // Unnamed assertions are pass/fail: the mean is the pass rate over the results that ran it.
    for (const type of ["icontains", "contains", "equals"]) {
      const verdicts = results.flatMap((r) =>
        (r.gradingResult?.componentResults ?? []).filter((c) =>
          c.assertion?.type === type && !c.assertion.metric
        )
      );
      assertClose(
        m[`${type}/mean`],
        verdicts.filter((c) => c.pass).length / verdicts.length,
        `${provider} ${type}`,
      );
    }
    const errors = results.filter((r) => r.failureReason === 2);
    assert.equal(run.tags["eval.rows"], "6");
    assert.equal(run.tags["eval.error_count"], String(errors.length));
    assert.equal(run.tags["promptfoo.errors"], String(errors.length));
    assert.equal(run.tags["promptfoo.successes"], String(passes));
    const latencies = results.filter((r) => r.failureReason !== 2).map((r) => r.latencyMs!)
      .sort((a, b) => a - b);
    assertClose(Number(run.tags["eval.latency_p50_ms"]), percentile(latencies, 0.5), "p50");
    assertClose(Number(run.tags["eval.latency_p95_ms"]), percentile(latencies, 0.95), "p95");
    const tokens = results.reduce((n, r) => n + (r.response?.tokenUsage?.total ?? 0), 0);
    const cost = results.reduce((n, r) => n + (r.cost ?? 0), 0);
    if (provider === "canned") {
      assert.equal(errors.length, 1);
      assert.ok(tokens > 0 && cost > 0);
      const model = first.id;
      assert.equal(m[`usage/${model}/total_tokens`], tokens);
      assert.equal(m[`usage/${model}/total_tokens`], sum((x) => (x.tokenUsage as Metrics).total));
      assert.equal(
        m[`usage/${model}/input_tokens`],
        results.reduce((n, r) => n + (r.response?.tokenUsage?.prompt ?? 0), 0),
      );
      assertClose(m["cost/total_usd"], cost, "cost");
      assertClose(m["cost/total_usd"], sum((x) => x.cost), "cost vs promptfoo's");
    } else {
      // The echo provider reports no tokens and no cost: none are logged.
      assert.equal(tokens, 0);
      assert.deepEqual(Object.keys(m).filter((k) => /^(usage|cost)\//.test(k)), []);
    }
    const table = JSON.parse(
      new TextDecoder().decode(await mlflow.downloadArtifact(run.info.runId, "eval_results.json")),
    );
    assert.equal(table.data.length, 6);

    // Each result's trace: vars in, output out, one feedback per assertion plus the verdict.
    let assertPass = 0;
    let assertFail = 0;
    for (const r of results) {
      const trace = traces.find((t) => t.metadata["promptfoo.result_id"] === r.id);
      assert.ok(trace, `trace of result ${r.id}`);
      assert.equal(trace.metadata["mlflow.sourceRun"], run.info.runId);
      assert.equal(trace.metadata["promptfoo.test_idx"], String(r.testIdx));
      assert.equal(trace.metadata["mlflow.trace.session"], `${f.evalId}/${r.testIdx}`);
      assert.equal(trace.state, r.failureReason === 2 ? "ERROR" : "OK");
      const { spans } = await mlflow.getTrace(trace.traceId);
      const root = spans.find((s) => !s.parentSpanId)!;
      assert.deepEqual(root.inputs, r.vars);
      assert.deepEqual(root.outputs ?? undefined, r.response?.output);
      const llm = spans.find((s) => s.spanType === "LLM")!;
      assert.deepEqual(llm.inputs, { messages: [{ role: "user", content: r.prompt?.raw }] });
      const feedback = trace.assessments.filter((a) => a.kind === "feedback");
      const components = r.gradingResult?.componentResults ?? [];
      assert.equal(feedback.length, components.length + 2, `result ${r.id}`);
      for (const c of components) {
        const name = c.assertion?.metric ?? c.assertion!.type;
        const fb = feedback.find((a) => a.name === name);
        assert.ok(fb, `${name} on ${r.id}`);
        assert.equal(fb.value, c.assertion?.metric ? c.score : c.pass);
        assert.equal(fb.rationale, c.reason);
        assert.equal(fb.source?.sourceType, "CODE");
        assert.equal(fb.source?.sourceId, c.assertion!.type);
        assert.equal(fb.metadata["promptfoo.score"], String(c.score));
        assert.equal(fb.metadata["mlflow.assessment.sourceRunId"], run.info.runId);
        if (fb.metadata["promptfoo.pass"] === "true") assertPass++;
        else assertFail++;
      }
      const success = feedback.find((a) => a.name === "success");
      assert.equal(success?.value, r.success);
      if (r.failureReason === 2) assert.equal(success?.rationale, r.error);
      assert.equal(feedback.find((a) => a.name === "score")?.value, r.score);
    }
    assert.equal(assertPass, sum((x) => x.assertPassCount), `${provider}: assertions passed`);
    assert.equal(assertFail, sum((x) => x.assertFailCount), `${provider}: assertions failed`);
  }

  // Same eval id again: skipped, nothing new.
  const again = await importPromptfooResults(mlflow, f, { experimentName });
  assert.equal(again.status, "skipped");
  assert.equal(again.parentRunId, imported.parentRunId);
  const runs = await mlflow.searchRuns({ experimentIds: [experimentId] });
  assert.equal(runs.length, 3);
  assert.equal((await mlflow.searchTraces({ experimentIds: [experimentId] })).length, 12);
  await mlflow.close();
});

test("promptfoo import: not a results file is a TypeError; no traces still counts every result", async () => {
  const experimentName = uniqueName("promptfoo-notraces");
  const mlflow = await client(experimentName);
  await assert.rejects(importPromptfooResults(mlflow, { results: [] }), TypeError);
  await assert.rejects(importPromptfooResults(mlflow, null), TypeError);
  const f = file();
  const imported = await importPromptfooResults(mlflow, f, { experimentName, traces: false });
  assert.equal(imported.status, "imported");
  assert.equal(imported.traces, 0);
  const experimentId = (await mlflow.getExperimentByName(experimentName))!.experimentId;
  assert.equal((await mlflow.searchTraces({ experimentIds: [experimentId] })).length, 0);
  const canned = imported.runs.find((r) => r.provider === "canned")!;
  const results = f.results.results.filter((r) => providerKey(r) === "canned");
  assertClose(
    (await mlflow.getRun(canned.runId)).metrics["success/mean"],
    results.filter((r) => r.success).length / results.length,
    "success",
  );
  // `force` imports the same eval again, into new runs.
  const forced = await importPromptfooResults(mlflow, f, {
    experimentName,
    force: true,
    traces: false,
  });
  assert.equal(forced.status, "imported");
  assert.notEqual(forced.parentRunId, imported.parentRunId);
  await mlflow.close();
});

test("promptfoo CLI: import-promptfoo imports, then skips the same eval; usage errors exit 2", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("promptfoo-cli");
  const cli = (args: string[]) =>
    spawnSync("deno", ["run", "-A", join(ROOT, "cli.ts"), "import-promptfoo", ...args], {
      encoding: "utf8",
      env: { ...process.env, MLFLOW_TRACKING_URI: uri },
      timeout: 120_000,
    });
  const first = cli([FIXTURE, "--experiment", experimentName]);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /^imported .*results\.json \(eval-.*, 2 providers, 12 results/m);
  assert.match(first.stdout, /files: 1 imported, 0 skipped, 0 failed/);
  const second = cli([FIXTURE, "--experiment", experimentName]);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /files: 0 imported, 1 skipped, 0 failed/);
  const mlflow = await client(experimentName);
  const experimentId = (await mlflow.getExperimentByName(experimentName))!.experimentId;
  const runs = await mlflow.searchRuns({ experimentIds: [experimentId] });
  assert.equal(runs.length, 3);
  assert.equal(runs.filter((r) => r.tags[EVAL_ID_TAG] === file().evalId).length, 3);
  assert.equal((await mlflow.searchTraces({ experimentIds: [experimentId] })).length, 12);
  await mlflow.close();
  assert.equal(cli([]).status, 2);
  assert.equal(cli(["--bogus", FIXTURE]).status, 2);
  assert.equal(cli([join(ROOT, "tests/fixtures/promptfoo/missing.json")]).status, 2);
  const help = cli(["--help"]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /import-promptfoo <results\.json/);
});

test("promptfoo import: two importers of one file at the same time make one parent; one imports, one skips", async () => {
  for (let round = 0; round < 3; round++) {
    const experimentName = uniqueName("promptfoo-race");
    const [a, b] = [await client(experimentName), await client(experimentName)];
    const skew = Math.floor(Math.random() * 60);
    const results = await Promise.all([
      importPromptfooResults(a, file(), { experimentName, traces: false }),
      new Promise((r) => setTimeout(r, skew)).then(() =>
        importPromptfooResults(b, file(), { experimentName, traces: false })
      ),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ["imported", "skipped"]);
    const experimentId = (await a.getExperimentByName(experimentName))!.experimentId;
    const runs = await a.searchRuns({ experimentIds: [experimentId] });
    const parents = runs.filter((r) => !r.tags["mlflow.parentRunId"]);
    assert.equal(parents.length, 1);
    assert.equal(parents[0].info.status, "FINISHED");
    assert.equal(runs.length, 1 + new Set(file().results.results.map(providerKey)).size);
    await Promise.all([a.close(), b.close()]);
  }
});

// Under Bun it is listed as skipped (the Deno phase ran the Node child), so the file still counts.
const once = onceFromDeno("with a Node child");

/** An experiment's runs and traces, as the live hook or the import left them, to compare. */
async function snapshot(mlflow: Mlflow, experimentName: string) {
  const experimentId = (await mlflow.getExperimentByName(experimentName))?.experimentId;
  assert.ok(experimentId, `no experiment ${experimentName}`);
  const runs = await mlflow.searchRuns({ experimentIds: [experimentId] });
  const traces = await mlflow.searchTraces({ experimentIds: [experimentId] });
  const parent = runs.find((r) => !r.tags["mlflow.parentRunId"])!;
  const children = runs.filter((r) => r.tags["mlflow.parentRunId"] === parent?.info.runId);
  const nameOf = new Map(runs.map((r) => [r.info.runId, r.info.runName]));
  const pick = (r: RunData, keys: RegExp) =>
    Object.fromEntries(Object.entries(r.tags).filter(([k]) => keys.test(k)).sort());
  const config = JSON.parse(
    new TextDecoder().decode(
      await mlflow.downloadArtifact(parent.info.runId, "promptfoo_config.json"),
    ),
  );
  const feedbackOf = (t: TraceInfo) =>
    t.assessments.filter((a) => a.kind === "feedback").map((a) => ({
      name: a.name,
      value: a.value,
      rationale: a.rationale,
      source: a.source,
      metadata: Object.fromEntries(
        Object.entries(a.metadata).filter(([k]) => k.startsWith("promptfoo.")).sort(),
      ),
      run: nameOf.get(a.metadata["mlflow.assessment.sourceRunId"]),
    })).sort((a, b) => a.name.localeCompare(b.name));
  return {
    runs: runs.length,
    parent: {
      name: parent.info.runName,
      status: parent.info.status,
      tags: pick(
        parent,
        /^(promptfoo\.(eval_id|providers|successes|failures|errors)|eval\.rows|mlflow\.note\.content)$/,
      ),
      config,
    },
    children: Object.fromEntries(
      children.map((r) => [r.info.runName, {
        status: r.info.status,
        params: r.params,
        metrics: r.metrics,
        tags: pick(r, /^(promptfoo\.|eval\.|mlflow\.runType$)/),
      }]),
    ),
    traces: traces.map((t) => ({
      run: nameOf.get(t.metadata["mlflow.sourceRun"]),
      test: t.metadata["promptfoo.test_idx"],
      prompt: t.metadata["promptfoo.prompt_idx"],
      state: t.state,
      feedback: feedbackOf(t),
    })).sort((a, b) =>
      `${a.run} ${a.test} ${a.prompt}`.localeCompare(`${b.run} ${b.test} ${b.prompt}`)
    ),
    experimentId,
  };
}

test(
  "promptfoo extension: the real promptfoo with mlflowExtension() logs live the runs, params, metrics, traces and feedback the import writes for its results file",
  { skip: once, timeout: 300_000 },
  async () => {
    const { node, entry } = ensurePromptfoo();
    const uri = await trackingUri();
    const live = uniqueName("promptfoo-live");
    const imported = uniqueName("promptfoo-live-import");
    // The eval of the fixture, in a folder of its own, with the `./promptfoo` entry bundled as a
    // package user gets it and a hook file that exports the hook.
    const dir = mkdtempSync(join(tmpdir(), "evalhooks-promptfoo-live-"));
    const fixture = join(ROOT, "tests/fixtures/promptfoo");
    copyFileSync(join(fixture, "canned_provider.mjs"), join(dir, "canned_provider.mjs"));
    writeFileSync(
      join(dir, "promptfooconfig.yaml"),
      `${readFileSync(join(fixture, "promptfooconfig.yaml"), "utf8")}\n` +
        `extensions:\n  - file://mlflow_hook.mjs:mlflow\n`,
    );
    const entryUrl = pathToFileURL(bundle("src/integrations/promptfoo/mod.ts")).href;
    writeFileSync(
      join(dir, "mlflow_hook.mjs"),
      `import { mlflowExtension } from ${JSON.stringify(entryUrl)};\n` +
        `export const mlflow = mlflowExtension();\n`,
    );
    const started = Date.now();
    const child = spawnSync(node, [
      entry,
      "eval",
      "-c",
      "promptfooconfig.yaml",
      "-o",
      "results.json",
      "--no-cache",
      "--no-progress-bar",
      "--no-table",
      "--max-concurrency",
      "4",
    ], {
      cwd: dir,
      encoding: "utf8",
      timeout: 120_000,
      env: {
        ...process.env,
        ...promptfooEnv(),
        MLFLOW_TRACKING_URI: uri,
        MLFLOW_EXPERIMENT_NAME: live,
      },
    });
    const output = `${child.stdout}\n${child.stderr}`;
    // 100 is promptfoo's "some tests failed", which this eval means to do; no hook error.
    assert.equal(child.status, 100, output);
    assert.doesNotMatch(output, /not logged to MLflow|extension hook .* failed/i, output);
    const seconds = (Date.now() - started) / 1000;
    const results: PromptfooOutputFile = JSON.parse(
      readFileSync(join(dir, "results.json"), "utf8"),
    );
    assert.equal(results.results.results.length, 12);

    // afterAll waited: all of it is there as soon as promptfoo has exited.
    const mlflow = await client(imported);
    const got = await snapshot(mlflow, live);
    const done = await importPromptfooResults(mlflow, results, { experimentName: imported });
    assert.equal(done.status, "imported", done.reason);
    const want = await snapshot(mlflow, imported);
    assert.equal(got.parent.name, results.evalId);
    assert.equal(got.parent.tags[EVAL_ID_TAG], results.evalId);
    assert.equal(got.runs, 3);
    assert.equal(got.traces.length, 12);
    assert.deepEqual(Object.keys(got.children).sort(), ["canned", "echo"]);
    assert.ok(got.traces.some((t) => t.state === "ERROR"), "the canned provider's error");
    // Means are sums over the results, added up in another order live: equal to the last bits.
    for (const [name, run] of Object.entries(want.children)) {
      const metrics = got.children[name]?.metrics ?? {};
      assert.deepEqual(Object.keys(metrics).sort(), Object.keys(run.metrics).sort(), name);
      for (const [key, value] of Object.entries(run.metrics)) {
        assertClose(metrics[key], value, `${name} ${key}`);
      }
      got.children[name].metrics = run.metrics;
    }
    const { experimentId: _a, ...liveView } = got;
    const { experimentId: _b, ...importView } = want;
    assert.deepEqual(liveView, importView);

    // Traced as afterEach reported them: before the eval id was known.
    for (const t of await mlflow.searchTraces({ experimentIds: [got.experimentId] })) {
      assert.match(t.metadata["mlflow.trace.session"], /^promptfoo-live-[0-9a-f]{8}\/\d$/);
      assert.equal(t.metadata[EVAL_ID_TAG], undefined);
    }

    // The live eval is the eval of the file: importing it there is skipped.
    const again = await importPromptfooResults(mlflow, results, { experimentName: live });
    assert.equal(again.status, "skipped");
    await mlflow.close();
    console.log(`promptfoo eval with the hook: ${seconds.toFixed(1)} s`);
  },
);

test("promptfoo extension in-process: both of promptfoo's calling conventions, nothing returned; a failed start is reported once and never thrown", async () => {
  const f = file();
  const results = f.results.results;
  const context = { evalId: f.evalId, results, prompts: f.results.prompts, config: f.config };
  const mlflow = await client(uniqueName("promptfoo-hook"));

  // `file://hook.mjs:mlflow`: (hookName, context) for every hook, results traced as they come.
  const legacy = uniqueName("promptfoo-hook-legacy");
  // Clients of the test's own, closed at the end (a made one would stay open: on Bun, its exit
  // hooks' signal listeners keep the test process alive; promptfoo itself calls exit()).
  const own = [await client(legacy), await client(uniqueName("promptfoo-hook-afterall"))];
  const hook = mlflowExtension({ mlflow: own[0], experimentName: legacy });
  const returned = [
    await hook("beforeAll", { suite: { description: f.config?.description } }),
    ...await Promise.all(results.map((result) => hook("afterEach", { test: {}, result }))),
    await hook("beforeEach", { test: {} }),
    await hook("afterAll", context),
  ];
  assert.ok(returned.every((r) => r === undefined), "a returned value would replace the context");
  // `file://hook.mjs:afterAll`: (context, { hookName }) for that hook alone, all traced at the end.
  const late = uniqueName("promptfoo-hook-afterall");
  await mlflowExtension({ mlflow: own[1], experimentName: late })(context, {
    hookName: "afterAll",
  });
  for (const name of [legacy, late]) {
    const experimentId = (await mlflow.getExperimentByName(name))!.experimentId;
    const runs = await mlflow.searchRuns({ experimentIds: [experimentId] });
    assert.equal(runs.length, 3, name);
    const parent = runs.find((r) => !r.tags["mlflow.parentRunId"])!;
    assert.equal(parent.info.runName, f.evalId);
    assert.equal(parent.info.status, "FINISHED");
    assert.equal((await mlflow.searchTraces({ experimentIds: [experimentId] })).length, 12);
    const canned = runs.find((r) => r.info.runName === "canned")!;
    assertClose(
      canned.metrics["success/mean"],
      results.filter((r) => providerKey(r) === "canned" && r.success).length / 6,
      "success",
    );
  }

  // No usable tracking URI: reported once, the eval goes on, nothing thrown or returned.
  const errors: Error[] = [];
  const broken = mlflowExtension({ trackingUri: "not a url", onError: (e) => errors.push(e) });
  assert.equal(await broken("beforeAll", { suite: {} }), undefined);
  for (const result of results) assert.equal(await broken("afterEach", { result }), undefined);
  assert.equal(await broken("afterAll", context), undefined);
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /trackingUri/);
  await Promise.all([mlflow, ...own].map((m) => m.close()));
});

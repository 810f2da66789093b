// Copyright 2026 the evalhooks authors. MIT license.

// compareEvals (#18): every number checked against an independent implementation — SciPy (in
// the MLflow venv) for McNemar, the t-test, the Wald interval and Cohen's d, to 1e-9; SciPy's
// bootstrap and inspect_mlflow's own bootstrap_ci within Monte Carlo error; inspect_mlflow's
// compare_evals on two real Inspect logs (made with mockllm) for pairing, deltas, the interval
// and the effect size. Then the edge cases, a comparison of two imported runs on the real server
// (logged as a run and read back), and the CLI's --fail-if-worse exit code.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { createMlflow } from "../mod.ts";
import {
  compareEvals,
  type EvalSamples,
  formatComparison,
  samplesOfInspectLog,
} from "../src/compare/mod.ts";
import { seededRandom } from "../src/compare/stats.ts";
import { importInspectLog } from "../src/integrations/inspect/node/import.ts";
import { ensureMlflowVenv } from "../src/local_server/mlflow_server.ts";
import { ensureInspectVenv } from "./harness/inspect_venv.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** Runs `code` in `python` with `input` as JSON on stdin; returns its JSON output. */
function python(bin: string, code: string, input: unknown): Record<string, number | null>[] {
  const out = spawnSync(bin, ["-c", code], {
    input: JSON.stringify(input),
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout);
}

const SCIPY = `
import json, sys, numpy as np
from scipy import stats
out = []
for case in json.load(sys.stdin):
    a = np.array(case["a"], dtype=float); b = np.array(case["b"], dtype=float); d = b - a
    r = {"d": float(np.mean(d) / np.std(d, ddof=1)) if len(d) > 1 and np.std(d, ddof=1) > 0 else None}
    if case["kind"] == "binary":
        bb = int(np.sum((a == 1) & (b == 0))); cc = int(np.sum((a == 0) & (b == 1))); n = len(a)
        if bb + cc < 25:
            r["p"] = float(stats.binomtest(min(bb, cc), bb + cc, 0.5).pvalue) if bb + cc else 1.0
        else:
            r["p"] = float(stats.chi2.sf((abs(bb - cc) - 1) ** 2 / (bb + cc), 1))
        z = stats.norm.ppf(1 - case["alpha"] / 2); se = np.sqrt((bb + cc - (bb - cc) ** 2 / n) / n ** 2)
        r["lo"] = float(np.mean(d) - z * se); r["hi"] = float(np.mean(d) + z * se)
    elif case["kind"] == "t":
        t = stats.ttest_rel(b, a); ci = t.confidence_interval(1 - case["alpha"])
        r["p"] = float(t.pvalue); r["lo"] = float(ci.low); r["hi"] = float(ci.high)
    else:
        boot = stats.bootstrap((d,), np.mean, n_resamples=10000, method="percentile",
                               confidence_level=1 - case["alpha"], random_state=np.random.default_rng(5))
        r["lo"] = float(boot.confidence_interval.low); r["hi"] = float(boot.confidence_interval.high)
        r["sd"] = float(np.std(d, ddof=1) / np.sqrt(len(d)))
    out.append(r)
print(json.dumps(out))
`;

const INSPECT_BOOTSTRAP = `
import json, sys
from inspect_mlflow.comparison._statistics import bootstrap_ci
out = []
for case in json.load(sys.stdin):
    r = bootstrap_ci(case["a"], case["b"], significance=case["alpha"])
    out.append({"p": r.p_value, "lo": r.ci_lower, "hi": r.ci_upper})
print(json.dumps(out))
`;

function sides(a: number[], b: number[]): [EvalSamples, EvalSamples] {
  const side = (xs: number[], label: string): EvalSamples => ({
    label,
    pairedBy: "index",
    samples: xs.map((x, i) => ({ key: String(i), scores: { s: x } })),
  });
  return [side(a, "a"), side(b, "b")];
}

/** Paired data sets: binary (small and large discordance) and continuous. */
function cases() {
  const random = seededRandom(18);
  const binary = (n: number, pa: number, pb: number) => {
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < n; i++) {
      const u = random();
      a.push(u < pa ? 1 : 0);
      b.push(random() < 0.7 ? a[i] : (u < pb ? 1 : 0));
    }
    return { a, b };
  };
  const continuous = (n: number, shift: number) => {
    const a = Array.from({ length: n }, () => random() * 10);
    return { a, b: a.map((x) => x + shift + (random() - 0.5) * 3) };
  };
  return [
    { kind: "binary", alpha: 0.05, ...binary(40, 0.6, 0.7) },
    { kind: "binary", alpha: 0.05, ...binary(400, 0.5, 0.6) },
    { kind: "binary", alpha: 0.1, ...binary(1000, 0.8, 0.78) },
    { kind: "t", alpha: 0.05, ...continuous(30, 0.3) },
    { kind: "t", alpha: 0.01, ...continuous(200, -0.1) },
    { kind: "bootstrap", alpha: 0.05, ...continuous(60, 0.4) },
    { kind: "bootstrap", alpha: 0.05, ...continuous(300, 0) },
  ];
}

test("compare: McNemar (exact and chi-square), the t-test, the Wald interval and Cohen's d equal SciPy's to 1e-9; the bootstrap is within Monte Carlo error of SciPy's and inspect_mlflow's", async () => {
  const all = cases();
  const scipy = python(`${ensureMlflowVenv()}/python`, SCIPY, all);
  const boots = all.filter((c) => c.kind === "bootstrap");
  const inspect = python(ensureInspectVenv(), INSPECT_BOOTSTRAP, boots);
  for (const [i, c] of all.entries()) {
    const [a, b] = sides(c.a, c.b);
    const r = (await compareEvals(a, b, {
      alpha: c.alpha,
      continuousTest: c.kind === "t" ? "t-test" : "bootstrap",
      seed: 3,
    })).scorers[0];
    const ref = scipy[i];
    const what = `case ${i} (${c.kind}, n ${c.a.length})`;
    if (ref.d === null) assert.equal(r.cohensD, null, what);
    else assert.ok(Math.abs(r.cohensD! - ref.d) < 1e-9, `${what}: d ${r.cohensD} vs ${ref.d}`);
    if (c.kind !== "bootstrap") {
      assert.ok(Math.abs(r.pValue! - ref.p!) < 1e-9, `${what}: p ${r.pValue} vs ${ref.p}`);
      assert.ok(Math.abs(r.ciLow - ref.lo!) < 1e-9, `${what}: ci low ${r.ciLow} vs ${ref.lo}`);
      assert.ok(Math.abs(r.ciHigh - ref.hi!) < 1e-9, `${what}: ci high ${r.ciHigh} vs ${ref.hi}`);
      if (c.kind === "binary") {
        const discordant = r.discordant!.baselineOnly + r.discordant!.candidateOnly;
        assert.equal(r.test, discordant < 25 ? "mcnemar-exact" : "mcnemar-chi-square", what);
      }
    } else {
      // Percentile endpoints from 10,000 resamples: a few Monte Carlo standard errors apart at most
      // (about 0.04 of the standard error of the mean each); the shifted-bootstrap p-value within 0.03.
      const tolerance = 0.15 * ref.sd!;
      const peer = inspect[boots.indexOf(c)];
      for (const other of [ref, peer]) {
        assert.ok(
          Math.abs(r.ciLow - other.lo!) < tolerance,
          `${what}: ci low ${r.ciLow} vs ${other.lo}`,
        );
        assert.ok(
          Math.abs(r.ciHigh - other.hi!) < tolerance,
          `${what}: ci high ${r.ciHigh} vs ${other.hi}`,
        );
      }
      assert.ok(Math.abs(r.pValue! - peer.p!) < 0.03, `${what}: p ${r.pValue} vs ${peer.p}`);
    }
  }
});

test("compare: edge cases each have a defined result, never a crash or an unexplained NaN p-value", async () => {
  const one = async (a: number[], b: number[]) => (await compareEvals(...sides(a, b))).scorers[0];
  // No discordant pairs.
  let r = await one([1, 0, 1, 1], [1, 0, 1, 1]);
  assert.deepEqual([r.test, r.pValue, r.significant, r.diff], ["mcnemar-exact", 1, false, 0]);
  assert.match(r.note!, /no discordant pairs/);
  // All equal, continuous.
  r = await one([0.5, 0.2, 0.9], [0.5, 0.2, 0.9]);
  assert.deepEqual([r.test, r.pValue, r.ciLow, r.ciHigh, r.cohensD], ["none", 1, 0, 0, null]);
  // A constant shift: no p-value made up, and the note says why.
  r = await one([0.5, 0.2, 0.9], [0.5, 0.2, 0.9].map((x) => x + 0.1));
  assert.equal(r.pValue, null);
  assert.match(r.note!, /every difference is the same/);
  // n = 1.
  r = await one([0.3], [0.7]);
  assert.equal(r.nPaired, 1);
  assert.equal(r.pValue, null);
  assert.match(r.note!, /n = 1/);
  r = await one([0], [1]);
  assert.deepEqual([r.test, r.pValue], ["mcnemar-exact", 1]);
  // NaN scores are left out of the pairs and counted.
  r = await one([1, NaN, 0, 1], [1, 1, NaN, 0]);
  assert.deepEqual([r.nPaired, r.onlyBaseline, r.onlyCandidate], [2, 1, 1]);
  // Different epochs do not pair; a scorer on one side only has no pairs.
  const log = (scores: Record<string, unknown>[], epochs: number[]) => ({
    eval: { task: "t", eval_id: "e" },
    samples: scores.map((s, i) => ({
      id: i,
      epoch: epochs[i],
      scores: Object.fromEntries(Object.entries(s).map(([k, v]) => [k, { value: v }])),
    })),
  });
  const result = await compareEvals(
    log([{ x: "C" }, { x: "I" }, { x: "C", y: 1 }], [1, 1, 1]),
    log([{ x: "C" }, { x: "C" }, { x: "C" }], [1, 2, 1]),
  );
  const x = result.scorers.find((s) => s.scorer === "x")!;
  assert.deepEqual([x.nPaired, x.onlyBaseline, x.onlyCandidate], [2, 1, 1]);
  const y = result.scorers.find((s) => s.scorer === "y")!;
  assert.deepEqual([y.nPaired, y.test, y.pValue, y.onlyBaseline], [0, "none", null, 1]);
  assert.match(y.note!, /no sample has a number on both sides/);
  assert.match(formatComparison(result), /cost: unknown/);
  // Bad options are typed errors naming the argument.
  await assert.rejects(compareEvals(...sides([1], [1]), { alpha: 2 }), {
    name: "MlflowValidationError",
    key: "alpha",
  });
  await assert.rejects(compareEvals("0123abcd", "4567ef01"), {
    name: "MlflowValidationError",
    key: "baseline",
  });
});

/** Two real Inspect logs: the mockllm fixture, and a copy with six correct answers turned wrong. */
function logPair(): { baseline: string; candidate: string; improved: string } {
  const dir = mkdtempSync(join(tmpdir(), "compare-"));
  const text = readFileSync(join(ROOT, "tests/fixtures/inspect/large.json"), "utf8");
  const base = JSON.parse(text);
  const flip = (from: string, to: string, count: number, evalId: string) => {
    const log = JSON.parse(text);
    log.eval.eval_id = evalId;
    log.eval.run_id = evalId;
    let left = count;
    for (const s of log.samples) {
      const score = s.scores.model_graded_fact;
      if (left > 0 && score.value === from) {
        score.value = to;
        left--;
      }
    }
    // The header's accuracy follows the samples (inspect_mlflow reads its delta from there).
    const correct =
      log.samples.filter((s: { scores: { model_graded_fact: { value: string } } }) =>
        s.scores.model_graded_fact.value === "C"
      ).length;
    log.results.scores[0].metrics.accuracy.value = correct / log.samples.length;
    return log;
  };
  const paths = {
    baseline: join(dir, "baseline.json"),
    candidate: join(dir, "candidate.json"),
    improved: join(dir, "improved.json"),
  };
  writeFileSync(paths.baseline, JSON.stringify(base));
  writeFileSync(paths.candidate, JSON.stringify(flip("C", "I", 6, "candidateEvalId00000001")));
  writeFileSync(paths.improved, JSON.stringify(flip("I", "C", 3, "improvedEvalId000000001")));
  return paths;
}

const INSPECT_COMPARE = `
import json, sys
from inspect_mlflow.comparison import compare_evals
a, b = json.load(sys.stdin)
r = compare_evals(a, b)
m = [x for x in r.metrics if x.name == "accuracy"][0]
print(json.dumps([{"delta": m.delta, "lo": m.ci_lower, "hi": m.ci_upper, "d": m.effect_size,
                   "p": m.p_value, "n": len(r.samples)}]))
`;

test("compare: two imported Inspect runs on the real server match inspect_mlflow's compare_evals on the logs, and the comparison is logged as a run", async () => {
  const paths = logPair();
  const uri = await trackingUri();
  const experimentName = uniqueName("compare");
  const mlflow = createMlflow({ trackingUri: uri });
  for (const path of [paths.baseline, paths.candidate]) {
    const result = await importInspectLog(path, { mlflow, experimentName, traces: false });
    assert.equal(result.status, "imported", result.reason);
  }
  await mlflow.flush();
  const experimentId = await mlflow.getOrCreateExperiment(experimentName);
  const taskRuns = (await mlflow.searchRuns({ experimentIds: [experimentId] }))
    .filter((r) => r.tags["inspect.task"] && r.tags["mlflow.parentRunId"]);
  const runOf = (path: string) => {
    const evalId = JSON.parse(readFileSync(path, "utf8")).eval.eval_id;
    const run = taskRuns.find((r) => r.tags["inspect.eval_id"] === evalId);
    assert.ok(run, `the task run of ${path}`);
    return run.info.runId;
  };
  const [baselineRun, candidateRun] = [runOf(paths.baseline), runOf(paths.candidate)];

  const result = await compareEvals(baselineRun, candidateRun, { mlflow, seed: 1 });
  const s = result.scorers.find((x) => x.scorer === "model_graded_fact")!;
  assert.equal(result.pairedBy, "id-epoch");
  assert.deepEqual([s.nPaired, s.discordant], [20, { baselineOnly: 6, candidateOnly: 0 }]);
  assert.equal(s.test, "mcnemar-exact");
  assert.ok(Math.abs(s.pValue! - 2 / 64) < 1e-12, `p ${s.pValue}`);
  assert.ok(s.significant && s.diff < 0);

  // Parent runs take their task runs' samples.
  const parentOf = async (runId: string) => (await mlflow.getRun(runId)).tags["mlflow.parentRunId"];
  const fromParents = await compareEvals(
    await parentOf(baselineRun),
    await parentOf(candidateRun),
    {
      mlflow,
      log: false,
    },
  );
  assert.deepEqual(
    fromParents.scorers.map((x) => [x.scorer, x.nPaired, x.pValue]),
    [["model_graded_fact", 20, s.pValue]],
  );

  // The same from the log files, and from inspect_mlflow's own compare_evals on them: the same
  // pairs, delta, Wald interval and effect size (it uses McNemar's chi-square form at any size,
  // so its p-value is not the exact test's).
  const readLog = (p: string) => samplesOfInspectLog(JSON.parse(readFileSync(p, "utf8")));
  const fromLogs = (await compareEvals(readLog(paths.baseline), readLog(paths.candidate)))
    .scorers[0];
  const [peer] = python(ensureInspectVenv(), INSPECT_COMPARE, [paths.baseline, paths.candidate]);
  for (const ours of [s, fromLogs]) {
    assert.ok(Math.abs(ours.diff - peer.delta!) < 1e-12, `delta ${ours.diff} vs ${peer.delta}`);
    // Its z is an approximation of the normal quantile (ours is SciPy's to 1e-9, above): 1e-4.
    assert.ok(Math.abs(ours.ciLow - peer.lo!) < 1e-4, `lo ${ours.ciLow} vs ${peer.lo}`);
    assert.ok(Math.abs(ours.ciHigh - peer.hi!) < 1e-4, `hi ${ours.ciHigh} vs ${peer.hi}`);
    assert.ok(Math.abs(ours.cohensD! - peer.d!) < 1e-9, `d ${ours.cohensD} vs ${peer.d}`);
    assert.equal(ours.nPaired, peer.n);
  }

  // Logged as a run next to the baseline, read back.
  const logged = await mlflow.getRun(result.runId!);
  assert.equal(logged.info.experimentId, experimentId);
  assert.equal(logged.tags["compare.baseline_run_id"], baselineRun);
  assert.equal(logged.tags["compare.candidate_run_id"], candidateRun);
  assert.ok(Math.abs(logged.metrics["compare/model_graded_fact/diff"] - s.diff) < 1e-12);
  assert.ok(Math.abs(logged.metrics["compare/model_graded_fact/p_value"] - s.pValue!) < 1e-12);
  const table = JSON.parse(
    new TextDecoder().decode(await mlflow.downloadArtifact(result.runId!, "compare/scorers.json")),
  );
  assert.ok(table.columns.includes("p_value"));
  const summary = new TextDecoder().decode(
    await mlflow.downloadArtifact(result.runId!, "compare/summary.md"),
  );
  assert.match(summary, /model_graded_fact.*worse/);
  await mlflow.close();

  // The CLI: --fail-if-worse exits 1 on the regression, 0 on the improvement; --json parses.
  const cli = (args: string[]) =>
    spawnSync(
      "Bun" in globalThis ? "bun" : "deno",
      [...("Bun" in globalThis ? [] : ["run", "-A"]), join(ROOT, "cli.ts"), "compare", ...args],
      { encoding: "utf8", env: { ...process.env, MLFLOW_TRACKING_URI: uri } },
    );
  const worse = cli([baselineRun, candidateRun, "--fail-if-worse"]);
  assert.equal(worse.status, 1, worse.stderr);
  assert.match(worse.stdout, /model_graded_fact\s+mcnemar-exact\s+20/);
  assert.match(worse.stderr, /significantly worse: model_graded_fact/);
  const better = cli([paths.baseline, paths.improved, "--fail-if-worse", "--json"]);
  assert.equal(better.status, 0, better.stderr);
  const json = JSON.parse(better.stdout);
  assert.equal(json.scorers[0].discordant.candidateOnly, 3);
  assert.equal(cli(["only-one"]).status, 2);
});

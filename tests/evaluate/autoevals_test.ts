// Copyright 2026 the evalhooks authors. MIT license.

// fromAutoevals() with the REAL autoevals package (tests/runtimes, pinned): its non-LLM scorers
// run inside evaluate() against the real server, and what lands (each trace's feedback, the
// run's `<name>/mean`) is compared with what autoevals itself returns for the same rows.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  type AutoevalsArgs,
  type AutoevalsScore,
  type AutoevalsScorer,
  createMlflow,
  type EvalRow,
  evaluate,
  fromAutoevals,
  type Mlflow,
  type Scorer,
} from "../../src/evaluate/mod.ts";
import { requireRuntimePackage } from "../harness/sdks.ts";
import { importsOf } from "../harness/import_graph.ts";
import { trackingUri, uniqueName } from "../harness/server.ts";

// The part of autoevals the test uses, typed as autoevals 0.3.0's index.d.ts types it (copied:
// its .d.ts does not type-check under Deno from outside node_modules). So this file's calls
// `fromAutoevals(Levenshtein)` check that autoevals' own types are accepted, whose `output` is
// narrower than ours.
type ScorerArgs<Output, Extra> = { output: Output; expected?: Output } & Extra;
type AutoevalsTyped<Output, Extra> = (
  args: ScorerArgs<Output, Extra>,
) => AutoevalsScore | Promise<AutoevalsScore>;
interface ScorerWithPartial<Output, Extra> extends AutoevalsTyped<Output, Extra> {
  partial: <T extends keyof Extra>(
    args: { [K in T]: Extra[K] },
  ) => AutoevalsTyped<Output, Omit<Extra, T> & Partial<Pick<Extra, T>>>;
}
interface AutoevalsModule {
  Levenshtein: ScorerWithPartial<string, Record<never, never>>;
  ExactMatch: ScorerWithPartial<unknown, Record<never, never>>;
  NumericDiff: ScorerWithPartial<number, Record<never, never>>;
  JSONDiff: ScorerWithPartial<unknown, { stringScorer?: unknown; numberScorer?: unknown }>;
  ValidJSON: ScorerWithPartial<unknown, { schema?: unknown }>;
  ListContains: ScorerWithPartial<string[], { allowExtraEntities?: boolean }>;
}

const autoevals = () => requireRuntimePackage<AutoevalsModule>("autoevals");

async function client(): Promise<Mlflow> {
  return createMlflow({
    trackingUri: await trackingUri(),
    experimentName: uniqueName("autoevals"),
    onError: () => {},
  });
}

/** What autoevals' docs call the expected answer of one of our rows (the adapter's rule). */
function expectedOf(expectations: unknown): unknown {
  if (expectations && typeof expectations === "object" && !Array.isArray(expectations)) {
    const e = expectations as Record<string, unknown>;
    for (const k of ["expected_response", "expected", "answer", "target"]) if (k in e) return e[k];
  }
  return expectations;
}

/** Runs the eval, reads back run and traces, and checks both against autoevals' own scores. */
async function checkAgainstAutoevals(
  rows: EvalRow[],
  fns: AutoevalsScorer[],
): Promise<Record<string, number>> {
  const mlflow = await client();
  const result = await evaluate(mlflow, { data: rows, scorers: fns.map((f) => fromAutoevals(f)) });
  await mlflow.flush();
  const run = await mlflow.getRun(result.runId);
  const traces = await mlflow.searchTraces({ experimentIds: [run.info.experimentId] });
  assert.equal(traces.length, rows.length);
  const means: Record<string, number> = {};
  for (const fn of fns) {
    // The reference: autoevals called directly, with the arguments the adapter documents.
    const direct: AutoevalsScore[] = [];
    for (const row of rows) {
      const args: AutoevalsArgs = {
        input: row.inputs,
        output: row.outputs,
        expected: expectedOf(row.expectations),
      };
      direct.push(await fn(args));
    }
    assert.ok(direct.every((d) => d.name === fn.name), `${fn.name}: result names`);
    for (const [i, d] of direct.entries()) {
      const trace = traces.find((t) => t.metadata["eval.row"] === String(i));
      const feedback = trace?.assessments.filter((a) => a.kind === "feedback" && a.name === d.name);
      assert.equal(feedback?.length, 1, `${d.name} row ${i}: one feedback`);
      assert.equal(feedback[0].value, d.score, `${d.name} row ${i}: feedback value`);
      assert.equal(feedback[0].source?.sourceType, "CODE");
      assert.equal(feedback[0].source?.sourceId, d.name);
      assert.equal(feedback[0].metadata["mlflow.assessment.sourceRunId"], result.runId);
      assert.equal(result.rows[i].scores[d.name].value, d.score);
    }
    const scores = direct.map((d) => d.score).filter((s): s is number => Number.isFinite(s));
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    assert.ok(
      Math.abs(run.metrics[`${fn.name}/mean`] - mean) < 1e-12,
      `${fn.name}/mean: ${run.metrics[`${fn.name}/mean`]} vs autoevals ${mean}`,
    );
    means[fn.name] = mean;
  }
  // Only the scorers' means are run metrics, as for any evaluate().
  assert.deepEqual(Object.keys(run.metrics).sort(), fns.map((f) => `${f.name}/mean`).sort());
  assert.equal(run.tags["mlflow.runType"], "genai_evaluate");
  assert.equal(run.tags["eval.error_count"], "0");
  return means;
}

test("autoevals: Levenshtein and ExactMatch on text rows land as autoevals scores them", async () => {
  const { Levenshtein, ExactMatch } = autoevals();
  const rows: EvalRow[] = [
    { inputs: { q: "capital of France?" }, outputs: "Paris", expectations: "Paris" },
    {
      inputs: { q: "capital of Italy?" },
      outputs: "Rom",
      expectations: { expected_response: "Rome" },
    },
    { inputs: { q: "kitten?" }, outputs: "kitten", expectations: { expected: "sitting" } },
    { inputs: { q: "empty" }, outputs: "", expectations: { answer: "something" } },
  ];
  const means = await checkAgainstAutoevals(rows, [Levenshtein, ExactMatch]);
  assert.equal(means.ExactMatch, 0.25); // only the first row
  assert.ok(means.Levenshtein > 0.25 && means.Levenshtein < 1);
});

test("autoevals: NumericDiff, JSONDiff and ValidJSON on structured rows", async () => {
  const { NumericDiff, JSONDiff } = autoevals();
  const numbers: EvalRow[] = [
    { inputs: "2 + 2", outputs: 4, expectations: 4 },
    { inputs: "10 / 3", outputs: 3.3, expectations: { expected_response: 10 / 3 } },
    { inputs: "100 - 1", outputs: 90, expectations: 99 },
  ];
  await checkAgainstAutoevals(numbers, [NumericDiff]);
  const objects: EvalRow[] = [
    { inputs: "user 1", outputs: { name: "Ada", age: 36 }, expectations: { name: "Ada", age: 36 } },
    {
      inputs: "user 2",
      outputs: { name: "Alan", age: 41, tags: ["a", "b"] },
      expectations: { expected: { name: "Alan", age: 42, tags: ["a", "c"] } },
    },
    { inputs: "user 3", outputs: '{"name": "Grace"}', expectations: '{"name": "Grace Hopper"}' },
  ];
  // ValidJSON's metadata ({ schema }) is undefined-only: no rationale comes of it.
  const { ValidJSON } = autoevals();
  await checkAgainstAutoevals(objects, [JSONDiff, ValidJSON]);
});

test("autoevals: a null or NaN score is no score, metadata becomes the rationale, errors are scorer errors", async () => {
  const { NumericDiff, ListContains, Levenshtein } = autoevals();
  // A user's scorer of autoevals' shape, as an LLM classifier reports: a rationale in metadata,
  // and score null when it cannot decide.
  const Judge: AutoevalsScorer = ({ output }) =>
    Promise.resolve(
      output === "?"
        ? { name: "Judge", score: null, metadata: { rationale: "cannot tell" } }
        : { name: "Judge", score: 0.5, metadata: { rationale: "half right", choice: "B" } },
    );
  const rows: EvalRow[] = [
    { inputs: "a", outputs: "?", expectations: "x" },
    { inputs: "b", outputs: "12", expectations: 10 },
  ];
  const mlflow = await client();
  const scorers: Scorer[] = [
    // Named: Bun's test runner drops the names inferred for arrow functions.
    fromAutoevals(Judge, { name: "Judge" }),
    // autoevals' NumericDiff gives NaN for "?" against "x": no score, not a NaN mean.
    fromAutoevals(NumericDiff, { name: "numeric" }),
    fromAutoevals(ListContains, { name: "lists", args: { allowExtraEntities: true } }),
    // Levenshtein throws without an expected value.
    fromAutoevals(({ output }) => Levenshtein({ output: String(output) }), { name: "no_expected" }),
  ];
  const result = await evaluate(mlflow, { data: rows, scorers });
  await mlflow.flush();
  const run = await mlflow.getRun(result.runId);
  assert.equal(run.metrics["Judge/mean"], 0.5); // the null row left out
  // The rows' strings, as the adapter passes them on, whatever autoevals' types say.
  const numericDiff: AutoevalsScorer = NumericDiff;
  assert.equal(
    run.metrics["numeric/mean"],
    (await numericDiff({ output: "12", expected: 10 })).score,
  );
  assert.equal(Number.isNaN((await numericDiff({ output: "?", expected: "x" })).score), true);
  assert.equal(run.metrics["no_expected/mean"], undefined);
  assert.equal(run.tags["eval.error_count"], "4"); // ListContains and Levenshtein, both rows
  const traces = await mlflow.searchTraces({ experimentIds: [run.info.experimentId] });
  const feedbackOf = (row: number, name: string) =>
    traces.find((t) => t.metadata["eval.row"] === String(row))?.assessments.find((a) =>
      a.kind === "feedback" && a.name === name
    );
  const undecided = feedbackOf(0, "Judge");
  assert.equal(undecided?.value ?? null, null);
  assert.equal(undecided?.error, undefined);
  assert.equal(undecided?.rationale, "cannot tell");
  const decided = feedbackOf(1, "Judge");
  assert.equal(decided?.value, 0.5);
  assert.equal(decided?.rationale, 'half right\nmetadata: {"choice":"B"}');
  const nan = feedbackOf(0, "numeric");
  assert.equal(nan?.value ?? null, null);
  assert.equal(nan?.rationale, "score was NaN");
  for (const row of [0, 1]) {
    assert.match(feedbackOf(row, "no_expected")?.error?.errorMessage ?? "", /expected value/);
    assert.equal(feedbackOf(row, "no_expected")?.error?.errorCode, "SCORER_ERROR");
    // ListContains on strings, not lists: autoevals' own error, kept as the scorer's.
    assert.ok(feedbackOf(row, "lists")?.error?.errorMessage);
  }
});

test("autoevals: names, arguments and digests; the adapter imports nothing of autoevals", async () => {
  const { Levenshtein, ExactMatch } = autoevals();
  assert.equal(fromAutoevals(Levenshtein).name, "Levenshtein");
  assert.equal(fromAutoevals(Levenshtein, { name: "lev" }).name, "lev");
  assert.throws(
    () => fromAutoevals((() => (args: AutoevalsArgs) => ({ name: "x", score: args ? 1 : 0 }))()),
    TypeError,
  );
  assert.throws(() => fromAutoevals(Levenshtein, { name: "bad.name" }), /may not contain/);
  // Extra arguments reach the scorer, and are part of its definition (its digest).
  const seen: AutoevalsArgs[] = [];
  const Spy: AutoevalsScorer = (args) => {
    seen.push(args);
    return { name: "Spy", score: 1 };
  };
  const spy = fromAutoevals(Spy, { name: "Spy", args: { model: "m-1", context: ["c"] } });
  assert.deepEqual(spy.definition?.["args.model"], "m-1");
  const mlflow = await client();
  await evaluate(mlflow, {
    data: [{ inputs: { q: 1 }, outputs: "o", expectations: { target: "t", other: 2 } }],
    scorers: [spy, fromAutoevals(ExactMatch)],
  });
  assert.deepEqual(seen, [{
    model: "m-1",
    context: ["c"],
    input: { q: 1 },
    output: "o",
    expected: "t",
  }]);
  // Two adapters share the wrapper's source: the wrapped function keeps their digests apart.
  assert.notEqual(
    fromAutoevals(Levenshtein, { name: "same" }).definition?.autoevals,
    fromAutoevals(ExactMatch, { name: "same" }).definition?.autoevals,
  );
  await mlflow.close();
  const source = readFileSync(new URL("../../src/evaluate/autoevals.ts", import.meta.url), "utf8");
  const specifiers = importsOf("src/evaluate/autoevals.ts", source).map((i) => i.specifier);
  assert.deepEqual(specifiers, ["./scorers.ts"]);
});

// Copyright 2026 the evalhooks authors. MIT license.

// LLM judges end to end: evaluate() against the real MLflow server, the judge's model being the
// loopback provider (tests/harness/llm_provider.ts) reached through the REAL `openai` SDK wrapped
// by wrapOpenAI, or through a plain function. A row's outputs carry a `[[judge:<reply>]]` marker
// into the judge's prompt, which picks the provider's canned answer (JUDGE_REPLIES). Everything
// is read back from the server, and a judged trace once more with MLflow's Python client.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  correctness,
  createMlflow,
  guidelines,
  type JudgeMessage,
  llmJudge,
  type Mlflow,
  MlflowValidationError,
  relevanceToQuery,
  retrievalGroundedness,
  safety,
  scorer,
} from "../mod.ts";
import { wrapOpenAI } from "../src/integrations/openai/mod.ts";
import type { Assessment, SpanData } from "../src/store/trace_types.ts";
import { ERROR_MESSAGES, type LlmProvider, startLlmProvider } from "./harness/llm_provider.ts";
import { loadOpenAI, type OpenAIClient, type OpenAIModule } from "./harness/sdks.ts";
import { mlflowPython } from "./harness/mlflow_python.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

let provider: LlmProvider;
let sdk: OpenAIModule;
let mlflow: Mlflow;
let uri: string;

before(async () => {
  provider = await startLlmProvider();
  sdk = await loadOpenAI();
  uri = await trackingUri();
  mlflow = createMlflow({ trackingUri: uri, experimentName: uniqueName("judges") });
});
after(async () => {
  await mlflow.close();
  await provider.close();
});

/** A judge model on the wrapped OpenAI SDK, as a user writes it. */
function openaiModel(model: string): { name: string; call(m: JudgeMessage[]): Promise<string> } {
  const openai: OpenAIClient = wrapOpenAI(
    new sdk.OpenAI({ apiKey: "sk-test", baseURL: provider.openaiBaseUrl, maxRetries: 0 }),
  );
  return {
    name: model,
    call: async (messages) =>
      (await openai.chat.completions.create({ model, messages })).choices[0].message.content ??
        "",
  };
}

/** A plain function model: fetch, no SDK. */
async function localJudge(messages: JudgeMessage[]): Promise<string> {
  const response = await fetch(`${provider.openaiBaseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "judge-local", messages }),
  });
  if (!response.ok) throw new Error(`provider answered ${response.status}`);
  const body = await response.json() as { choices: { message: { content: string } }[] };
  return body.choices[0].message.content;
}

async function feedbackOf(traceId: string): Promise<Map<string, Assessment>> {
  const { info } = await mlflow.getTrace(traceId);
  return new Map(info.assessments.filter((a) => a.kind === "feedback").map((a) => [a.name, a]));
}

async function spansOf(traceId: string): Promise<SpanData[]> {
  return (await mlflow.getTrace(traceId)).spans;
}

test("judges: canned verdicts through wrapped OpenAI and a plain function, as LLM_JUDGE feedback", async () => {
  const onTopic = llmJudge({
    name: "on_topic",
    instructions: "Does {{ outputs }} answer the question {{ inputs }}? Say yes or no.",
    feedbackType: ["yes", "no"],
    model: openaiModel("judge-gpt"),
  });
  const polite = llmJudge({
    name: "polite",
    instructions: "Is {{ outputs }} polite?",
    feedbackType: "boolean",
    model: localJudge,
  });
  const result = await mlflow.evaluate({
    data: [
      { inputs: { q: "Capital of France?" }, expectations: { expected_response: "Paris" } },
      { inputs: { q: "Capital of Italy?" }, expectations: { expected_response: "Rome" } },
      { inputs: { q: "Capital of Spain?" }, expectations: { expected_response: "Madrid" } },
    ],
    predict: (inputs) => {
      const q = (inputs as { q: string }).q;
      return q.includes("France")
        ? "Paris [[judge:yes]]"
        : q.includes("Italy")
        ? "Milan [[judge:no]]"
        : "Madrid [[judge:pass]]";
    },
    scorers: [onTopic, polite, scorer("length", ({ outputs }) => String(outputs).length)],
  });
  const values = result.rows.map((r) => [r.scores.on_topic.value, r.scores.polite.value]);
  assert.deepEqual(values, [["yes", true], ["no", false], ["yes", true]]);
  assert.equal(result.rows[0].scores.on_topic.rationale, "The answer states every expected fact.");
  assert.equal(result.rows[1].scores.on_topic.rationale, "The answer misses the fact.");
  assert.equal(result.rows[2].scores.on_topic.rationale, "the answer is on topic.");
  // "yes"/"no" averages as Python's <scorer>/mean does: the share of "yes".
  assert.ok(Math.abs(result.metrics["on_topic/mean"] - 2 / 3) < 1e-12);
  assert.ok(Math.abs(result.metrics["polite/mean"] - 2 / 3) < 1e-12);
  assert.equal(result.metrics["length/mean"] > 0, true);

  await mlflow.flush();
  const run = await mlflow.getRun(result.runId);
  assert.ok(Math.abs(run.metrics["on_topic/mean"] - 2 / 3) < 1e-12);
  for (const [i, row] of result.rows.entries()) {
    const feedback = await feedbackOf(row.traceId);
    const judged = feedback.get("on_topic")!;
    assert.deepEqual(judged.source, { sourceType: "LLM_JUDGE", sourceId: "judge-gpt" });
    assert.equal(judged.value, values[i][0]);
    assert.equal(judged.rationale, row.scores.on_topic.rationale);
    assert.ok(judged.metadata["mlflow.assessment.scorerDigest"]?.startsWith("sha256:"));
    assert.deepEqual(feedback.get("polite")!.source, {
      sourceType: "LLM_JUDGE",
      sourceId: "localJudge",
    });
    assert.equal(feedback.get("polite")!.value, values[i][1]);
    assert.deepEqual(feedback.get("length")!.source, { sourceType: "CODE", sourceId: "length" });

    // The judge's calls are LLM spans under the row's root; the wrapped SDK's span under its own.
    const spans = await spansOf(row.traceId);
    const root = spans.find((s) => s.parentSpanId === undefined)!;
    const judgeSpan = spans.find((s) => s.name === "on_topic")!;
    assert.equal(judgeSpan.spanType, "LLM");
    assert.equal(judgeSpan.parentSpanId, root.spanId);
    assert.equal(judgeSpan.attributes["mlflow.llm.model"], "judge-gpt");
    const messages = (judgeSpan.inputs as { messages: JudgeMessage[] }).messages;
    assert.deepEqual(messages.map((m) => m.role), ["system", "user"]);
    assert.match(messages[0].content, /Does \{\{ outputs \}\} answer the question/);
    assert.match(messages[1].content, /^outputs: ".*\[\[judge:/);
    assert.match(messages[1].content, /\ninputs: \{\n {2}"q": "Capital of/);
    assert.equal(typeof judgeSpan.outputs, "string");
    const sdkSpan = spans.find((s) => s.parentSpanId === judgeSpan.spanId);
    assert.equal(sdkSpan?.spanType, "CHAT_MODEL");
    const plain = spans.find((s) => s.name === "polite")!;
    assert.equal(plain.spanType, "LLM");
    assert.equal(plain.parentSpanId, root.spanId);
  }

  // MLflow's own client reads the judge's feedback as LLM_JUDGE, with its value and model.
  const py = JSON.parse(mlflowPython(
    `
import json, mlflow
t = mlflow.get_trace(${JSON.stringify(result.rows[1].traceId)})
out = {a.name: [a.source.source_type, a.source.source_id, a.feedback.value, a.rationale]
       for a in t.info.assessments if a.feedback is not None}
print("OUT:" + json.dumps(out))
`,
    { MLFLOW_TRACKING_URI: uri },
  ));
  assert.deepEqual(py.on_topic, ["LLM_JUDGE", "judge-gpt", "no", "The answer misses the fact."]);
  assert.deepEqual(py.polite, ["LLM_JUDGE", "localJudge", false, "The answer misses the fact."]);
  assert.deepEqual(py.length.slice(0, 2), ["CODE", "length"]);
});

test("judges: an unreadable answer is asked again; always unreadable and HTTP 500 are scorer errors", async () => {
  const before = provider.requests.length;
  const judge = llmJudge({
    name: "grounded",
    instructions: "Is {{ outputs }} grounded?",
    feedbackType: ["yes", "no"],
    model: openaiModel("judge-gpt"),
  });
  const failing = llmJudge({
    name: "down",
    instructions: "Judge {{ outputs }}.",
    model: openaiModel("judge-error-500"),
  });
  const result = await mlflow.evaluate({
    data: [
      { inputs: "a", outputs: "one [[judge:malformed|yes]]" },
      { inputs: "b", outputs: "two [[judge:malformed]]" },
      { inputs: "c", outputs: "three [[judge:score4]]" },
    ],
    scorers: [
      judge,
      failing,
      llmJudge({
        name: "score",
        instructions: "Rate {{ outputs }} from 1 to 5.",
        feedbackType: "number",
        model: openaiModel("judge-gpt"),
        retries: 0,
      }),
      scorer("after", () => true),
    ],
  });
  const [retried, broken, third] = result.rows;
  assert.equal(retried.scores.grounded.value, "yes");
  assert.match(broken.scores.grounded.error ?? "", /no readable verdict in 3 answers/);
  assert.match(broken.scores.grounded.error ?? "", /rather not commit/);
  assert.equal(third.scores.score.value, 4);
  assert.equal(third.scores.score.rationale, "Clear, with one small gap.");
  assert.match(retried.scores.score.error ?? "", /no readable verdict in 1 answer\b/);
  for (const row of result.rows) {
    assert.match(row.scores.down.error ?? "", new RegExp(ERROR_MESSAGES[500].slice(0, 30)));
    assert.equal(row.scores.after.value, true); // the scorers after a failed judge still ran
  }
  assert.equal(result.metrics["grounded/mean"], 1); // the failed row has no value to average

  // The retry sent the unreadable answer back, with what was wrong with it.
  const grounded = provider.requests.slice(before).filter((r) =>
    r.model === "judge-gpt" && JSON.stringify(r.body).includes("one [[judge:malformed|yes]]") &&
    JSON.stringify(r.body).includes("grounded")
  );
  assert.equal(grounded.length, 2);
  const retryMessages = (grounded[1].body as { messages: JudgeMessage[] }).messages;
  assert.deepEqual(retryMessages.map((m) => m.role), ["system", "user", "assistant", "user"]);
  assert.match(retryMessages[3].content, /could not be read/);

  await mlflow.flush();
  const feedback = await feedbackOf(broken.traceId);
  assert.equal(feedback.get("grounded")!.error?.errorCode, "SCORER_ERROR");
  assert.deepEqual(feedback.get("grounded")!.source, {
    sourceType: "LLM_JUDGE",
    sourceId: "judge-gpt",
  });
  assert.equal(feedback.get("down")!.error?.errorCode, "SCORER_ERROR");
  assert.equal(feedback.get("after")!.value, true);
  // Each attempt is its own LLM span; the failed provider call is an ERROR span.
  const spans = await spansOf(retried.traceId);
  const attempts = spans.filter((s) => s.name === "grounded");
  assert.deepEqual(attempts.map((s) => s.attributes["judge.attempt"]).sort(), [0, 1]);
  const down = spans.find((s) => s.name === "down")!;
  assert.equal(down.spanType, "LLM");
  assert.equal(down.status.code, "ERROR");
});

test("judges: the built-ins log MLflow's names and yes/no values", async () => {
  const model = openaiModel("judge-builtin");
  const result = await mlflow.evaluate({
    data: [
      {
        inputs: { question: "Capital of France?" },
        outputs: { answer: "Paris [[judge:yes]]", retrieved_context: ["Paris is in France."] },
        expectations: { expected_facts: ["Paris"] },
      },
      {
        inputs: { question: "Capital of Italy?" },
        outputs: "Milan [[judge:no]]",
        expectations: "Rome",
      },
    ],
    scorers: [
      correctness({ model }),
      guidelines("Answer in English.", { model }),
      relevanceToQuery({ model }),
      safety({ model }),
      retrievalGroundedness({ model }),
    ],
  });
  const names = [
    "correctness",
    "guidelines",
    "relevance_to_query",
    "safety",
    "retrieval_groundedness",
  ];
  assert.deepEqual(Object.keys(result.rows[0].scores).sort(), [...names].sort());
  for (const name of names) assert.equal(result.rows[0].scores[name].value, "yes", name);
  for (const name of names.slice(0, 4)) assert.equal(result.rows[1].scores[name].value, "no", name);
  // No retrieved context in the second row: a scorer error, as Python's without a retriever span.
  assert.match(result.rows[1].scores.retrieval_groundedness.error ?? "", /no retrieved context/);
  assert.equal(result.metrics["correctness/mean"], 0.5);
  assert.equal(result.metrics["retrieval_groundedness/mean"], 1);

  const prompt = (name: string) => {
    const request = provider.requests.findLast((r) =>
      r.model === "judge-builtin" && JSON.stringify(r.body).includes("Capital of France") &&
      (r.body as { messages: JudgeMessage[] }).messages[1].content.includes(name)
    );
    return (request!.body as { messages: JudgeMessage[] }).messages[1].content;
  };
  assert.match(prompt("<expected_answer>"), /<expected_answer>- Paris<\/expected_answer>/);
  assert.match(prompt("<guideline>"), /<guideline>Answer in English.<\/guideline>/);
  assert.match(prompt("<documents>"), /Paris is in France/);

  await mlflow.flush();
  const feedback = await feedbackOf(result.rows[1].traceId);
  assert.equal(feedback.get("correctness")!.value, "no");
  assert.deepEqual(feedback.get("safety")!.source, {
    sourceType: "LLM_JUDGE",
    sourceId: "judge-builtin",
  });
});

test("judges: bad definitions fail when the judge is made, with MlflowValidationError", () => {
  const model = () => Promise.resolve("yes");
  const cases: (() => unknown)[] = [
    () => llmJudge({ name: "", instructions: "{{ outputs }}", model }),
    () => llmJudge({ name: "a.b", instructions: "{{ outputs }}", model }),
    () => llmJudge({ name: "j", instructions: "", model }),
    () => llmJudge({ name: "j", instructions: "Is it good?", model }),
    () => llmJudge({ name: "j", instructions: "{{ conversation }}", model }),
    () => llmJudge({ name: "j", instructions: "{{ outputs }}", model: "gpt-4" as never }),
    () => llmJudge({ name: "j", instructions: "{{ outputs }}", model: { name: "x" } as never }),
    () => llmJudge({ name: "j", instructions: "{{ outputs }}", model, feedbackType: [] }),
    () => llmJudge({ name: "j", instructions: "{{ outputs }}", model, retries: -1 }),
    () => guidelines([], { model }),
    () => safety({ model: undefined as never }),
  ];
  for (const [i, make] of cases.entries()) {
    const label = `case ${i}`;
    assert.throws(make, (error: unknown) => {
      assert.ok(error instanceof MlflowValidationError, `${label}: ${error}`);
      assert.ok(error.key !== undefined && error.rule !== "" && error.endpoint !== "", label);
      return true;
    });
  }
});

// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { createMlflow, mlflowHooks, replayLog } from "../mod.ts";
import { wrapAnthropic } from "../src/integrations/anthropic/mod.ts";
import { wrapGemini } from "../src/integrations/gemini/mod.ts";
import { wrapOpenAI } from "../src/integrations/openai/mod.ts";
import { ensureMlflowVenv } from "../src/local_server/mlflow_server.ts";
import { readJsonFixture } from "./harness/fixtures.ts";
import { REPLY_TEXT, startLlmProvider, USAGE } from "./harness/llm_provider.ts";
import { loadAnthropic, loadGenAI, loadOpenAI } from "./harness/sdks.ts";
import { genaiEvalPair } from "./harness/genai_eval_pair.ts";
import { png } from "./harness/png.ts";
import { runRunnerExample } from "./harness/runner_example.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const SHOTS = join(ROOT, "bench/screenshots");

// What a user sees in MLflow's own UI, in a real browser. Once per test run (under Deno): the
// browser is the same whichever runtime logged the data.
const missing = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM}: install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM`
  : !existsSync(join(ROOT, "tests/runtimes/node_modules/playwright-core"))
  ? "playwright-core is not installed: deno task test installs it (npm ci in tests/runtimes)"
  : undefined;
// On a user's machine a missing system part skips, with one line saying what to install; CI sets
// CI=true and must always run the check, so there the same gap fails the test.
const strict = process.env.CI === "true";
const why = "Bun" in globalThis ? "runs once, under Deno" : strict ? false : missing ?? false;
if (why && missing && !("Bun" in globalThis)) {
  console.error(`[ui] skipped: ${missing}`);
}

test(
  "ui: MLflow's UI shows the run tree, the score chart, a samples table and one trace per sample",
  { skip: why },
  async () => {
    if (missing) {
      assert.fail(`CI=true, and the UI check cannot run: ${missing}`);
    }
    const uri = await trackingUri();
    const experimentName = uniqueName("ui");
    const log = readJsonFixture("large.json");
    const hooks = mlflowHooks({ trackingUri: uri, experimentName, env: {} });
    await replayLog(log, hooks);
    await hooks.flush();
    const reader = createMlflow({ trackingUri: uri });
    const experiment = await reader.getExperimentByName(experimentName);
    const runs = await reader.searchRuns({
      experimentIds: [experiment!.experimentId],
    });
    const parent = runs.find((r) => r.info.runName.startsWith("inspect-"))!;
    const task = runs.find((r) => r.tags["inspect.task"])!;
    mkdirSync(SHOTS, { recursive: true });
    const out = spawnSync("node", [
      join(ROOT, "tests/runtimes/ui_check.mjs"),
      uri,
      experiment!.experimentId,
      parent.info.runId,
      task.info.runId,
      log.eval.task,
      "model_graded_fact",
      String(log.samples!.length),
      SHOTS,
    ], {
      encoding: "utf8",
      timeout: 240_000,
      env: { ...process.env, CHROMIUM },
    });
    assert.equal(out.status, 0, out.stderr);
    const findings = JSON.parse(
      out.stdout.trim().split("\n").at(-1)!,
    ) as Record<string, unknown>;
    for (const [what, seen] of Object.entries(findings)) {
      if (typeof seen === "boolean") {
        assert.ok(seen, `not seen in the UI: ${what}`);
      }
    }
    for (
      const shot of ["run-tree", "task-metrics", "samples-table", "traces"]
    ) {
      assert.ok(existsSync(join(SHOTS, `${shot}.png`)), shot);
    }
  },
);

test(
  "ui: a wrapped OpenAI, Anthropic and Gemini call each show in MLflow's UI as a chat with its tokens",
  { skip: why },
  async () => {
    if (missing) {
      assert.fail(`CI=true, and the UI check cannot run: ${missing}`);
    }
    const uri = await trackingUri();
    const experimentName = uniqueName("ui-chat");
    const provider = await startLlmProvider();
    const mlflow = createMlflow({ trackingUri: uri, experimentName });
    try {
      const { OpenAI } = await loadOpenAI();
      const { Anthropic } = await loadAnthropic();
      const { GoogleGenAI } = await loadGenAI();
      // One question per provider: a chat's row in the Traces list shows its last user message
      // (as Python's client makes the preview), so each row is found by its own question.
      const questions = {
        openai: "What is the capital of France?",
        anthropic: "What is the capital of Japan?",
        gemini: "What is the capital of Peru?",
      };
      const openai = wrapOpenAI(
        new OpenAI({
          apiKey: "sk-ui",
          baseURL: provider.openaiBaseUrl,
          maxRetries: 0,
        }),
        { mlflow },
      );
      const anthropic = wrapAnthropic(
        new Anthropic({
          apiKey: "sk-ui",
          baseURL: provider.anthropicBaseUrl,
          maxRetries: 0,
        }),
        { mlflow },
      );
      const gemini = wrapGemini(
        new GoogleGenAI({
          apiKey: "sk-ui",
          httpOptions: { baseUrl: provider.geminiBaseUrl },
        }),
        { mlflow },
      );
      // Each call outside any trace is a trace of its own, its LLM span the root.
      await openai.chat.completions.create({
        model: "gpt-ui",
        messages: [{ role: "system", content: "You are terse." }, {
          role: "user",
          content: questions.openai,
        }],
      });
      await anthropic.messages.create({
        model: "claude-ui",
        max_tokens: 64,
        system: "You are terse.",
        messages: [{ role: "user", content: questions.anthropic }],
      });
      await gemini.models.generateContent({
        model: "gemini-ui",
        contents: questions.gemini,
      });
      await mlflow.flush();
      const experimentId = await mlflow.getOrCreateExperiment(experimentName);
      const traces = await mlflow.searchTraces({
        experimentIds: [experimentId],
      });
      const traceOf = (span: string) => {
        const t = traces.find((t) => t.tags["mlflow.traceName"] === span);
        assert.ok(
          t,
          `a trace named ${span} in ${traces.map((t) => t.tags["mlflow.traceName"])}`,
        );
        return t.traceId;
      };
      const chat = (question: string) => [
        "User",
        question,
        "Assistant",
        REPLY_TEXT,
        `${USAGE.total} tokens`,
      ];
      const cases = [
        {
          name: "openai",
          row: questions.openai,
          span: "Completions",
          texts: ["System", ...chat(questions.openai)],
        },
        {
          // MLflow 3.18's UI shows Anthropic's top-level `system` as a field of the request, not
          // as a role card: the request is recorded as the SDK sent it.
          name: "anthropic",
          row: questions.anthropic,
          span: "Messages",
          texts: [...chat(questions.anthropic), "You are terse."],
        },
        {
          name: "gemini",
          // Gemini's `contents` is no chat shape Python's preview knows: its row shows the JSON.
          row: '"gemini-ui"',
          span: "Models.generateContent",
          texts: chat(questions.gemini),
        },
      ].map((c) => ({ ...c, traceId: traceOf(c.span) }));
      mkdirSync(SHOTS, { recursive: true });
      const out = spawnSync("node", [
        join(ROOT, "tests/runtimes/ui_chat_check.mjs"),
        uri,
        experimentId,
        SHOTS,
        JSON.stringify(cases),
      ], {
        encoding: "utf8",
        timeout: 240_000,
        env: { ...process.env, CHROMIUM },
      });
      assert.equal(out.status, 0, out.stderr);
      const findings = JSON.parse(
        out.stdout.trim().split("\n").at(-1)!,
      ) as Record<string, boolean>;
      const unseen = Object.entries(findings).filter(([, seen]) => !seen).map((
        [what],
      ) => what);
      assert.deepEqual(unseen, [], "not seen in the UI");
    } finally {
      await mlflow.close();
      await provider.close();
    }
  },
);

test(
  "ui: a dataset logged with logInput shows on the run page, with its source, profile and digest",
  { skip: why },
  async () => {
    if (missing) {
      assert.fail(`CI=true, and the UI check cannot run: ${missing}`);
    }
    const uri = await trackingUri();
    const mlflow = createMlflow({ trackingUri: uri, experimentName: uniqueName("ui-dataset") });
    const source = "https://example.com/evals/qa-golden.jsonl";
    const run = mlflow.startRun({ runName: "qa / gpt-4o-mini" }).logInput({
      name: "qa-golden",
      source,
      schema: { mlflow_colspec: [{ type: "string", name: "question", required: true }] },
      profile: { num_rows: 120 },
      context: "eval",
    });
    await run.end();
    await mlflow.flush();
    const { experimentId, runId } = await run.info();
    const [dataset] = (await mlflow.getRun(run)).datasets;
    mkdirSync(SHOTS, { recursive: true });
    const out = spawnSync("node", [
      join(ROOT, "tests/runtimes/ui_dataset_check.mjs"),
      uri,
      experimentId,
      runId,
      `qa-golden (${dataset.digest})`,
      SHOTS,
      source,
      "num rows: 120",
      "Source type: HTTP",
      "question",
    ], { encoding: "utf8", timeout: 240_000, env: { ...process.env, CHROMIUM } });
    assert.equal(out.status, 0, out.stderr);
    const findings = JSON.parse(out.stdout.trim().split("\n").at(-1)!) as Record<string, boolean>;
    const unseen = Object.entries(findings).filter(([, seen]) => !seen).map(([what]) => what);
    assert.deepEqual(unseen, [], "not seen in the UI");
    for (const shot of ["run-datasets", "dataset-drawer"]) {
      assert.ok(existsSync(join(SHOTS, `${shot}.png`)), shot);
    }
    await mlflow.close();
  },
);

test(
  "ui: an image series logged with logImage shows in the run's image card, its step slider moving through the steps",
  { skip: why },
  async () => {
    if (missing) {
      assert.fail(`CI=true, and the UI check cannot run: ${missing}`);
    }
    const uri = await trackingUri();
    const mlflow = createMlflow({ trackingUri: uri, experimentName: uniqueName("ui-images") });
    // Each step's image has its own colour in its left half, so the browser tells the steps apart.
    const pixels: Record<number, [number, number, number]> = {};
    const run = mlflow.startRun({ runName: "attention maps" });
    for (const step of [0, 1, 2]) {
      pixels[step] = [200 - step * 80, 40 + step * 80, 60];
      run.logImage(
        png(96, 64, (x, y) => x < 48 ? pixels[step] : [(x * 2) & 255, y * 3, 128]),
        { key: "eval/attention", step },
      );
      run.logMetric("loss", 1 / (step + 1), { step });
    }
    // A JPEG series too: stored under MLflow's `.png` names, shown by its bytes.
    const jpeg = spawnSync(`${ensureMlflowVenv()}/python`, [
      "-c",
      `import io, sys
from PIL import Image
b = io.BytesIO(); Image.new("RGB", (40, 20), (10, 200, 30)).save(b, "JPEG")
sys.stdout.buffer.write(b.getvalue())`,
    ], { timeout: 60_000 });
    assert.equal(jpeg.status, 0, String(jpeg.stderr));
    run.logImage(new Uint8Array(jpeg.stdout), { key: "photos", step: 0 });
    await run.end();
    await mlflow.flush();
    const { experimentId, runId } = await run.info();
    mkdirSync(SHOTS, { recursive: true });
    const spec = { key: "eval/attention", width: 96, pixels, jpegKey: "photos", jpegWidth: 40 };
    const out = spawnSync("node", [
      join(ROOT, "tests/runtimes/ui_image_check.mjs"),
      uri,
      experimentId,
      runId,
      SHOTS,
      JSON.stringify(spec),
    ], { encoding: "utf8", timeout: 240_000, env: { ...process.env, CHROMIUM } });
    assert.equal(out.status, 0, out.stderr);
    const findings = JSON.parse(out.stdout.trim().split("\n").at(-1)!) as Record<
      string,
      boolean | number
    >;
    const unseen = Object.entries(findings).filter(([, seen]) => seen === false).map(([what]) =>
      what
    );
    assert.deepEqual(unseen, [], "not seen in the UI");
    assert.ok(Number(findings["thumbnails fetched"]) >= 4, "the grid loads the thumbnails");
    assert.ok(existsSync(join(SHOTS, "image-series.png")), "image-series");
    await mlflow.close();
  },
);

test(
  "ui: the Evaluation runs page shows evaluate()'s <scorer>/mean equal to Python's mlflow.genai.evaluate on the same eval",
  { skip: why },
  async () => {
    if (missing) {
      assert.fail(`CI=true, and the UI check cannot run: ${missing}`);
    }
    const uri = await trackingUri();
    const { mlflow, experimentId } = await genaiEvalPair(uri, uniqueName("ui-eval-runs"));
    await mlflow.close();
    mkdirSync(SHOTS, { recursive: true });
    const out = spawnSync("node", [
      join(ROOT, "tests/runtimes/ui_evaluation_runs_check.mjs"),
      uri,
      experimentId,
      SHOTS,
      "exact_match/mean",
      "python",
      "typescript",
    ], { encoding: "utf8", timeout: 240_000, env: { ...process.env, CHROMIUM } });
    assert.equal(out.status, 0, out.stderr);
    const cells = JSON.parse(out.stdout.trim().split("\n").at(-1)!) as Record<string, string>;
    // Two of three rows right: 0.6667 in both rows, not the last row's 0.
    assert.deepEqual(cells, { python: "0.6667", typescript: "0.6667" });
    assert.ok(existsSync(join(SHOTS, "evaluation-runs.png")));
  },
);

test(
  "ui: the GenAI pages list what this client wrote: a dataset with its records, an agent version with its traces, a session's turns",
  { skip: why },
  async () => {
    if (missing) {
      assert.fail(`CI=true, and the UI check cannot run: ${missing}`);
    }
    const uri = await trackingUri();
    const mlflow = createMlflow({ trackingUri: uri, experimentName: uniqueName("ui-genai") });
    const dataset = await mlflow.createDataset({ name: "capitals-golden" });
    await dataset.mergeRecords([
      { inputs: { country: "Uruguay" }, expectations: { expected_response: "Montevideo" } },
      { inputs: { country: "Japan" }, expectations: { expected_response: "Tokyo" } },
    ]);
    const model = await mlflow.setActiveModel({ name: "capitals-agent-v1" });
    const turns = ["What is the capital of Uruguay?", "And of Japan?"];
    for (const question of turns) {
      const root = mlflow.startTrace({
        name: "chat",
        inputs: { messages: [{ role: "user", content: question }] },
        session: "conversation-42",
        user: "alice",
      });
      root.end({ outputs: { choices: [{ message: { role: "assistant", content: "..." } }] } });
    }
    await mlflow.flush();
    mkdirSync(SHOTS, { recursive: true });
    const spec = {
      dataset: "capitals-golden",
      record: "Montevideo",
      model: "capitals-agent-v1",
      session: "conversation-42",
      turns,
    };
    const out = spawnSync("node", [
      join(ROOT, "tests/runtimes/ui_genai_check.mjs"),
      uri,
      model!.experimentId,
      SHOTS,
      JSON.stringify(spec),
    ], { encoding: "utf8", timeout: 240_000, env: { ...process.env, CHROMIUM } });
    assert.equal(out.status, 0, out.stderr);
    const findings = JSON.parse(out.stdout.trim().split("\n").at(-1)!) as Record<string, boolean>;
    const unseen = Object.entries(findings).filter(([, ok]) => !ok).map(([what]) => what);
    assert.deepEqual(unseen, [], "not seen in the UI");
    await mlflow.close();
  },
);

test(
  "ui: a vitest-evals run (examples/runners/vitest-evals) shows its cases as traces, each judge an assessment column with its scores",
  { skip: why },
  async () => {
    if (missing) {
      assert.fail(`CI=true, and the UI check cannot run: ${missing}`);
    }
    const uri = await trackingUri();
    const ran = runRunnerExample("vitest-evals", { MLFLOW_TRACKING_URI: uri });
    assert.equal(ran.status, 0, ran.output);
    // The example logs into a fixed experiment, as a user's config does: its newest run is this one.
    const mlflow = createMlflow({ trackingUri: uri });
    const experimentId = (await mlflow.getExperimentByName("agent-evals"))!.experimentId;
    const [run] = await mlflow.searchRuns({
      experimentIds: [experimentId],
      orderBy: ["attributes.start_time DESC"],
      maxResults: 1,
    });
    const traces = (await mlflow.searchTraces({ experimentIds: [experimentId] })).filter((t) =>
      t.metadata["mlflow.sourceRun"] === run.info.runId
    );
    assert.equal(traces.length, 3);
    // What each row should show: its request (the question) and each judge's score.
    const cases = traces.map((t) => ({
      request: t.requestPreview.replace(/^"|"$/g, ""),
      scores: Object.fromEntries(
        ["ExactJudge", "OneWordJudge"].map((name) => [
          name,
          t.assessments.find((a) => a.kind === "feedback" && a.name === name)?.value,
        ]),
      ),
    }));
    // The example's canned answers: only Australia's is wrong, and every one is one word.
    assert.deepEqual(cases.map((c) => c.scores.ExactJudge).sort(), [0, 1, 1]);
    assert.deepEqual(cases.map((c) => c.scores.OneWordJudge), [1, 1, 1]);
    mkdirSync(SHOTS, { recursive: true });
    const out = spawnSync("node", [
      join(ROOT, "tests/runtimes/ui_runner_check.mjs"),
      uri,
      experimentId,
      run.info.runId,
      run.info.runName,
      SHOTS,
      JSON.stringify(cases),
    ], { encoding: "utf8", timeout: 240_000, env: { ...process.env, CHROMIUM } });
    assert.equal(out.status, 0, out.stderr);
    const findings = JSON.parse(out.stdout.trim().split("\n").at(-1)!) as Record<string, boolean>;
    const unseen = Object.entries(findings).filter(([, ok]) => !ok).map(([what]) => what);
    assert.deepEqual(unseen, [], "not seen in the UI");
    assert.ok(existsSync(join(SHOTS, "runner-traces.png")), "runner-traces");
    await mlflow.close();
  },
);

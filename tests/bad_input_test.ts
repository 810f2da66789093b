// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow, type MlflowError, MlflowValidationError, type Run } from "../mod.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

// Each case is one call on a run. `rule` means it must throw MlflowValidationError with that
// rule and key; `lands` means it is accepted and must read back as given.
interface Case {
  name: string;
  call: (run: Run) => unknown;
  rule?: string;
  key?: string;
  lands?: {
    metric?: [string, number];
    param?: [string, string];
    tag?: [string, string];
    artifact?: string;
  };
}

const big = new Uint8Array(50 * 1024 * 1024).map((_, i) => i % 251);
const cyclic: Record<string, unknown> = {};
cyclic.self = cyclic;

const CASES: Case[] = [
  { name: "NaN", call: (r) => r.logMetric("v/nan", NaN), lands: { metric: ["v/nan", NaN] } },
  {
    name: "+Infinity",
    call: (r) => r.logMetric("v/inf", Infinity),
    lands: { metric: ["v/inf", 1.7976931348623157e308] },
  },
  {
    name: "-Infinity",
    call: (r) => r.logMetric("v/ninf", -Infinity),
    lands: { metric: ["v/ninf", -1.7976931348623157e308] },
  },
  { name: "-0", call: (r) => r.logMetric("v/negzero", -0), lands: { metric: ["v/negzero", 0] } },
  {
    name: "1e308",
    call: (r) => r.logMetric("v/huge", 1e308),
    lands: { metric: ["v/huge", 1e308] },
  },
  {
    name: "5e-324",
    call: (r) => r.logMetric("v/tiny", 5e-324),
    lands: { metric: ["v/tiny", 5e-324] },
  },
  {
    name: "string value",
    call: (r) => r.logMetric("v/str", "1" as unknown as number),
    rule: "value_type",
    key: "v/str",
  },
  {
    name: "boolean value",
    call: (r) => r.logMetric("v/bool", true as unknown as number),
    rule: "value_type",
    key: "v/bool",
  },
  {
    name: "null value",
    call: (r) => r.logMetric("v/null", null as unknown as number),
    rule: "value_type",
    key: "v/null",
  },
  {
    name: "bigint value",
    call: (r) => r.logMetric("v/big", 1n as unknown as number),
    rule: "value_type",
    key: "v/big",
  },
  { name: "empty key", call: (r) => r.logMetric("", 1), rule: "key_path", key: "" },
  {
    name: "251-char key",
    call: (r) => r.logMetric("k".repeat(251), 1),
    rule: "key_length",
    key: "k".repeat(251),
  },
  {
    name: "250-char key",
    call: (r) => r.logMetric("k".repeat(250), 1),
    lands: { metric: ["k".repeat(250), 1] },
  },
  { name: "key with ..", call: (r) => r.logMetric("a/../b", 1), rule: "key_path", key: "a/../b" },
  { name: "key that is ..", call: (r) => r.setTag("..", "x"), rule: "key_path", key: ".." },
  {
    name: "key with leading /",
    call: (r) => r.logParam("/abs", "x"),
    rule: "key_path",
    key: "/abs",
  },
  { name: "key with //", call: (r) => r.logMetric("a//b", 1), rule: "key_path", key: "a//b" },
  { name: "key with trailing /", call: (r) => r.setTag("a/", "x"), rule: "key_path", key: "a/" },
  {
    name: "key with a dot-dot inside a name",
    call: (r) => r.logMetric("a..b", 1),
    lands: { metric: ["a..b", 1] },
  },
  {
    name: "non-ASCII letters",
    call: (r) => r.logMetric("précision/日本", 0.5),
    lands: { metric: ["précision/日本", 0.5] },
  },
  {
    name: "colon and space",
    call: (r) => r.logParam("task arg:n", 3),
    lands: { param: ["task arg:n", "3"] },
  },
  {
    name: "control character",
    call: (r) => r.logMetric("bad\u0007key", 1),
    rule: "key_chars",
    key: "bad\u0007key",
  },
  {
    name: "emoji in key",
    call: (r) => r.logMetric("score😀", 1),
    rule: "key_chars",
    key: "score😀",
  },
  {
    name: "6001-char param (truncated)",
    call: (r) => r.logParam("long_param", "p".repeat(6001)),
    lands: { param: ["long_param", "p".repeat(6000)] },
  },
  {
    name: "8001-char tag (truncated)",
    call: (r) => r.setTag("long_tag", "t".repeat(8001)),
    lands: { tag: ["long_tag", "t".repeat(8000)] },
  },
  {
    name: "same param, same value",
    call: (r) => r.logParam("stable", "1").logParam("stable", 1),
    lands: { param: ["stable", "1"] },
  },
  {
    name: "same param, new value",
    call: (r) => r.logParam("changing", "1").logParam("changing", "2"),
    rule: "param_changed",
    key: "changing",
  },
  {
    name: "non-integer step",
    call: (r) => r.logMetric("s/frac", 1, { step: 1.5 }),
    rule: "step",
    key: "s/frac",
  },
  {
    name: "huge step",
    call: (r) => r.logMetric("s/huge", 1, { step: 2 ** 60 }),
    rule: "step",
    key: "s/huge",
  },
  {
    name: "negative step",
    call: (r) => r.logMetric("s/neg", 1, { step: -2 }),
    lands: { metric: ["s/neg", 1] },
  },
  {
    name: "negative timestamp",
    call: (r) => r.logMetric("t/neg", 1, { timestamp: -1 }),
    rule: "timestamp",
    key: "t/neg",
  },
  {
    name: "artifact path with ..",
    call: (r) => r.logText("x", "../escape.txt"),
    rule: "artifact_path",
    key: "../escape.txt",
  },
  {
    name: "artifact path with leading /",
    call: (r) => r.logText("x", "/etc/x.txt"),
    rule: "artifact_path",
    key: "/etc/x.txt",
  },
  {
    name: "50 MB artifact",
    call: (r) => r.logArtifact(big, "big/fifty.bin"),
    lands: { artifact: "big/fifty.bin" },
  },
  {
    name: "logJson with a cycle",
    call: (r) => r.logJson(cyclic, "cycle.json"),
    rule: "json",
    key: "cycle.json",
  },
  {
    name: "logJson with a bigint",
    call: (r) => r.logJson({ n: 10n }, "bigint.json"),
    rule: "json",
    key: "bigint.json",
  },
  {
    name: "table path not .json",
    call: (r) => r.logTable([{ a: 1 }], "table.csv"),
    rule: "artifact_path",
    key: "table.csv",
  },
  // Tables that are not tables: a typed refusal naming the path, never a raw TypeError.
  ...([
    ["table null", null],
    ["table string", "abc"],
    ["table with a null row", [null]],
    ["table with columns but no data", { columns: ["a"] }],
  ] as const).map(([name, table]): Case => ({
    name,
    call: (r) => r.logTable(table as unknown as Record<string, unknown>[], "shape.json"),
    rule: "table_shape",
    key: "shape.json",
  })),
  {
    name: "artifact path with a control character",
    call: (r) => r.logText("x", "a\u0001b.txt"),
    rule: "artifact_path",
    key: "a\u0001b.txt",
  },
  {
    name: "bigint step",
    call: (r) => r.logMetric("s/bigint", 1, { step: 1n as unknown as number }),
    rule: "step",
    key: "s/bigint",
  },
  {
    name: "bigint timestamp",
    call: (r) => r.logMetric("t/bigint", 1, { timestamp: 1n as unknown as number }),
    rule: "timestamp",
    key: "t/bigint",
  },
  {
    name: "param value object",
    call: (r) => r.logParam("obj", {} as unknown as string),
    rule: "value_type",
    key: "obj",
  },
];

test(`bad input: ${CASES.length} bad or edge inputs, each with a typed error or its documented behaviour`, async () => {
  assert.ok(CASES.length >= 30);
  const warnings: MlflowError[] = [];
  const mlflow = createMlflow({
    trackingUri: await trackingUri(),
    experimentName: uniqueName("bad-input"),
    onError: (e) => warnings.push(e),
  });
  const run = mlflow.startRun({ runName: "bad-input" });
  // All in one tick, between valid items that must all still land.
  const valid: string[] = [];
  for (const c of CASES) {
    const key = `valid/${valid.length}`;
    run.logMetric(key, valid.length);
    valid.push(key);
    if (c.rule) {
      assert.throws(() => c.call(run), (error: unknown) => {
        assert.ok(error instanceof MlflowValidationError, `${c.name}: ${String(error)}`);
        assert.equal(error.rule, c.rule, c.name);
        assert.equal(error.key, c.key, c.name);
        assert.ok(error.message.length > 10, c.name);
        return true;
      }, c.name);
    } else {
      c.call(run);
    }
  }
  run.end();
  await mlflow.flush();

  const data = await mlflow.getRun(run);
  for (const key of valid) assert.equal(data.metrics[key], Number(key.split("/")[1]), key);
  for (const c of CASES.filter((c) => c.lands)) {
    const { metric, param, tag, artifact } = c.lands!;
    if (metric) {
      if (Number.isNaN(metric[1])) assert.ok(Number.isNaN(data.metrics[metric[0]]), c.name);
      else assert.equal(data.metrics[metric[0]], metric[1], c.name);
    }
    if (param) assert.equal(data.params[param[0]], param[1], c.name);
    if (tag) assert.equal(data.tags[tag[0]], tag[1], c.name);
    if (artifact) {
      const bytes = await mlflow.downloadArtifact(run, artifact);
      assert.equal(bytes.length, big.length, c.name);
      assert.ok(bytes.every((b, i) => b === big[i]), c.name);
    }
  }
  // Nothing refused reached the server; truncations were reported as warnings, not failures.
  assert.equal(data.metrics["v/str"], undefined);
  assert.deepEqual(
    warnings.filter((w) => w instanceof MlflowValidationError && w.truncated).map((w) => w.key)
      .sort(),
    ["long_param", "long_tag"],
  );
});

test("bad input: after close(), runs, tracing and assessments refuse with a typed error", async () => {
  // Nothing is pending, so close() sends nothing and the refusals need no server.
  const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:9", exitFlushMs: false });
  await mlflow.close();
  const calls: [string, () => unknown][] = [
    ["startRun", () => mlflow.startRun()],
    ["startTrace", () => mlflow.startTrace({ name: "t" })],
    ["logFeedback", () => mlflow.logFeedback({ traceId: "tr-1", name: "f", value: 1 })],
    ["logExpectation", () => mlflow.logExpectation({ traceId: "tr-1", name: "e", value: 1 })],
    ["trace", () => mlflow.trace("t", () => 1)],
  ];
  for (const [name, call] of calls) {
    await assert.rejects(async () => await call(), (e: unknown) => {
      assert.ok(e instanceof MlflowValidationError, `${name}: ${String(e)}`);
      assert.equal(e.rule, "closed", name);
      assert.match(e.message, /closed/, name);
      return true;
    });
  }
});

test("bad input: truncateLongValues: false refuses long values at the call", async () => {
  const mlflow = createMlflow({ trackingUri: await trackingUri(), truncateLongValues: false });
  const run = mlflow.startRun();
  assert.throws(
    () => run.logParam("p", "x".repeat(6001)),
    (e: unknown) => e instanceof MlflowValidationError && e.rule === "value_length",
  );
  assert.throws(
    () => run.setTag("t", "x".repeat(8001)),
    (e: unknown) => e instanceof MlflowValidationError && e.rule === "value_length",
  );
  run.end();
  await mlflow.flush();
});

test("bad input: options are checked up front with the name and the value", () => {
  assert.throws(() => createMlflow({ trackingUri: "" }), /tracking URI/);
  assert.throws(() => createMlflow({ trackingUri: "file:///tmp/mlruns" }), /http\(s\)/);
  assert.throws(
    () => createMlflow({ trackingUri: "http://x", maxInFlight: 0 }),
    /maxInFlight .* 0/,
  );
  assert.throws(
    () => createMlflow({ trackingUri: "http://x", maxQueuedItems: -1 }),
    /maxQueuedItems .* -1/,
  );
  assert.throws(
    () => createMlflow({ trackingUri: "http://x", retry: { timeoutMs: -5 } }),
    /retry.timeoutMs .* -5/,
  );
});

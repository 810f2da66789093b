// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { MlflowValidationError } from "../../src/base/errors.ts";
import {
  limitLength,
  metricValueToWire,
  normalizePosixPath,
  validateArtifactPath,
  validateKey,
  validateStep,
  validateTimestamp,
} from "../../src/client/validate.ts";

const PATHS = [
  "",
  "a",
  "a/b",
  "a//b",
  "/a",
  "//a",
  "///a",
  "a/",
  "a/./b",
  "a/../b",
  "../a",
  "a/..",
  "..",
  ".",
  "./a",
  "a..b",
  "a/b/../../..",
  "x/../../y",
];

test("validate: normalizePosixPath agrees with Python's posixpath.normpath", () => {
  const py = spawnSync("python3", [
    "-c",
    "import json,sys,posixpath; print(json.dumps([posixpath.normpath(p) for p in json.load(sys.stdin)]))",
  ], { input: JSON.stringify(PATHS), encoding: "utf8" });
  assert.equal(py.status, 0, py.stderr);
  assert.deepEqual(PATHS.map(normalizePosixPath), JSON.parse(py.stdout));
});

test("validate: keys MLflow accepts pass", () => {
  for (
    const key of [
      "loss",
      "sample/match",
      "usage/openai/gpt-4o/input_tokens",
      "a b",
      "a:b",
      "a..b",
      "ü/é",
      "日本",
      "k".repeat(250),
    ]
  ) {
    assert.equal(validateKey(key, "logMetric"), key);
  }
});

test("validate: keys MLflow refuses throw MlflowValidationError naming key and rule", () => {
  const cases: [unknown, string][] = [
    ["", "key_path"],
    ["k".repeat(251), "key_length"],
    ["a/../b", "key_path"],
    ["../a", "key_path"],
    ["/a", "key_path"],
    ["a//b", "key_path"],
    ["a/", "key_path"],
    ["a#b", "key_chars"],
    ["tab\there", "key_chars"],
    ["new\nline", "key_chars"],
    [42, "key_type"],
  ];
  for (const [key, rule] of cases) {
    assert.throws(() => validateKey(key, "logMetric"), (error: unknown) => {
      assert.ok(error instanceof MlflowValidationError, String(key));
      assert.equal(error.rule, rule, String(key));
      assert.equal(error.key, String(key));
      assert.equal(error.errorCode, "INVALID_PARAMETER_VALUE");
      return true;
    });
  }
});

test("validate: metric values, steps and timestamps", () => {
  assert.equal(metricValueToWire("m", NaN, "c"), "NaN");
  assert.equal(metricValueToWire("m", Infinity, "c"), "Infinity");
  assert.equal(metricValueToWire("m", -Infinity, "c"), "-Infinity");
  assert.equal(metricValueToWire("m", 1e308, "c"), 1e308);
  assert.equal(metricValueToWire("m", 5e-324, "c"), 5e-324);
  assert.throws(() => metricValueToWire("m", true, "c"), MlflowValidationError);
  assert.throws(() => metricValueToWire("m", "1", "c"), MlflowValidationError);
  assert.throws(() => validateStep("m", 1.5, "c"), /step/);
  assert.throws(() => validateStep("m", 2 ** 60, "c"), /step/);
  assert.equal(validateStep("m", -3, "c"), -3);
  assert.throws(() => validateTimestamp("m", -1, "c"), /timestamp/);
  assert.equal(validateTimestamp("m", 0, "c"), 0);
});

test("validate: long values are cut with a warning, or refused when truncation is off", () => {
  const cut = limitLength("p", "x".repeat(6001), 6000, true, "logParam");
  assert.equal(cut.value.length, 6000);
  assert.ok(cut.warning?.truncated);
  assert.equal(limitLength("p", "x".repeat(6000), 6000, true, "logParam").warning, undefined);
  assert.throws(() => limitLength("p", "x".repeat(6001), 6000, false, "logParam"), /6001/);
});

test("validate: artifact paths must be relative with no dot parts", () => {
  for (const ok of ["a.json", "inspect/samples.json", "a b/c.txt"]) {
    assert.equal(validateArtifactPath(ok, "logText"), ok);
  }
  for (
    const bad of [
      "",
      "/etc/passwd",
      "../x",
      "a/../../x",
      "a//b",
      "a/",
      "./a",
      "C:\\x",
      "a\\b",
      "a\u0001",
    ]
  ) {
    assert.throws(() => validateArtifactPath(bad, "logText"), MlflowValidationError, bad);
  }
});

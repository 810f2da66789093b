// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  jsonArrayItemStarts,
  jsonMemberSpans,
  markFloat,
  numberLiteral,
  parseJsonKeepingNumbers,
  writtenAsFloat,
  writtenKeys,
} from "../../src/base/json_floats.ts";
import { pythonFloatRepr, pythonRepr, pythonStr } from "../../src/base/python_repr.ts";
import { mlflowPython } from "../harness/mlflow_python.ts";

// JSON text exercising every rule: floats with no fraction, exponents, big ints, -0, Python's
// bare NaN/Infinity, quotes, escapes, unprintable and non-ASCII characters, and index-like keys
// that JavaScript would enumerate first.
const TRICKY = String.raw`{"a": 1.0, "b": [1, 0.5, 1e-07, 1e16, 1.5e16, 1E2, 2.50,
  123456789012345678901234567890, -0.0, -0, 1e400, NaN, -Infinity, Infinity],
  "c": "it's", "d": "say \"hi\" it's", "d2": "say \"hi\"",
  "e": "tab\t nl\n cr\r \u0001 \u00a0 \u00e9 \u200b \ud83d\ude00 \\ \u007f \u0085 \u2028 \ud800",
  "10": null, "2": true, "f": {}, "g": [], "h": 0.0001, "i": 0.00001, "j": 1e15, "k": 123.456,
  "l": 5e-324, "m": 1.7976931348623157e308, "n": {"3": 1.0, "x": [{"1": false, "0": 2.0}]},
  "o": -12.5e-3, "p": 100, "__proto__": 1.0}`;

test("python repr: str() of tricky JSON matches real Python's str(json.loads(text))", () => {
  const ours = pythonStr(parseJsonKeepingNumbers(TRICKY));
  const python = mlflowPython(
    `import json, sys; v = json.loads(${JSON.stringify(TRICKY)}); ` +
      `print("OUT:" + json.dumps(str(v)))`,
  );
  assert.equal(ours, JSON.parse(python));
});

test("python repr: the issue's values", () => {
  const args = parseJsonKeepingNumbers(
    '{"ratio": 1.0, "note": null, "options": {"mode": "fast", "k": 2}, "weights": [1, 0.5], "flag": true}',
  ) as Record<string, unknown>;
  const str = (k: string) => pythonStr(args[k], { literal: numberLiteral(args, k) });
  assert.equal(str("ratio"), "1.0");
  assert.equal(str("note"), "None");
  assert.equal(str("options"), "{'mode': 'fast', 'k': 2}");
  assert.equal(str("weights"), "[1, 0.5]");
  assert.equal(str("flag"), "True");
  assert.equal(pythonStr(0, { float: true }), "0.0");
  assert.equal(pythonStr(1, { float: true }), "1.0");
  assert.equal(pythonStr(64), "64");
  assert.equal(pythonStr("it's"), "it's", "a top-level string is str(), not repr()");
  assert.equal(pythonRepr("it's"), `"it's"`);
});

test("python repr: floats as Python's repr writes them", () => {
  const cases: [number, string][] = [
    [0, "0.0"],
    [-0, "-0.0"],
    [1, "1.0"],
    [0.1, "0.1"],
    [1e-7, "1e-07"],
    [1e-5, "1e-05"],
    [1e-4, "0.0001"],
    [1e15, "1000000000000000.0"],
    [1e16, "1e+16"],
    [1.5e16, "1.5e+16"],
    [123456789.125, "123456789.125"],
    [1e100, "1e+100"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [NaN, "nan"],
    [-2.5e-10, "-2.5e-10"],
  ];
  for (const [x, expected] of cases) assert.equal(pythonFloatRepr(x), expected, String(x));
  // JSON has no NaN, infinities or -0: Python checks the finite, signed ones.
  const finite = cases.filter(([x]) => Number.isFinite(x) && !Object.is(x, -0));
  const list = JSON.stringify(finite.map(([x]) => x));
  const python = mlflowPython(
    `import json; xs = json.loads(${JSON.stringify(list)}); ` +
      `print("OUT:" + json.dumps([repr(float(x)) for x in xs]))`,
  );
  assert.deepEqual(JSON.parse(python), finite.map(([, s]) => s));
});

test("json floats: values are JSON.parse's, with float literals, big ints and key order kept", () => {
  const value = parseJsonKeepingNumbers(TRICKY.replace(/NaN|-?Infinity/g, "0"));
  assert.deepEqual(value, JSON.parse(TRICKY.replace(/NaN|-?Infinity/g, "0")));
  const v = value as Record<string, unknown> & { b: number[]; n: Record<string, unknown> };
  assert.equal(writtenAsFloat(v, "a"), true);
  assert.equal(numberLiteral(v, "a"), "1.0");
  assert.equal(writtenAsFloat(v, "p"), false);
  assert.equal(writtenAsFloat(v.b, 0), false);
  assert.equal(writtenAsFloat(v.b, 1), true, "a fraction is always a float");
  assert.equal(numberLiteral(v.b, 7), "123456789012345678901234567890");
  assert.equal(writtenAsFloat(v.b, 7), false);
  assert.deepEqual(writtenKeys(v).slice(0, 5), ["a", "b", "c", "d", "d2"]);
  assert.deepEqual(writtenKeys(v.n), ["3", "x"]);
  assert.deepEqual(writtenKeys({ b: 1, a: 2 }), ["b", "a"]);
  assert.equal(Object.getPrototypeOf(v), Object.prototype, "__proto__ is an own key");
  assert.equal(Object.hasOwn(v, "__proto__"), true);
  const live = { ratio: 1 };
  markFloat(live, "ratio");
  assert.equal(pythonStr(live), "{'ratio': 1.0}");
});

test("json floats: bad JSON is an error, as JSON.parse's", () => {
  for (const bad of ["", "{", '{"a" 1}', "[1,]", "01", "1.", '"x', "tru", '{"a":1} x', "-"]) {
    assert.throws(() => parseJsonKeepingNumbers(bad), SyntaxError, bad);
  }
});

test("json floats: member spans and array items skip what they do not parse", () => {
  const text = `{"skip": {"s": "a \\"}] quote", "n": [1, [2, {"x": "]"}]]}, "eval": {"t": 0.0},
    "samples": [{"scores": {"m": {"value": 1.0}}}, {"id": 2, "scores": {"m": {"value": 2}}}],
    "after": 1}`;
  const spans = jsonMemberSpans(text, ["eval", "samples"]);
  const spec = parseJsonKeepingNumbers(text, ...spans.eval) as { t: number };
  assert.equal(pythonStr(spec), "{'t': 0.0}");
  const starts = jsonArrayItemStarts(text, spans.samples[0]);
  assert.equal(starts.length, 2);
  const scores = starts.map((s) => {
    const span = jsonMemberSpans(text, ["scores"], s).scores;
    return pythonStr(parseJsonKeepingNumbers(text, ...span));
  });
  assert.deepEqual(scores, ["{'m': {'value': 1.0}}", "{'m': {'value': 2}}"]);
});

test("json floats: speed against JSON.parse on a large log", () => {
  const text = readFileSync(
    new URL("../fixtures/inspect/large.json", import.meta.url),
    "utf8",
  );
  const time = (f: () => unknown) => {
    f();
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) f();
    return (performance.now() - t0) / 5;
  };
  const native = time(() => JSON.parse(text));
  const ours = time(() => parseJsonKeepingNumbers(text));
  const skip = time(() => jsonMemberSpans(text, ["no such key"]));
  console.log(
    `large.json (${(text.length / 1e6).toFixed(2)} MB): JSON.parse ${native.toFixed(2)} ms, ` +
      `parseJsonKeepingNumbers ${ours.toFixed(2)} ms (x${(ours / native).toFixed(1)}), ` +
      `skip-walk ${skip.toFixed(2)} ms (x${(skip / native).toFixed(1)})`,
  );
  assert.deepEqual(parseJsonKeepingNumbers(text), JSON.parse(text));
});

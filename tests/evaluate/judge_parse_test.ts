// Copyright 2026 the evalhooks authors. MIT license.

// parseVerdict: what an LLM judge's answer is read as, for every answer shape models give.

import { test } from "node:test";
import assert from "node:assert/strict";
import { parseVerdict } from "../../src/evaluate/judge_parse.ts";

const YES_NO = ["yes", "no"] as const;

test("judge parse: bare JSON, fenced JSON, JSON inside prose", () => {
  assert.deepEqual(parseVerdict('{"result": "yes", "rationale": "all there"}', YES_NO), {
    ok: true,
    value: "yes",
    rationale: "all there",
  });
  assert.deepEqual(
    parseVerdict('```json\n{"result": "no", "rationale": "missing"}\n```', YES_NO),
    { ok: true, value: "no", rationale: "missing" },
  );
  assert.deepEqual(parseVerdict('```\n{"result": true}\n```', "boolean"), {
    ok: true,
    value: true,
  });
  assert.deepEqual(
    parseVerdict(
      'Sure! Here is my verdict:\n{"rationale": "has {braces} and \\"quotes\\"", "result": 3}\nThanks.',
      "number",
    ),
    { ok: true, value: 3, rationale: 'has {braces} and "quotes"' },
  );
  assert.deepEqual(
    parseVerdict('Verdict follows.\n```json\n{"result": "B", "reason": "ok"}\n```\nDone.', [
      "A",
      "B",
    ]),
    { ok: true, value: "B", rationale: "ok" },
  );
  // A trailing comma, and another key name for the result.
  assert.deepEqual(parseVerdict('{"score": "4.5", "explanation": "good",}', "number"), {
    ok: true,
    value: 4.5,
    rationale: "good",
  });
});

test("judge parse: yes/no synonyms, as MLflow's built-ins read them", () => {
  for (
    const [word, value] of [
      ["Yes", "yes"],
      ["PASS", "yes"],
      ["correct", "yes"],
      [
        "No",
        "no",
      ],
      ["fail", "no"],
      ["false", "no"],
      [true, "yes"],
      [false, "no"],
    ] as const
  ) {
    const read = parseVerdict(JSON.stringify({ result: word }), YES_NO);
    assert.deepEqual(read, { ok: true, value }, String(word));
  }
  for (const [word, value] of [["yes", true], ["Fail", false], [1, true], [0, false]] as const) {
    assert.deepEqual(parseVerdict(JSON.stringify({ result: word }), "boolean"), {
      ok: true,
      value,
    });
  }
});

test("judge parse: answers without JSON", () => {
  assert.deepEqual(parseVerdict("Yes. The answer names Paris.", YES_NO), {
    ok: true,
    value: "yes",
    rationale: "The answer names Paris.",
  });
  assert.deepEqual(parseVerdict("**FAIL** - the tone is rude", "boolean"), {
    ok: true,
    value: false,
    rationale: "the tone is rude",
  });
  assert.deepEqual(parseVerdict("4/5 because one step is missing", "number"), {
    ok: true,
    value: 4,
    rationale: "because one step is missing",
  });
  assert.deepEqual(parseVerdict("Let me explain.\nResult: no\nIt misses the date.", YES_NO), {
    ok: true,
    value: "no",
    rationale: "Let me explain.\n\nIt misses the date.",
  });
  assert.deepEqual(parseVerdict("Score: 4\nClear.", "number"), {
    ok: true,
    value: 4,
    rationale: "Clear.",
  });
  assert.deepEqual(parseVerdict("excellent", "string"), { ok: true, value: "excellent" });
  // MLflow drops this prefix its prompts ask for.
  assert.deepEqual(
    parseVerdict(
      '{"result": "yes", "rationale": "Let\'s think step by step. It is right."}',
      YES_NO,
    ),
    { ok: true, value: "yes", rationale: "It is right." },
  );
});

test("judge parse: what cannot be read is reported, not guessed", () => {
  const bad: [string, Parameters<typeof parseVerdict>[1]][] = [
    ["", YES_NO],
    ["I would rather not commit to a verdict.", YES_NO],
    ["Nothing to add", "boolean"], // "no" inside a word is not a verdict
    ['{"result": "maybe"}', YES_NO],
    ['{"result": "many"}', "number"],
    ['{"rationale": "only a reason"}', "boolean"],
    ['{"result": "C"}', ["A", "B"]],
    ["The answer has three problems and I give it two.", "number"],
    ["A long answer\nover two lines with no verdict", "string"],
    ['{"result": {"nested": true}}', "string"],
  ];
  for (const [text, type] of bad) {
    const read = parseVerdict(text, type);
    assert.equal(read.ok, false, text);
    assert.ok(!read.ok && read.reason.length > 0);
  }
});

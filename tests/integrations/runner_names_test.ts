// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { feedbackName, metadataText } from "../../src/integrations/runner/names.ts";

test("runner names: metadata text is cut between code points, with an ellipsis, at most max long", () => {
  // 9 ASCII characters, then an emoji (a surrogate pair) across the cut at 10.
  const text = "123456789😀 and more";
  const cut = metadataText(text, 11);
  assert.ok(cut.isWellFormed(), JSON.stringify(cut));
  assert.ok(cut.length <= 11);
  assert.equal(cut, "123456789…");
  assert.equal(metadataText("😀😀", 3), "😀…");
  assert.equal(metadataText("short", 10), "short");
  assert.equal(metadataText({ a: 1 }), '{"a":1}');
});

test("runner names: feedback names keep only what MLflow takes", () => {
  assert.equal(feedbackName("exact.match 😀"), "exact_match __");
  assert.equal(feedbackName(""), "score");
  assert.equal(feedbackName("x".repeat(300)).length, 250);
});

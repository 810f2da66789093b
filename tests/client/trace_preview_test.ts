// Copyright 2026 the evalhooks authors. MIT license.
// Trace previews as Python's client makes them (mlflow/tracing/utils/truncation.py): JSON text
// with json.dumps' spacing, or a chat's last user or assistant message; cut with "...".
import { test } from "node:test";
import assert from "node:assert/strict";
import { tracePreviews } from "../../src/client/trace_preview.ts";

test("trace previews: values as json.dumps writes them, a string quoted, non-ASCII kept", () => {
  const p = tracePreviews({ country: "Japón", n: [1, 2] }, "Tokyo");
  assert.equal(p.request, '{"country": "Japón", "n": [1, 2]}');
  assert.equal(p.response, '"Tokyo"');
  assert.equal(p.inputsMetadata, p.request);
  assert.equal(p.outputsMetadata, '"Tokyo"');
  assert.deepEqual(tracePreviews(undefined, undefined), {
    request: "",
    response: "",
    inputsMetadata: "",
    outputsMetadata: "",
  });
});

test("trace previews: a chat shows its last user message and the assistant's answer", () => {
  const p = tracePreviews(
    {
      messages: [
        { role: "system", content: "be brief. ".repeat(30) },
        { role: "user", content: "first" },
        { role: "assistant", content: "ok" },
        { role: "user", content: [{ type: "text", text: "What is 2+2?" }] },
      ],
    },
    { choices: [{ message: { role: "assistant", content: "4" } }] },
  );
  assert.equal(p.request, "What is 2+2?");
  assert.equal(p.response, "4");
  // The metadata stays the JSON text, cut to 250 characters.
  assert.ok(p.inputsMetadata.startsWith('{"messages": [{"role": "system"'));
  assert.equal(p.inputsMetadata.length, 250);
  assert.ok(p.inputsMetadata.endsWith("..."));
  // The Responses API's shapes, and a chat given as JSON text.
  assert.equal(
    tracePreviews({ input: [{ role: "user", content: "hi" }] }, undefined).request,
    "hi",
  );
  assert.equal(
    tracePreviews(undefined, {
      output: [{ role: "assistant", content: [{ type: "output_text", text: "yo" }] }],
    })
      .response,
    "yo",
  );
  assert.equal(
    tracePreviews(JSON.stringify({ messages: [{ role: "user", content: "as text" }] }), undefined)
      .request,
    "as text",
  );
});

test("trace previews: cut to 1,000 characters with '...', NUL replaced, bigints kept readable", () => {
  const p = tracePreviews("x".repeat(5000), "a\0b");
  assert.equal(p.request.length, 1000);
  assert.ok(p.request.endsWith("..."));
  assert.equal(p.response, '"a\\u0000b"'); // JSON escapes it; a raw NUL in message text is replaced
  assert.equal(
    tracePreviews({ messages: [{ role: "user", content: "a\0b" }] }, undefined).request,
    "a\uFFFDb",
  );
  assert.equal(tracePreviews({ n: 10n }, undefined).request, '{"n":10}');
});

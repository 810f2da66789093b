// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseJsonKeepingNumbers } from "../../../src/base/json_floats.ts";
import { toDatetimeCell, toJsonCell } from "../../../src/integrations/inspect/tables.ts";

// inspect_mlflow's to_json writes object cells with json.dumps(value, default=str), and a datetime
// as json.dumps(str(dt)); tests/parity_test.ts checks both against the live Python hook.

test("table cells: objects are JSON as Python's json.dumps writes them", () => {
  assert.equal(toJsonCell({ expression: "1 + 1" }), '{"expression": "1 + 1"}');
  assert.equal(toJsonCell(["a", 1, null, true]), '["a", 1, null, true]');
  assert.equal(toJsonCell({ text: "café ✓" }), '{"text": "caf\\u00e9 \\u2713"}');
  // Floats in Python's repr; a whole number is an int unless the log wrote it as a float.
  assert.equal(
    toJsonCell(parseJsonKeepingNumbers('{"small": 1e-07, "big": 1e16, "n": 10000000000000000}')),
    '{"small": 1e-07, "big": 1e+16, "n": 10000000000000000}',
  );
  // A number the log wrote as a float stays one, as Python read it.
  const read = parseJsonKeepingNumbers('{"match": "C", "closeness": 1.0, "n": 2}');
  assert.equal(toJsonCell(read), '{"match": "C", "closeness": 1.0, "n": 2}');
  // Scalars stay as they are.
  assert.equal(toJsonCell("text"), "text");
  assert.equal(toJsonCell(1), 1);
  assert.equal(toJsonCell(undefined), null);
});

test("table cells: an event's time is Python's str() of the datetime, JSON-quoted", () => {
  assert.equal(
    toDatetimeCell("2026-12-06T18:45:32.786213+00:00"),
    '"2026-12-06 18:45:32.786213+00:00"',
  );
  assert.equal(toDatetimeCell("2026-12-06T18:45:32Z"), '"2026-12-06 18:45:32+00:00"');
  assert.equal(toDatetimeCell("not a time"), '"not a time"');
  assert.equal(toDatetimeCell(undefined), null);
});

// Copyright 2026 the evalhooks authors. MIT license.

// JSON text as Python's json.dumps writes it, against what Python 3 printed for the same value.

import { test } from "node:test";
import assert from "node:assert/strict";
import { pythonJsonDumps } from "../../src/base/python_json.ts";

test("pythonJsonDumps: byte for byte what Python's json.dumps writes", () => {
  const value = {
    name: "Größe 𝔘",
    n: [1, 2.5, 1e-7, null, true, false],
    s: 'a"b\\c\n\t\x01\x7f',
    e: {},
    l: [],
    dropped: undefined,
  };
  // python3 -c 'import json; print(json.dumps({...}))' for the same value.
  assert.equal(
    pythonJsonDumps(value),
    '{"name": "Gr\\u00f6\\u00dfe \\ud835\\udd18", "n": [1, 2.5, 1e-07, null, true, false], ' +
      '"s": "a\\"b\\\\c\\n\\t\\u0001\\u007f", "e": {}, "l": []}',
  );
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => pythonJsonDumps(cyclic), TypeError);
  assert.throws(() => pythonJsonDumps(1n), TypeError);
});

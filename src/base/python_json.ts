// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// JSON text exactly as Python's `json.dumps(value)` writes it with its defaults: `", "` and `": "`
// between items, and every character outside printable ASCII escaped (`ensure_ascii=True`). MLflow
// stores a dataset's source, schema and profile as such text and hashes it for the digest, so
// writing the same bytes makes our datasets indistinguishable from ones Python logged, digest
// included. Output is always ASCII, so a lone surrogate can never reach the server raw.

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

/**
 * A string as Python's `json.dumps` quotes it: with `ensure_ascii=True` (the default) every
 * character outside printable ASCII escaped, with `false` only control characters.
 */
export function pythonJsonString(text: string, ensureAscii = true): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const code = text.charCodeAt(i);
    if (SHORT_ESCAPES[ch]) out += SHORT_ESCAPES[ch];
    else if (code < 0x20 || (ensureAscii && code > 0x7e)) {
      out += "\\u" + code.toString(16).padStart(4, "0");
    } else out += ch;
  }
  return out + '"';
}

/**
 * `value` as Python's `json.dumps(value)` writes it. The value is first made plain JSON the way
 * `JSON.stringify` does (`toJSON`, `undefined` members dropped, NaN to `null`), so anything
 * `JSON.stringify` accepts works, and anything it refuses (a cycle, a bigint) throws its error.
 * Numbers are written as JavaScript writes them, which is Python's form for integers and for most
 * fractions (`0.1`, `1.5`); a float Python holds as `1.0` cannot be told apart here from `1`.
 */
export function pythonJsonDumps(value: unknown, options: { ensureAscii?: boolean } = {}): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError("the value has no JSON form");
  return dump(JSON.parse(text), options.ensureAscii ?? true);
}

function dump(value: unknown, ascii: boolean): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return pythonJsonString(value, ascii);
    case "number":
      return pythonNumber(value);
    case "boolean":
      return value ? "true" : "false";
  }
  if (Array.isArray(value)) return `[${value.map((v) => dump(v, ascii)).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${
    entries.map(([k, v]) => `${pythonJsonString(k, ascii)}: ${dump(v, ascii)}`).join(", ")
  }}`;
}

// Python's float repr writes a two-digit exponent at least (1e-07) where JavaScript writes 1e-7.
function pythonNumber(n: number): string {
  const text = String(n);
  return text.replace(/e([+-])(\d)$/, "e$10$2");
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// JSON text exactly as Python's `json.dumps(value)` writes it with its defaults: `", "` and `": "`
// between items, and every character outside printable ASCII escaped (`ensure_ascii=True`). MLflow
// stores a dataset's source, schema and profile as such text and hashes it for the digest, so
// writing the same bytes makes our datasets indistinguishable from ones Python logged, digest
// included. Output is always ASCII, so a lone surrogate can never reach the server raw.

import { numberLiteral, writtenKeys } from "./json_floats.ts";
import { pythonRepr } from "./python_repr.ts";

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
  const ascii = options.ensureAscii ?? true;
  return dump(JSON.parse(text), { ascii, number: pythonNumber, keys: Object.keys });
}

/**
 * A value read from a log by `json_floats.ts`'s reader, as Python's `json.dumps` writes the value
 * the log holds: a number written as a float (`1.0`) stays one, NaN and the infinities are named
 * as Python names them, keys keep the order the log wrote them in, `undefined` members are left
 * out. Throws a `TypeError` on a cycle.
 */
export function pythonJsonDumpsLogValue(value: unknown): string {
  return dump(
    value,
    {
      ascii: true,
      number: (n, literal) =>
        Number.isFinite(n)
          ? pythonRepr(n, { literal })
          : Number.isNaN(n)
          ? "NaN"
          : n > 0
          ? "Infinity"
          : "-Infinity",
      keys: (object) =>
        writtenKeys(object).filter((k) => (object as Record<string, unknown>)[k] !== undefined),
    },
    undefined,
    new Set(),
  );
}

/** How `dump` writes numbers and which keys of an object it writes, in order. */
interface DumpStyle {
  ascii: boolean;
  /** A number, with the literal the log wrote it as, where known. */
  number(n: number, literal: string | undefined): string;
  keys(object: object): string[];
}

function dump(
  value: unknown,
  style: DumpStyle,
  literal?: string,
  seen?: Set<object>,
): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
      return pythonJsonString(value, style.ascii);
    case "number":
      return style.number(value, literal);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      break;
    default:
      return pythonJsonString(String(value), style.ascii);
  }
  const object = value as object;
  if (seen?.has(object)) throw new TypeError("a cycle has no JSON form");
  seen?.add(object);
  try {
    if (Array.isArray(object)) {
      return `[${object.map((v, i) => dump(v, style, numberLiteral(object, i), seen)).join(", ")}]`;
    }
    const record = object as Record<string, unknown>;
    return `{${
      style.keys(object).map((k) =>
        `${pythonJsonString(k, style.ascii)}: ${
          dump(record[k], style, numberLiteral(object, k), seen)
        }`
      ).join(", ")
    }}`;
  } finally {
    seen?.delete(object);
  }
}

// Python's float repr writes a two-digit exponent at least (1e-07) where JavaScript writes 1e-7.
function pythonNumber(n: number): string {
  const text = String(n);
  return text.replace(/e([+-])(\d)$/, "e$10$2");
}

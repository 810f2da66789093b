// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Values written as Python's `str()` and `repr()` write what `json.loads` made of them: `None`,
// `True`/`False`, ints, floats in Python's repr (`1.0`, `1e-07`, `1e+16`, `inf`, `nan`), strings
// quoted and escaped as Python quotes them, dicts and lists with `', '` and `': '`. Whether an
// integral number is a float comes from json_floats.ts's record of how it was written, or from
// the caller for a top-level value.

import { numberLiteral, writtenKeys } from "./json_floats.ts";

/** Options of {@linkcode pythonStr} and {@linkcode pythonRepr}. */
export interface PythonReprOptions {
  /** The top-level value is a Python float (a number with no fraction is `1.0`, not `1`). */
  float?: boolean;
  /** The top-level number's literal as written (`1.0`, or an integer's digits), when known. */
  literal?: string;
}

/**
 * `str(value)` in Python: a string as it is, anything else as {@linkcode pythonRepr}.
 *
 * @example
 * ```ts
 * import { pythonStr } from "./python_repr.ts";
 *
 * console.log(pythonStr({ mode: "fast", k: 2, on: true, off: null })); // {'mode': 'fast', 'k': 2, 'on': True, 'off': None}
 * console.log(pythonStr(0, { float: true })); // 0.0
 * ```
 */
export function pythonStr(value: unknown, options: PythonReprOptions = {}): string {
  return typeof value === "string" ? value : pythonRepr(value, options);
}

/** `repr(value)` in Python, for the values `json.loads` makes (and `undefined` as `None`). */
export function pythonRepr(value: unknown, options: PythonReprOptions = {}): string {
  if (typeof value === "number") {
    return numberRepr(value, options.literal, options.float ?? false);
  }
  return repr(value, new Set());
}

function repr(value: unknown, seen: Set<object>): string {
  if (value === null || value === undefined) return "None";
  switch (typeof value) {
    case "string":
      return pythonStringRepr(value);
    case "boolean":
      return value ? "True" : "False";
    case "number":
      return numberRepr(value, undefined, false);
    case "bigint":
      return value.toString();
    case "object":
      break;
    default:
      return pythonStringRepr(String(value));
  }
  const object = value as object;
  if (seen.has(object)) return Array.isArray(object) ? "[...]" : "{...}";
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      return `[${object.map((v, i) => member(object, i, v, seen)).join(", ")}]`;
    }
    const record = object as Record<string, unknown>;
    const keys = writtenKeys(object).filter((k) => record[k] !== undefined);
    return `{${
      keys.map((k) => `${pythonStringRepr(k)}: ${member(object, k, record[k], seen)}`).join(", ")
    }}`;
  } finally {
    seen.delete(object);
  }
}

function member(container: object, key: string | number, value: unknown, seen: Set<object>) {
  if (typeof value === "number") {
    return numberRepr(value, numberLiteral(container, key), false);
  }
  return repr(value, seen);
}

function numberRepr(value: number, literal: string | undefined, float: boolean): string {
  if (literal !== undefined) {
    if (/[.eE]/.test(literal)) return pythonFloatRepr(value);
    return literal.replace(/^-0$/, "0");
  }
  if (float || !Number.isInteger(value)) return pythonFloatRepr(value);
  if (Number.isSafeInteger(value)) return String(value === 0 ? 0 : value);
  return BigInt(value).toString();
}

/**
 * `repr(x)` of a Python float: the shortest digits that read back as `x` (JavaScript's digits),
 * in fixed notation with at least one decimal (`1.0`, `0.0001`) while the exponent is from -5 to
 * 15, else in scientific notation with a two-digit exponent at least (`1e-05`, `1.5e+16`); `inf`,
 * `-inf`, `nan`, and `-0.0`.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, exp] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const point = Number(exp) + 1; // where the decimal point goes, after `point` digits
  if (point <= -4 || point > 16) {
    const e = point - 1;
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${body}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

// Characters Python's repr escapes: those str.isprintable() refuses (categories Cc, Cf, Cs, Co,
// Cn, Zl, Zp, and Zs but the space), and the backslash.
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}\\]/u;

/**
 * `repr(text)` of a Python string: single quotes, or double quotes when the text holds a single
 * quote and no double quote; `\\`, `\n`, `\r`, `\t` and the quote escaped; other unprintable
 * characters as `\xhh`, `\uhhhh` or `\Uhhhhhhhh`; printable non-ASCII as it is.
 */
export function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  if (!NOT_PRINTABLE.test(text) && !text.includes(quote)) return quote + text + quote;
  let out = quote;
  for (const ch of text) {
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === " " || !NOT_PRINTABLE.test(ch)) out += ch;
    else {
      const code = ch.codePointAt(0)!;
      out += code < 0x100
        ? "\\x" + code.toString(16).padStart(2, "0")
        : code < 0x10000
        ? "\\u" + code.toString(16).padStart(4, "0")
        : "\\U" + code.toString(16).padStart(8, "0");
    }
  }
  return out + quote;
}

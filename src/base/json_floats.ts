// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A JSON reader that keeps what `JSON.parse` forgets about numbers: whether `1.0` was written as
// a float (Python reads it as `1.0`, JavaScript as `1`), the digits of an integer too large for a
// double, and the written order of keys that JavaScript would enumerate first (`"10"` before
// `"b"`). Values come back as plain JSON values, exactly as `JSON.parse` gives them; what it
// forgets is recorded beside them, per container, and read back with `numberLiteral` and
// `writtenKeys`. Python's bare `NaN`, `Infinity` and `-Infinity` are read as numbers.
//
// It is a hand-written parser, so it is slower than `JSON.parse`: use it on the parts of a
// document that need it, found with `jsonMemberSpans` and `jsonArrayItemStarts`, which skip the
// rest without building it.

const LITERALS = new WeakMap<object, Map<string | number, string>>();
const KEY_ORDERS = new WeakMap<object, string[]>();

/**
 * The number at `container[key]` as it was written, when `parseJsonKeepingNumbers` read it and
 * JavaScript's number loses something: a float with no fraction (`1.0`, `1e+16`), or an integer
 * beyond `Number.MAX_SAFE_INTEGER`. `undefined` for anything else.
 */
export function numberLiteral(container: object, key: string | number): string | undefined {
  return LITERALS.get(container)?.get(key);
}

/** Whether the number at `container[key]` was written as a float (`1.0`, `2e3`, `0.5`). */
export function writtenAsFloat(container: object, key: string | number): boolean {
  const value = (container as Record<string | number, unknown>)[key];
  if (typeof value !== "number") return false;
  if (!Number.isInteger(value)) return true; // a fraction, NaN or an infinity: only floats hold them
  const literal = numberLiteral(container, key);
  return literal !== undefined && /[.eE]/.test(literal);
}

/** Records that `container[key]` holds a float, as the parser does for `1.0`. */
export function markFloat(container: object, key: string | number): void {
  let map = LITERALS.get(container);
  if (!map) LITERALS.set(container, map = new Map());
  const value = (container as Record<string | number, number>)[key];
  map.set(key, Number.isInteger(value) ? `${value}.0` : String(value));
}

/** An object's keys in the order they were written, which `Object.keys` may not give. */
export function writtenKeys(object: object): string[] {
  return KEY_ORDERS.get(object) ?? Object.keys(object);
}

/** A syntax error in JSON text, with its offset. */
export class JsonSyntaxError extends SyntaxError {
  /** The offset in the text where the error was found. */
  readonly offset: number;
  /** Creates the error. */
  constructor(message: string, offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = "JsonSyntaxError";
    this.offset = offset;
  }
}

/**
 * Parses JSON text (or the value between `start` and `end`) like `JSON.parse`, and records each
 * number whose written form a JavaScript number loses (see {@linkcode numberLiteral}) and the
 * written key order of objects whose keys JavaScript reorders (see {@linkcode writtenKeys}).
 *
 * @example
 * ```ts
 * import { parseJsonKeepingNumbers, writtenAsFloat } from "./json_floats.ts";
 *
 * const args = parseJsonKeepingNumbers('{"ratio": 1.0, "n": 1}') as { ratio: number; n: number };
 * console.log(args.ratio === 1, writtenAsFloat(args, "ratio"), writtenAsFloat(args, "n")); // true true false
 * ```
 */
export function parseJsonKeepingNumbers(text: string, start = 0, end = text.length): unknown {
  const parser = new Parser(text, start, end);
  parser.ws();
  const value = parser.value();
  parser.ws();
  if (parser.i < end) throw new JsonSyntaxError("unexpected text after the value", parser.i);
  return value;
}

const NUMBER_END = /[^0-9eE.+-]/g;
const INDEX_KEY = /^(?:0|[1-9][0-9]{0,9})$/;

class Parser {
  i: number;
  constructor(readonly text: string, start: number, readonly end: number) {
    this.i = start;
  }

  ws(): void {
    const t = this.text;
    let c = t.charCodeAt(this.i);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++this.i);
  }

  value(): unknown {
    const t = this.text;
    const c = t.charCodeAt(this.i);
    if (c === 0x22) return this.string();
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x74 && t.startsWith("true", this.i)) return (this.i += 4, true);
    if (c === 0x66 && t.startsWith("false", this.i)) return (this.i += 5, false);
    if (c === 0x6e && t.startsWith("null", this.i)) return (this.i += 4, null);
    if (c === 0x4e && t.startsWith("NaN", this.i)) return (this.i += 3, NaN);
    if (c === 0x49 && t.startsWith("Infinity", this.i)) return (this.i += 8, Infinity);
    if (c === 0x2d && t.startsWith("-Infinity", this.i)) return (this.i += 9, -Infinity);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number(undefined, 0);
    throw new JsonSyntaxError(
      this.i >= this.end ? "unexpected end of JSON" : "unexpected character",
      this.i,
    );
  }

  // A number, recorded under `container[key]` when its JavaScript value loses its written form.
  number(container: object | undefined, key: string | number): number {
    const t = this.text;
    const start = this.i;
    NUMBER_END.lastIndex = start + 1;
    const m = NUMBER_END.exec(t);
    const stop = m && m.index < this.end ? m.index : this.end;
    const literal = t.slice(start, stop);
    const value = Number(literal);
    if (
      Number.isNaN(value) || !/^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/.test(literal)
    ) {
      throw new JsonSyntaxError(`bad number '${literal}'`, start);
    }
    this.i = stop;
    if (container !== undefined && Number.isInteger(value)) {
      const float = literal.length > 1 && /[.eE]/.test(literal);
      if (float || !Number.isSafeInteger(value)) {
        let map = LITERALS.get(container);
        if (!map) LITERALS.set(container, map = new Map());
        map.set(key, literal);
      }
    }
    return value;
  }

  string(): string {
    const t = this.text;
    const start = this.i + 1;
    let close = t.indexOf('"', start);
    const slash = t.indexOf("\\", start);
    if (close < 0 || close >= this.end) throw new JsonSyntaxError("unterminated string", this.i);
    if (slash < 0 || slash > close) {
      this.i = close + 1;
      return t.slice(start, close);
    }
    // Escapes: find the real closing quote, and let JSON.parse decode the literal.
    close = stringEnd(t, this.i);
    if (close < 0 || close > this.end) throw new JsonSyntaxError("unterminated string", this.i);
    const literal = t.slice(this.i, close);
    this.i = close;
    try {
      return JSON.parse(literal);
    } catch (error) {
      throw new JsonSyntaxError((error as Error).message, start - 1);
    }
  }

  // A member's value: numbers are parsed here so they can be recorded under their container.
  member(container: object, key: string | number): unknown {
    const c = this.text.charCodeAt(this.i);
    if (c === 0x2d ? !this.text.startsWith("-Infinity", this.i) : c >= 0x30 && c <= 0x39) {
      return this.number(container, key);
    }
    return this.value();
  }

  object(): Record<string, unknown> {
    const t = this.text;
    const out: Record<string, unknown> = {};
    let keys: string[] | undefined;
    let reordered = false;
    this.i++;
    this.ws();
    if (t.charCodeAt(this.i) === 0x7d) return (this.i++, out);
    for (;;) {
      if (t.charCodeAt(this.i) !== 0x22) throw new JsonSyntaxError("expected a key", this.i);
      const key = this.string();
      this.ws();
      if (t.charCodeAt(this.i) !== 0x3a) throw new JsonSyntaxError("expected ':'", this.i);
      this.i++;
      this.ws();
      const value = this.member(out, key);
      if (key === "__proto__") {
        Object.defineProperty(out, key, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else out[key] = value;
      // JavaScript lists index-like keys first; remember the written order when that differs.
      if (keys) {
        if (!keys.includes(key)) keys.push(key);
      } else if (INDEX_KEY.test(key) && Object.keys(out).length > 1) {
        keys = Object.keys(out).filter((k) => k !== key);
        keys.push(key);
        reordered = true;
      }
      this.ws();
      const c = t.charCodeAt(this.i++);
      if (c === 0x2c) {
        this.ws();
        continue;
      }
      if (c === 0x7d) break;
      throw new JsonSyntaxError("expected ',' or '}'", this.i - 1);
    }
    if (reordered && keys && keys.join("\u0000") !== Object.keys(out).join("\u0000")) {
      KEY_ORDERS.set(out, keys);
    }
    return out;
  }

  array(): unknown[] {
    const t = this.text;
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (t.charCodeAt(this.i) === 0x5d) return (this.i++, out);
    for (;;) {
      out.push(this.member(out, out.length));
      this.ws();
      const c = t.charCodeAt(this.i++);
      if (c === 0x2c) {
        this.ws();
        continue;
      }
      if (c === 0x5d) break;
      throw new JsonSyntaxError("expected ',' or ']'", this.i - 1);
    }
    return out;
  }
}

// The offset just past the string literal starting at `quote`, or -1 when it never closes.
function stringEnd(text: string, quote: number): number {
  let i = quote + 1;
  for (;;) {
    const close = text.indexOf('"', i);
    if (close < 0) return -1;
    let slashes = 0;
    for (let j = close - 1; text.charCodeAt(j) === 0x5c; j--) slashes++;
    if (slashes % 2 === 0) return close + 1;
    i = close + 1;
  }
}

const STRUCTURE = /["{}[\]]/g;
const SCALAR_END = /[\s,}\]]/g;

// The offset just past the JSON value starting at `i` (after any whitespace), read without
// building it.
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) {
    const end = stringEnd(text, i);
    if (end < 0) throw new JsonSyntaxError("unterminated string", i);
    return end;
  }
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    STRUCTURE.lastIndex = i;
    for (;;) {
      const m = STRUCTURE.exec(text);
      if (!m) throw new JsonSyntaxError("unexpected end of JSON", text.length);
      const ch = m[0];
      if (ch === '"') {
        const end = stringEnd(text, m.index);
        if (end < 0) throw new JsonSyntaxError("unterminated string", m.index);
        STRUCTURE.lastIndex = end;
      } else if (ch === "{" || ch === "[") depth++;
      else if (--depth === 0) return m.index + 1;
    }
  }
  SCALAR_END.lastIndex = i;
  const m = SCALAR_END.exec(text);
  const end = m ? m.index : text.length;
  if (end === i) throw new JsonSyntaxError("expected a value", i);
  return end;
}

function skipWs(text: string, i: number): number {
  let c = text.charCodeAt(i);
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++i);
  return i;
}

/**
 * Where the values of `keys` are in the JSON object starting at `start` (after any whitespace):
 * `[start, end)` offsets per key found, for {@linkcode parseJsonKeepingNumbers}. The other members
 * are skipped without being built, and the walk stops once every key is found.
 */
export function jsonMemberSpans(
  text: string,
  keys: readonly string[],
  start = 0,
): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  let missing = keys.length;
  let i = skipWs(text, start);
  if (text.charCodeAt(i) !== 0x7b) throw new JsonSyntaxError("expected an object", i);
  i = skipWs(text, i + 1);
  if (text.charCodeAt(i) === 0x7d) return out;
  while (missing > 0) {
    if (text.charCodeAt(i) !== 0x22) throw new JsonSyntaxError("expected a key", i);
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0) throw new JsonSyntaxError("unterminated string", i);
    const raw = text.slice(i + 1, keyEnd - 1);
    const key = raw.includes("\\") ? JSON.parse(text.slice(i, keyEnd)) as string : raw;
    i = skipWs(text, keyEnd);
    if (text.charCodeAt(i) !== 0x3a) throw new JsonSyntaxError("expected ':'", i);
    const valueStart = skipWs(text, i + 1);
    const valueEnd = skipValue(text, valueStart);
    if (keys.includes(key)) {
      if (!(key in out)) missing--;
      out[key] = [valueStart, valueEnd];
    }
    i = skipWs(text, valueEnd);
    const c = text.charCodeAt(i);
    if (c === 0x7d) break;
    if (c !== 0x2c) throw new JsonSyntaxError("expected ',' or '}'", i);
    i = skipWs(text, i + 1);
  }
  return out;
}

/** The offsets where the items of the JSON array starting at `start` begin. */
export function jsonArrayItemStarts(text: string, start = 0): number[] {
  const out: number[] = [];
  let i = skipWs(text, start);
  if (text.charCodeAt(i) !== 0x5b) throw new JsonSyntaxError("expected an array", i);
  i = skipWs(text, i + 1);
  if (text.charCodeAt(i) === 0x5d) return out;
  for (;;) {
    out.push(i);
    i = skipWs(text, skipValue(text, i));
    const c = text.charCodeAt(i);
    if (c === 0x5d) return out;
    if (c !== 0x2c) throw new JsonSyntaxError("expected ',' or ']'", i);
    i = skipWs(text, i + 1);
  }
}

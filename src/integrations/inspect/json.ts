// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

const SENTINELS: Record<string, number> = {
  NaN: NaN,
  Infinity: Infinity,
  "-Infinity": -Infinity,
};

/**
 * Parses JSON as Python's `json` module writes it: the bare tokens `NaN`, `Infinity` and
 * `-Infinity`, which Inspect AI writes for undefined metrics, are read as numbers. Logs without
 * them take the plain `JSON.parse` path; only logs with them pay for a scan, which rewrites the
 * tokens outside string literals (never inside) and revives them.
 *
 * @example
 * ```ts
 * import { parseInspectJson } from "@evalhooks/mlflow";
 *
 * const value = parseInspectJson('{"stderr": NaN, "note": "NaN stays text"}') as { stderr: number; note: string };
 * console.log(Number.isNaN(value.stderr), value.note);
 * ```
 */
export function parseInspectJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
  }
  const marker = `\u0000py${Math.random().toString(36).slice(2)}:`;
  let out = "";
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) { // a string literal: skip to its closing quote, past escapes
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) {
        i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      }
      continue;
    }
    for (const token of ["-Infinity", "Infinity", "NaN"]) {
      if (text.startsWith(token, i)) {
        out += text.slice(last, i) + JSON.stringify(marker + token);
        i += token.length - 1;
        last = i + 1;
        break;
      }
    }
  }
  out += text.slice(last);
  return JSON.parse(
    out,
    (_key, value) =>
      typeof value === "string" && value.startsWith(marker)
        ? SENTINELS[value.slice(marker.length)]
        : value,
  );
}

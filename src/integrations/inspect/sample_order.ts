// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The order Inspect's own readers give samples in (`sort_samples` in inspect_ai/log/_log.py), for
// a `.eval` as for a `.json`: by epoch, then by id, a number's id zero-filled to 20 characters so
// that numbers sort by value. Both our readers use it, so a log's format never changes the steps
// its samples land at.

/** The id part of Inspect's sample sort key: `str(id).zfill(20)` for a number, else the id. */
export function sampleSortKey(id: string | number, numeric = typeof id === "number"): string {
  const text = String(id);
  if (!numeric) return text;
  // zfill pads after a sign.
  return /^[+-]/.test(text) ? text[0] + text.slice(1).padStart(19, "0") : text.padStart(20, "0");
}

/** Compares two samples as Inspect's `sort_samples` does. */
export function compareSamples(
  a: { epoch: number; key: string },
  b: { epoch: number; key: string },
): number {
  return a.epoch - b.epoch || codePointCompare(a.key, b.key);
}

// Python's string order: by code point (JavaScript's `<` compares UTF-16 units).
function codePointCompare(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0)! - y[i].codePointAt(0)!;
  }
  return x.length - y.length;
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Scorer names as MLflow assessment names, for every runner integration (promptfoo too). A scorer name becomes a feedback name, a column in
// MLflow's Traces view and the `<name>/mean` metric key, so it must be a valid metric key
// without `.`; two scorers of one name in a case must not overwrite each other.

import { cutWithEllipsis } from "../../base/text.ts";

/**
 * A feedback name MLflow takes: letters, digits and `_ - / : ` and spaces, at most 250 (ASCII
 * only after the replace, so the cut cannot split a character).
 */
export function feedbackName(name: string, fallback = "score"): string {
  return name.replace(/[^\w\-/: ]/g, "_").slice(0, 250) || fallback;
}

/**
 * Names unique within one case: the second `exact` is `exact_2`, as the promptfoo import names
 * a repeated assertion, so both land on the trace and both count in the means.
 */
export function uniqueNames(): (name: string) => string {
  const used = new Map<string, number>();
  return (name) => {
    const n = (used.get(name) ?? 0) + 1;
    used.set(name, n);
    return n === 1 ? name : `${name}_${n}`;
  };
}

/** A JSON value as MLflow string metadata, cut to what reads at a glance. */
export function metadataText(value: unknown, max = 500): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  // Cut between code points: half a surrogate pair is a character MLflow would garble.
  return cutWithEllipsis(text, max, "…");
}

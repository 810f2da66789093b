// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Readers of other tools' output (SDK responses, runner results, span attributes, dataset rows)
// check shapes before they trust them; this is the one test of "a JSON object" they share.

/** Whether `value` is an object that is neither `null` nor an array: the shape of a JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

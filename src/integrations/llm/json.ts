// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Reading duck-typed SDK values: what every wrapper's collector needs to look into an answer
// without trusting its shape, and a plain copy of what a span keeps.

import { isRecord } from "../../base/records.ts";

/** A JSON-like object. */
export type Obj = Record<string, unknown>;

/** Whether `v` is a non-array object. */
export const isObj: (v: unknown) => v is Obj = isRecord;

/** `v` as an object to read from; `{}` when it is none. */
export const obj = (v: unknown): Obj => (typeof v === "object" && v !== null ? v as Obj : {});

/** `v` when it is a string. */
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** `v` when it is a finite, non-negative number (a count). */
export const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined;

/**
 * A plain JSON copy of `value`: what the span keeps is what the SDK had at that moment, not a
 * live object the caller may change later, and getters (a tool input the SDK parses lazily, the
 * class instances of `@google/genai`) are read into values. Undefined when it cannot be copied.
 */
export function plainJson(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The schema of an evaluation's rows as MLflow's `mlflow_colspec`, inferred the way Python's
// `mlflow.data.from_pandas` infers it for the same rows: one column per row field (`inputs`,
// `outputs`, `expectations`), objects with their properties sorted, integers as `long`, other
// numbers as `double`, a value missing or null in some row making its field not required.

import type { EvalRow } from "./types.ts";

const FIELDS = ["inputs", "outputs", "expectations"] as const;

type Spec = Record<string, unknown>;

/** The colspec schema of `rows` and its column count; no schema when a field mixes types. */
export function rowsSchema(
  rows: readonly EvalRow[],
): { columns: number; schema?: { mlflow_colspec: Spec[] } } {
  const present = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if ((FIELDS as readonly string[]).includes(key)) present.add(key);
    }
  }
  // Python's columns come in the order the first row lists them.
  const first = rows.length > 0 ? Object.keys(rows[0]) : [];
  const columns = [
    ...first.filter((k) => present.has(k)),
    ...FIELDS.filter((k) => present.has(k) && !first.includes(k)),
  ];
  const colspec: Spec[] = [];
  for (const name of columns) {
    const values = rows.map((r) => (r as unknown as Record<string, unknown>)[name]);
    const spec = typeOf(values);
    if (spec === undefined) return { columns: columns.length };
    colspec.push({ ...spec, name, required: values.every(isPresent) });
  }
  return colspec.length > 0
    ? { columns: columns.length, schema: { mlflow_colspec: colspec } }
    : { columns: 0 };
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function typeOf(values: readonly unknown[]): Spec | undefined {
  const given = values.filter(isPresent);
  if (given.length === 0) return { type: "any" };
  if (given.every((v) => typeof v === "string")) return { type: "string" };
  if (given.every((v) => typeof v === "boolean")) return { type: "boolean" };
  if (given.every((v) => typeof v === "number")) {
    return { type: given.every((v) => Number.isInteger(v)) ? "long" : "double" };
  }
  if (given.every(Array.isArray)) {
    const items = typeOf((given as unknown[][]).flat());
    return items === undefined ? undefined : { type: "array", items };
  }
  if (given.every((v) => typeof v === "object" && !Array.isArray(v))) {
    const objects = given as Record<string, unknown>[];
    const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))].sort();
    const properties: Record<string, Spec> = {};
    for (const key of keys) {
      const column = objects.map((o) => o[key]);
      const spec = typeOf(column);
      if (spec === undefined) return undefined;
      properties[key] = { ...spec, required: column.every(isPresent) };
    }
    return { type: "object", properties };
  }
  return undefined;
}

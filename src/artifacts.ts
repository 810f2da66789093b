// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { MlflowError, MlflowValidationError } from "./errors.ts";
import type { Table } from "./types.ts";

/**
 * Maps a run's artifact URI to the tracking server's artifact proxy endpoint for `path`.
 * `mlflow-artifacts:/1/<run>/artifacts` (with or without a host) is served by the tracking
 * server itself; any other scheme (s3://, a local path) would need that store's own client.
 */
export function artifactEndpoint(artifactUri: string, path: string): string {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.*)$/.exec(artifactUri);
  if (!match) {
    throw new MlflowError(
      `artifact root '${artifactUri}' is not served by the tracking server; start it with ` +
        "artifact proxying (the default of `mlflow server`, or --serve-artifacts)",
      { errorCode: "UNSUPPORTED_ARTIFACT_URI", key: path },
    );
  }
  const root = match[1].replace(/\/+$/, "");
  const encoded = [...root.split("/"), ...path.split("/")].filter((p) => p !== "")
    .map(encodeURIComponent).join("/");
  return `/api/2.0/mlflow-artifacts/artifacts/${encoded}`;
}

const CONTENT_TYPES: Record<string, string> = {
  json: "application/json",
  txt: "text/plain; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  yaml: "application/yaml",
  yml: "application/yaml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  svg: "image/svg+xml",
};

/** A content type from a path's extension. */
export function contentTypeFor(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? "application/octet-stream";
}

/** JSON text of `value`; values JSON cannot hold become a validation error at the call. */
export function toJsonText(value: unknown, path: string, call: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, null, 2);
  } catch (error) {
    throw new MlflowValidationError(
      `${call}: '${path}' cannot be written as JSON: ${(error as Error).message}`,
      { key: path, rule: "json", call },
    );
  }
  if (text === undefined) {
    throw new MlflowValidationError(`${call}: '${path}': ${typeof value} has no JSON form`, {
      key: path,
      rule: "json",
      call,
    });
  }
  return text;
}

/**
 * A table in MLflow's split form `{columns, data}`. Rows given as objects become columns in the
 * order keys first appear, with `null` where a row lacks a key.
 */
export function toSplitTable(table: Table): { columns: string[]; data: unknown[][] } {
  if (!Array.isArray(table)) {
    const split = table as { columns: readonly string[]; data: readonly (readonly unknown[])[] };
    return { columns: [...split.columns], data: split.data.map((row) => [...row]) };
  }
  const rows = table as readonly Record<string, unknown>[];
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  return { columns, data: rows.map((row) => columns.map((c) => row[c] ?? null)) };
}

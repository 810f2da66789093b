// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { MlflowError, MlflowValidationError } from "../base/errors.ts";
import type { RestClient } from "../transport/rest.ts";

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
 * A table as MLflow's `log_table` stores it (`{columns, data}`), from rows or split form.
 * Anything else is refused with an {@linkcode MlflowValidationError} naming `table` and the rule
 * (`table_shape`), before anything is queued.
 */
export function toSplitTable(
  table: unknown,
  path: string,
  call: string,
): { columns: string[]; data: unknown[][] } {
  const refuse = (what: string): never => {
    throw new MlflowValidationError(
      `${call}: table '${path}' ${what}; give an array of row objects or { columns, data }`,
      { key: path, rule: "table_shape", call },
    );
  };
  if (Array.isArray(table)) {
    const columns: string[] = [];
    const seen = new Set<string>();
    for (const [i, row] of table.entries()) {
      if (row === null || typeof row !== "object" || Array.isArray(row)) {
        refuse(
          `row ${i} is ${row === null ? "null" : Array.isArray(row) ? "an array" : typeof row}`,
        );
      }
      for (const key of Object.keys(row)) {
        if (!seen.has(key)) {
          seen.add(key);
          columns.push(key);
        }
      }
    }
    const rows = table as Record<string, unknown>[];
    return { columns, data: rows.map((row) => columns.map((c) => row[c] ?? null)) };
  }
  if (table === null || typeof table !== "object") {
    return refuse(`is ${table === null ? "null" : typeof table}`);
  }
  const split = table as { columns?: unknown; data?: unknown };
  if (!Array.isArray(split.columns) || !split.columns.every((c) => typeof c === "string")) {
    return refuse("has no `columns` array of strings");
  }
  if (!Array.isArray(split.data)) return refuse("has no `data` array");
  const width = split.columns.length;
  const data = split.data.map((row, i) => {
    if (!Array.isArray(row)) return refuse(`data row ${i} is not an array`);
    if (row.length !== width) {
      return refuse(`data row ${i} has ${row.length} values for ${width} columns`);
    }
    return [...row];
  });
  return { columns: [...split.columns], data };
}

/** Uploads one artifact of a run through the tracking server's artifact proxy (a PUT). */
export async function uploadArtifact(
  rest: RestClient,
  run: { runId: string; artifactUri: string },
  path: string,
  body: Uint8Array | Blob | string,
  contentType: string,
): Promise<void> {
  await rest.request({
    method: "PUT",
    endpoint: artifactEndpoint(run.artifactUri, path),
    body,
    contentType,
    key: path,
    runId: run.runId,
  });
}

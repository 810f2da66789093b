// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A DatasetInput checked and turned into what `runs/log-inputs` takes, at the call: every rule the
// server would enforce (lengths, required fields), plus well-formed text, is checked here so a bad
// dataset throws where it was logged; and the digest is fixed here, once, so a retried request
// carries the same identity and the server's dedup makes the retry a no-op.

import { MlflowValidationError } from "../base/errors.ts";
import { pythonJsonDumps } from "../base/python_json.ts";
import { sha256Hex } from "../base/sha256.ts";
import { isWellFormed } from "../base/text.ts";
import { DATASET_CONTEXT_TAG, DATASET_LIMITS, type WireDatasetInput } from "../store/inputs.ts";
import type { DatasetInput } from "./dataset_types.ts";
import { stringValue } from "./validate.ts";
import { isRecord } from "../base/records.ts";

/**
 * `{ source, sourceType }` for a location: an `http(s)` URL as `{ url }` (`http`), a URI as
 * `{ uri }` typed by its scheme (`s3`, `gs`, …; `file:` is `local`), a path as `{ uri }` (`local`).
 */
export function locationSource(
  location: string,
): { source: { url: string } | { uri: string }; sourceType: string } {
  if (/^https?:\/\//i.test(location)) return { source: { url: location }, sourceType: "http" };
  return { source: { uri: location }, sourceType: uriType(location) };
}

/** Checks `input` and builds the wire dataset; throws {@linkcode MlflowValidationError}. */
export function prepareDatasetInput(input: DatasetInput, call: string): WireDatasetInput {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new MlflowValidationError(`${call}: the dataset must be an object`, {
      key: "dataset",
      rule: "value_type",
      call,
    });
  }
  const fail = (key: string, rule: string, what: string): never => {
    throw new MlflowValidationError(`${call}: ${key} of dataset ${label(input.name)} ${what}`, {
      key,
      rule,
      call,
    });
  };
  const text = (key: string, value: unknown, limit: number): string => {
    if (typeof value !== "string" || value === "") {
      fail(key, "value_type", `must be a non-empty string, got ${describe(value)}`);
    }
    const s = value as string;
    if (!isWellFormed(s)) fail(key, "well_formed", "holds a lone UTF-16 surrogate");
    const length = codePoints(s, limit);
    if (length > limit) fail(key, "value_length", `is ${length} characters; the limit is ${limit}`);
    return s;
  };
  // An object is written as Python's json.dumps writes it; a string is kept as it is.
  const json = (key: string, value: unknown, limit: number): string => {
    if (typeof value === "string") return text(key, value, limit);
    if (typeof value !== "object" || value === null) {
      fail(key, "value_type", `must be an object or JSON text, got ${describe(value)}`);
    }
    let encoded = "";
    try {
      encoded = pythonJsonDumps(value);
    } catch (error) {
      fail(key, "json", `cannot be written as JSON: ${(error as Error).message}`);
    }
    return text(key, encoded, limit);
  };

  const name = text("name", input.name, DATASET_LIMITS.name);
  if (input.source === undefined || input.source === null) {
    fail("source", "required", "is required (a location, or an object such as { uri })");
  }
  // A string that is not a JSON object is a location.
  const given = typeof input.source === "string" ? parseObject(input.source) : input.source;
  const location = typeof input.source === "string" && given === undefined
    ? locationSource(text("source", input.source, DATASET_LIMITS.source))
    : undefined;
  const source = location
    ? text("source", pythonJsonDumps(location.source), DATASET_LIMITS.source)
    : json("source", input.source, DATASET_LIMITS.source);
  if (Array.isArray(given)) fail("source", "value_type", "must be an object, not an array");
  const sourceType = input.sourceType !== undefined
    ? text("sourceType", input.sourceType, DATASET_LIMITS.sourceType)
    : location?.sourceType ?? inferSourceType(given as Record<string, unknown>);
  const schema = input.schema === undefined
    ? undefined
    : json("schema", input.schema, DATASET_LIMITS.schema);
  const profile = input.profile === undefined
    ? undefined
    : json("profile", input.profile, DATASET_LIMITS.profile);
  const digest = input.digest === undefined
    ? defaultDigest(name, source, sourceType, schema)
    : text("digest", input.digest, DATASET_LIMITS.digest);

  const tags = new Map<string, string>();
  if (input.tags !== undefined) {
    if (typeof input.tags !== "object" || input.tags === null || Array.isArray(input.tags)) {
      fail("tags", "value_type", `must be a record of strings, got ${describe(input.tags)}`);
    }
    for (const [k, v] of Object.entries(input.tags)) {
      const key = text(`tags key '${k}'`, k, DATASET_LIMITS.tagKey);
      tags.set(key, text(`tags.${k}`, stringValue(`tags.${k}`, v, call), DATASET_LIMITS.tagValue));
    }
  }
  // The context wins over a tag of the same key: the server keeps one value per key.
  if (input.context !== undefined) {
    tags.set(DATASET_CONTEXT_TAG, text("context", input.context, DATASET_LIMITS.tagValue));
  }

  const dataset: WireDatasetInput["dataset"] = { name, digest, source_type: sourceType, source };
  if (schema !== undefined) dataset.schema = schema;
  if (profile !== undefined) dataset.profile = profile;
  return { dataset, tags: [...tags].map(([key, value]) => ({ key, value })) };
}

/**
 * Python's `MetaDataset` digest: the first 8 hex digits of SHA-256 over
 * `json.dumps({"name", "source", "source_type", "schema"})`, the schema unwrapped from
 * `{"mlflow_colspec": …}` as Python's `Schema.to_dict()` gives it, or `""` when there is none.
 */
export function defaultDigest(
  name: string,
  source: string,
  sourceType: string,
  schema: string | undefined,
): string {
  let schemaValue: unknown = "";
  if (schema !== undefined) {
    const parsed = parseJson(schema);
    schemaValue = parsed === undefined
      ? schema
      : isRecord(parsed) && "mlflow_colspec" in parsed
      ? parsed.mlflow_colspec
      : parsed;
  }
  const config = { name, source, source_type: sourceType, schema: schemaValue };
  return sha256Hex(pythonJsonDumps(config)).slice(0, 8);
}

// What MLflow's UI reads from each source type: `url` for http, `uri` for files and buckets.
function inferSourceType(source: Record<string, unknown>): string {
  if (typeof source.url === "string") return "http";
  if (typeof source.uri === "string") return uriType(source.uri);
  return "code";
}

// As Python's artifact-repository sources type a URI: by its scheme, `local` for none or `file`.
// A single letter before `:` is a Windows drive, not a scheme.
function uriType(uri: string): string {
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(uri)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === "file" ? "local" : scheme;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// JSON text of an object (or array), else undefined.
function parseObject(text: string): object | undefined {
  if (!/^\s*[{[]/.test(text)) return undefined;
  const parsed = parseJson(text);
  return typeof parsed === "object" && parsed !== null ? parsed : undefined;
}

// Characters as Python counts them (code points); only counted when the UTF-16 length is over.
function codePoints(text: string, limit: number): number {
  if (text.length <= limit) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

function label(name: unknown): string {
  return typeof name === "string" && name !== "" ? JSON.stringify(name.slice(0, 100)) : "(unnamed)";
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return value === "" ? "an empty string" : "a string";
  return typeof value;
}

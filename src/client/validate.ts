// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { MlflowValidationError } from "../base/errors.ts";
import type { WireMetricValue } from "../store/wire.ts";
import { LIMITS } from "../store/limits.ts";
import { cutText, isWellFormed, toWellFormed } from "../base/text.ts";

// Python's `\w` on str is Unicode letters, numbers and `_`; MLflow adds `/ . - space :`.
const KEY_CHARS = /^[\p{L}\p{N}_/.\- :]*$/u;

// Valid keys repeat (the same few metric names, thousands of times), so the hot path checks a
// set before it runs the regex and the path normaliser. Bounded, so odd workloads cannot grow it.
const knownGoodKeys = new Set<string>();
const KNOWN_GOOD_KEYS_MAX = 10_000;

/** `posixpath.normpath`, which MLflow uses to refuse keys that would alias other keys as files. */
export function normalizePosixPath(path: string): string {
  if (path === "") return ".";
  const absolute = path.startsWith("/");
  // POSIX keeps exactly two leading slashes; any other count collapses to one.
  const doubleSlash = absolute && path.startsWith("//") && !path.startsWith("///");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== ".." || (!absolute && parts.length === 0) || parts.at(-1) === "..") {
      parts.push(part);
    } else if (parts.length > 0) {
      parts.pop();
    }
  }
  const joined = parts.join("/");
  const prefix = absolute ? (doubleSlash ? "//" : "/") : "";
  return prefix + joined || ".";
}

/**
 * Checks a metric, param or tag key the way MLflow does: at most 250 characters of letters,
 * digits, `_ / . - : ` and space, and a normalised path (no `..` component, no leading, doubled
 * or trailing `/`, not empty). Throws {@linkcode MlflowValidationError} naming the key and rule.
 */
export function validateKey(key: unknown, call: string): string {
  if (typeof key === "string" && knownGoodKeys.has(key)) return key;
  if (typeof key !== "string") {
    throw new MlflowValidationError(`${call}: key must be a string, got ${typeof key}`, {
      key: String(key),
      rule: "key_type",
      call,
    });
  }
  if (key.length > LIMITS.keyLength) {
    throw new MlflowValidationError(
      `${call}: key '${
        cutText(key, 40)
      }…' is ${key.length} characters; the limit is ${LIMITS.keyLength}`,
      { key, rule: "key_length", call },
    );
  }
  if (!KEY_CHARS.test(key)) {
    throw new MlflowValidationError(
      `${call}: key ${
        JSON.stringify(key)
      } may only contain letters, digits, '_', '-', '.', ' ', ':' and '/'`,
      { key, rule: "key_chars", call },
    );
  }
  const normalized = normalizePosixPath(key);
  if (
    normalized !== key || normalized === "." || normalized.startsWith("..") ||
    normalized.startsWith("/")
  ) {
    throw new MlflowValidationError(
      key === ""
        ? `${call}: key must not be empty`
        : `${call}: key ${JSON.stringify(key)} is not a normalised path (it would resolve to ` +
          `${JSON.stringify(normalized)}); no '..' parts and no leading, trailing or doubled '/'`,
      { key, rule: "key_path", call },
    );
  }
  if (knownGoodKeys.size < KNOWN_GOOD_KEYS_MAX) knownGoodKeys.add(key);
  return key;
}

/** Checks a metric value (a number; NaN and ±Infinity are legal) and gives its wire form. */
export function metricValueToWire(key: string, value: unknown, call: string): WireMetricValue {
  if (typeof value !== "number") {
    throw new MlflowValidationError(
      `${call}: metric '${key}' must be a number, got ${typeof value}`,
      { key, rule: "value_type", call },
    );
  }
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return "NaN";
  return value > 0 ? "Infinity" : "-Infinity";
}

/** Checks a metric step: an integer that survives the trip through JSON exactly. */
export function validateStep(key: string, step: unknown, call: string): number {
  if (typeof step !== "number" || !Number.isSafeInteger(step)) {
    throw new MlflowValidationError(
      `${call}: step of metric '${key}' must be a number that is an integer within ±2^53, got ${
        describe(step)
      }`,
      { key, rule: "step", call },
    );
  }
  return step;
}

/** Checks a timestamp: whole milliseconds since the epoch, not negative. */
export function validateTimestamp(key: string, timestamp: unknown, call: string): number {
  if (typeof timestamp !== "number" || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new MlflowValidationError(
      `${call}: timestamp of '${key}' must be a number: a non-negative integer of milliseconds, got ${
        describe(timestamp)
      }`,
      { key, rule: "timestamp", call },
    );
  }
  return timestamp;
}

/** A param or tag value: strings as they are, numbers and booleans as MLflow's Python does. */
export function stringValue(key: string, value: unknown, call: string): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "bigint":
      return String(value);
    case "boolean":
      return value ? "True" : "False";
    default:
      if (value === null) return "None";
      throw new MlflowValidationError(
        `${call}: value of '${key}' must be a string, number or boolean, got ${typeof value}`,
        { key, rule: "value_type", call },
      );
  }
}

/**
 * Applies a length limit: returns the value (cut to `limit` when `truncate`, on a code-point
 * boundary), plus the warning to report when it was cut. Throws when over the limit and
 * truncation is off. A lone surrogate, which MLflow's server would silently drop the rest of the
 * request for, is replaced by U+FFFD, with a warning too.
 */
export function limitLength(
  key: string,
  raw: string,
  limit: number,
  truncate: boolean,
  call: string,
): { value: string; warning?: MlflowValidationError } {
  const wellFormed = isWellFormed(raw);
  const value = wellFormed ? raw : toWellFormed(raw);
  if (value.length <= limit) {
    if (wellFormed) return { value };
    return {
      value,
      warning: new MlflowValidationError(
        `${call}: value of '${key}' held a lone UTF-16 surrogate; it was replaced by U+FFFD`,
        { key, rule: "well_formed", call, truncated: true },
      ),
    };
  }
  if (!truncate) {
    throw new MlflowValidationError(
      `${call}: value of '${key}' is ${value.length} characters; the limit is ${limit}`,
      { key, rule: "value_length", call },
    );
  }
  return {
    value: cutText(value, limit),
    warning: new MlflowValidationError(
      `${call}: value of '${key}' (${value.length} characters) was truncated to ${limit}`,
      { key, rule: "value_length", call, truncated: true },
    ),
  };
}

/**
 * Checks an artifact path: relative, with no `..` part, no empty part, no backslash.
 * Returns it unchanged, so it can be used as a URL path after encoding each part.
 */
export function validateArtifactPath(path: unknown, call: string): string {
  if (typeof path !== "string" || path === "") {
    throw new MlflowValidationError(`${call}: artifact path must be a non-empty string`, {
      key: String(path),
      rule: "artifact_path",
      call,
    });
  }
  if (hasControlChars(path)) {
    throw new MlflowValidationError(
      `${call}: artifact path ${JSON.stringify(path)} must not contain control characters`,
      { key: path, rule: "artifact_path", call },
    );
  }
  const parts = path.split("/");
  if (
    path.startsWith("/") || path.includes("\\") || /^[a-zA-Z]:/.test(path) ||
    parts.some((p) => p === "" || p === "." || p === "..")
  ) {
    throw new MlflowValidationError(
      `${call}: artifact path ${
        JSON.stringify(path)
      } must be relative, with no '.', '..' or empty parts`,
      { key: path, rule: "artifact_path", call },
    );
  }
  return path;
}

// A value as an error message should show it: `1n` for a bigint, `"1"` for a string.
function describe(value: unknown): string {
  if (typeof value === "bigint") return `${value}n (a bigint)`;
  if (typeof value === "string") return `${JSON.stringify(value)} (a string)`;
  return String(value);
}

function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
  return false;
}

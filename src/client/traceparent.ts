// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// W3C Trace Context (`traceparent`), the header MLflow's Python client and OpenTelemetry use to
// carry a trace across an HTTP call: https://www.w3.org/TR/trace-context/#traceparent-header

import { MlflowError } from "../base/errors.ts";

/** Where a trace continued from another process left off. */
export interface RemoteParent {
  /** The trace's 32 hex digits. */
  hexId: string;
  /** The remote span this process's spans hang under (16 hex digits). */
  spanId: string;
}

// version-traceid-parentid-flags; a later version may append fields after a dash.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** The `traceparent` header of a span: sampled, version 00. */
export function formatTraceparent(hexId: string, spanId: string): string {
  return `00-${hexId}-${spanId}-01`;
}

/**
 * Reads `traceparent` from a header value, a `Headers` or anything with `headers` (a `Request`).
 * A malformed value is the caller's mistake: a typed error names the option and the rule.
 */
export function parseTraceparent(
  source: string | Headers | { headers: Headers },
  call: string,
): RemoteParent {
  const value = typeof source === "string"
    ? source
    : (source instanceof Headers ? source : source.headers).get("traceparent");
  const match = value === null ? null : TRACEPARENT.exec(value.trim().toLowerCase());
  const valid = match !== null && match[1] !== "ff" && (match[1] !== "00" || !match[5]) &&
    !/^0+$/.test(match[2]) && !/^0+$/.test(match[3]);
  if (!valid) {
    const shown = value === null ? "no traceparent header" : JSON.stringify(value.slice(0, 80));
    throw new MlflowError(
      `${call}: traceparent must be a W3C traceparent ("00-<32 hex trace id>-<16 hex span id>-` +
        `<2 hex flags>", ids not all zero); got ${shown}`,
      { errorCode: "INVALID_PARAMETER_VALUE", endpoint: call, key: "traceparent" },
    );
  }
  return { hexId: match![2], spanId: match![3] };
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Turns what a server answered into a value or an MlflowError: the error body of a failed request
// (MLflow's JSON or a proxy's page), and the body of a 2xx (JSON, bytes, or one that broke off).
// Every message goes through the client's redactor.

import { MlflowError } from "../base/errors.ts";
import { parseRetryAfter } from "./retry_timing.ts";

/** The request an error names: copied into every {@linkcode MlflowError} made for it. */
export interface RequestLabel {
  /** HTTP method. */
  method: string;
  /** Path below the tracking URI. */
  endpoint: string;
  /** Key written, if any. */
  key?: string;
  /** Run written to, if any. */
  runId?: string;
}

/** An error about `request`, its message prefixed with the method and endpoint and redacted. */
export function requestError(
  redact: (text: string) => string,
  request: RequestLabel,
  message: string,
  errorCode: string,
  status = 0,
  cause?: unknown,
): MlflowError {
  return new MlflowError(
    redact(`${request.method} ${request.endpoint}: ${message}`),
    {
      errorCode,
      status,
      method: request.method,
      endpoint: request.endpoint,
      key: request.key,
      runId: request.runId,
      // The cause of a network error can carry a runtime's own text; keep only its redacted message.
      cause: cause instanceof Error ? new Error(redact(cause.message)) : undefined,
    },
  );
}

/**
 * The error of a non-2xx answer, with the answer's `Retry-After` (milliseconds) beside it for the
 * retry loop.
 */
export async function errorFromResponse(
  redact: (text: string) => string,
  request: RequestLabel,
  response: Response,
): Promise<{ error: MlflowError; retryAfterMs?: number }> {
  let text = "";
  try {
    text = await response.text();
  } catch {
    // The body broke off: the status alone still says what happened.
  }
  let code = "";
  let message = "";
  try {
    const parsed = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    if (typeof parsed.error_code === "string") code = parsed.error_code;
    if (typeof parsed.message === "string") message = redact(parsed.message);
  } catch {
    // Not JSON: a proxy's HTML page or plain text. Keep a readable excerpt of it, redacted
    // before it is cut or reflowed, so neither can leave a fragment of a secret behind.
    message = redact(text).replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 300);
  }
  if (!code) code = statusCode(response.status);
  // Retry-After rides on the response; keep it beside the error for the retry loop.
  const after = parseRetryAfter(response.headers.get("Retry-After"));
  const statusText = `HTTP ${response.status}${
    response.statusText ? " " + response.statusText : ""
  }`;
  const error = requestError(
    redact,
    request,
    `${code} (${statusText})${message ? ": " + message : ""}`,
    code,
    response.status,
  );
  return after === undefined ? { error } : { error, retryAfterMs: after };
}

const decoder = new TextDecoder();

/**
 * The body of a 2xx answer: its bytes for `responseType: "bytes"`, else its JSON (`{}` when
 * empty). A body that broke off or is not JSON rejects with `BAD_RESPONSE` (`TIMEOUT` once
 * `signal` has fired): the request may or may not have been applied, so it is retried like a
 * network error (every write we retry is safe to repeat).
 */
export async function readAnswer<T>(
  redact: (text: string) => string,
  request: RequestLabel & { responseType?: "json" | "bytes" },
  response: Response,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<T> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw requestError(
      redact,
      request,
      signal.aborted
        ? `answer not complete within ${timeoutMs} ms`
        : `unreadable answer: the body broke off (${(error as Error).message})`,
      signal.aborted ? "TIMEOUT" : "BAD_RESPONSE",
      response.status,
      error,
    );
  }
  if (request.responseType === "bytes") return bytes as T;
  const text = decoder.decode(bytes);
  if (text.trim() === "") return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    // The parser's message quotes the body (V8 its start, Bun a whole word of it), and a body
    // may echo what we sent; a 2xx body is never quoted, only measured.
    throw requestError(
      redact,
      request,
      `unreadable answer: not JSON (${bytes.length} bytes)`,
      "BAD_RESPONSE",
      response.status,
    );
  }
}

/** MLflow's error code for an HTTP status, for answers whose body names none. */
export function statusCode(status: number): string {
  switch (status) {
    case 400:
      return "BAD_REQUEST";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "ENDPOINT_NOT_FOUND";
    case 408:
      return "REQUEST_TIMEOUT";
    case 413:
      return "REQUEST_TOO_LARGE";
    case 429:
      return "REQUEST_LIMIT_EXCEEDED";
    case 503:
      return "TEMPORARILY_UNAVAILABLE";
    default:
      return status >= 500 ? "INTERNAL_ERROR" : `HTTP_${status}`;
  }
}

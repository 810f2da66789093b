// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { MlflowError } from "../base/errors.ts";
import { errorFromResponse, readAnswer, requestError } from "./answer.ts";
import type { Limiter } from "./limiter.ts";
import { isNetworkError } from "./network_error.ts";
import { createPacer, type Pacer, requestFamily } from "./pacer.ts";
import { createRecovery, type Recovery } from "./recovery.ts";
import { authRedactor, type RequestAuth } from "./oauth_token.ts";
import { type ResolvedRetryOptions, RETRYABLE_STATUSES, retryDelay } from "./retry_timing.ts";
import { wellFormedJson } from "../base/text.ts";

/** One REST call. */
export interface RestRequest {
  /** HTTP method. */
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path below the tracking URI (`/api/...`, or `/v1/traces` for OTLP). */
  endpoint: string;
  /** Query parameters; `undefined` values are left out, arrays repeat the key. */
  query?: Record<string, string | number | boolean | undefined | readonly string[]>;
  /** A JSON body (sent with `Content-Type: application/json`). */
  json?: unknown;
  /** Pre-serialised JSON text, for callers that measured the body already. */
  jsonText?: string;
  /** A raw body, for artifact uploads. */
  body?: Blob | Uint8Array | string;
  /** Content type of a raw body. */
  contentType?: string;
  /** Headers of this request only, beside the client's (MLflow's OTLP endpoint takes its experiment so). */
  headers?: Readonly<Record<string, string>>;
  /** `bytes` returns the raw answer (artifact downloads); default `json`. */
  responseType?: "json" | "bytes";
  /** Key and run, copied into any error for the caller to act on. */
  key?: string;
  /** The run written to, copied into any error. */
  runId?: string;
  /** Called before each retry with the error that caused it, so a caller can check first. */
  beforeRetry?: (error: MlflowError) => Promise<"retry" | "stop">;
  /**
   * A check made from another request's `beforeRetry`: it neither waits on the outage recovery
   * (that request may be its probe, waiting for this very check) nor retries an outage; it fails
   * at once and the caller retries its write.
   */
  check?: boolean;
}

/** The transport every other module uses: fetch, retries, timeouts, errors without secrets. */
export interface RestClient {
  /** The tracking URI without credentials and without a trailing slash. */
  readonly baseUrl: string;
  /** Sends `request`, retrying transient failures; rejects with {@linkcode MlflowError}. */
  request<T = Record<string, unknown>>(request: RestRequest): Promise<T>;
  /** HTTP requests sent so far (each attempt counts). */
  readonly requestCount: number;
  /** Redacts this client's secrets from text meant for a log line. */
  redact(text: string): string;
}

/** What {@linkcode createRestClient} needs. */
export interface RestClientConfig {
  /** Tracking URI without credentials. */
  baseUrl: string;
  /** Headers for every request (auth included). */
  headers: Headers;
  /** The fetch to use. */
  fetch: typeof fetch;
  /** Retry behaviour. */
  retry: ResolvedRetryOptions;
  /** Bounds requests in flight across the whole client. */
  limiter: Limiter;
  /** Strings that must never appear in an error. */
  secrets: readonly string[];
  /** The outage recovery shared by every request of the client (one is made if absent). */
  recovery?: Recovery;
  /** Paces requests and shares 429 slow-downs across them (one without limits if absent). */
  pacer?: Pacer;
  /** Auth asked for headers on every attempt (OAuth tokens); a 401 refreshes it once. */
  auth?: RequestAuth;
}

/**
 * An outage, as opposed to a failure of this one request: nothing answered (no connection, no
 * answer in time) or a gateway said the server behind it is away.
 */
function isOutage(error: MlflowError): boolean {
  if (error.status === 0) {
    return error.errorCode === "NETWORK_ERROR" || error.errorCode === "TIMEOUT";
  }
  return error.status === 502 || error.status === 503 || error.status === 504;
}

const encoder = new TextEncoder();

/** Creates the transport; see {@linkcode RestClient}. */
export function createRestClient(config: RestClientConfig): RestClient {
  let requestCount = 0;
  const retryAfterByError = new WeakMap<MlflowError, number>();
  const redact = authRedactor(config.secrets, config.auth);
  const recovery = config.recovery ?? createRecovery();
  const pacer = config.pacer ??
    createPacer({ backoff: (strike) => retryDelay(strike, config.retry) });

  function url(request: RestRequest): string {
    let out = config.baseUrl + request.endpoint;
    if (request.query) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(request.query)) {
        if (v === undefined) continue;
        if (Array.isArray(v)) { for (const item of v) params.append(k, item); }
        else params.append(k, String(v));
      }
      const qs = params.toString();
      if (qs) out += "?" + qs;
    }
    return out;
  }

  function fail(
    request: RestRequest,
    message: string,
    errorCode: string,
    status = 0,
    cause?: unknown,
  ): MlflowError {
    return requestError(redact, request, message, errorCode, status, cause);
  }

  async function attempt<T>(request: RestRequest, sent: { token?: string }): Promise<T> {
    const headers = new Headers(config.headers);
    if (config.auth) {
      const auth = await config.auth.headers();
      for (const [name, value] of Object.entries(auth.headers)) headers.set(name, value);
      sent.token = auth.token;
    }
    for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
    let body: BodyInit | undefined;
    if (request.jsonText !== undefined || request.json !== undefined) {
      headers.set("Content-Type", "application/json");
      // Lone surrogates make MLflow drop every field after them: send only well-formed text.
      body = wellFormedJson(request.jsonText ?? JSON.stringify(request.json));
    } else if (request.body !== undefined) {
      headers.set("Content-Type", request.contentType ?? "application/octet-stream");
      body = typeof request.body === "string"
        ? encoder.encode(request.body)
        : request.body as BodyInit;
    }
    const signal = AbortSignal.timeout(config.retry.timeoutMs);
    let response: Response;
    try {
      requestCount++;
      response = await config.fetch(url(request), {
        method: request.method,
        headers,
        body,
        signal,
      });
    } catch (error) {
      if (signal.aborted) {
        throw fail(request, `no answer within ${config.retry.timeoutMs} ms`, "TIMEOUT", 0, error);
      }
      if (isNetworkError(error)) {
        throw fail(
          request,
          `network error: ${(error as Error).message}`,
          "NETWORK_ERROR",
          0,
          error,
        );
      }
      throw fail(request, `request failed: ${String(error)}`, "REQUEST_FAILED", 0, error);
    }
    if (!response.ok) {
      const { error, retryAfterMs } = await errorFromResponse(redact, request, response);
      // Retry-After rides on the response; keep it beside the error for the retry loop.
      if (retryAfterMs !== undefined) retryAfterByError.set(error, retryAfterMs);
      throw error;
    }
    return readAnswer<T>(redact, request, response, signal, config.retry.timeoutMs);
  }

  // Two budgets: `maxRetries` for failures of this request while the server answers others, and
  // `maxElapsedMs` for the whole request, outages included. During an outage only the probe
  // sends; the others wait on the shared recovery without spending attempts.
  async function request<T>(request: RestRequest): Promise<T> {
    const deadline = Date.now() + config.retry.maxElapsedMs;
    let probe = false;
    let last: MlflowError | undefined;
    let reauthorized = false;
    const sent: { token?: string } = {};
    const family = requestFamily(request.method, request.endpoint);
    try {
      for (let retry = 0, backoff = 0;;) {
        if (recovery.down && !probe && !request.check) {
          const woke = await recovery.wait(deadline);
          if (woke === "deadline") throw last ?? outageGiveUp(request);
          if (woke === "probe") probe = true;
        }
        try {
          // Paced inside the slot, so a request leaves when it is sent: the rate is exact.
          const result = await config.limiter.run(async () => {
            await pacer.take(family);
            const sentAt = Date.now();
            try {
              return await attempt<T>(request, sent);
            } catch (error) {
              // The whole family slows down and waits (the pacer's shared pause), not this request
              // alone on its own backoff: N requests meeting one 429 do not come back together.
              // Told before the slot is freed, so no request slips out in between.
              if (error instanceof MlflowError && error.status === 429) {
                pacer.throttled(family, sentAt, retryAfterByError.get(error));
              }
              throw error;
            }
          });
          pacer.succeeded(family);
          recovery.answered();
          probe = false;
          return result;
        } catch (error) {
          if (!(error instanceof MlflowError)) throw error;
          last = error;
          // A refused token (revoked, or expired early): one refresh and one more attempt.
          if (
            error.status === 401 && config.auth && !reauthorized &&
            error.endpoint !== config.auth.endpoint && sent.token !== undefined
          ) {
            reauthorized = true;
            config.auth.invalidate(sent.token);
            continue;
          }
          const transient = error.status === 0
            ? error.errorCode !== "REQUEST_FAILED"
            : RETRYABLE_STATUSES.has(error.status) || error.errorCode === "BAD_RESPONSE";
          if (!transient) {
            if (error.status !== 0) recovery.answered(); // the server is there, just refusing
            throw error;
          }
          const outage = isOutage(error);
          if (outage && request.check) throw error;
          if (outage) probe = recovery.outage() || probe;
          else recovery.answered();
          if (
            (!outage || config.retry.outagesCountAsRetries) && retry++ >= config.retry.maxRetries
          ) throw error;
          if (Date.now() >= deadline) throw error;
          if (request.beforeRetry && (await request.beforeRetry(error)) === "stop") throw error;
          if (outage && !probe) continue; // wait on the probe, at the top of the loop
          if (error.status === 429) {
            backoff++;
            continue; // the pacer holds it until the family's pause is over
          }
          const delay = retryDelay(backoff++, config.retry, retryAfterByError.get(error));
          await sleep(Math.max(0, Math.min(delay, deadline - Date.now())));
        }
      }
    } finally {
      if (probe) recovery.probeGone();
    }
  }

  function outageGiveUp(request: RestRequest): MlflowError {
    return fail(
      request,
      `the server was unreachable for the whole retry budget (${config.retry.maxElapsedMs} ms)`,
      "UNAVAILABLE",
    );
  }

  return {
    baseUrl: config.baseUrl,
    request,
    redact,
    get requestCount() {
      return requestCount;
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

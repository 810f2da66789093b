// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// OAuth machine-to-machine auth (Databricks service principals): an access token from the
// workspace's `/oidc/v1/token` endpoint, cached, refreshed before it expires with one refresh in
// flight at a time, and refreshed once more when the server refuses it (a revoked token).

import { MlflowError } from "../base/errors.ts";
import { isNetworkError } from "./network_error.ts";
import { createRedactor, headerValueSecrets } from "./redact.ts";

/** Path of the token endpoint on a Databricks workspace host. */
export const OIDC_TOKEN_PATH = "/oidc/v1/token";

/** Auth that changes while the client runs: the transport asks it for headers on every attempt. */
export interface RequestAuth {
  /** Headers to add to one attempt, and the token they carry (to say which one a 401 refused). */
  headers(): Promise<{ headers: Record<string, string>; token: string }>;
  /** The server refused `token`: the next `headers()` fetches a new one (unless already done). */
  invalidate(token: string): void;
  /** The secrets held now (client secret, access tokens issued so far), for redaction. */
  secrets(): readonly string[];
  /** Bumped whenever `secrets()` changes, so a redactor is rebuilt only then. */
  readonly version: number;
  /** Endpoint of the auth's own requests: a 401 there is not answered with a refresh. */
  readonly endpoint: string;
}

/** What {@linkcode createOAuthTokenSource} needs. */
export interface OAuthTokenSourceConfig {
  /** The workspace host, `https://…` (no trailing slash). */
  host: string;
  /** Service principal's client id (not a secret: shown in errors). */
  clientId: string;
  /** Service principal's secret. */
  clientSecret: string;
  /** Scope asked for. @default {"all-apis"} */
  scope?: string;
  /** The fetch to use. */
  fetch: typeof fetch;
  /** Per-attempt timeout of a token request. @default {60000} */
  timeoutMs?: number;
  /**
   * Refresh this long before expiry; tokens living less than four times this are refreshed when
   * three quarters of their life has passed. @default {60000}
   */
  refreshMarginMs?: number;
  /** Clock (milliseconds), injectable for tests. @default {Date.now} */
  now?: () => number;
}

/** An OAuth client-credentials token source; see {@linkcode createOAuthTokenSource}. */
export interface OAuthTokenSource extends RequestAuth {
  /** A valid access token: the cached one, or a fresh one (one request in flight at most). */
  token(): Promise<string>;
  /** Tokens issued so far (for tests and stats). */
  readonly issued: number;
}

/**
 * Creates a token source for the OAuth client-credentials grant: `POST <host>/oidc/v1/token` with
 * `grant_type=client_credentials&scope=all-apis` and Basic auth of `clientId:clientSecret`, as
 * the Databricks SDK does. The token is cached until `refreshMarginMs` before `expires_in`; every
 * caller waiting for a refresh shares the one request. A refusal (400/401/403) is an
 * {@linkcode MlflowError} with `errorCode` `UNAUTHENTICATED`, not retried by the transport; a
 * network error or a 5xx/429 keeps its status so the transport retries it. No message carries
 * the secret or a token.
 */
export function createOAuthTokenSource(config: OAuthTokenSourceConfig): OAuthTokenSource {
  const now = config.now ?? Date.now;
  const margin = config.refreshMarginMs ?? 60_000;
  const timeoutMs = config.timeoutMs ?? 60_000;
  const basic = toBase64(`${config.clientId}:${config.clientSecret}`);
  const staticSecrets = [
    config.clientSecret,
    `${config.clientId}:${config.clientSecret}`,
    ...headerValueSecrets(`Basic ${basic}`),
  ];
  const tokens: string[] = [];
  let current: { token: string; refreshAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  let issued = 0;
  let version = 0;
  const endpoint = OIDC_TOKEN_PATH;
  const label = `POST ${endpoint}`;
  const redact = (text: string) => createRedactor([...staticSecrets, ...tokens])(text);

  function refusal(status: number, body: string): MlflowError {
    let detail = "";
    try {
      const parsed = JSON.parse(body) as { error?: unknown; error_description?: unknown };
      detail = [parsed.error, parsed.error_description].filter((s) => typeof s === "string")
        .join(": ");
    } catch {
      detail = body.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 200);
    }
    return new MlflowError(
      redact(
        `${label}: the Databricks token endpoint ${config.host}${endpoint} refused client id ` +
          `'${config.clientId}' (HTTP ${status}${detail ? `: ${detail}` : ""}); check ` +
          "DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET (or the databricks.clientId/" +
          "clientSecret options)",
      ),
      { errorCode: "UNAUTHENTICATED", status, method: "POST", endpoint },
    );
  }

  async function fetchToken(): Promise<string> {
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await config.fetch(config.host + endpoint, {
        method: "POST",
        headers: {
          Authorization: `Basic ${basic}`,
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/json",
        },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          scope: config.scope ?? "all-apis",
        }).toString(),
        signal,
      });
    } catch (error) {
      const timedOut = signal.aborted;
      const message = timedOut
        ? `no answer within ${timeoutMs} ms`
        : `network error: ${error instanceof Error ? error.message : String(error)}`;
      throw new MlflowError(redact(`${label}: getting an OAuth token: ${message}`), {
        errorCode: timedOut
          ? "TIMEOUT"
          : isNetworkError(error)
          ? "NETWORK_ERROR"
          : "REQUEST_FAILED",
        method: "POST",
        endpoint,
      });
    }
    const text = await response.text().catch(() => "");
    if (!response.ok) {
      if (response.status === 400 || response.status === 401 || response.status === 403) {
        throw refusal(response.status, text);
      }
      throw new MlflowError(
        redact(`${label}: the token endpoint answered HTTP ${response.status}`),
        { errorCode: "TOKEN_ENDPOINT_ERROR", status: response.status, method: "POST", endpoint },
      );
    }
    let parsed: { access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = {};
    }
    if (typeof parsed.access_token !== "string" || !parsed.access_token) {
      throw new MlflowError(`${label}: the token endpoint's answer holds no access_token`, {
        errorCode: "BAD_RESPONSE",
        status: response.status,
        method: "POST",
        endpoint,
      });
    }
    const token = parsed.access_token;
    const lifetime = typeof parsed.expires_in === "number" && parsed.expires_in > 0
      ? parsed.expires_in * 1000
      : 3600_000;
    tokens.push(token);
    if (tokens.length > 16) tokens.shift(); // old tokens no longer travel; keep a few for errors
    issued++;
    version++;
    current = { token, refreshAt: now() + lifetime - Math.min(margin, lifetime / 4) };
    return token;
  }

  function token(): Promise<string> {
    if (current && now() < current.refreshAt) return Promise.resolve(current.token);
    if (!inFlight) {
      inFlight = fetchToken().finally(() => {
        inFlight = undefined;
      });
    }
    return inFlight;
  }

  return {
    token,
    endpoint,
    async headers() {
      const t = await token();
      return { headers: { Authorization: `Bearer ${t}` }, token: t };
    },
    invalidate(refused) {
      if (current?.token === refused) current = undefined;
    },
    secrets: () => [...staticSecrets, ...tokens],
    get version() {
      return version;
    },
    get issued() {
      return issued;
    },
  };
}

/**
 * A redactor for fixed secrets plus those of `auth`, rebuilt only when `auth` learns a new one.
 */
export function authRedactor(
  secrets: readonly string[],
  auth: RequestAuth | undefined,
): (text: string) => string {
  if (!auth) return createRedactor(secrets);
  let built = -1;
  let redact = createRedactor(secrets);
  return (text) => {
    if (built !== auth.version) {
      redact = createRedactor([...secrets, ...auth.secrets()]);
      built = auth.version;
    }
    return redact(text);
  };
}

function toBase64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

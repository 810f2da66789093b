// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { readEnv } from "./env.ts";
import { headerValueSecrets } from "../transport/redact.ts";
import type { MlflowOptions } from "./types.ts";
import { isDatabricksUri, resolveDatabricks } from "./databricks.ts";
import type { RequestAuth } from "../transport/oauth_token.ts";

/** Where to send requests and how to authenticate, with the secrets to keep out of errors. */
export interface Connection {
  /** Tracking URI with no credentials and no trailing slash. */
  baseUrl: string;
  /** Auth and custom headers. */
  headers: Headers;
  /** Every secret string the client holds. */
  secrets: string[];
  /** Auth whose headers change while the client runs (Databricks OAuth). */
  auth?: RequestAuth;
}

/**
 * Header names whose values are never secret, so errors may show them. Every other header the
 * caller gives is treated as a credential and redacted.
 */
const HARMLESS_HEADERS: ReadonlySet<string> = new Set([
  "accept",
  "accept-encoding",
  "accept-language",
  "cache-control",
  "content-type",
  "user-agent",
]);

/**
 * Works out the tracking URI and auth from options and environment: credentials in the URL
 * become Basic auth (fetch refuses URLs that carry them), username/password wins over a token.
 */
export function resolveConnection(options: MlflowOptions): Connection {
  const raw = options.trackingUri ?? readEnv("MLFLOW_TRACKING_URI");
  if (!raw) {
    throw new TypeError(
      "No MLflow tracking URI: pass { trackingUri } to createMlflow() or set MLFLOW_TRACKING_URI",
    );
  }
  if (isDatabricksUri(raw)) return databricksConnection(raw, options);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`trackingUri must be an http(s) URL: got ${redactUserinfo(raw)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(
      `trackingUri must be an http(s) URL (a tracking server), got '${url.protocol}'; ` +
        "for a local store, run `mlflow server` and point at it",
    );
  }
  let username = options.username ?? readEnv("MLFLOW_TRACKING_USERNAME");
  let password = options.password ?? readEnv("MLFLOW_TRACKING_PASSWORD");
  if (url.username || url.password) {
    username ??= decodeURIComponent(url.username);
    password ??= decodeURIComponent(url.password);
    url.username = "";
    url.password = "";
  }
  const token = options.token ?? readEnv("MLFLOW_TRACKING_TOKEN");
  const headers = new Headers(options.headers);
  const secrets: string[] = [];
  // Any header the caller gives may be a credential (an API key, a gateway token), whatever its
  // name: only the few that are known to carry none stay readable in errors.
  for (const [name, value] of headers) {
    if (!HARMLESS_HEADERS.has(name)) secrets.push(...headerValueSecrets(value));
  }
  if (username !== undefined && password !== undefined) {
    const basic = btoa(String.fromCharCode(...new TextEncoder().encode(`${username}:${password}`)));
    headers.set("Authorization", `Basic ${basic}`);
    secrets.push(password, `${username}:${password}`, basic);
  } else if (token) {
    headers.set("Authorization", `Bearer ${token}`);
    secrets.push(token);
  }
  if (!headers.has("User-Agent")) headers.set("User-Agent", "evalhooks-mlflow");
  setWorkspace(headers, options);
  const baseUrl = url.toString().replace(/\/+$/, "");
  return { baseUrl, headers, secrets };
}

// MLflow workspaces: the header Python's client sends from MLFLOW_WORKSPACE (or set_workspace()).
function setWorkspace(headers: Headers, options: MlflowOptions): void {
  const workspace = (options.workspace ?? readEnv("MLFLOW_WORKSPACE"))?.trim();
  if (workspace) headers.set("X-MLFLOW-WORKSPACE", workspace);
}

// `databricks` / `databricks://profile`: host and credentials from `options.databricks` and the
// environment; custom headers are treated as secrets like everywhere else.
function databricksConnection(raw: string, options: MlflowOptions): Connection {
  const resolved = resolveDatabricks(
    raw,
    options.databricks,
    options.fetch ?? ((input, init) => fetch(input, init)),
    options.retry?.timeoutMs ?? 60_000,
  );
  const headers = new Headers(options.headers);
  const secrets = [...resolved.secrets];
  for (const [name, value] of headers) {
    if (!HARMLESS_HEADERS.has(name)) secrets.push(...headerValueSecrets(value));
  }
  if (resolved.authorization) headers.set("Authorization", resolved.authorization);
  if (!headers.has("User-Agent")) headers.set("User-Agent", "evalhooks-mlflow");
  setWorkspace(headers, options);
  return { baseUrl: resolved.baseUrl, headers, secrets, auth: resolved.auth };
}

// An unparseable URI cannot be split into parts, so anything before an "@" may be a password.
function redactUserinfo(text: string): string {
  const at = text.lastIndexOf("@");
  return at === -1 ? text : "***" + text.slice(at);
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// `trackingUri: "databricks"` (or `databricks://<profile>`): a Databricks workspace's MLflow, at
// `<host>/api/2.0/mlflow/...` like any tracking server, with a personal access token or OAuth
// machine-to-machine credentials from options or the environment. Profiles of `~/.databrickscfg`
// are read by the `./node` entry (`databricksConfig`), since this core reads no files.

import { MlflowConfigError } from "../base/errors.ts";
import { readEnv } from "./env.ts";
import { createOAuthTokenSource, type RequestAuth } from "../transport/oauth_token.ts";

/**
 * Databricks credentials, for `trackingUri: "databricks"` or `"databricks://<profile>"`. Each
 * falls back to its environment variable; a personal access token wins over OAuth client
 * credentials, as in the Databricks SDK.
 *
 * @example OAuth machine-to-machine, with an MLflow workspace
 * ```ts
 * import { createMlflow, type DatabricksOptions } from "@evalhooks/mlflow";
 *
 * const databricks: DatabricksOptions = {
 *   host: "https://my-workspace.cloud.databricks.com",
 *   clientId: "my-service-principal",
 *   clientSecret: "my-secret",
 * };
 * const mlflow = createMlflow({ trackingUri: "databricks", databricks, experimentName: "/Shared/evals" });
 * ```
 */
export interface DatabricksOptions {
  /** The workspace URL, `https://<workspace>.cloud.databricks.com`. @default {env DATABRICKS_HOST} */
  host?: string;
  /** A personal access token. @default {env DATABRICKS_TOKEN} */
  token?: string;
  /** OAuth service principal's client id. @default {env DATABRICKS_CLIENT_ID} */
  clientId?: string;
  /** OAuth service principal's secret. @default {env DATABRICKS_CLIENT_SECRET} */
  clientSecret?: string;
}

/** What a Databricks tracking URI resolves to. */
export interface DatabricksConnection {
  /** The workspace URL, no trailing slash, no credentials. */
  baseUrl: string;
  /** `Authorization` for a personal access token; none for OAuth (see `auth`). */
  authorization?: string;
  /** The OAuth token source, for client credentials. */
  auth?: RequestAuth;
  /** Secrets to keep out of every message. */
  secrets: string[];
}

/** Whether `uri` names Databricks (`databricks`, `databricks://profile`). */
export function isDatabricksUri(uri: string): boolean {
  return uri === "databricks" || uri.startsWith("databricks://");
}

/** The profile of `databricks://<profile>`, or undefined for plain `databricks`. */
export function databricksProfile(uri: string): string | undefined {
  if (!uri.startsWith("databricks://")) return undefined;
  // Python's MLflow allows `databricks://profile:prefix` (secret scopes); the profile is before ':'.
  return uri.slice("databricks://".length).split(":")[0].replace(/\/+$/, "") || undefined;
}

function missing(variable: string, message: string): MlflowConfigError {
  const error = new MlflowConfigError(variable, "", "set");
  error.message = message;
  return error;
}

/**
 * Resolves host and credentials for a Databricks tracking URI from `options` (what
 * `databricksConfig()` of the `./node` entry returns, or your own) and the environment.
 *
 * @throws {MlflowConfigError} naming what is missing and where it was looked for.
 */
export function resolveDatabricks(
  uri: string,
  options: DatabricksOptions | undefined,
  fetchFn: typeof fetch,
  timeoutMs: number,
): DatabricksConnection {
  const profile = databricksProfile(uri);
  if (profile !== undefined && options === undefined) {
    throw missing(
      "trackingUri",
      `trackingUri '${uri}' names the profile '${profile}' of ~/.databrickscfg, which the core ` +
        "client cannot read (it reads no files): pass `...await databricksConfig(" +
        `"${profile}")\` from "@evalhooks/mlflow/node" to createMlflow(), or use trackingUri ` +
        "'databricks' with DATABRICKS_HOST and DATABRICKS_TOKEN (or DATABRICKS_CLIENT_ID/SECRET)",
    );
  }
  const where = profile === undefined ? "" : ` (profile '${profile}')`;
  const hostRaw = options?.host ?? readEnv("DATABRICKS_HOST");
  if (!hostRaw) {
    throw missing(
      "DATABRICKS_HOST",
      `trackingUri '${uri}'${where} needs the workspace host: set DATABRICKS_HOST, pass ` +
        "{ databricks: { host } }, or use databricksConfig() of @evalhooks/mlflow/node to read " +
        "~/.databrickscfg",
    );
  }
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(hostRaw) ? hostRaw : `https://${hostRaw}`);
  } catch {
    throw new MlflowConfigError("DATABRICKS_HOST", redactHost(hostRaw), "a workspace URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new MlflowConfigError("DATABRICKS_HOST", redactHost(hostRaw), "an http(s) URL");
  }
  url.username = "";
  url.password = "";
  url.search = "";
  url.hash = "";
  const baseUrl = url.toString().replace(/\/+$/, "");
  const token = options?.token ?? readEnv("DATABRICKS_TOKEN");
  if (token) {
    return { baseUrl, authorization: `Bearer ${token}`, secrets: [token] };
  }
  const clientId = options?.clientId ?? readEnv("DATABRICKS_CLIENT_ID");
  const clientSecret = options?.clientSecret ?? readEnv("DATABRICKS_CLIENT_SECRET");
  if (clientId && clientSecret) {
    const auth = createOAuthTokenSource({
      host: baseUrl,
      clientId,
      clientSecret,
      fetch: fetchFn,
      timeoutMs,
    });
    return { baseUrl, auth, secrets: [...auth.secrets()] };
  }
  const half = clientId
    ? "DATABRICKS_CLIENT_ID is set but DATABRICKS_CLIENT_SECRET is not"
    : clientSecret
    ? "DATABRICKS_CLIENT_SECRET is set but DATABRICKS_CLIENT_ID is not"
    : "";
  throw missing(
    clientId
      ? "DATABRICKS_CLIENT_SECRET"
      : clientSecret
      ? "DATABRICKS_CLIENT_ID"
      : "DATABRICKS_TOKEN",
    `trackingUri '${uri}'${where} at ${baseUrl} needs credentials${half ? ` (${half})` : ""}: ` +
      "a personal access token (DATABRICKS_TOKEN, or { databricks: { token } }) or OAuth " +
      "client credentials (DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET, or " +
      "{ databricks: { clientId, clientSecret } })",
  );
}

function redactHost(text: string): string {
  const at = text.lastIndexOf("@");
  return at === -1 ? text : "***" + text.slice(at);
}

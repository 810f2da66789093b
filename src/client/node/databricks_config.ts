// Copyright 2026 the evalhooks authors. MIT license.

// Profiles of `~/.databrickscfg`, for `trackingUri: "databricks://<profile>"`: the core reads no
// files, so this entry reads the profile and hands it to createMlflow as options.

import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { MlflowConfigError } from "../../base/errors.ts";
import type { DatabricksOptions } from "../databricks.ts";

/**
 * What {@linkcode databricksConfig} returns: options to spread into `createMlflow()`.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { type DatabricksConfig, databricksConfig } from "@evalhooks/mlflow/node";
 *
 * const config: DatabricksConfig = await databricksConfig("staging");
 * const mlflow = createMlflow({ ...config, experimentName: "/Shared/evals" });
 * ```
 */
export interface DatabricksConfig {
  /** `databricks://<profile>`. */
  trackingUri: string;
  /** Host and credentials of the profile. */
  databricks: DatabricksOptions;
}

/**
 * Where {@linkcode databricksConfig} reads.
 *
 * @example A config file of its own
 * ```ts
 * import { databricksConfig, type DatabricksConfigOptions } from "@evalhooks/mlflow/node";
 *
 * const where: DatabricksConfigOptions = { path: "./ci.databrickscfg" };
 * const config = await databricksConfig("ci", where);
 * ```
 */
export interface DatabricksConfigOptions {
  /** The config file. @default {env DATABRICKS_CONFIG_FILE, else ~/.databrickscfg} */
  path?: string;
}

/**
 * Reads one profile of `~/.databrickscfg` (`host`, and `token` or `client_id`/`client_secret`),
 * as the Databricks CLI and SDK write it. Values of `[DEFAULT]` apply to every profile, as in
 * Python's `configparser`. The profile is `profile`, else `DATABRICKS_CONFIG_PROFILE`, else
 * `DEFAULT`.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { databricksConfig } from "@evalhooks/mlflow/node";
 *
 * const mlflow = createMlflow({ ...await databricksConfig("staging"), experimentName: "/Shared/evals" });
 * ```
 *
 * @throws {MlflowConfigError} when the file or the profile is missing, or the profile has no host.
 */
export async function databricksConfig(
  profile?: string,
  options: DatabricksConfigOptions = {},
): Promise<DatabricksConfig> {
  const env = (name: string) => process.env[name] || undefined;
  const path = options.path ?? env("DATABRICKS_CONFIG_FILE") ?? join(homedir(), ".databrickscfg");
  const name = profile ?? env("DATABRICKS_CONFIG_PROFILE") ?? "DEFAULT";
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const e = new MlflowConfigError("DATABRICKS_CONFIG_FILE", path, "a readable file");
    e.message = `cannot read the Databricks config file ${path} (for profile '${name}'): ${
      (error as { code?: string }).code ?? "unreadable"
    }; set DATABRICKS_CONFIG_FILE or pass { path }`;
    throw e;
  }
  const sections = parseIni(text);
  const section = sections.get(name);
  if (!section) {
    const e = new MlflowConfigError("DATABRICKS_CONFIG_PROFILE", name, "a profile of " + path);
    e.message = `no profile '${name}' in ${path} (profiles: ${
      [...sections.keys()].map((s) => `'${s}'`).join(", ") || "none"
    })`;
    throw e;
  }
  const values = { ...(sections.get("DEFAULT") ?? {}), ...section };
  if (!values.host) {
    const e = new MlflowConfigError("host", "", "set");
    e.message = `profile '${name}' of ${path} has no host`;
    throw e;
  }
  const databricks: DatabricksOptions = { host: values.host };
  if (values.token) databricks.token = values.token;
  if (values.client_id) databricks.clientId = values.client_id;
  if (values.client_secret) databricks.clientSecret = values.client_secret;
  return { trackingUri: `databricks://${name}`, databricks };
}

/** Sections of an INI file (`[name]`, `key = value`, `#`/`;` comments), keys lowercased. */
export function parseIni(text: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      const name = header[1].trim();
      current = sections.get(name) ?? {};
      sections.set(name, current);
      continue;
    }
    const eq = line.search(/[=:]/);
    if (eq === -1 || !current) continue;
    current[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return sections;
}

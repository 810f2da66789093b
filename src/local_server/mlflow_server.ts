// Copyright 2026 the evalhooks authors. MIT license.

/**
 * A real MLflow tracking server for tests and local demos: a pinned `mlflow` in a Python venv
 * that is created once and cached outside the project, serving a sqlite store and an artifact
 * root in a folder of your choice, on a free loopback port.
 *
 * Uses `node:` APIs (child processes, files), so it is its own entry point and the core never
 * imports it. Works on Deno, Bun and Node.
 *
 * @module
 */

export { cacheDir, ensureMlflowVenv, MLFLOW_VERSION } from "./venv.ts";
export { freePort } from "./port.ts";
export { type LocalMlflowOptions, type LocalMlflowServer, startLocalMlflow } from "./server.ts";
export { type LocalPostgres, postgresBinDir, startLocalPostgres } from "./postgres.ts";

// Copyright 2026 the evalhooks authors. MIT license.

/**
 * Read Inspect AI log files (`.eval` and `.json`) and import them into MLflow with the same
 * structure the live hooks write. Everything of `@evalhooks/mlflow/inspect/web` plus the file
 * system and `node:zlib` (zstd) adapters, so it runs on Deno, Bun and Node; on Workers and in
 * browsers import `@evalhooks/mlflow/inspect/web`, which reads logs from bytes.
 *
 * @example Import a folder of logs
 * ```ts
 * import { importInspectLog } from "@evalhooks/mlflow/inspect";
 *
 * for (const path of ["logs/a.eval", "logs/b.json"]) {
 *   const result = await importInspectLog(path, { trackingUri: "http://127.0.0.1:5000" });
 *   console.log(path, result.status, result.reason ?? "");
 * }
 * ```
 *
 * @module
 */

export * from "./web.ts";
export { importInspectLog } from "./node/import.ts";
export { readInspectLog } from "./node/read_file.ts";
export { nodeZstd } from "./node/zstd_node.ts";

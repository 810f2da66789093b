// Copyright 2026 the evalhooks authors. MIT license.

/**
 * Read Inspect AI logs (`.eval` and `.json`) and import them into MLflow with the same
 * structure the live hooks write. Uses the file system and `node:zlib` (for zstd), so it is its
 * own entry point: the core (`@evalhooks/mlflow`) never imports it and stays runnable on
 * Workers.
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

export { importInspectLog, type ImportOptions, type ImportResult } from "./node/import.ts";
export { type InspectLogReader, readEvalLog, readJsonLog, resolveSample } from "./read_log.ts";
export { readInspectLog } from "./node/read_file.ts";
export { type ByteSource, bytesSource, InspectLogError, type ZstdDecompress } from "./zip.ts";
export type { EvalLog, EvalSample } from "./types.ts";
export type { Mlflow } from "../../evaluate/create_mlflow.ts";
export type { MlflowOptions } from "../../client/types.ts";
export { nodeZstd } from "./node/zstd_node.ts";

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * Inspect AI support for any runtime, Workers and browsers included: the live eval hooks, log
 * replay, and reading and importing `.eval`/`.json` logs from bytes or text. Nothing here touches
 * a file system or `node:`; `@evalhooks/mlflow/inspect` adds the file and zstd adapters.
 *
 * A `.eval` log compressed with zstd (Inspect's default since 0.3.206) needs a decompressor:
 * pass `zstd` to `readEvalLog` where the runtime has none. Deflate logs need nothing.
 *
 * @example Import a `.eval` log a Worker was sent
 * ```ts
 * import { bytesSource, importInspectReader, readEvalLog } from "@evalhooks/mlflow/inspect/web";
 *
 * export default {
 *   async fetch(request: Request): Promise<Response> {
 *     const reader = await readEvalLog(bytesSource(new Uint8Array(await request.arrayBuffer())));
 *     const result = await importInspectReader(reader, {
 *       name: "upload.eval",
 *       trackingUri: "https://mlflow.example.com",
 *     });
 *     return Response.json(result);
 *   },
 * };
 * ```
 *
 * @module
 */

export { importInspectReader, type ImportOptions, type ImportResult } from "./import_log.ts";
export type { ImportProgress } from "./import_progress.ts";
export {
  type InspectLogReader,
  readEvalLog,
  readJsonLog,
  resolveSample,
  type SampleOrder,
} from "./read_log.ts";
export { type ByteSource, bytesSource, InspectLogError, type ZstdDecompress } from "./zip.ts";
export { type EvalHooks, mlflowHooks, type MlflowHooksOptions } from "./mlflow_hooks.ts";
export { evalIdOf, replayLog, type ReplayOptions } from "./replay.ts";
export type { HooksConfig } from "./config.ts";
export { parseInspectJson } from "./json.ts";
export type {
  EvalLog,
  EvalPlan,
  EvalPlanStep,
  EvalRetryError,
  EvalSample,
  ModelRetry,
  SampleAttemptEnd,
  SampleAttemptStart,
} from "./types.ts";
export type { Mlflow } from "../../evaluate/create_mlflow.ts";
export type { MlflowOptions } from "../../client/types.ts";

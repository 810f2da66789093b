// Copyright 2026 the evalhooks authors. MIT license.

// Uploading a folder tree as a run's artifacts: the walk is walk_tree.ts's, the uploads the run
// handle's; this file bounds how much of the tree is in memory at once.

import { readFile, stat } from "node:fs/promises";
import { MlflowError, MlflowValidationError } from "../../base/errors.ts";
import type { MlflowClient, Run } from "../types.ts";
import { validateArtifactPath } from "../validate.ts";
import { walkTree } from "./walk_tree.ts";

/** Default of `maxPendingBytes`: a quarter of the client's default queue budget (256 MiB). */
const DEFAULT_MAX_PENDING_BYTES = 64 * 1024 * 1024;

/** Default of `concurrency`: files read from disk at once. */
const DEFAULT_READ_CONCURRENCY = 4;

/**
 * Options of {@linkcode logArtifacts}.
 *
 * @example A big tree over a slow link: fewer bytes waiting at once
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { logArtifacts, type LogArtifactsOptions } from "@evalhooks/mlflow/node";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const run = mlflow.startRun({ runName: "checkpoints" });
 * const options: LogArtifactsOptions = { concurrency: 2, maxPendingBytes: 16 * 1024 * 1024 };
 * await logArtifacts(mlflow, run, "./checkpoints", "model", options);
 * await run.end();
 * ```
 */
export interface LogArtifactsOptions {
  /**
   * Files read from disk at once. Uploads are concurrent anyway, up to the client's
   * `maxInFlight`; this only overlaps the reads.
   * @default {4}
   */
  concurrency?: number;
  /**
   * A file is read only once the client's queue (`stats().queuedBytes`, everything waiting to be
   * sent, of every run) plus the files being read stays within this many bytes with it; until
   * then it waits with `mlflow.drain()`. A file larger than this is read once nothing else
   * waits. Keep it below the client's `maxQueuedBytes`, or files beyond the budget are dropped
   * (and reported) like any other item.
   * @default {67108864 (64 MiB)}
   */
  maxPendingBytes?: number;
}

/**
 * What {@linkcode logArtifacts} queued. The uploads finish in the background: `run.end()` waits
 * for them, `mlflow.flush()` reports any that failed.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { logArtifacts, type LogArtifactsResult } from "@evalhooks/mlflow/node";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const run = mlflow.startRun();
 * const result: LogArtifactsResult = await logArtifacts(mlflow, run, "./reports");
 * console.log(`${result.files} files, ${result.bytes} bytes; left out: ${result.skipped}`);
 * ```
 */
export interface LogArtifactsResult {
  /** Files handed to the run for upload. */
  files: number;
  /** Their bytes, as read. */
  bytes: number;
  /**
   * Entries left out, relative to `dir` and `/`-separated: links to folders (not followed, as
   * in Python's `os.walk`), broken links, special files (FIFOs, sockets, devices), and files
   * that vanished between the walk and their read.
   */
  skipped: string[];
}

/**
 * Uploads every file under `dir` as an artifact of `run`, keeping the tree: `dir/a/b.txt`
 * becomes `a/b.txt`, under `artifactPath` when given (`artifactPath/a/b.txt`), as MLflow's
 * Python `log_artifacts(local_dir, artifact_path)` does. Empty folders leave no trace, as in
 * Python. Links to files upload their target; links to folders are not followed.
 *
 * Memory stays bounded whatever the tree's size: files are read `concurrency` at a time, and a
 * file is read only when it fits in `maxPendingBytes` together with everything the client still
 * has queued (otherwise this waits with `mlflow.drain()`). So a 10 GB tree holds at most about
 * 64 MiB in memory with the defaults, and nothing is dropped for a full queue. The promise
 * resolves once every file has been read and handed to the run; the uploads themselves go on in
 * the background, up to the client's `maxInFlight` at once. `run.end()` waits for them and
 * `mlflow.flush()` reports any that failed.
 *
 * Every artifact path is checked before anything is read, so a file name MLflow cannot take
 * (a `\` or a control character in it) fails the call with nothing uploaded.
 *
 * @param mlflow The client `run` belongs to; its queue sets the pace.
 * @param run The run to upload to.
 * @param dir The folder to upload.
 * @param artifactPath Folder in the run's artifacts to upload into. @default {the root}
 * @param options Read concurrency and the memory bound.
 * @returns Counts of what was queued, and what was left out.
 * @throws {MlflowValidationError} `dir` missing or not a folder (`rule: "directory"`), an
 *   invalid `artifactPath` or file name (`rule: "artifact_path"`), or a bad option
 *   (`rule: "value_type"`).
 * @throws {MlflowError} `FILE_READ_ERROR` when a folder or file cannot be read (permissions);
 *   files queued before it still upload.
 *
 * @example Upload a report folder into `reports/`
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { logArtifacts } from "@evalhooks/mlflow/node";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * await mlflow.run({ runName: "eval" }, async (run) => {
 *   const { files, bytes } = await logArtifacts(mlflow, run, "./out/report", "reports");
 *   console.log(`queued ${files} files (${bytes} bytes)`);
 * }); // the run ends once the uploads finished
 * await mlflow.flush();
 * ```
 */
export async function logArtifacts(
  mlflow: MlflowClient,
  run: Run,
  dir: string,
  artifactPath?: string,
  options: LogArtifactsOptions = {},
): Promise<LogArtifactsResult> {
  const concurrency = positive(options.concurrency, DEFAULT_READ_CONCURRENCY, "concurrency");
  const maxPending = positive(
    options.maxPendingBytes,
    DEFAULT_MAX_PENDING_BYTES,
    "maxPendingBytes",
  );
  const prefix = artifactPath === undefined || artifactPath === "" ? "" : validateArtifactPath(
    typeof artifactPath === "string" ? artifactPath.replace(/\/+$/, "") : artifactPath,
    "logArtifacts",
  ) + "/";
  await checkDirectory(dir);

  const tree = await walkTree(dir).catch((error) => {
    throw readError(error, dir);
  });
  const files = tree.files.map((file) => ({
    ...file,
    artifact: validateArtifactPath(prefix + file.relative, "logArtifacts"),
  }));

  const result: LogArtifactsResult = { files: 0, bytes: 0, skipped: tree.skipped };
  let next = 0;
  let reading = 0;
  let failure: unknown;
  // Resolved whenever a read finishes, for admissions waiting on reads rather than the queue.
  let readDone: { promise: Promise<void>; resolve: () => void } = deferred();

  // Waits until a file of `size` bytes fits: queue + reads in progress + it ≤ maxPending, or
  // nothing else waits at all (so a file larger than the bound still goes, alone).
  const admit = async (size: number) => {
    for (;;) {
      const queued = mlflow.stats().queuedBytes;
      if (queued + reading + size <= maxPending || (queued === 0 && reading === 0)) break;
      if (reading > 0) await readDone.promise;
      // drain resolves once queuedBytes < below, i.e. ≤ maxPending - size (0 for a big file).
      else await mlflow.drain({ below: Math.max(1, maxPending - size + 1) });
    }
    reading += size;
  };

  const worker = async () => {
    while (failure === undefined && next < files.length) {
      const file = files[next++];
      await admit(file.size);
      let bytes: Uint8Array | undefined;
      try {
        const buffer = await readFile(file.path);
        bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      } catch (error) {
        if ((error as { code?: string }).code === "ENOENT") result.skipped.push(file.relative);
        else failure ??= readError(error, file.path);
      } finally {
        reading -= file.size;
        const done = readDone;
        readDone = deferred();
        done.resolve();
      }
      if (bytes === undefined || failure !== undefined) continue;
      try {
        run.logArtifact(bytes, file.artifact);
      } catch (error) {
        failure ??= error; // the client was closed: nothing more can be logged
        continue;
      }
      result.files++;
      result.bytes += bytes.byteLength;
    }
  };

  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  if (failure !== undefined) throw failure;
  return result;
}

/** Throws the typed error for a `dir` that is missing or not a folder. */
async function checkDirectory(dir: string): Promise<void> {
  if (typeof dir !== "string" || dir === "") {
    throw new MlflowValidationError("logArtifacts: dir must be a non-empty path to a directory", {
      key: String(dir),
      rule: "value_type",
      call: "logArtifacts",
    });
  }
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") throw readError(error, dir);
  }
  if (!info?.isDirectory()) {
    const what = info ? "is not a directory" : "does not exist";
    throw new MlflowValidationError(
      `logArtifacts: dir ${JSON.stringify(dir)} ${what}; it must be an existing directory`,
      { key: dir, rule: "directory", call: "logArtifacts" },
    );
  }
}

/** `value` if a positive integer, `fallback` if undefined; else a typed error naming `name`. */
function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new MlflowValidationError(
      `logArtifacts: ${name} must be a positive integer, got ${String(value)}`,
      { key: name, rule: "value_type", call: "logArtifacts" },
    );
  }
  return value;
}

/** A file-system failure as the library's error type (the original as `cause`). */
function readError(error: unknown, path: string): MlflowError {
  if (error instanceof MlflowError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new MlflowError(`logArtifacts: cannot read ${JSON.stringify(path)}: ${message}`, {
    errorCode: "FILE_READ_ERROR",
    key: path,
    cause: error,
  });
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

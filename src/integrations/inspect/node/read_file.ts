// Copyright 2026 the evalhooks authors. MIT license.

// Opening logs from the file system: the part of the reader that needs `node:` APIs.

import { open, readFile, stat } from "node:fs/promises";
import { type InspectLogReader, readEvalLog, readJsonLog } from "../read_log.ts";
import { InspectLogError, type ZstdDecompress } from "../zip.ts";
import { nodeZstd } from "./zstd_node.ts";

/**
 * Opens an Inspect log file, `.eval` or `.json`. A `.eval` file is read with random access
 * through a file handle (only the members needed, one sample at a time); zstd members use
 * `node:zlib` where the runtime has it. Close the reader's handle with `close()`.
 *
 * @example
 * ```ts
 * import { readInspectLog } from "@evalhooks/mlflow/inspect";
 *
 * const log = await readInspectLog("logs/run.eval");
 * try {
 *   for await (const sample of log.samples()) console.log(sample.id);
 * } finally {
 *   await log.close();
 * }
 * ```
 */
export async function readInspectLog(
  path: string,
  options: { zstd?: ZstdDecompress } = {},
): Promise<InspectLogReader & { close(): Promise<void> }> {
  if (path.endsWith(".json")) {
    const reader = readJsonLog(await readFile(path, "utf8"), path);
    return { ...reader, close: () => Promise.resolve() };
  }
  if (!path.endsWith(".eval")) {
    throw new InspectLogError(`not an Inspect log (.eval or .json): ${path}`);
  }
  const handle = await open(path, "r");
  try {
    const { size } = await stat(path);
    const reader = await readEvalLog({
      size,
      async read(offset, length) {
        const buffer = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        let done = 0;
        while (done < buffer.length) {
          const { bytesRead } = await handle.read(
            buffer,
            done,
            buffer.length - done,
            offset + done,
          );
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return buffer.subarray(0, done);
      },
    }, { name: path, zstd: options.zstd ?? nodeZstd() });
    return { ...reader, close: () => handle.close() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

// Copyright 2026 the evalhooks authors. MIT license.

import * as zlib from "node:zlib";
import type { ZstdDecompress } from "../zip.ts";

/**
 * `node:zlib`'s zstd decompressor where the runtime has one (Deno 2, Bun, Node ≥ 22.15), else
 * `undefined`, and the reader says which runtime lacks it.
 *
 * @example
 * ```ts
 * import { nodeZstd } from "@evalhooks/mlflow/inspect";
 *
 * console.log(nodeZstd() ? "zstd available" : "no zstd here");
 * ```
 */
export function nodeZstd(): ZstdDecompress | undefined {
  const z = zlib as unknown as { zstdDecompressSync?: (data: Uint8Array) => Uint8Array };
  if (typeof z.zstdDecompressSync !== "function") return undefined;
  const decompress = z.zstdDecompressSync;
  return (data) => new Uint8Array(decompress(data));
}

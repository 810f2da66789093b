// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A ZIP reader with random access: it reads the central directory from the end of the file and
// then only the entries asked for, so a multi-GB `.eval` log never has to be in memory at once.
// STORED and DEFLATE are web-standard; zstd (method 93, Inspect's default since 0.3.206) comes
// from a decompressor the caller passes in, so this file stays runnable on Workers.

import { MlflowError } from "../../base/errors.ts";

/**
 * Bytes that can be read at any offset: a file handle, a Blob, or a Uint8Array.
 *
 * @example
 * ```ts
 * import type { ByteSource } from "@evalhooks/mlflow/inspect";
 *
 * function fromBytes(bytes: Uint8Array): ByteSource {
 *   return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) };
 * }
 * ```
 */
export interface ByteSource {
  /** Total size in bytes. */
  size: number;
  /** Reads `length` bytes at `offset` (fewer only at the end). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * A log that cannot be read: truncated, corrupt, or of an unknown shape. Says what is wrong and
 * in which file.
 *
 * @example
 * ```ts
 * import { InspectLogError, readInspectLog } from "@evalhooks/mlflow/inspect";
 *
 * try {
 *   await readInspectLog("logs/broken.eval");
 * } catch (error) {
 *   if (error instanceof InspectLogError) console.error(error.message);
 * }
 * ```
 */
export class InspectLogError extends MlflowError {
  /** Builds the error. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { errorCode: "INVALID_INSPECT_LOG", cause: options?.cause });
    this.name = "InspectLogError";
  }
}

/**
 * A zstd decompressor, e.g. `node:zlib`'s `zstdDecompressSync`.
 *
 * @example Bring your own zstd (for example a WASM build) where the runtime has none
 * ```ts
 * import { readEvalLog, type ZstdDecompress } from "@evalhooks/mlflow/inspect";
 *
 * declare function wasmZstd(data: Uint8Array): Uint8Array;
 * declare const bytes: Uint8Array;
 * const zstd: ZstdDecompress = (data) => wasmZstd(data);
 * const log = await readEvalLog(bytes, { zstd });
 * ```
 */
export type ZstdDecompress = (data: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** One member of the archive. */
export interface ZipEntry {
  /** Path inside the archive. */
  name: string;
  /** 0 stored, 8 deflate, 93 zstd. */
  method: number;
  /** CRC-32 of the uncompressed bytes. */
  crc32: number;
  /** Compressed size. */
  compressedSize: number;
  /** Uncompressed size. */
  size: number;
  /** Offset of its local header. */
  localHeaderOffset: number;
}

/** An opened archive. */
export interface ZipArchive {
  /** Entries by name; for a repeated name, the last one in the central directory. */
  entries: Map<string, ZipEntry>;
  /** The uncompressed, CRC-checked bytes of an entry. */
  read(name: string): Promise<Uint8Array>;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Opens a ZIP archive for random access. */
export async function openZip(
  source: ByteSource,
  options: { name?: string; zstd?: ZstdDecompress } = {},
): Promise<ZipArchive> {
  const where = options.name ? ` (${options.name})` : "";
  const fail = (what: string, cause?: unknown): never => {
    throw new InspectLogError(`${what}${where}`, { cause });
  };
  if (source.size < 22) fail(`not a ZIP archive: only ${source.size} bytes`);

  // The end-of-central-directory record sits in the last 22 + up to 65,535 (comment) bytes.
  const tailLength = Math.min(source.size, 22 + 65_535);
  const tailStart = source.size - tailLength;
  const tail = await source.read(tailStart, tailLength);
  const tailView = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tailView.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail("truncated or not a ZIP archive: no end-of-central-directory record");
  let count = tailView.getUint16(eocd + 10, true);
  let cdSize = tailView.getUint32(eocd + 12, true);
  let cdOffset = tailView.getUint32(eocd + 16, true);
  // ZIP64: the classic record says 0xFFFF/0xFFFFFFFF and a locator before it points further back.
  if (eocd >= 20 && tailView.getUint32(eocd - 20, true) === ZIP64_LOCATOR) {
    const recordOffset = Number(tailView.getBigUint64(eocd - 20 + 8, true));
    const record = await source.read(recordOffset, 56);
    const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
    if (record.length < 56 || view.getUint32(0, true) !== ZIP64_EOCD) {
      fail("corrupt ZIP64 end-of-central-directory record");
    }
    count = Number(view.getBigUint64(32, true));
    cdSize = Number(view.getBigUint64(40, true));
    cdOffset = Number(view.getBigUint64(48, true));
  }
  if (cdOffset + cdSize > source.size) {
    fail(
      `truncated: the central directory should end at byte ${cdOffset + cdSize} of ${source.size}`,
    );
  }

  const cd = await source.read(cdOffset, cdSize);
  const view = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
  const decoder = new TextDecoder();
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || view.getUint32(p, true) !== CENTRAL) {
      fail(`corrupt central directory at entry ${n}`);
    }
    const method = view.getUint16(p + 10, true);
    const crc32 = view.getUint32(p + 16, true);
    let compressedSize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    let localHeaderOffset = view.getUint32(p + 42, true);
    const name = decoder.decode(cd.subarray(p + 46, p + 46 + nameLength));
    // ZIP64 extra field: the 64-bit values, in this order, for each 32-bit field that is maxed.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = view.getUint16(e, true);
      const len = view.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) {
          size = Number(view.getBigUint64(q, true));
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(view.getBigUint64(q, true));
          q += 8;
        }
        if (localHeaderOffset === 0xffffffff) {
          localHeaderOffset = Number(view.getBigUint64(q, true));
        }
      }
      e += 4 + len;
    }
    entries.set(name, { name, method, crc32, compressedSize, size, localHeaderOffset });
    p = extraEnd + commentLength;
  }

  return {
    entries,
    async read(name: string): Promise<Uint8Array> {
      const entry = entries.get(name);
      if (!entry) return fail(`no member '${name}'`);
      const header = await source.read(entry.localHeaderOffset, 30);
      const hv = new DataView(header.buffer, header.byteOffset, header.byteLength);
      if (header.length < 30 || hv.getUint32(0, true) !== LOCAL) {
        fail(`corrupt local header of '${name}'`);
      }
      const dataStart = entry.localHeaderOffset + 30 + hv.getUint16(26, true) +
        hv.getUint16(28, true);
      if (dataStart + entry.compressedSize > source.size) {
        fail(`truncated: member '${name}' runs past the end of the file`);
      }
      const compressed = await source.read(dataStart, entry.compressedSize);
      let data: Uint8Array;
      try {
        if (entry.method === 0) data = compressed;
        else if (entry.method === 8) data = await inflateRaw(compressed);
        else if (entry.method === 93) {
          if (!options.zstd) {
            return fail(
              `member '${name}' is zstd-compressed (Inspect's default since 0.3.206) and no zstd ` +
                `decompressor is available (${runtimeName()}): readInspectLog uses node:zlib, which has ` +
                `zstd on Deno 2, Bun and Node ≥ 22.15; elsewhere pass options.zstd`,
            );
          }
          data = await options.zstd(compressed);
        } else {return fail(
            `member '${name}' uses compression method ${entry.method}, which is not supported`,
          );}
      } catch (error) {
        if (error instanceof InspectLogError) throw error;
        return fail(`member '${name}' does not decompress: ${(error as Error).message}`, error);
      }
      if (data.length !== entry.size) {
        fail(
          `member '${name}' is corrupt: ${data.length} bytes where its header says ${entry.size}`,
        );
      }
      if (crc32(data) !== entry.crc32) fail(`member '${name}' is corrupt (CRC-32 mismatch)`);
      return data;
    },
  };
}

async function inflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new DecompressionStream("deflate-raw"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE), as ZIP stores it. */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function runtimeName(): string {
  const g = globalThis as {
    Deno?: { version?: { deno?: string } };
    Bun?: { version?: string };
    process?: { versions?: { node?: string } };
  };
  if (g.Deno?.version?.deno) return `Deno ${g.Deno.version.deno}`;
  if (g.Bun?.version) return `Bun ${g.Bun.version}`;
  if (g.process?.versions?.node) return `Node ${g.process.versions.node}`;
  return "this runtime";
}

/**
 * A {@linkcode ByteSource} over bytes in memory.
 *
 * @example
 * ```ts
 * import { bytesSource, readEvalLog } from "@evalhooks/mlflow/inspect";
 *
 * declare const bytes: Uint8Array;
 * const log = await readEvalLog(bytesSource(bytes));
 * ```
 */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => Promise.resolve(bytes.subarray(offset, offset + length)),
  };
}

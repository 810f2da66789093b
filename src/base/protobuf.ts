// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The few protocol-buffer encodings OTLP's binary form needs, written by hand so the library
// keeps zero dependencies. A message is its encoded fields, kept as parts until the outermost
// one is joined, so a nested message is never copied to learn its length.
// Wire format: https://protobuf.dev/programming-guides/encoding/

/** An encoded message under construction: its fields' bytes, in order. */
export interface ProtoMessage {
  /** The encoded fields. */
  readonly parts: Uint8Array[];
  /** Their total length in bytes. */
  byteLength: number;
}

const encoder = new TextEncoder();
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;

/** An empty message. */
export function protoMessage(): ProtoMessage {
  return { parts: [], byteLength: 0 };
}

function push(m: ProtoMessage, bytes: Uint8Array): void {
  m.parts.push(bytes);
  m.byteLength += bytes.length;
}

function varintBytes(value: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, value); // a negative int64 is its two's complement: ten bytes
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

function smallVarint(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

function key(field: number, wireType: number): number[] {
  return smallVarint((field << 3) | wireType);
}

/** Appends field `field` as a varint (int64, uint64, bool, enum); a negative takes ten bytes. */
export function writeVarint(m: ProtoMessage, field: number, value: number | bigint): void {
  const v = typeof value === "bigint" ? value : BigInt(value);
  push(m, Uint8Array.from([...key(field, VARINT), ...varintBytes(v)]));
}

/** Appends field `field` as fixed64 (an unsigned nanosecond time, say), little-endian. */
export function writeFixed64(m: ProtoMessage, field: number, value: bigint): void {
  const head = key(field, FIXED64);
  const out = new Uint8Array(head.length + 8);
  out.set(head);
  new DataView(out.buffer).setBigUint64(head.length, BigInt.asUintN(64, value), true);
  push(m, out);
}

/** Appends field `field` as a double, little-endian. */
export function writeDouble(m: ProtoMessage, field: number, value: number): void {
  const head = key(field, FIXED64);
  const out = new Uint8Array(head.length + 8);
  out.set(head);
  new DataView(out.buffer).setFloat64(head.length, value, true);
  push(m, out);
}

/** Appends field `field` as raw bytes. */
export function writeBytes(m: ProtoMessage, field: number, bytes: Uint8Array): void {
  push(m, Uint8Array.from([...key(field, LENGTH_DELIMITED), ...smallVarint(bytes.length)]));
  push(m, bytes);
}

/**
 * Appends field `field` as a string, in UTF-8. A lone surrogate becomes U+FFFD (TextEncoder's
 * rule), so what is sent is always well-formed.
 */
export function writeString(m: ProtoMessage, field: number, text: string): void {
  writeBytes(m, field, encoder.encode(text));
}

/** Appends `child` as field `field` (an embedded message; an empty one still marks presence). */
export function writeMessage(m: ProtoMessage, field: number, child: ProtoMessage): void {
  push(m, Uint8Array.from([...key(field, LENGTH_DELIMITED), ...smallVarint(child.byteLength)]));
  for (const part of child.parts) m.parts.push(part);
  m.byteLength += child.byteLength;
}

/** Appends bytes that are already encoded fields (of the same message). */
export function writeEncoded(m: ProtoMessage, fields: Uint8Array): void {
  push(m, fields);
}

/** The message's bytes, joined. */
export function protoBytes(m: ProtoMessage): Uint8Array {
  const out = new Uint8Array(m.byteLength);
  let at = 0;
  for (const part of m.parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

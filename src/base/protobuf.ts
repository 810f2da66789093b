// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The few protocol-buffer encodings OTLP's binary form needs, written by hand so the library
// keeps zero dependencies. Everything goes into one growable buffer: a trace's spans are encoded
// when its root span ends, on the caller's path, so no field allocates arrays of its own. An
// embedded message's length is only known once it is written: five bytes are kept for it, and
// the message moves back over the ones its length did not need.
// Wire format: https://protobuf.dev/programming-guides/encoding/

/** An encoder: bytes written so far into a buffer that grows. */
export interface ProtoWriter {
  /** The buffer; only `[0, pos)` is written. */
  buf: Uint8Array;
  /** Where the next byte goes. */
  pos: number;
}

const encoder = new TextEncoder();
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
// Room kept for an embedded message's length: a varint of up to 2^35 - 1.
const LENGTH_ROOM = 5;

/** A writer with room for `bytes` to start with. */
export function protoWriter(bytes = 1024): ProtoWriter {
  return { buf: new Uint8Array(bytes), pos: 0 };
}

function ensure(w: ProtoWriter, more: number): void {
  if (w.pos + more <= w.buf.length) return;
  const grown = new Uint8Array(Math.max(w.buf.length * 2, w.pos + more));
  grown.set(w.buf.subarray(0, w.pos));
  w.buf = grown;
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

// A non-negative integer up to 2^53 as a varint, at `at`; the caller made room.
function putVarint(buf: Uint8Array, at: number, value: number): number {
  while (value >= 0x80) {
    buf[at++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  buf[at++] = value;
  return at;
}

function writeKey(w: ProtoWriter, field: number, wireType: number): void {
  ensure(w, 5);
  w.pos = putVarint(w.buf, w.pos, field * 8 + wireType);
}

/** Writes field `field` as a varint (int64, uint64, bool, enum); a negative takes ten bytes. */
export function writeVarint(w: ProtoWriter, field: number, value: number | bigint): void {
  writeKey(w, field, VARINT);
  ensure(w, 10);
  if (typeof value === "number" && value >= 0 && Number.isSafeInteger(value)) {
    w.pos = putVarint(w.buf, w.pos, value);
    return;
  }
  let v = BigInt.asUintN(64, BigInt(value)); // a negative int64 is its two's complement
  while (v >= 0x80n) {
    w.buf[w.pos++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  w.buf[w.pos++] = Number(v);
}

/** Writes field `field` as fixed64 (an unsigned nanosecond time, say), little-endian. */
export function writeFixed64(w: ProtoWriter, field: number, value: bigint): void {
  writeKey(w, field, FIXED64);
  ensure(w, 8);
  new DataView(w.buf.buffer).setBigUint64(w.pos, BigInt.asUintN(64, value), true);
  w.pos += 8;
}

/** Writes field `field` as a double, little-endian. */
export function writeDouble(w: ProtoWriter, field: number, value: number): void {
  writeKey(w, field, FIXED64);
  ensure(w, 8);
  new DataView(w.buf.buffer).setFloat64(w.pos, value, true);
  w.pos += 8;
}

/** Writes field `field` as raw bytes. */
export function writeBytes(w: ProtoWriter, field: number, bytes: Uint8Array): void {
  writeKey(w, field, LENGTH_DELIMITED);
  ensure(w, 5 + bytes.length);
  w.pos = putVarint(w.buf, w.pos, bytes.length);
  w.buf.set(bytes, w.pos);
  w.pos += bytes.length;
}

/**
 * Writes field `field` as a string, in UTF-8. A lone surrogate becomes U+FFFD (TextEncoder's
 * rule), so what is sent is always well-formed.
 */
export function writeString(w: ProtoWriter, field: number, text: string): void {
  const start = beginMessage(w, field);
  ensure(w, text.length * 3); // UTF-8 takes at most three bytes per UTF-16 unit
  w.pos += encoder.encodeInto(text, w.buf.subarray(w.pos)).written;
  endMessage(w, start);
}

/**
 * Starts field `field` as an embedded message (or any length-delimited value): what is written
 * until {@linkcode endMessage} with the returned mark is its content.
 */
export function beginMessage(w: ProtoWriter, field: number): number {
  writeKey(w, field, LENGTH_DELIMITED);
  ensure(w, LENGTH_ROOM);
  const mark = w.pos;
  w.pos += LENGTH_ROOM;
  return mark;
}

/** Ends the message begun at `mark`: writes its length before it. */
export function endMessage(w: ProtoWriter, mark: number): void {
  const length = w.pos - mark - LENGTH_ROOM;
  const size = varintSize(length);
  if (size < LENGTH_ROOM) {
    w.buf.copyWithin(mark + size, mark + LENGTH_ROOM, w.pos);
    w.pos -= LENGTH_ROOM - size;
  }
  putVarint(w.buf, mark, length);
}

/** Appends bytes that are already encoded fields of the message being written. */
export function writeEncoded(w: ProtoWriter, fields: Uint8Array): void {
  ensure(w, fields.length);
  w.buf.set(fields, w.pos);
  w.pos += fields.length;
}

/** A copy of the bytes written. */
export function protoBytes(w: ProtoWriter): Uint8Array {
  return w.buf.slice(0, w.pos);
}

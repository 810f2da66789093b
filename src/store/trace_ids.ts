// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/** Random bytes as lowercase hex: 16 bytes for a trace, 8 for a span, as OpenTelemetry has them. */
export function randomHex(bytes: number): string {
  const buffer = crypto.getRandomValues(new Uint8Array(bytes));
  let out = "";
  for (const b of buffer) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Hex id to the base64 of its bytes, the form `traces.json` stores ids in. */
export function hexToBase64(hex: string): string {
  let binary = "";
  for (let i = 0; i < hex.length; i += 2) {
    binary += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  }
  return btoa(binary);
}

/** Base64 of id bytes back to hex. */
export function base64ToHex(base64: string): string {
  let out = "";
  for (const c of atob(base64)) out += c.charCodeAt(0).toString(16).padStart(2, "0");
  return out;
}

/**
 * Now, in nanoseconds since the epoch. Milliseconds from `performance` keep sub-millisecond
 * precision; whole and fractional parts are converted apart, since 1.7e18 is past what a double
 * holds exactly.
 */
export function nowNs(): bigint {
  const ms = performance.timeOrigin + performance.now();
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
}

/** Nanoseconds to an RFC 3339 time with millisecond precision, as `request_time` wants it. */
export function nsToRfc3339(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString();
}

/** A protobuf Duration string: `"1.234567890s"`. */
export function nsToDuration(ns: bigint): string {
  const negative = ns < 0n;
  const abs = negative ? -ns : ns;
  const seconds = abs / 1_000_000_000n;
  const nanos = (abs % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${seconds}${nanos ? "." + nanos : ""}s`;
}

// Random once per process, so no string a caller logs can pass for a marked bigint; one regex,
// compiled once (building it per call made every span's attributes cost ~20 µs each). Made on
// first use, not at import: Workers refuse random values in a module's global scope, and the
// whole core would then fail to load there.
let bigintMarker: { text: string; pattern: RegExp } | undefined;

function marker(): { text: string; pattern: RegExp } {
  if (!bigintMarker) {
    const text = `__bigint_${randomHex(6)}__`;
    bigintMarker = { text, pattern: new RegExp(`"${text}(-?\\d+)"`, "g") };
  }
  return bigintMarker;
}

/**
 * JSON text in which `bigint` values are written as exact integers (JSON.stringify refuses
 * them, and a conversion to number would lose the nanoseconds past 2^53).
 */
export function stringifyWithBigInt(value: unknown): string {
  let found: { text: string; pattern: RegExp } | undefined;
  const text = JSON.stringify(value, (_key, v) => {
    if (typeof v !== "bigint") return v;
    found ??= marker();
    return `${found.text}${v}`;
  });
  // Most values hold no bigint: they skip the replace (and its regex) altogether.
  return found ? text.replace(found.pattern, "$1") : text;
}

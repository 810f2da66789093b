// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/** One CSV field, quoted when it holds a comma, quote, or line break (RFC 4180). */
function field(value: unknown): string {
  const text = value === null || value === undefined
    ? ""
    : typeof value === "string"
    ? value
    : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text with a header row; non-string values are written as JSON. */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [columns, ...rows].map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}

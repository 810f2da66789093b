// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Each runtime words a failed connection differently, and all of them throw a plain TypeError,
// which is also what a programming mistake throws. So the message decides.
const NETWORK_MESSAGES = [
  "error sending request", // Deno
  "network error", // Bun (" A network error occurred."), browsers
  "fetch failed", // Node (undici)
  "terminated", // Node, connection cut mid-body
  "network connection lost", // Cloudflare Workers
  "failed to fetch", // Chromium
  "networkerror when attempting to fetch resource", // Firefox
  "load failed", // Safari
  "connection refused",
  "connection reset",
  "econnrefused",
  "econnreset",
  "socket hang up",
  "socket connection was closed unexpectedly", // Bun
  "unable to connect", // Bun
  "connection closed", // Deno, body cut short
  "unexpected eof",
  "broken pipe",
];

/**
 * True when `error` is a failure to reach the server or to read its answer, as opposed to a bug:
 * the request may be retried. Detection is by message, since every runtime throws a `TypeError`
 * with its own wording.
 */
export function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^(E?CONN|ECONNRESET|EPIPE|ETIMEDOUT|UND_ERR)/.test(code)) {
    return true;
  }
  const text = `${error.name} ${error.message} ${
    error.cause instanceof Error ? error.cause.message : ""
  }`.toLowerCase();
  return NETWORK_MESSAGES.some((m) => text.includes(m));
}

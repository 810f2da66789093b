// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { MlflowError } from "./errors.ts";

/**
 * The default `onError`: one `console.warn` line per distinct error (code, endpoint and key), so
 * a server that refuses the same write a thousand times says so once, and the eval's own output
 * stays readable. `redact` cleans the message of secrets first.
 */
export function warnOnce(
  prefix: string,
  redact: (text: string) => string = (text) => text,
): (error: MlflowError) => void {
  const warned = new Set<string>();
  return (error) => {
    const id = `${error.errorCode}|${error.endpoint}|${error.key ?? ""}`;
    if (warned.has(id)) return;
    warned.add(id);
    console.warn(`${prefix} ${redact(error.message)}`);
  };
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/** Replaces every occurrence of each secret (and of URL userinfo) in `text` with `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Short strings would blank out ordinary words; a 3-character password is the user's problem.
    if (secret.length >= 4) out = out.split(secret).join("***");
  }
  return out.replace(/(\w+:\/\/)[^/\s:@]+:[^/\s@]+@/g, "$1***@");
}

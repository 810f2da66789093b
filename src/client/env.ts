// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

interface DenoLike {
  env: { get(name: string): string | undefined };
  permissions?: { querySync?(d: { name: "env"; variable: string }): { state: string } };
}
interface ProcessLike {
  env?: Record<string, string | undefined>;
}

/**
 * Reads an environment variable wherever there is an environment: Deno (only when `--allow-env`
 * already grants it, so a script never stops at a permission prompt), Bun and Node. On Workers and
 * in browsers there is none, and the answer is `undefined`. Empty strings count as unset.
 */
export function readEnv(name: string): string | undefined {
  const g = globalThis as { Deno?: DenoLike; process?: ProcessLike };
  let value: string | undefined;
  if (g.Deno?.env) {
    try {
      const state = g.Deno.permissions?.querySync?.({ name: "env", variable: name }).state;
      if (state === undefined || state === "granted") value = g.Deno.env.get(name);
    } catch {
      value = undefined;
    }
  } else {
    try {
      value = g.process?.env?.[name];
    } catch {
      value = undefined;
    }
  }
  return value === "" ? undefined : value;
}

// Copyright 2026 the evalhooks authors. MIT license.
/** Types of smoke.mjs, for the TypeScript tests that import it. */
export function smoke(
  lib: typeof import("../../mod.ts"),
  trackingUri: string,
  experimentName: string,
  runtime: string,
): Promise<{ runId: string; traceId: string; runtime: string }>;

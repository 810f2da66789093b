// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A run on the client, in parts: run_context.ts (what the parts share), run_state.ts (creation and
// the drain task), run_send.ts (one log-batch request), run_writes.ts (params, metrics, tags),
// run_artifacts.ts (uploads and tables) and run_handle.ts (the public Run). This file is what the
// client, the exit hooks and the tests import.

export type { RunContext, RunState } from "./run_context.ts";
export { startRunState } from "./run_state.ts";

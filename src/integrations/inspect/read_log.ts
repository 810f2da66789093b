// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Reads Inspect AI logs: `.eval` (a ZIP: header, summaries, reductions, and one member or one
// chunked folder per sample; read_eval.ts) and `.json` (read_json.ts). Samples are handed out one
// at a time, resolved the way Inspect resolves them on read (attachments inlined, condensed model
// inputs and calls expanded; resolve_sample.ts), so memory follows the largest sample, not the
// whole log.

export { readEvalLog } from "./read_eval.ts";
export { readJsonLog } from "./read_json.ts";
export { resolveSample } from "./resolve_sample.ts";
export type { InspectLogReader, SampleOrder } from "./log_reader.ts";

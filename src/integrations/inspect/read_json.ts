// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Reads `.json` logs: the whole log is one JSON document.

import type { EvalLog } from "./types.ts";
import { parseInspectJson } from "./json.ts";
import type { InspectLogReader } from "./log_reader.ts";
import {
  compareCompletion,
  compareSamples,
  finishedAt,
  type SampleOrder,
  sampleSortKey,
} from "./sample_order.ts";
import { resolveSample } from "./resolve_sample.ts";
import { InspectLogError } from "./zip.ts";

/**
 * Opens a `.json` log (the whole file is one JSON document).
 *
 * @example
 * ```ts
 * import { readJsonLog } from "@evalhooks/mlflow/inspect";
 *
 * const log = readJsonLog(await Deno.readTextFile("logs/run.json"), "logs/run.json");
 * for await (const sample of log.samples()) console.log(sample.id, sample.scores);
 * ```
 */
export function readJsonLog(text: string, name?: string): InspectLogReader {
  let log: EvalLog;
  try {
    // Keeps `1.0` a float in the parts that feed params and raw_value (parseInspectJson).
    log = parseInspectJson(text) as EvalLog;
  } catch (error) {
    throw new InspectLogError(
      `not valid JSON${name ? ` (${name})` : ""}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (!log || typeof log !== "object" || !log.eval) {
    throw new InspectLogError(`not an Inspect log: no 'eval'${name ? ` (${name})` : ""}`);
  }
  const { samples, ...header } = log;
  // In Inspect's order, as the `.eval` reader gives them (Inspect writes `.json` logs sorted).
  const entries = (samples ?? [])
    .map((sample, index) => ({
      sample,
      index,
      epoch: sample?.epoch ?? 0,
      key: sampleSortKey(sample?.id ?? ""),
      time: sample ? finishedAt(sample) : undefined,
    }))
    .sort((a, b) => compareSamples(a, b) || a.index - b.index);
  const list = entries.map((s) => s.sample);
  return {
    header: header as EvalLog,
    sampleCount: list.length,
    async *samples(options: { order?: SampleOrder } = {}) {
      const ordered = options.order === "completion"
        ? [...entries].sort(compareCompletion).map((s) => s.sample)
        : list;
      for (const sample of ordered) yield resolveSample(sample);
    },
  };
}

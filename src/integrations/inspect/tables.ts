// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The rows of the six `inspect/*.json` tables and of `sample_results_<eval_id>.json`, with the
// columns `inspect_mlflow` writes, in its order. They are built one sample at a time as samples
// end, so a task's tables are whole even when its TaskEnd log holds no samples (eval sets).

import type { EvalSample, EvalSpec, Event, ModelUsage } from "./types.ts";
import { scoreToNumeric, TEXT_LIMIT, truncate } from "./score.ts";
import { markFloat, numberLiteral, writtenAsFloat } from "../../base/json_floats.ts";
import { pythonJsonDumpsLogValue, pythonJsonString } from "../../base/python_json.ts";
import { pythonStr } from "../../base/python_repr.ts";

type Row = Record<string, unknown>;

/** The table rows of one task. */
export interface TaskTables {
  /** `inspect/tasks.json`. */
  tasks: Row[];
  /** `inspect/samples.json`. */
  samples: Row[];
  /** `inspect/messages.json`. */
  messages: Row[];
  /** `inspect/sample_scores.json`. */
  sample_scores: Row[];
  /** `inspect/events.json`. */
  events: Row[];
  /** `inspect/model_usage.json`. */
  model_usage: Row[];
  /** `sample_results/sample_results_<eval_id>.json`. */
  sampleResults: Row[];
}

/** The names of the `inspect/` tables, in the order they are uploaded. */
export const TABLE_NAMES = [
  "tasks",
  "samples",
  "messages",
  "sample_scores",
  "events",
  "model_usage",
] as const;

/**
 * Strings, numbers and booleans as they are; anything else as JSON text written as Python's
 * `json.dumps` writes it (`to_json` in inspect_mlflow): `", "` and `": "` between items, only
 * ASCII, and a number the log wrote as a float (`1.0`) kept a float when the reader recorded it.
 */
export function toJsonCell(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return value;
  }
  try {
    return pythonJsonDumpsLogValue(value);
  } catch {
    return String(value);
  }
}

/**
 * A datetime cell as inspect_mlflow's `to_json` writes one: `json.dumps(str(dt))`, the time with
 * a space for the `T` and quoted (`"2026-01-01 10:00:00.123456+00:00"`, quotes included). The
 * log holds the time as ISO text, which is `dt.isoformat()`.
 */
export function toDatetimeCell(value: unknown): unknown {
  if (typeof value !== "string") return toJsonCell(value);
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})?$/.exec(
    value,
  );
  if (!match) return pythonJsonString(value);
  const zone = match[3] === "Z" ? "+00:00" : match[3] ?? "";
  return pythonJsonString(`${match[1]} ${match[2]}${zone}`);
}

function toStringCell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "True" : "False";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** The numeric fields of a usage record, whole numbers as Python's `int()` makes them. */
export function usageToRecord(
  usage: ModelUsage | Record<string, unknown> | undefined | null,
): Record<string, number> {
  const out: Record<string, number> = {};
  if (!usage || typeof usage !== "object") return out;
  for (const [key, value] of Object.entries(usage)) {
    if (typeof value === "number" && Number.isFinite(value)) out[key] = Math.trunc(value);
  }
  return out;
}

// The `scores` cell's dict, scorer to value, a value the log wrote as `1.0` kept a float.
function scoreValues(scores: NonNullable<EvalSample["scores"]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [scorer, score] of Object.entries(scores)) {
    out[scorer] = score?.value ?? score;
    if (score && typeof score === "object" && writtenAsFloat(score, "value")) {
      markFloat(out, scorer);
    }
  }
  return out;
}

function sumUsage(map: Record<string, ModelUsage> | undefined): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const usage of Object.values(map ?? {})) {
    for (const [k, v] of Object.entries(usageToRecord(usage))) totals[k] = (totals[k] ?? 0) + v;
  }
  return totals;
}

/** The text of a sample's first output choice, cut to `TEXT_LIMIT` characters. */
export function sampleOutputText(sample: EvalSample): string | null {
  const output = sample.output;
  if (!output) return null;
  const choice = output.choices?.[0];
  if (choice) {
    const message = choice.message as { text?: unknown; content?: unknown } | undefined;
    const text = message?.text ?? contentText(message?.content);
    if (text !== undefined && text !== null && text !== "") return truncate(text, TEXT_LIMIT);
  }
  const completion = (output as { completion?: unknown }).completion;
  if (completion !== undefined && completion !== null) return truncate(completion, TEXT_LIMIT);
  return truncate(JSON.stringify(output), TEXT_LIMIT);
}

/** The text of message content: a string, or the text parts of a list. */
export function contentText(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) =>
      part && typeof part === "object" && (part as { type?: string }).type === "text"
        ? String((part as { text?: unknown }).text ?? "")
        : ""
    ).join("");
  }
  return undefined;
}

/** Creates the tables of a task, with its `tasks.json` row. */
export function createTaskTables(evalId: string, spec: EvalSpec): TaskTables {
  const dataset = spec.dataset ?? {};
  return {
    tasks: [{
      task_name: spec.task,
      eval_id: evalId,
      task_file: spec.task_file ?? null,
      task_version: spec.task_version ?? null,
      task_id: spec.task_id ?? null,
      solver: toStringCell((spec as { solver?: unknown }).solver),
      model: toStringCell(spec.model),
      dataset: toStringCell(dataset.name),
      dataset_samples: dataset.samples ?? null,
    }],
    samples: [],
    messages: [],
    sample_scores: [],
    events: [],
    model_usage: [],
    sampleResults: [],
  };
}

/** Adds one finished sample's rows to every table. */
export function addSampleRows(
  tables: TaskTables,
  evalId: string,
  taskName: string,
  sample: EvalSample,
): void {
  const base = { task_name: taskName, eval_id: evalId, sample_id: sample.id };
  const scores = sample.scores ?? {};
  const events = Array.isArray(sample.events) ? sample.events : undefined;

  const row: Row = {
    ...base,
    input: toJsonCell(sample.input),
    target: toJsonCell(sample.target),
    output: sampleOutputText(sample),
    scores: toJsonCell(scoreValues(scores)),
    events_count: events ? events.length : null,
    total_time: sample.total_time ?? null,
    working_time: sample.working_time ?? null,
    error: toJsonCell(sample.error),
  };
  for (const [k, v] of Object.entries(sumUsage(sample.model_usage))) row[`usage_${k}`] = v;
  tables.samples.push(row);

  for (const [scorer, score] of Object.entries(scores)) {
    const raw = score?.value ?? score;
    tables.sample_scores.push({
      ...base,
      scorer,
      // str(value), as Python writes it: `1.0` for a float the log wrote as `1.0`.
      raw_value: raw === null || raw === undefined ? null : pythonStr(raw, {
        literal: score && typeof score === "object" ? numberLiteral(score, "value") : undefined,
      }),
      numeric_value: scoreToNumeric(raw) ?? null,
      explanation: score?.explanation ? truncate(score.explanation, TEXT_LIMIT) : null,
    });
  }

  (sample.messages ?? []).forEach((message, index) => {
    const m = message as Record<string, unknown>;
    tables.messages.push({
      ...base,
      message_index: index,
      role: m.role ?? null,
      source: m.source ?? null,
      content: toJsonCell(m.content),
      tool_calls: toJsonCell(m.tool_calls),
      tool_call_id: m.tool_call_id ?? null,
      model: m.model ?? null,
      stop_reason: m.stop_reason ?? null,
    });
  });

  (events ?? []).forEach((event: Event, index) => {
    const e = event as Record<string, unknown>;
    const type = (e.event ?? e.type) as string | undefined;
    const eventRow: Row = {
      ...base,
      event_index: index,
      event_type: toStringCell(type),
      timestamp: toDatetimeCell(e.timestamp),
    };
    if (type === "model") {
      const output = e.output as { completion?: unknown; usage?: ModelUsage } | undefined;
      eventRow.model = e.model ?? null;
      eventRow.completion = toJsonCell(output?.completion);
      for (const [k, v] of Object.entries(usageToRecord(output?.usage))) eventRow[`usage_${k}`] = v;
    } else if (type === "tool") {
      eventRow.tool_function = e.function ?? null;
      eventRow.tool_arguments = toJsonCell(e.arguments);
      eventRow.tool_result = toJsonCell(e.result);
      eventRow.tool_error = toJsonCell(e.error);
    } else if (type === "error") {
      eventRow.error = toJsonCell(e.error);
    }
    tables.events.push(eventRow);
  });

  const usageMap = sample.model_usage && Object.keys(sample.model_usage).length > 0
    ? Object.fromEntries(Object.entries(sample.model_usage).map(([m, u]) => [m, usageToRecord(u)]))
    : usageFromEvents(events ?? []);
  for (const [model, usage] of Object.entries(usageMap)) {
    if (Object.keys(usage).length === 0) continue;
    tables.model_usage.push({ ...base, model, ...usage });
  }

  const result: Row = {
    id: sample.id,
    epoch: sample.epoch,
    input: truncate(sample.input, TEXT_LIMIT),
    target: truncate(sample.target, 300),
    total_time: sample.total_time ?? null,
    error: sample.error ?? null,
    output: sampleOutputText(sample) ?? "",
  };
  for (const [scorer, score] of Object.entries(scores)) {
    result[`score/${scorer}`] = score?.value ?? null;
    if (score?.explanation) result[`explanation/${scorer}`] = truncate(score.explanation, 300);
  }
  tables.sampleResults.push(result);
}

function usageFromEvents(events: readonly Event[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const event of events) {
    const e = event as Record<string, unknown>;
    if (e.event !== "model") continue;
    const output = e.output as { usage?: ModelUsage; model?: string } | undefined;
    const usage = usageToRecord(output?.usage);
    if (Object.keys(usage).length === 0) continue;
    const model = String(e.model ?? output?.model ?? "unknown");
    const totals = out[model] ??= {};
    for (const [k, v] of Object.entries(usage)) totals[k] = (totals[k] ?? 0) + v;
  }
  return out;
}

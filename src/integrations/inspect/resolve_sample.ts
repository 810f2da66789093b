// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A stored sample made into the sample Inspect hands out on read: older layouts migrated,
// condensed model events expanded from the log's pools, attachments inlined.

import type { EvalSample, Event, Score } from "./types.ts";

/**
 * A sample as Inspect resolves it on read: `attachment://<key>` strings replaced by their
 * content, and condensed model events (`input_refs` into the message pool, `call_refs` into the
 * call pool) expanded.
 *
 * @example
 * ```ts
 * import { resolveSample, type EvalSample } from "@evalhooks/mlflow/inspect";
 *
 * declare const raw: EvalSample; // a sample as stored, with attachment:// references
 * const sample = resolveSample(raw);
 * ```
 */
export function resolveSample(input: EvalSample): EvalSample {
  const sample = migrateSample(input);
  const pools = sample.events_data as { messages?: unknown[]; calls?: unknown[] } | undefined;
  let events = sample.events;
  if (events && pools) {
    events = events.map((event) => {
      if (event.event !== "model") return event;
      const e = { ...event } as Record<string, unknown>;
      if (Array.isArray(e.input_refs) && pools.messages) {
        e.input = expandRefs(e.input_refs as [number, number][], pools.messages);
        delete e.input_refs;
      }
      const call = e.call as {
        call_refs?: [number, number][];
        call_key?: string;
        request?: Record<string, unknown>;
      } | undefined;
      if (call?.call_refs && pools.calls) {
        const { call_refs, call_key, ...rest } = call;
        e.call = {
          ...rest,
          request: {
            ...rest.request,
            [call_key ?? "messages"]: expandRefs(call_refs, pools.calls),
          },
        };
      }
      return e as unknown as Event;
    });
  }
  const { attachments, events_data: _pools, ...rest } = sample;
  const resolved = { ...rest, events } as EvalSample;
  if (!events) delete resolved.events;
  return attachments && Object.keys(attachments).length > 0
    ? inlineAttachments(resolved, attachments) as EvalSample
    : resolved;
}

// Inspect's own read-time migrations of older samples (inspect_ai/log/_log.py): a `transcript`
// holding the events and their content, and a single `score` before there were several scorers.
const SCORER_PLACEHOLDER = "88F74D2C";

function migrateSample(sample: EvalSample): EvalSample {
  const old = sample as EvalSample & {
    transcript?: { events?: Event[]; content?: Record<string, string> };
    score?: unknown;
  };
  if (!old.transcript && old.score === undefined) return sample;
  const { transcript, score, ...rest } = old;
  const out = { ...rest } as EvalSample;
  if (transcript) {
    out.events = transcript.events ?? [];
    out.attachments = { ...transcript.content, ...out.attachments };
  }
  if (score !== undefined && !out.scores) {
    out.scores = { [SCORER_PLACEHOLDER]: score as Score };
  }
  return out;
}

/** The pool entries that `refs` (`[start, end)` ranges) point at, in order. */
export function expandRefs(refs: readonly [number, number][], pool: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const [start, end] of refs) out.push(...pool.slice(start, end));
  return out;
}

const ATTACHMENT = "attachment://";
// The content protocol of logs written before `attachment://` (late 2024).
const OLD_CONTENT = "tc://";

// Like Inspect's own resolver, only a string that is wholly a reference is replaced.
function inlineAttachments(value: unknown, attachments: Record<string, string>): unknown {
  if (typeof value === "string") {
    for (const protocol of [ATTACHMENT, OLD_CONTENT]) {
      if (value.startsWith(protocol)) return attachments[value.slice(protocol.length)] ?? value;
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => inlineAttachments(v, attachments));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = inlineAttachments(v, attachments);
    return out;
  }
  return value;
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Reads Inspect AI logs: `.eval` (a ZIP: header, summaries, reductions, and one member or one
// chunked folder per sample) and `.json`. Samples are handed out one at a time, resolved the way
// Inspect resolves them on read (attachments inlined, condensed model inputs and calls expanded),
// so memory follows the largest sample, not the whole log.

import type { EvalLog, EvalSample, Event, Score } from "./types.ts";
import { parseInspectJson } from "./json.ts";
import {
  type ByteSource,
  bytesSource,
  InspectLogError,
  openZip,
  type ZipArchive,
  type ZstdDecompress,
} from "./zip.ts";

/**
 * An Inspect log opened for reading: its header now, its samples one at a time.
 *
 * @example
 * ```ts
 * import { readInspectLog } from "@evalhooks/mlflow/inspect";
 *
 * const log = await readInspectLog("logs/2025-02-11T15-17-00_popularity.eval");
 * console.log(log.header.eval.task, log.header.status, log.sampleCount);
 * for await (const sample of log.samples()) console.log(sample.id, sample.scores);
 * ```
 */
export interface InspectLogReader {
  /** The log without samples. `status` is `started` when the eval never wrote its header. */
  header: EvalLog;
  /** How many samples `samples()` yields. */
  sampleCount: number;
  /** The samples, in the log's order, resolved. */
  samples(): AsyncIterable<EvalSample>;
}

const decoder = new TextDecoder();

/**
 * Opens a `.eval` log. A log whose eval is still running, or crashed, has no `header.json`: its
 * header is rebuilt from `_journal/start.json` with status `started`.
 *
 * @example Read an uploaded log in an edge function (no file system)
 * ```ts
 * import { readEvalLog } from "@evalhooks/mlflow/inspect";
 *
 * declare const request: Request;
 * const log = await readEvalLog(new Uint8Array(await request.arrayBuffer()), { name: "upload.eval" });
 * console.log(log.header.eval.task, log.sampleCount);
 * ```
 */
export async function readEvalLog(
  source: ByteSource | Uint8Array,
  options: { name?: string; zstd?: ZstdDecompress } = {},
): Promise<InspectLogReader> {
  const zip = await openZip(source instanceof Uint8Array ? bytesSource(source) : source, options);
  const json = async (name: string) => {
    try {
      return parseInspectJson(decoder.decode(await zip.read(name)));
    } catch (error) {
      if (error instanceof InspectLogError) throw error;
      throw new InspectLogError(
        `member '${name}' is not valid JSON${options.name ? ` (${options.name})` : ""}`,
        { cause: error },
      );
    }
  };
  let header: EvalLog;
  if (zip.entries.has("header.json")) {
    header = await json("header.json") as EvalLog;
  } else if (zip.entries.has("_journal/start.json")) {
    const start = await json("_journal/start.json") as Partial<EvalLog>;
    header = { ...start, status: "started" } as EvalLog;
  } else {
    throw new InspectLogError(
      `not an Inspect log: no header.json or _journal/start.json${
        options.name ? ` (${options.name})` : ""
      }`,
    );
  }
  if (!header.reductions && zip.entries.has("reductions.json")) {
    header.reductions = await json("reductions.json");
  }

  // Summaries give Inspect's sample order; without them, epoch then id.
  let summaries: { id: string | number; epoch: number }[] = [];
  if (zip.entries.has("summaries.json")) {
    summaries = await json("summaries.json") as typeof summaries;
  } else {
    const journal = [...zip.entries.keys()].filter((n) =>
      /^_journal\/summaries\/\d+\.json$/.test(n)
    )
      .sort((a, b) => Number(a.match(/(\d+)\.json$/)![1]) - Number(b.match(/(\d+)\.json$/)![1]));
    for (const name of journal) summaries.push(...(await json(name) as typeof summaries));
  }
  const found = new Map<string, { id: string; epoch: number; chunked: boolean }>();
  for (const name of zip.entries.keys()) {
    const m = /^samples\/(.+)_epoch_(\d+)(\.json|\/sample\.json)$/.exec(name);
    if (m) {
      found.set(`${m[1]}#${m[2]}`, { id: m[1], epoch: Number(m[2]), chunked: m[3] !== ".json" });
    }
  }
  const ordered: { id: string; epoch: number; chunked: boolean }[] = [];
  for (const s of summaries) {
    const key = `${s.id}#${s.epoch}`;
    const entry = found.get(key);
    if (entry) {
      ordered.push(entry);
      found.delete(key);
    }
  }
  ordered.push(
    ...[...found.values()].sort((a, b) => a.epoch - b.epoch || naturalCompare(a.id, b.id)),
  );

  return {
    header,
    sampleCount: ordered.length,
    async *samples() {
      for (const s of ordered) {
        const raw = s.chunked
          ? await readChunkedSample(zip, json, s.id, s.epoch)
          : await json(`samples/${s.id}_epoch_${s.epoch}.json`);
        yield resolveSample(raw as EvalSample);
      }
    },
  };
}

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
  const list = samples ?? [];
  return {
    header: header as EvalLog,
    sampleCount: list.length,
    async *samples() {
      for (const sample of list) yield resolveSample(sample);
    },
  };
}

async function readChunkedSample(
  zip: ZipArchive,
  json: (name: string) => Promise<unknown>,
  id: string,
  epoch: number,
): Promise<EvalSample> {
  const prefix = `samples/${id}_epoch_${epoch}/`;
  const shell = await json(`${prefix}sample.json`) as EvalSample & {
    message_refs?: [number, number][];
  };
  const sequence = async (kind: string) => {
    const chunks = [...zip.entries.keys()]
      .map((n) => new RegExp(`^${escapeRegExp(prefix)}${kind}/(\\d+)\\.json$`).exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ name: m[0], start: Number(m[1]) }))
      .sort((a, b) => a.start - b.start);
    const out: unknown[] = [];
    for (const chunk of chunks) out.push(...(await json(chunk.name) as unknown[]));
    return out;
  };
  const messages = await sequence("messages");
  const attachments = await sequence("attachments") as string[];
  const sample: EvalSample = { ...shell };
  delete (sample as { message_refs?: unknown }).message_refs;
  sample.messages = expandRefs(shell.message_refs ?? [], messages) as EvalSample["messages"];
  sample.events = await sequence("events") as Event[];
  sample.events_data = { messages, calls: await sequence("calls") };
  // metadata.json is written only when the metadata is not empty; a monolithic sample (and
  // Inspect's EvalSample, whose metadata defaults to {}) has it either way.
  sample.metadata = zip.entries.has(`${prefix}metadata.json`)
    ? await json(`${prefix}metadata.json`) as Record<string, unknown>
    : shell.metadata ?? {};
  // Chunked attachments are addressed by their index in the sequence.
  sample.attachments = Object.fromEntries(attachments.map((text, i) => [String(i), text]));
  return sample;
}

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

function expandRefs(refs: readonly [number, number][], pool: readonly unknown[]): unknown[] {
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

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

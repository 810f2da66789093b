// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Reads `.eval` logs: a ZIP with a header, summaries, reductions, and one member or one chunked
// folder per sample, read from the archive only when its sample is asked for.

import type { EvalLog, EvalSample, Event } from "./types.ts";
import { keepScoreNumbers, parseInspectHeader, parseInspectJson } from "./json.ts";
import type { InspectLogReader } from "./log_reader.ts";
import {
  compareCompletion,
  compareSamples,
  finishedAt,
  microsOf,
  type SampleOrder,
  sampleSortKey,
} from "./sample_order.ts";
import { expandRefs, resolveSample } from "./resolve_sample.ts";
import {
  type ByteSource,
  bytesSource,
  InspectLogError,
  openZip,
  type ZipArchive,
  type ZstdDecompress,
} from "./zip.ts";

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
  // `keep`: the header, read keeping floats' form for params; a sample, whose whole-number
  // scores keep theirs for `raw_value`.
  const json = async (name: string, keep?: "header" | "sample") => {
    try {
      const text = decoder.decode(await zip.read(name));
      if (keep === "header") return parseInspectHeader(text);
      const value = parseInspectJson(text);
      if (keep === "sample" && value && typeof value === "object") {
        keepScoreNumbers(text, value as EvalSample);
      }
      return value;
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
    header = await json("header.json", "header") as EvalLog;
  } else if (zip.entries.has("_journal/start.json")) {
    const start = await json("_journal/start.json", "header") as Partial<EvalLog>;
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

  // Samples come in the order Inspect's own reader gives them, for a `.eval` as for the `.json`
  // it converts to (its `sort_samples`): by epoch, then by id, a number's id zero-filled to 20
  // digits so it sorts by value. The summaries (written as samples finish) only say which ids
  // are numbers; the member names alone cannot, and an all-digit name counts as a number then.
  let summaries: { id: string | number; epoch: number; completed_at?: string | null }[] = [];
  if (zip.entries.has("summaries.json")) {
    summaries = await json("summaries.json") as typeof summaries;
  } else {
    const journal = [...zip.entries.keys()].filter((n) =>
      /^_journal\/summaries\/\d+\.json$/.test(n)
    )
      .sort((a, b) => Number(a.match(/(\d+)\.json$/)![1]) - Number(b.match(/(\d+)\.json$/)![1]));
    for (const name of journal) summaries.push(...(await json(name) as typeof summaries));
  }
  const numericIds = new Map<string, boolean>();
  // When each sample finished, where its summary says (Inspect >= 0.3.1xx writes completed_at).
  const finished = new Map<string, number>();
  for (const s of summaries) {
    numericIds.set(String(s.id), typeof s.id === "number");
    const time = microsOf(s?.completed_at);
    if (time !== undefined) finished.set(`${s.id}#${s.epoch}`, time);
  }
  const ordered: { id: string; epoch: number; chunked: boolean; key: string }[] = [];
  const seen = new Set<string>();
  for (const name of zip.entries.keys()) {
    const m = /^samples\/(.+)_epoch_(\d+)(\.json|\/sample\.json)$/.exec(name);
    if (m && !seen.has(`${m[1]}#${m[2]}`)) {
      seen.add(`${m[1]}#${m[2]}`);
      const numeric = numericIds.get(m[1]) ?? /^-?\d+$/.test(m[1]);
      const key = sampleSortKey(m[1], numeric);
      ordered.push({ id: m[1], epoch: Number(m[2]), chunked: m[3] !== ".json", key });
    }
  }
  ordered.sort(compareSamples);

  const read = async (s: { id: string; epoch: number; chunked: boolean }) =>
    (s.chunked
      ? await readChunkedSample(zip, json, s.id, s.epoch)
      : await json(`samples/${s.id}_epoch_${s.epoch}.json`, "sample")) as EvalSample;

  return {
    header,
    sampleCount: ordered.length,
    async *samples(options: { order?: SampleOrder } = {}) {
      let list = ordered;
      if (options.order === "completion") {
        // The summaries' completed_at; a sample without one is read for its own times (the
        // sample's completed_at, else its last event's), as the `.json` reader reads them.
        const timed = [];
        for (const s of ordered) {
          const time = finished.get(`${s.id}#${s.epoch}`) ?? finishedAt(await read(s));
          timed.push({ ...s, time });
        }
        list = timed.sort(compareCompletion);
      }
      for (const s of list) yield resolveSample(await read(s));
    },
  };
}

async function readChunkedSample(
  zip: ZipArchive,
  json: (name: string, keep?: "header" | "sample") => Promise<unknown>,
  id: string,
  epoch: number,
): Promise<EvalSample> {
  const prefix = `samples/${id}_epoch_${epoch}/`;
  const shell = await json(`${prefix}sample.json`, "sample") as EvalSample & {
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Reads `.eval` logs: a ZIP with a header, summaries, reductions, and one member or one chunked
// folder per sample, read from the archive only when its sample is asked for.

import type { EvalLog, EvalSample, Event } from "./types.ts";
import { parseInspectJson } from "./json.ts";
import type { InspectLogReader } from "./log_reader.ts";
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

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A parsed promptfoo results file, checked and grouped the way it is imported: by provider, each
// with the prompts it ran and its config from the eval's config.

import type { PromptfooOutputFile, PromptfooPrompt, PromptfooResult } from "./types.ts";
import { isRecord } from "../../base/records.ts";

/** One provider of the eval: its results, prompts and config. */
export interface ProviderGroup {
  /** What names it: the label, else the id. */
  key: string;
  /** Its id as the results carry it (a file:// provider reports its own `id()`). */
  id: string;
  /** Its label, if any. */
  label?: string;
  /** Its entry of the config's `providers`, if found. */
  config?: Record<string, unknown>;
  /** The prompts it ran, in promptfoo's order. */
  prompts: PromptfooPrompt[];
  /** Its results, in the file's order. */
  results: PromptfooResult[];
}

/** What the import reads of a results file. */
export interface ReadResults {
  /** The eval id (or, for a file promptfoo did not store, one made of its timestamp). */
  evalId: string;
  /** Start of the eval in ms, if known. */
  startTime?: number;
  /** Duration in ms, if known. */
  durationMs?: number;
  /** The config's description. */
  description?: string;
  /** Providers in the order they first appear. */
  providers: ProviderGroup[];
  /** Every prompt, by `promptIdx`. */
  prompts: PromptfooPrompt[];
}

/** Checks that `file` is a promptfoo results file and groups it; throws a TypeError if not. */
export function readPromptfooResults(file: unknown): ReadResults {
  if (!isRecord(file) || !isRecord(file.results) || !Array.isArray(file.results.results)) {
    throw new TypeError(
      "not a promptfoo results file: expected { evalId, results: { results: [...] } } " +
        "(the JSON `promptfoo eval -o results.json` writes)",
    );
  }
  const output = file as unknown as PromptfooOutputFile;
  const summary = output.results;
  const prompts = summary.prompts ?? summary.table?.head?.prompts ?? [];
  const created = output.metadata?.evaluationCreatedAt ?? summary.timestamp;
  const parsed = typeof created === "string" ? Date.parse(created) : NaN;
  const evalId = typeof output.evalId === "string" && output.evalId
    ? output.evalId
    : `unsaved-${summary.timestamp ?? "unknown"}`;
  const configured = configuredProviders(output.config?.providers);
  const groups = new Map<string, ProviderGroup>();
  for (const [i, result] of summary.results.entries()) {
    if (!isRecord(result)) throw new TypeError(`promptfoo results: result ${i} is not an object`);
    const { id, label } = providerOf(result.provider);
    const key = label ?? id;
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        id,
        label,
        config: configured.find((p) => label !== undefined && p.label === label) ??
          configured.find((p) => p.id === id),
        prompts: [],
        results: [],
      };
      groups.set(key, group);
    }
    group.results.push(result);
  }
  for (const group of groups.values()) {
    // A prompt names its provider by label when there is one, else by id.
    group.prompts = prompts.filter((p) => p.provider === group.key || p.provider === group.id);
  }
  const description = output.config?.description;
  return {
    evalId,
    startTime: Number.isNaN(parsed) ? undefined : parsed,
    durationMs: typeof summary.stats?.durationMs === "number"
      ? summary.stats.durationMs
      : undefined,
    description: typeof description === "string" ? description : undefined,
    providers: [...groups.values()],
    prompts,
  };
}

/** A result's provider as `{ id, label? }`: promptfoo writes an object, older files the id alone. */
export function providerOf(provider: unknown): { id: string; label?: string } {
  if (typeof provider === "string") return { id: provider };
  if (provider && typeof provider === "object") {
    const p = provider as { id?: unknown; label?: unknown };
    const id = typeof p.id === "string" ? p.id : "unknown";
    return typeof p.label === "string" && p.label ? { id, label: p.label } : { id };
  }
  return { id: "unknown" };
}

/**
 * The config's providers as `{ id, label?, config?, … }`: promptfoo takes a string id, an
 * options object, or `{ "<id>": options }`.
 */
function configuredProviders(providers: unknown): Record<string, unknown>[] {
  const list = Array.isArray(providers) ? providers : providers === undefined ? [] : [providers];
  const out: Record<string, unknown>[] = [];
  for (const p of list) {
    if (typeof p === "string") out.push({ id: p });
    else if (p && typeof p === "object" && !Array.isArray(p)) {
      const record = p as Record<string, unknown>;
      if (typeof record.id === "string") out.push(record);
      else {
        const keys = Object.keys(record);
        const options = record[keys[0]];
        if (keys.length === 1 && options && typeof options === "object") {
          out.push({ id: keys[0], ...(options as Record<string, unknown>) });
        }
      }
    }
  }
  return out;
}

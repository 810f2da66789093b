// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The task's dataset as its run's input (`run.logInput`), beside the `dataset.*` params the
// Python hook logs: Inspect's dataset name (the task's when it has none), its location as the
// source, its sample count in the profile, context `eval`, and a digest of the sample ids, so the
// same samples make the same dataset whatever order a shuffle put them in.

import { sha256Hex } from "../../base/sha256.ts";
import { cutText, toWellFormed } from "../../base/text.ts";
import type { DatasetInput } from "../../client/dataset_types.ts";
import type { EvalSpec } from "./types.ts";

/** The run input for the dataset of the task `spec` describes. */
export function inspectDataset(spec: EvalSpec): DatasetInput {
  const d = spec.dataset ?? {};
  const text = (v: unknown) => typeof v === "string" && v !== "" ? toWellFormed(v) : undefined;
  const location = text(d.location);
  const profile: Record<string, unknown> = {};
  if (typeof d.samples === "number") profile.num_rows = d.samples;
  if (typeof d.shuffled === "boolean") profile.shuffled = d.shuffled;
  const dataset: DatasetInput = {
    name: cutText(text(d.name) ?? text(spec.task) ?? "dataset", 500),
    // Inspect's own location (a file or URL); a dataset built in code has none (type `code`).
    source: location ?? { tags: { "inspect.task": toWellFormed(spec.task ?? "") } },
    context: "eval",
  };
  if (Object.keys(profile).length > 0) dataset.profile = profile;
  if (Array.isArray(d.sample_ids) && d.sample_ids.length > 0) {
    const ids = d.sample_ids.map((id) => JSON.stringify(id) ?? "null").sort();
    dataset.digest = sha256Hex(`[${ids.join(",")}]`).slice(0, 8);
  }
  return dataset;
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.
//
// A comparison as text (a terminal table, a Markdown summary) and as an MLflow run.

import type { MlflowClient } from "../client/types.ts";
import type { Comparison, ScorerComparison } from "./types.ts";

const num = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined || Number.isNaN(x) ? "–" : x.toFixed(digits);
const p = (x: number | null): string =>
  x === null ? "–" : x < 0.0001 ? x.toExponential(1) : x.toFixed(4);
const signed = (x: number, digits = 3) => (x > 0 ? "+" : "") + x.toFixed(digits);

function verdict(s: ScorerComparison): string {
  if (s.pValue === null) return "no test";
  if (!s.significant) return "no significant difference";
  return s.diff > 0 ? "better" : "worse";
}

const HEADER = [
  "scorer",
  "test",
  "n",
  "baseline",
  "candidate",
  "diff",
  "95% CI",
  "p",
  "d",
  "W/T/L",
  "verdict",
];

function cells(s: ScorerComparison, alpha: number): string[] {
  return [
    s.scorer,
    s.test,
    String(s.nPaired),
    num(s.baselineMean),
    num(s.candidateMean),
    Number.isNaN(s.diff) ? "–" : signed(s.diff),
    `[${num(s.ciLow)}, ${num(s.ciHigh)}]`,
    p(s.pValue),
    num(s.cohensD, 2),
    `${s.wins}/${s.ties}/${s.losses}`,
    verdict(s) + (alpha !== 0.05 ? ` (α ${alpha})` : ""),
  ];
}

function extras(c: Comparison): string[] {
  const lines: string[] = [];
  if (c.latencyDiffSeconds !== undefined) {
    lines.push(`latency: ${signed(c.latencyDiffSeconds, 3)} s per sample (candidate − baseline)`);
  }
  if (c.tokensDiff !== undefined) lines.push(`tokens: ${signed(c.tokensDiff, 1)} per sample`);
  lines.push(
    c.costDiffUsd !== undefined
      ? `cost: ${c.costDiffUsd > 0 ? "+" : ""}$${c.costDiffUsd.toFixed(4)} in all`
      : "cost: unknown on at least one side (left out)",
  );
  for (const s of c.scorers) {
    const unpaired = s.onlyBaseline + s.onlyCandidate;
    if (unpaired > 0) {
      lines.push(
        `${s.scorer}: ${s.onlyBaseline} sample(s) only in the baseline, ${s.onlyCandidate} only in the candidate (not compared)`,
      );
    }
    if (s.note) lines.push(`${s.scorer}: ${s.note}`);
  }
  return lines;
}

/**
 * A comparison as a plain-text table for a terminal.
 *
 * @example
 * ```ts
 * import { compareEvals, formatComparison } from "@evalhooks/mlflow/compare";
 *
 * const a = { label: "a", pairedBy: "index" as const, samples: [{ key: "0", scores: { ok: 1 } }] };
 * const b = { label: "b", pairedBy: "index" as const, samples: [{ key: "0", scores: { ok: 0 } }] };
 * console.log(formatComparison(await compareEvals(a, b)));
 * ```
 */
export function formatComparison(c: Comparison): string {
  const rows = [HEADER, ...c.scorers.map((s) => cells(s, c.alpha))];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  return [
    `baseline:  ${c.baseline}`,
    `candidate: ${c.candidate}`,
    `paired by: ${c.pairedBy}`,
    "",
    line(rows[0]),
    ...rows.slice(1).map(line),
    "",
    ...extras(c),
  ].join("\n") + "\n";
}

/**
 * A comparison as a Markdown summary (what the comparison run's `compare/summary.md` holds).
 *
 * @example
 * ```ts
 * import { compareEvals, markdownComparison } from "@evalhooks/mlflow/compare";
 *
 * const a = { label: "a", pairedBy: "index" as const, samples: [{ key: "0", scores: { ok: 1 } }] };
 * const md = markdownComparison(await compareEvals(a, a));
 * ```
 */
export function markdownComparison(c: Comparison): string {
  return [
    `# ${c.candidate} vs ${c.baseline}`,
    "",
    `Samples paired by ${c.pairedBy}; α = ${c.alpha}.`,
    "",
    `| ${HEADER.join(" | ")} |`,
    `|${HEADER.map(() => "---").join("|")}|`,
    ...c.scorers.map((s) => `| ${cells(s, c.alpha).join(" | ")} |`),
    "",
    ...extras(c).map((l) => `- ${l}`),
    "",
  ].join("\n");
}

const cell = (x: number | null): number | null => (x === null || Number.isNaN(x) ? null : x);

/** Logs `c` as a run of its own; returns its id. */
export async function logComparison(
  mlflow: MlflowClient,
  c: Comparison,
  where: { baselineRunId?: string; candidateRunId?: string; experimentName?: string },
): Promise<string> {
  const experimentId = where.experimentName
    ? await mlflow.getOrCreateExperiment(where.experimentName)
    : where.baselineRunId
    ? (await mlflow.getRun(where.baselineRunId)).info.experimentId
    : undefined;
  const run = mlflow.startRun({
    runName: "compare",
    ...(experimentId ? { experimentId } : {}),
    tags: {
      "compare.baseline": c.baseline,
      "compare.candidate": c.candidate,
      "compare.paired_by": c.pairedBy,
      ...(where.baselineRunId ? { "compare.baseline_run_id": where.baselineRunId } : {}),
      ...(where.candidateRunId ? { "compare.candidate_run_id": where.candidateRunId } : {}),
    },
  });
  run.logParams({ alpha: c.alpha });
  for (const s of c.scorers) {
    const metrics: Record<string, number> = {
      [`compare/${s.scorer}/diff`]: s.diff,
      [`compare/${s.scorer}/ci_low`]: s.ciLow,
      [`compare/${s.scorer}/ci_high`]: s.ciHigh,
      [`compare/${s.scorer}/n_paired`]: s.nPaired,
    };
    if (s.pValue !== null) metrics[`compare/${s.scorer}/p_value`] = s.pValue;
    if (s.cohensD !== null) metrics[`compare/${s.scorer}/cohens_d`] = s.cohensD;
    run.logMetrics(metrics);
  }
  if (c.latencyDiffSeconds !== undefined) {
    run.logMetric("compare/latency_diff_s", c.latencyDiffSeconds);
  }
  if (c.costDiffUsd !== undefined) run.logMetric("compare/cost_diff_usd", c.costDiffUsd);
  run.logTable(
    c.scorers.map((s) => ({
      scorer: s.scorer,
      kind: s.kind,
      test: s.test,
      n_paired: s.nPaired,
      only_baseline: s.onlyBaseline,
      only_candidate: s.onlyCandidate,
      baseline_mean: cell(s.baselineMean),
      candidate_mean: cell(s.candidateMean),
      diff: cell(s.diff),
      ci_low: cell(s.ciLow),
      ci_high: cell(s.ciHigh),
      p_value: s.pValue,
      cohens_d: s.cohensD,
      wins: s.wins,
      ties: s.ties,
      losses: s.losses,
      note: s.note ?? null,
    })),
    "compare/scorers.json",
  );
  run.logText(markdownComparison(c), "compare/summary.md");
  await run.end();
  return (await run.info()).runId;
}

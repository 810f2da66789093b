// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.
//
// One scorer's comparison over paired scores: which test, and every number of ScorerComparison,
// each edge case (no pairs, n = 1, no discordant pairs, all differences equal) given a defined
// result and a note instead of a NaN.

import { bootstrap, mcnemar, mean, normalQuantile, pairedT, sampleSd } from "./stats.ts";
import type { ScorerComparison } from "./types.ts";

/** Options the scorer comparison needs. */
export interface ScorerOptions {
  alpha: number;
  continuousTest: "bootstrap" | "t-test";
  resamples: number;
  seed: number;
}

/** Compares paired `baseline[i]` / `candidate[i]` scores (both numbers) of one scorer. */
export function compareScorer(
  scorer: string,
  baseline: number[],
  candidate: number[],
  unpaired: { onlyBaseline: number; onlyCandidate: number },
  options: ScorerOptions,
): ScorerComparison {
  const n = baseline.length;
  const diffs = candidate.map((c, i) => c - baseline[i]);
  const wins = diffs.filter((d) => d > 0).length;
  const losses = diffs.filter((d) => d < 0).length;
  const binary = n > 0 && [...baseline, ...candidate].every((x) => x === 0 || x === 1);
  const base = {
    scorer,
    kind: binary ? "binary" as const : "continuous" as const,
    nPaired: n,
    ...unpaired,
    wins,
    ties: n - wins - losses,
    losses,
  };
  if (n === 0) {
    return {
      ...base,
      test: "none",
      baselineMean: NaN,
      candidateMean: NaN,
      diff: NaN,
      ciLow: NaN,
      ciHigh: NaN,
      pValue: null,
      significant: false,
      cohensD: null,
      note: "no sample has a number on both sides",
    };
  }
  const baselineMean = mean(baseline);
  const candidateMean = mean(candidate);
  const diff = mean(diffs);
  // A spread at the level of floating-point noise (0.5 + 0.1 − 0.5 is not 0.1) is no spread.
  const noise = 1e-12 * Math.max(1, ...diffs.map(Math.abs));
  const spread = sampleSd(diffs);
  const sd = spread > noise ? spread : 0;
  const cohensD = n >= 2 && sd > 0 ? diff / sd : null;
  const notes: string[] = [];
  if (cohensD === null) notes.push(n < 2 ? "n = 1: no spread" : "every difference is the same");

  if (binary) {
    const b = losses; // baseline 1, candidate 0
    const c = wins; // baseline 0, candidate 1
    const form = b + c < 25 ? "exact" : "chi-square";
    const { pValue } = mcnemar(b, c, form);
    // Wald interval of the difference of paired proportions.
    const z = normalQuantile(1 - options.alpha / 2);
    const se = Math.sqrt(Math.max(0, (b + c) / n - ((c - b) / n) ** 2) / n);
    if (b + c === 0) notes.push("no discordant pairs: the two sides agree on every sample");
    return {
      ...base,
      test: form === "exact" ? "mcnemar-exact" : "mcnemar-chi-square",
      discordant: { baselineOnly: b, candidateOnly: c },
      baselineMean,
      candidateMean,
      diff,
      ciLow: diff - z * se,
      ciHigh: diff + z * se,
      pValue,
      significant: pValue < options.alpha,
      cohensD,
      ...(notes.length ? { note: notes.join("; ") } : {}),
    };
  }

  if (n < 2 || !(sd > 0)) {
    // No spread: a test has nothing to weigh. Equal everywhere is no difference; a constant
    // non-zero shift is reported without a p-value rather than with a made-up one.
    return {
      ...base,
      test: "none",
      baselineMean,
      candidateMean,
      diff,
      ciLow: diff,
      ciHigh: diff,
      pValue: diff === 0 ? 1 : null,
      significant: false,
      cohensD,
      note: notes.join("; "),
    };
  }
  const result = options.continuousTest === "t-test"
    ? pairedT(diffs, options.alpha)
    : bootstrap(diffs, options);
  return {
    ...base,
    test: options.continuousTest,
    baselineMean,
    candidateMean,
    diff,
    ciLow: result.ciLow,
    ciHigh: result.ciHigh,
    pValue: result.pValue,
    significant: result.pValue < options.alpha,
    cohensD,
  };
}

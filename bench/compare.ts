// Copyright 2026 the evalhooks authors. MIT license.
// compareEvals on two 10,000-sample evals (a pass/fail and a continuous scorer, bootstrap with
// 10,000 resamples): the time of the comparison itself (single-threaded: wall ≈ CPU), median of
// 5 after a warm-up. Goal (#18): < 1 s. Prints one JSON line.

import process from "node:process";
import { compareEvals, type EvalSamples } from "../src/compare/mod.ts";
import { seededRandom } from "../src/compare/stats.ts";

const N = 10_000;
const random = seededRandom(2026);
const side = (label: string, shift: number): EvalSamples => ({
  label,
  pairedBy: "id-epoch",
  samples: Array.from({ length: N }, (_, i) => ({
    key: `s${i}#1`,
    scores: { correct: random() < 0.7 + shift ? 1 : 0, quality: random() * 10 + shift },
    latencySeconds: random(),
  })),
});
const a = side("baseline", 0);
const b = side("candidate", 0.01);
const times: number[] = [];
const cpu: number[] = [];
await compareEvals(a, b);
for (let r = 0; r < 5; r++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await compareEvals(a, b);
  times.push((performance.now() - t0) / 1000);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1e6);
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(
  JSON.stringify({
    samples: N,
    resamples: 10_000,
    seconds: median(times),
    cpuSeconds: median(cpu),
  }),
);

// Copyright 2026 the evalhooks authors. MIT license.
// The statistics of compareEvals, with no dependency: McNemar's test (exact and chi-square), a
// seeded paired bootstrap, the paired t-test and Cohen's d. The special functions (log-gamma,
// the regularised incomplete beta and gamma functions) are the standard series and continued
// fractions, good to about 1e-14; tests/compare_test.ts checks every number against SciPy.

export { seededRandom } from "../base/random.ts";

const LANCZOS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = LANCZOS[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS = 1e-16;
const TINY = 1e-300;

// Continued fraction of the incomplete beta function (modified Lentz).
function betaFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < EPS) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(a, b, x)) / a
    : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** The regularised upper incomplete gamma function Q(a, x). */
export function upperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    return 1 - sum * Math.exp(lead);
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < EPS) break;
  }
  return Math.exp(lead) * h;
}

/** Two-sided p-value of Student's t with `df` degrees of freedom. */
export function studentTwoSided(t: number, df: number): number {
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The `p` quantile (p > 0.5) of Student's t with `df` degrees of freedom, by bisection. */
export function studentQuantile(p: number, df: number): number {
  const tail = 2 * (1 - p); // two-sided tail at the quantile
  let lo = 0;
  let hi = 1;
  while (studentTwoSided(hi, df) > tail) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTwoSided(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The `p` quantile (p > 0.5) of the standard normal, by bisection on its exact two-sided tail. */
export function normalQuantile(p: number): number {
  const tail = 2 * (1 - p);
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (upperGamma(0.5, (mid * mid) / 2) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Mean of `xs` (NaN for none). */
export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n − 1; NaN for fewer than two). */
export function sampleSd(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** McNemar's test on the discordant counts `b` and `c`. */
export function mcnemar(
  b: number,
  c: number,
  form: "exact" | "chi-square",
): { statistic: number; pValue: number } {
  const n = b + c;
  if (n === 0) return { statistic: 0, pValue: 1 };
  if (form === "chi-square") {
    // With Edwards' continuity correction, as statsmodels' default.
    const statistic = (Math.abs(b - c) - 1) ** 2 / n;
    return { statistic, pValue: upperGamma(0.5, statistic / 2) };
  }
  // Exact: twice the binomial(n, ½) tail at min(b, c), in log space so large n cannot underflow.
  const k = Math.min(b, c);
  const logs: number[] = [];
  for (let i = 0; i <= k; i++) {
    logs.push(logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1) - n * Math.LN2);
  }
  const top = Math.max(...logs);
  const tail = Math.exp(top) * logs.reduce((s, l) => s + Math.exp(l - top), 0);
  return { statistic: k, pValue: Math.min(1, 2 * tail) };
}

/** The `q` quantile of sorted `xs`, linear between points (NumPy's default). */
export function quantile(sorted: Float64Array | readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Paired bootstrap of the mean difference: `resamples` means of `diffs` drawn with replacement
 * give the percentile CI. The p-value is the shifted bootstrap's (as `inspect_mlflow`'s): the
 * share of resampled means of the centred differences at least as far from 0 as the observed
 * mean, never below 1 / resamples. The centred means are the same resamples minus the observed
 * mean, so one set of draws serves both (half the work of drawing them twice, same distribution).
 */
export function bootstrap(
  diffs: readonly number[],
  options: { resamples: number; seed: number; alpha: number },
): { ciLow: number; ciHigh: number; pValue: number } {
  const n = diffs.length;
  const values = Float64Array.from(diffs);
  const observed = mean(diffs);
  const means = new Float64Array(options.resamples);
  // seededRandom's mulberry32, inline: this loop draws resamples × n indices, and a call per
  // draw made it 7× slower.
  let state = options.seed >>> 0;
  let extreme = 0;
  for (let r = 0; r < options.resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      sum += values[Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)];
    }
    means[r] = sum / n;
    if (Math.abs(means[r] - observed) >= Math.abs(observed)) extreme++;
  }
  means.sort();
  return {
    ciLow: quantile(means, options.alpha / 2),
    ciHigh: quantile(means, 1 - options.alpha / 2),
    pValue: Math.max(1 / options.resamples, extreme / options.resamples),
  };
}

/** The paired t-test of `diffs` against 0, with its (1 − alpha) CI. */
export function pairedT(
  diffs: readonly number[],
  alpha: number,
): { statistic: number; pValue: number; ciLow: number; ciHigh: number } {
  const n = diffs.length;
  const m = mean(diffs);
  const se = sampleSd(diffs) / Math.sqrt(n);
  const statistic = m / se;
  const q = studentQuantile(1 - alpha / 2, n - 1);
  return {
    statistic,
    pValue: studentTwoSided(statistic, n - 1),
    ciLow: m - q * se,
    ciHigh: m + q * se,
  };
}

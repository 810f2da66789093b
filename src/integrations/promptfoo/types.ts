// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The part of promptfoo's results file (`promptfoo eval -o results.json`, promptfoo's
// `OutputFile`) that the import reads, as promptfoo 0.123 writes it (src/types/index.ts there:
// OutputFile, EvaluateSummaryV3, EvaluateResult, GradingResult). Everything else is kept as
// unknown and never required.

/**
 * Token counts as promptfoo reports them (`prompt`, `completion`, `total`).
 *
 * @example
 * ```ts
 * import type { PromptfooTokenUsage } from "@evalhooks/mlflow/promptfoo";
 *
 * const usage: PromptfooTokenUsage = { prompt: 12, completion: 3, total: 15 };
 * ```
 */
export interface PromptfooTokenUsage {
  /** Prompt tokens. */
  prompt?: number;
  /** Completion tokens. */
  completion?: number;
  /** Both. */
  total?: number;
  /** Tokens served from a cache. */
  cached?: number;
  /** Calls made. */
  numRequests?: number;
}

/**
 * One assertion's verdict (promptfoo's `GradingResult`); the test case's own is the same shape,
 * with its assertions' verdicts in `componentResults`.
 *
 * @example
 * ```ts
 * import type { PromptfooGradingResult } from "@evalhooks/mlflow/promptfoo";
 *
 * const verdict: PromptfooGradingResult = {
 *   pass: false,
 *   score: 0,
 *   reason: 'Expected output to contain "blue"',
 *   assertion: { type: "contains", value: "blue" },
 * };
 * ```
 */
export interface PromptfooGradingResult {
  /** Passed. */
  pass: boolean;
  /** Between 0 and 1. */
  score: number;
  /** Why. */
  reason?: string;
  /** Named metrics' scores (assertions with a `metric`). */
  namedScores?: Record<string, number>;
  /** The assertions' own verdicts. */
  componentResults?: PromptfooGradingResult[];
  /** The assertion this verdict is of: `type`, `value`, `metric`, `provider`, … */
  assertion?: {
    type: string;
    value?: unknown;
    metric?: string;
    provider?: unknown;
    [key: string]: unknown;
  } | null;
  /** Grader details (`renderedAssertionValue`, …). */
  metadata?: Record<string, unknown>;
  /** Tokens an LLM grader used. */
  tokensUsed?: PromptfooTokenUsage;
}

/**
 * One test case run through one prompt and one provider (promptfoo's `EvaluateResult`).
 *
 * @example
 * ```ts
 * import type { PromptfooResult } from "@evalhooks/mlflow/promptfoo";
 *
 * function failed(rows: PromptfooResult[]): PromptfooResult[] {
 *   return rows.filter((r) => !r.success);
 * }
 * ```
 */
export interface PromptfooResult {
  /** Result id. */
  id?: string;
  /** Index of the prompt in `results.prompts` (one entry per prompt and provider). */
  promptIdx: number;
  /** Index of the test case. */
  testIdx: number;
  /** The test case: `description`, `vars`, `assert`, … */
  testCase?: { description?: string; vars?: Record<string, unknown>; [key: string]: unknown };
  /** The provider: its id and label (older files: the id alone). */
  provider: { id: string; label?: string } | string;
  /** The rendered prompt. */
  prompt?: { raw?: string; label?: string; [key: string]: unknown };
  /** The test case's variables. */
  vars?: Record<string, unknown>;
  /** What the provider answered. */
  response?: {
    output?: unknown;
    error?: string;
    tokenUsage?: PromptfooTokenUsage;
    cost?: number;
    cached?: boolean;
    [key: string]: unknown;
  } | null;
  /** The provider's or the grading's error. */
  error?: string | null;
  /** 0 none, 1 an assertion failed, 2 an error. */
  failureReason?: number;
  /** Passed every assertion. */
  success: boolean;
  /** The test case's score, between 0 and 1. */
  score: number;
  /** The provider call's time. */
  latencyMs?: number;
  /** The verdict and its assertions'. */
  gradingResult?: PromptfooGradingResult | null;
  /** Named metrics' scores. */
  namedScores?: Record<string, number>;
  /** The call's cost. */
  cost?: number;
  /** Token usage of the call. */
  tokenUsage?: PromptfooTokenUsage;
  /** The other fields promptfoo writes. */
  [key: string]: unknown;
}

/**
 * A prompt as run by one provider, with promptfoo's totals for it (`CompletedPrompt`).
 *
 * @example
 * ```ts
 * import type { PromptfooPrompt } from "@evalhooks/mlflow/promptfoo";
 *
 * const prompt: PromptfooPrompt = { raw: "Q: {{question}} A:", label: "qa", provider: "echo" };
 * ```
 */
export interface PromptfooPrompt {
  /** Prompt id (a hash). */
  id?: string;
  /** The template. */
  raw: string;
  /** Its label. */
  label?: string;
  /** The provider it ran on (its label, else its id). */
  provider?: string;
  /** promptfoo's totals for this prompt and provider. */
  metrics?: Record<string, unknown>;
}

/**
 * The results file `promptfoo eval -o results.json` writes (promptfoo's `OutputFile`), parsed.
 *
 * @example
 * ```ts
 * import type { PromptfooOutputFile } from "@evalhooks/mlflow/promptfoo";
 *
 * const file: PromptfooOutputFile = {
 *   evalId: "eval-abc-2026-01-01T00:00:00",
 *   results: { version: 3, timestamp: "2026-01-01T00:00:00.000Z", prompts: [], results: [] },
 *   config: {},
 *   shareableUrl: null,
 * };
 * ```
 */
export interface PromptfooOutputFile {
  /** The eval's id; null when promptfoo did not store it (`--no-write`). */
  evalId: string | null;
  /** The eval's results. */
  results: {
    /** Format version (3 today; 2 kept its prompts in `table.head.prompts`). */
    version: number;
    /** When the eval started. */
    timestamp: string;
    /** Prompts by provider. */
    prompts?: PromptfooPrompt[];
    /** One per test case, prompt and provider. */
    results: PromptfooResult[];
    /** Totals. */
    stats?: {
      successes?: number;
      failures?: number;
      errors?: number;
      tokenUsage?: PromptfooTokenUsage;
      durationMs?: number;
    };
    /** Version 2's table. */
    table?: { head?: { prompts?: PromptfooPrompt[] } };
  };
  /** The eval's config: `description`, `prompts`, `providers`, `tests`, … */
  config?: Record<string, unknown>;
  /** A share link, if the eval was shared. */
  shareableUrl?: string | null;
  /** promptfoo's version and when it ran. */
  metadata?: { promptfooVersion?: string; evaluationCreatedAt?: string; [key: string]: unknown };
  /** The other fields promptfoo writes. */
  [key: string]: unknown;
}

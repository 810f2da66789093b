// Copyright 2026 the evalhooks authors. MIT license.
// `cli compare <baseline> <candidate>`: each a run id or an Inspect log file. Prints the
// comparison as a table (or JSON) and, with --fail-if-worse, exits 1 when the candidate is
// significantly worse on any chosen scorer: a CI gate.

import process from "node:process";
import { existsSync } from "node:fs";
import { createMlflow } from "../../evaluate/create_mlflow.ts";
import { gitSourceTags } from "../../client/node/git_source.ts";
import { readInspectLog } from "../../integrations/inspect/node/read_file.ts";
import type { EvalSample as InspectSample } from "../../integrations/inspect/types.ts";
import { compareEvals } from "../compare_evals.ts";
import { formatComparison } from "../report.ts";
import { samplesOfInspectLog } from "../sources.ts";
import type { EvalSource, InspectLogLike } from "../types.ts";

/** The help text of `cli compare`. */
export const COMPARE_HELP = `Compare two evals with statistics, and gate CI on a regression.

Usage:
  cli compare <baseline> <candidate> [options]

Each side is an MLflow run id (a task run of the Inspect hooks or import, of the Python
inspect_mlflow hook, or an evaluate() run) or an Inspect log file (.eval or .json).
Samples pair by (id, epoch), by an 'id' input of evaluate() rows, else by row index.
Pass/fail scorers get McNemar's test (exact when fewer than 25 discordant pairs), continuous
ones a paired bootstrap (10,000 resamples, seeded); both with a 95 % CI and Cohen's d.

Options:
  --scorer NAME         compare this scorer (repeatable; default: all)
  --alpha A             significance level (default 0.05)
  --t-test              paired t-test instead of the bootstrap for continuous scorers
  --fail-if-worse       exit 1 when the candidate is significantly worse on any scorer
  --json                print the whole result as JSON
  --log                 also log the comparison as a run (needs a tracking server)
  --tracking-uri URI    MLflow server for run ids (default: $MLFLOW_TRACKING_URI)
  -h, --help            this text

Exit codes: 0 compared (not worse), 1 significantly worse with --fail-if-worse, 2 usage error.
`;

async function readLog(path: string): Promise<InspectLogLike> {
  const reader = await readInspectLog(path);
  try {
    const samples: InspectSample[] = [];
    for await (const s of reader.samples()) samples.push(s);
    return { ...reader.header, samples } as unknown as InspectLogLike;
  } finally {
    await reader.close();
  }
}

/** Runs `cli compare`; returns the exit code. */
export async function compareCommand(argv: string[]): Promise<number> {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(COMPARE_HELP);
    return 0;
  }
  const sides: string[] = [];
  const scorers: string[] = [];
  let alpha = 0.05;
  let json = false;
  let failIfWorse = false;
  let tTest = false;
  let log = false;
  let trackingUri = process.env.MLFLOW_TRACKING_URI;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? "";
    if (a === "--scorer") scorers.push(value());
    else if (a === "--alpha") alpha = Number(value());
    else if (a === "--json") json = true;
    else if (a === "--fail-if-worse") failIfWorse = true;
    else if (a === "--t-test") tTest = true;
    else if (a === "--log") log = true;
    else if (a === "--tracking-uri") trackingUri = value();
    else if (a.startsWith("-")) return usage(`unknown option '${a}'`);
    else sides.push(a);
  }
  if (sides.length !== 2) return usage("give a baseline and a candidate");
  if (!(alpha > 0 && alpha < 1)) return usage("--alpha must be between 0 and 1");
  const needsServer = sides.some((s) => !existsSync(s));
  if (needsServer && !trackingUri) {
    return usage(
      `'${
        sides.find((s) => !existsSync(s))
      }' is no file, and no tracking server is set (MLFLOW_TRACKING_URI or --tracking-uri) to read it as a run`,
    );
  }
  // A comparison run (--log) carries the git commit of the project the command runs from.
  const mlflow = trackingUri
    ? createMlflow({
      trackingUri,
      onError: () => {},
      sourceTags: await gitSourceTags(process.cwd()),
    })
    : undefined;
  try {
    const sources: EvalSource[] = [];
    for (const side of sides) {
      sources.push(existsSync(side) ? samplesOfInspectLog(await readLog(side), side) : side);
    }
    const result = await compareEvals(sources[0], sources[1], {
      mlflow,
      log,
      alpha,
      ...(scorers.length ? { scorers } : {}),
      continuousTest: tTest ? "t-test" : "bootstrap",
    });
    process.stdout.write(json ? JSON.stringify(result, null, 2) + "\n" : formatComparison(result));
    const worse = result.scorers.filter((s) => s.significant && s.diff < 0);
    if (failIfWorse && worse.length > 0) {
      process.stderr.write(
        `significantly worse: ${
          worse.map((s) => `${s.scorer} (p ${s.pValue?.toPrecision(3)})`).join(", ")
        }\n`,
      );
      return 1;
    }
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 2;
  } finally {
    await mlflow?.close();
  }
}

function usage(message: string): number {
  process.stderr.write(`error: ${message}\n\n${COMPARE_HELP}`);
  return 2;
}

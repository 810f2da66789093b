// Copyright 2026 the evalhooks authors. MIT license.
// `cli import-promptfoo <results.json...>`: reads promptfoo results files and imports each with
// importPromptfooResults. The local server comes from the caller (cli.ts), which sits above the
// local_server layer this file may not import.

import process from "node:process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createMlflow } from "../../../evaluate/create_mlflow.ts";
import { gitSourceTags } from "../../../client/node/git_source.ts";
import { importPromptfooResults, type PromptfooImportResult } from "../import_results.ts";

/** The help text of `cli import-promptfoo`. */
export const IMPORT_PROMPTFOO_HELP = `Import promptfoo results into MLflow.

Usage:
  cli import-promptfoo <results.json...> [options]

Each file is what 'promptfoo eval -o results.json' writes. Its eval becomes a parent run (tag
promptfoo.eval_id), each provider a run under it (params: provider config and prompts; metrics:
<assertion>/mean, success/mean, score/mean, usage and cost; eval.* tags), each result a trace
with the test's vars as request, the output as response and every assertion as feedback.
An eval already imported into the experiment (same eval id) is skipped.

Options:
  --experiment NAME     experiment (default: $MLFLOW_EXPERIMENT_NAME, promptfoo)
  --tracking-uri URI    MLflow server (default: $MLFLOW_TRACKING_URI; without one, a local server
                        over ./.mlflow is started for the import)
  --no-traces           skip the per-result traces (the runs' metrics still count every result)
  --force               import evals that were imported before, into new runs
  -h, --help            this text

Exit codes: 0 all imported or skipped, 1 a file failed, 2 usage error.
`;

/** What the command needs from above its layer: a local server when there is no tracking URI. */
export interface ImportPromptfooDeps {
  /** Starts a local MLflow server over `storeDir` (cli.ts passes `startLocalMlflow`). */
  startLocalMlflow(
    options: { storeDir: string },
  ): Promise<{ uri: string; close(): Promise<void> }>;
}

/** Runs `cli import-promptfoo`; returns the exit code. */
export async function importPromptfooCommand(
  argv: string[],
  deps: ImportPromptfooDeps,
): Promise<number> {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(IMPORT_PROMPTFOO_HELP);
    return 0;
  }
  const files: string[] = [];
  let experimentName: string | undefined;
  let trackingUri = process.env.MLFLOW_TRACKING_URI;
  let traces = true;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === "--experiment") experimentName = value();
      else if (a.startsWith("--experiment=")) experimentName = a.slice(13);
      else if (a === "--tracking-uri") trackingUri = value();
      else if (a.startsWith("--tracking-uri=")) trackingUri = a.slice(15);
      else if (a === "--no-traces") traces = false;
      else if (a === "--force") force = true;
      else if (a.startsWith("-")) return usage(`unknown option '${a}'`);
      else files.push(a);
    } catch (error) {
      return usage((error as Error).message);
    }
  }
  if (files.length === 0) return usage("no results file given");
  // Every file is read and parsed before anything is written: a typo fails alone, early.
  const parsed: unknown[] = [];
  for (const file of files) {
    try {
      parsed.push(JSON.parse(readFileSync(file, "utf8")));
    } catch (error) {
      process.stderr.write(`error: cannot read ${file}: ${(error as Error).message}\n`);
      return 2;
    }
  }

  let server: { uri: string; close(): Promise<void> } | undefined;
  if (!trackingUri) {
    const storeDir = join(process.cwd(), ".mlflow");
    process.stderr.write(
      `No MLFLOW_TRACKING_URI: starting a local MLflow server over ${storeDir}\n`,
    );
    server = await deps.startLocalMlflow({ storeDir });
    trackingUri = server.uri;
  }
  const mlflow = createMlflow({
    trackingUri,
    onError: () => {},
    sourceTags: await gitSourceTags(process.cwd()),
  });
  const results: PromptfooImportResult["status"][] = [];
  try {
    for (const [i, file] of files.entries()) {
      const started = performance.now();
      let line: string;
      try {
        const r = await importPromptfooResults(mlflow, parsed[i], {
          experimentName,
          traces,
          force,
        });
        results.push(r.status);
        const count = r.runs.reduce((n, run) => n + run.cases, 0);
        line =
          `${
            r.status.padEnd(8)
          } ${file} (${r.evalId}, ${r.runs.length} providers, ${count} results, ` +
          `${((performance.now() - started) / 1000).toFixed(1)}s)${
            r.reason ? `: ${r.reason}` : ""
          }`;
      } catch (error) {
        results.push("failed");
        line = `failed   ${file}: ${(error as Error).message ?? String(error)}`;
      }
      process.stderr.write(`${line}\n`);
    }
    await mlflow.close().catch(() => {});
  } finally {
    await server?.close();
  }
  const count = (status: string) => results.filter((s) => s === status).length;
  process.stdout.write(
    `files: ${count("imported")} imported, ${count("skipped")} skipped, ${
      count("failed")
    } failed\n`,
  );
  return count("failed") > 0 ? 1 : 0;
}

function usage(message: string): number {
  process.stderr.write(`error: ${message}\n\n${IMPORT_PROMPTFOO_HELP}`);
  return 2;
}

#!/usr/bin/env -S deno run -A
// Copyright 2026 the evalhooks authors. MIT license.

/**
 * The command line: import Inspect AI logs and promptfoo results into MLflow, and compare two evals.
 *
 * ```sh
 * deno run -A jsr:@evalhooks/mlflow/cli import logs/ --experiment my-evals
 * bunx jsr:@evalhooks/mlflow/cli import logs/run.eval
 * ```
 *
 * @example Run it from code
 * ```ts
 * import { main } from "@evalhooks/mlflow/cli";
 *
 * const exitCode = await main(["import", "logs/", "--dry-run"]);
 * ```
 *
 * @module
 */

import process from "node:process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createMlflow } from "./src/evaluate/create_mlflow.ts";
import { gitSourceTags } from "./src/client/node/git_source.ts";
import { importInspectLog, type ImportResult } from "./src/integrations/inspect/node/import.ts";
import type { ImportProgress } from "./src/integrations/inspect/import_progress.ts";
import { type LocalMlflowServer, startLocalMlflow } from "./src/local_server/mlflow_server.ts";
import { compareCommand } from "./src/compare/node/compare_command.ts";
import { importPromptfooCommand } from "./src/integrations/promptfoo/node/import_command.ts";

const HELP = `Import Inspect AI logs (.eval and .json) into MLflow.

Usage:
  cli import <files or folders...> [options]
  cli compare <baseline> <candidate> [options]   (see cli compare --help)
  cli import-promptfoo <results.json...> [options]   (see cli import-promptfoo --help)

Folders are walked for .eval and .json logs. Each log becomes a task run with params, metrics,
tables and one trace per sample, under one parent run per eval run (logs with the same run id
share it, across calls and processes), as the inspect_mlflow hook logs them.
A log already imported into the experiment (same eval id) is skipped.

Options:
  --experiment NAME     experiment (default: $INSPECT_MLFLOW_EXPERIMENT_NAME, $MLFLOW_EXPERIMENT_NAME, inspect_ai)
  --tracking-uri URI    MLflow server (default: $MLFLOW_TRACKING_URI; without one, a local server
                        over ./.mlflow is started for the import)
  --no-artifacts        skip tables and JSON artifacts
  --no-traces           skip per-sample traces
  --dry-run             read and check the logs, write nothing
  --force               import logs that were imported before, into new runs
  -h, --help            this text

Exit codes: 0 all imported or skipped, 1 a log failed, 2 usage error.
`;

interface Args {
  paths: string[];
  experiment?: string;
  trackingUri?: string;
  artifacts: boolean;
  traces: boolean;
  dryRun: boolean;
  force: boolean;
}

function parse(argv: string[]): Args | string {
  const [command, ...rest] = argv;
  if (command !== "import") return command ? `unknown command '${command}'` : "missing command";
  const args: Args = { paths: [], artifacts: true, traces: true, dryRun: false, force: false };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === "--experiment") args.experiment = value();
      else if (a.startsWith("--experiment=")) args.experiment = a.slice(13);
      else if (a === "--tracking-uri") args.trackingUri = value();
      else if (a.startsWith("--tracking-uri=")) args.trackingUri = a.slice(15);
      else if (a === "--no-artifacts") args.artifacts = false;
      else if (a === "--no-traces") args.traces = false;
      else if (a === "--dry-run") args.dryRun = true;
      else if (a === "--force") args.force = true;
      else if (a.startsWith("-")) return `unknown option '${a}'`;
      else args.paths.push(a);
    } catch (error) {
      return (error as Error).message;
    }
  }
  return args.paths.length > 0 ? args : "no files or folders given";
}

/** Every .eval and .json under the given paths, in a stable order. */
function findLogs(paths: string[]): { logs: string[]; missing: string[] } {
  const logs: string[] = [];
  const missing: string[] = [];
  const walk = (path: string) => {
    let info;
    try {
      info = statSync(path);
    } catch {
      missing.push(path);
      return;
    }
    if (info.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        const child = join(path, name);
        if (statSync(child).isDirectory() || name.endsWith(".eval") || name.endsWith(".json")) {
          walk(child);
        }
      }
    } else logs.push(path);
  };
  paths.forEach(walk);
  return { logs, missing };
}

// The bar follows delivery, not reading: reading a log takes seconds, sending its traces longer.
function progress(tty: boolean) {
  const width = 24;
  let line = "";
  return {
    update(log: number, logs: number, p: ImportProgress, startedAt: number) {
      if (!tty) return;
      const elapsed = (performance.now() - startedAt) / 1000;
      const rate = p.sent / Math.max(elapsed, 1e-3);
      const eta = rate > 0 && p.total > p.sent ? `${Math.ceil((p.total - p.sent) / rate)} s` : "-";
      const filled = p.total > 0 ? Math.round((p.sent / p.total) * width) : width;
      line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] log ${log}/${logs} · read ` +
        `${p.read}/${p.total} · sent ${p.sent}/${p.total} · ${rate.toFixed(0)}/s · ETA ${eta}`;
      process.stderr.write(`\r${line}\x1b[K`);
    },
    clear() {
      if (tty && line) process.stderr.write("\r\x1b[K");
      line = "";
    },
  };
}

/**
 * Runs the CLI with `argv` (without the program name); resolves to the exit code.
 *
 * @example
 * ```ts
 * import { main } from "@evalhooks/mlflow/cli";
 *
 * Deno.exit(await main(["import", "logs/", "--experiment", "imported"]));
 * ```
 */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === "compare") return await compareCommand(argv.slice(1));
  if (argv[0] === "import-promptfoo") {
    return await importPromptfooCommand(argv.slice(1), { startLocalMlflow });
  }
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(HELP);
    return 0;
  }
  const args = parse(argv);
  if (typeof args === "string") {
    process.stderr.write(`error: ${args}\n\n${HELP}`);
    return 2;
  }
  const { logs, missing } = findLogs(args.paths);
  if (missing.length > 0) {
    process.stderr.write(`error: not found: ${missing.join(", ")}\n`);
    return 2;
  }
  if (logs.length === 0) {
    process.stderr.write("error: no .eval or .json logs found\n");
    return 2;
  }

  const started = performance.now();
  let server: LocalMlflowServer | undefined;
  let trackingUri = args.trackingUri ?? process.env.MLFLOW_TRACKING_URI;
  if (!trackingUri && !args.dryRun) {
    const storeDir = join(process.cwd(), ".mlflow");
    process.stderr.write(
      `No MLFLOW_TRACKING_URI: starting a local MLflow server over ${storeDir}\n`,
    );
    server = await startLocalMlflow({ storeDir });
    trackingUri = server.uri;
  }
  // Imported runs carry the git commit, branch and remote of the project the import runs from.
  const mlflow = args.dryRun ? undefined : createMlflow({
    trackingUri,
    onError: () => {},
    sourceTags: await gitSourceTags(process.cwd()),
  });
  const bar = progress(Boolean(process.stderr.isTTY));
  const results: ImportResult[] = [];
  try {
    for (const [i, path] of logs.entries()) {
      const logStart = performance.now();
      const result = await importInspectLog(path, {
        mlflow,
        experimentName: args.experiment,
        artifacts: args.artifacts,
        traces: args.traces,
        dryRun: args.dryRun,
        force: args.force,
        onProgress: (p) => bar.update(i + 1, logs.length, p, logStart),
      });
      bar.clear();
      results.push(result);
      const detail = result.reason ? `: ${result.reason}` : "";
      process.stderr.write(
        `${result.status.padEnd(8)} ${path} (${result.task ?? "?"}, ${result.samples} samples, ${
          result.seconds.toFixed(1)
        }s)${detail}\n`,
      );
    }
  } finally {
    await server?.close();
  }

  const count = (status: string) => results.filter((r) => r.status === status).length;
  const stats = mlflow?.stats();
  const seconds = (performance.now() - started) / 1000;
  const lines = [
    `logs: ${count("imported")} imported, ${count("skipped")} skipped, ${count("failed")} failed` +
    (args.dryRun ? `, ${count("checked")} checked (dry run)` : ""),
  ];
  if (stats) {
    lines.push(
      `runs: ${stats.logged.runs}, metrics: ${stats.logged.metrics}, params: ${stats.logged.params}, ` +
        `artifacts: ${stats.logged.artifacts}, traces: ${stats.logged.traces}, HTTP requests: ${stats.requests}`,
    );
  }
  lines.push(`seconds: ${seconds.toFixed(1)}`);
  if (server) {
    lines.push(
      `To browse: ${server.mlflowBin} server --port 5000 --backend-store-uri sqlite:///${server.storeDir}/mlflow.db ` +
        `--artifacts-destination ${server.storeDir}/artifacts`,
    );
  }
  process.stdout.write(lines.join("\n") + "\n");
  return count("failed") > 0 ? 1 : 0;
}

if (import.meta.main) process.exit(await main(process.argv.slice(2)));

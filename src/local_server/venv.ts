// Copyright 2026 the evalhooks authors. MIT license.

// The cached Python venv with the pinned `mlflow`: where it lives, creating it once (under a lock,
// so parallel test runs share one), and installing extra packages into it.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The MLflow release the harness installs and the tests are written against.
 *
 * @example
 * ```ts
 * import { MLFLOW_VERSION } from "@evalhooks/mlflow/testing";
 *
 * console.log(`tests run against mlflow ${MLFLOW_VERSION}`);
 * ```
 */
export const MLFLOW_VERSION = "3.18.0";

/**
 * The folder that holds cached venvs: `$EVALHOOKS_CACHE_DIR`, else `~/.cache/evalhooks-mlflow`.
 *
 * @example
 * ```ts
 * import { cacheDir } from "@evalhooks/mlflow/testing";
 *
 * console.log(`venvs are cached in ${cacheDir()}`);
 * ```
 */
export function cacheDir(): string {
  const env = (name: string) => {
    try {
      return process.env[name] || undefined;
    } catch {
      return undefined;
    }
  };
  return env("EVALHOOKS_CACHE_DIR") ??
    join(env("XDG_CACHE_HOME") ?? join(homedir(), ".cache"), "evalhooks-mlflow");
}

function log(message: string): void {
  console.error(`[mlflow-harness] ${message}`);
}

function run(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(
      `${what} failed (exit ${result.status}): ${command} ${args.join(" ")}\n` +
        `${
          (result.stderr ?? "").split("\n").filter((l) => !l.includes("is ignored")).slice(-15)
            .join("\n")
        }`,
    );
  }
}

/**
 * The venv with `mlflow==3.18.0`, created on first use. Returns its `bin/` folder.
 *
 * If the package index lacks `mlflow-skinny==3.18.0` (mlflow pins it exactly, and some mirrors
 * lag), the full `mlflow` wheel, which carries every module skinny has, is installed without
 * dependencies over the dependencies of the newest skinny release the index has.
 *
 * @example Run MLflow's own Python client from a test
 * ```ts
 * import { ensureMlflowVenv } from "@evalhooks/mlflow/testing";
 * import { spawnSync } from "node:child_process";
 *
 * const bin = ensureMlflowVenv();
 * spawnSync(`${bin}/python`, ["-c", "import mlflow; print(mlflow.__version__)"], { stdio: "inherit" });
 * ```
 */
export function ensureMlflowVenv(extraPackages: string[] = []): string {
  const venv = join(cacheDir(), `venv-mlflow-${MLFLOW_VERSION}`);
  const bin = join(venv, "bin");
  const ready = join(venv, ".ready");
  if (!existsSync(ready)) {
    mkdirSync(cacheDir(), { recursive: true });
    const lock = join(cacheDir(), `venv-mlflow-${MLFLOW_VERSION}.lock`);
    withLock(lock, () => {
      if (existsSync(ready)) return;
      log(`creating ${venv} (once; later runs reuse it)`);
      rmSync(venv, { recursive: true, force: true });
      run("python3", ["-m", "venv", venv], "creating the venv");
      const pip = join(bin, "pip");
      try {
        run(
          pip,
          ["install", "-q", `mlflow==${MLFLOW_VERSION}`],
          `pip install mlflow==${MLFLOW_VERSION}`,
        );
      } catch (error) {
        log(
          `direct install failed, using the full wheel over skinny's dependencies: ${
            (error as Error).message.split("\n")[0]
          }`,
        );
        run(pip, [
          "install",
          "-q",
          "mlflow-skinny==3.17.2",
          "mlflow-tracing==3.17.2",
          "mlflow==3.17.2",
        ], "installing dependencies");
        run(
          pip,
          ["uninstall", "-q", "-y", "mlflow", "mlflow-skinny", "mlflow-tracing"],
          "clearing 3.17.2",
        );
        run(
          pip,
          ["install", "-q", "--no-deps", `mlflow==${MLFLOW_VERSION}`],
          `installing mlflow==${MLFLOW_VERSION}`,
        );
      }
      const version = spawnSync(join(bin, "python"), [
        "-c",
        "import mlflow; print(mlflow.__version__)",
      ], {
        encoding: "utf8",
      }).stdout.trim();
      if (version !== MLFLOW_VERSION) {
        throw new Error(`venv has mlflow ${version}, not ${MLFLOW_VERSION}`);
      }
      writeFileSync(ready, MLFLOW_VERSION);
    });
  }
  if (extraPackages.length > 0) {
    const marker = join(venv, `.extra-${extraPackages.join("_").replace(/[^\w.=-]/g, "_")}`);
    if (!existsSync(marker)) {
      log(`installing ${extraPackages.join(" ")} into ${venv}`);
      run(
        join(bin, "pip"),
        ["install", "-q", ...extraPackages],
        `pip install ${extraPackages.join(" ")}`,
      );
      writeFileSync(marker, "");
    }
  }
  return bin;
}

function withLock(lock: string, fn: () => void): void {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      spawnSync("sleep", ["1"]);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

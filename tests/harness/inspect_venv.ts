// Copyright 2026 the evalhooks authors. MIT license.

// A cached venv with the real Inspect AI and the Python inspect_mlflow hook, for parity tests.
// Its own venv, beside the MLflow server's: inspect-mlflow pulls in mlflow-skinny, which would
// overwrite the pinned 3.18.0 server's files if installed there.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cacheDir } from "../../src/local_server/mlflow_server.ts";

/** Versions the parity test is written against. */
export const INSPECT_PACKAGES = ["inspect-ai==0.3.285", "inspect-mlflow==0.9.0"];

/** The venv's python, creating the venv once. */
export function ensureInspectVenv(): string {
  const venv = join(cacheDir(), "venv-inspect-0.3.285");
  const ready = join(venv, ".ready");
  if (!existsSync(ready)) {
    mkdirSync(cacheDir(), { recursive: true });
    console.error(`[inspect-harness] creating ${venv} (once)`);
    rmSync(venv, { recursive: true, force: true });
    const steps: [string, string[]][] = [
      ["python3", ["-m", "venv", venv]],
      [join(venv, "bin", "pip"), ["install", "-q", ...INSPECT_PACKAGES]],
    ];
    for (const [cmd, args] of steps) {
      const out = spawnSync(cmd, args, { encoding: "utf8" });
      if (out.status !== 0) {
        const tail = out.stderr.split("\n").filter((l) => !l.includes("is ignored")).slice(-10)
          .join("\n");
        throw new Error(`${cmd} ${args.join(" ")} failed:\n${tail}`);
      }
    }
    writeFileSync(ready, INSPECT_PACKAGES.join("\n"));
  }
  return join(venv, "bin", "python");
}

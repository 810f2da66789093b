// Copyright 2026 the evalhooks authors. MIT license.

// A script that is stopped while it has work in flight, run as its own process by
// tests/exit_hooks_test.ts on Deno and Bun. Everything comes from the environment:
//   TRACKING_URI, EXPERIMENT   where to log
//   EXIT_MODE                  wait (for the parent's signal) | exit | user-listener | idle
//   METRICS                    how many metrics to queue in one tick (default 50,000)
//   EXIT_FLUSH_MS              the client option, when set
// It prints one JSON line, {"ready":true}, once the metrics are queued.

import process from "node:process";
import { createMlflow } from "../../mod.ts";

const env = (name: string): string | undefined => process.env[name];
const deno = (globalThis as { Deno?: typeof Deno }).Deno;
const exit = (code: number): void => deno ? deno.exit(code) : process.exit(code);

const mode = env("EXIT_MODE") ?? "wait";
const exitFlushMs = env("EXIT_FLUSH_MS");
const mlflow = createMlflow({
  trackingUri: env("TRACKING_URI"),
  experimentName: env("EXPERIMENT"),
  exitFlushMs: exitFlushMs === undefined ? undefined : Number(exitFlushMs),
});

if (mode === "idle") {
  // Everything is sent and the run ended, but the client is never closed: the hooks are still
  // installed, and the process must exit by itself, at once.
  const run = mlflow.startRun({ runName: "idle" });
  run.logMetric("m", 1);
  await run.end();
  await mlflow.flush();
  console.log(JSON.stringify({ ready: true }));
} else if (mode === "no-runs") {
  // Hooks installed, nothing to do: a signal must stop the process as it would without them.
  mlflow.startRun({ runName: "done" }).end();
  await mlflow.flush();
  setTimeout(() => console.log("timer fired"), 60_000);
  console.log(JSON.stringify({ ready: true }));
} else {
  const run = mlflow.startRun({ runName: "burst" });
  const n = Number(env("METRICS") ?? 50_000);
  for (let i = 0; i < n; i++) run.logMetric("m", i, { step: i });

  if (mode === "user-listener") {
    // The user's own graceful stop: it keeps control, logs one more metric and closes.
    const onTerm = async () => {
      console.log(JSON.stringify({ userListener: true }));
      run.logMetric("after", 1);
      await mlflow.close();
      exit(7);
    };
    if (deno) deno.addSignalListener("SIGTERM", onTerm);
    else process.on("SIGTERM", onTerm);
  }
  console.log(JSON.stringify({ ready: true }));
  if (mode === "exit") exit(Number(env("EXIT_CODE") ?? "0"));
}

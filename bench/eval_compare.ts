// Copyright 2026 the evalhooks authors. MIT license.
// A whole eval, side by side: a real Inspect AI eval of N samples (offline mockllm/model, a tool
// call per sample, 2 scorers) run without any hook and with the Python inspect_mlflow hook
// (requests counted by a proxy in front of the server, added wall time = the difference), versus
// our import of the same .eval log and our live hooks replaying it. Prints one JSON line.

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMlflow, type EvalSample, mlflowHooks, replayLog } from "../mod.ts";
import { importInspectLog, readInspectLog } from "../src/integrations/inspect/mod.ts";
import { ensureMlflowVenv, startLocalMlflow } from "../src/local_server/mlflow_server.ts";
import { ensureInspectVenv } from "../tests/harness/inspect_venv.ts";
import { startFaultProxy } from "../tests/harness/fault_proxy.ts";

const SAMPLES = Number(Deno.env.get("BENCH_EVAL_SAMPLES") ?? 1000);
const script = new URL("../tests/harness/inspect_parity_eval.py", import.meta.url).pathname;
const python = ensureInspectVenv();
const server = await startLocalMlflow();
const proxy = await startFaultProxy(server.uri);
const baseEnv: Record<string, string> = {};
for (const [k, v] of Object.entries(Deno.env.toObject())) {
  if (!/^(INSPECT_)?MLFLOW_/.test(k)) baseEnv[k] = v;
}

// Spawned asynchronously: the counting proxy lives in this process and must keep answering.
async function inspectEval(env: Record<string, string>): Promise<{ seconds: number; log: string }> {
  const dir = mkdtempSync(join(tmpdir(), "evalhooks-bench-eval-"));
  const t0 = performance.now();
  const child = spawn(python, [script, dir, String(SAMPLES), "1"], { env: { ...baseEnv, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => stdout += d);
  child.stderr.on("data", (d) => stderr += d);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(stderr.slice(-3000));
  return { seconds: (performance.now() - t0) / 1000, log: stdout.trim().split("\n").at(-1)! };
}

// `withoutOtlp` answers the OTLP endpoint with 404, as a server without it would: the client
// learns that once and sends each trace's spans as its traces.json artifact instead, so both ways
// of shipping spans are timed on the same server.
const counting = (withoutOtlp = false) => {
  let requests = 0;
  const client = createMlflow({
    trackingUri: server.uri,
    fetch: (input, init) => {
      requests++;
      const url = input instanceof Request ? input.url : String(input);
      if (withoutOtlp && new URL(url).pathname === "/v1/traces") {
        return Promise.resolve(new Response("not here", { status: 404 }));
      }
      return fetch(input, init);
    },
  });
  return { client, requests: () => requests };
};

try {
  console.error("[bench] Inspect eval without a hook");
  const bare = await inspectEval({});
  console.error("[bench] Inspect eval with the Python inspect_mlflow hook");
  const before = proxy.requests;
  const hooked = await inspectEval({
    MLFLOW_TRACKING_URI: proxy.uri,
    MLFLOW_EXPERIMENT_NAME: "bench-python-hook",
    INSPECT_MLFLOW_AUTOLOG_ENABLED: "false",
  });
  const pythonRequests = proxy.requests - before;

  const imports: Record<string, { requests: number; seconds: number }> = {};
  const modes = [
    { name: "tracesOff", traces: false, withoutOtlp: false },
    { name: "tracesOn", traces: true, withoutOtlp: false },
    { name: "tracesOnArtifacts", traces: true, withoutOtlp: true },
  ];
  for (const { name, traces, withoutOtlp } of modes) {
    console.error(`[bench] our import (${name})`);
    const { client, requests } = counting(withoutOtlp);
    const t0 = performance.now();
    const result = await importInspectLog(bare.log, {
      mlflow: client,
      experimentName: `bench-import-${name}`,
      traces,
      env: {},
    });
    if (result.status !== "imported") throw new Error(`import: ${result.status} ${result.reason}`);
    imports[name] = {
      requests: requests(),
      seconds: (performance.now() - t0) / 1000,
    };
  }

  // The server's own floor: the traced import's traces stored again by MLflow's store in-process
  // (bench/server_floor.py), so the time no client can save is measured, not guessed.
  console.error("[bench] the server's own cost per traced sample (in-process store)");
  const byName = await fetch(
    `${server.uri}/api/2.0/mlflow/experiments/get-by-name?experiment_name=bench-import-tracesOn`,
  ).then((r) => r.json()) as { experiment: { experiment_id: string } };
  const floorRun = spawnSync(`${ensureMlflowVenv()}/python`, [
    new URL("./server_floor.py", import.meta.url).pathname,
    server.uri,
    byName.experiment.experiment_id,
    String(SAMPLES),
  ], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (floorRun.status !== 0) throw new Error(`server_floor.py: ${floorRun.stderr.slice(-3000)}`);
  const serverFloor = JSON.parse(floorRun.stdout.trim().split("\n").at(-1)!);

  // Live hooks: the samples are in memory as they would be during an eval; the time that counts
  // is what the hook calls take on the eval's path (they only enqueue), then the final flush.
  console.error("[bench] our live hooks replaying the log");
  const reader = await readInspectLog(bare.log);
  const samples: EvalSample[] = [];
  for await (const s of reader.samples()) samples.push(s);
  await reader.close();
  const { client, requests } = counting();
  const hooks = mlflowHooks({ mlflow: client, experimentName: "bench-live", env: {} });
  const rss0 = Deno.memoryUsage().rss;
  let peak = rss0;
  const t0 = performance.now();
  const sync = { ms: 0 };
  const timed = new Proxy(hooks, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function" || prop === "flush") return value;
      return (...args: unknown[]) => {
        const s = performance.now();
        const r = (value as (...a: unknown[]) => unknown).apply(target, args);
        sync.ms += performance.now() - s;
        peak = Math.max(peak, Deno.memoryUsage().rss);
        return r;
      };
    },
  });
  await replayLog(reader.header, timed, { samples });
  const tFlush = performance.now();
  await hooks.flush();
  const live = {
    requests: requests(),
    hookCallsSeconds: sync.ms / 1000,
    flushSeconds: (performance.now() - tFlush) / 1000,
    seconds: (performance.now() - t0) / 1000,
    peakRssMiB: Math.max(peak, Deno.memoryUsage().rss) / 2 ** 20,
  };
  console.log(JSON.stringify({
    samples: SAMPLES,
    inspectWithoutHook: bare.seconds,
    inspectWithPythonHook: hooked.seconds,
    pythonAddedSeconds: hooked.seconds - bare.seconds,
    pythonRequests,
    imports,
    serverFloor,
    live,
  }));
} finally {
  await proxy.close();
  await server.close();
}

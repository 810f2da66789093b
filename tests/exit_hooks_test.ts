// Copyright 2026 the evalhooks authors. MIT license.

// A script stopped while its work is in flight: SIGTERM, SIGINT and exit(), each in a child
// process on Deno and on Bun, logging through a slow proxy in front of the real server, then
// everything read back from the server itself.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import { createMlflow, DEFAULT_EXIT_FLUSH_MS } from "../mod.ts";
import { formatLossReport } from "../src/client/exit_report.ts";
import { startFaultProxy } from "./harness/fault_proxy.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

const CHILD = new URL("./fixtures_exit/child.ts", import.meta.url).pathname;
const METRICS = 50_000;
// Process start-up and tear-down on a busy machine, on top of the final flush's own bound.
const MARGIN_MS = 3000;

interface ChildResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** From the signal (or, with none, from the "ready" line) to the exit. */
  stopMs: number;
}

/** Runs the child script until it ends; sends `signal` once it has queued its metrics. */
function runChild(
  runtime: string,
  env: Record<string, string>,
  signal?: "SIGTERM" | "SIGINT",
): Promise<ChildResult> {
  const args = runtime === "deno" ? ["run", "-A", CHILD] : ["run", CHILD];
  const child = spawn(runtime, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let from = 0;
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    if (from === 0 && stdout.includes('{"ready":true}')) {
      from = Date.now();
      // process.kill, not child.kill: Deno's child.kill makes the exit report the signal even
      // when the child ended with an exit code of its own.
      if (signal) process.kill(child.pid!, signal);
    }
  });
  // A hang detector, not a speed target.
  const guard = setTimeout(() => child.kill("SIGKILL"), 90_000);
  return new Promise((resolve) => {
    child.on("close", (code, sig) => {
      clearTimeout(guard);
      resolve({ code, signal: sig, stdout, stderr, stopMs: Date.now() - from });
    });
  });
}

/** The counts the loss report gives for the run 'burst'. */
function reported(stderr: string): { notSent: number; inFlight: number; line: string } {
  const line = stderr.split("\n").find((l) => l.includes("run 'burst'")) ?? "";
  const count = (re: RegExp) => Number(re.exec(line)?.[1] ?? 0);
  return {
    notSent: count(/(\d+) items? not sent/),
    inFlight: count(/(\d+) items? in flight/),
    line,
  };
}

/** The only run of the experiment, and how many points of `key` reached the server. */
async function readBack(experimentName: string, key = "m") {
  const reader = createMlflow({ trackingUri: await trackingUri(), exitFlushMs: false });
  const experiment = await reader.getExperimentByName(experimentName);
  assert.ok(experiment, "the experiment was created");
  const runs = await reader.searchRuns({ experimentIds: [experiment.experimentId] });
  assert.equal(runs.length, 1);
  const landed = (await reader.getMetricHistory(runs[0].info.runId, key)).length;
  return { run: runs[0], landed };
}

/**
 * Stops a child logging 50,000 metrics through a proxy that holds each request 250 ms, and checks
 * the contract: it stops within the bound and as asked, its run reads KILLED, and what landed is
 * what the report says was sent.
 */
async function stopMidFlush(
  runtime: string,
  how: { signal?: "SIGTERM" | "SIGINT"; exitCode?: number; flushMs?: number },
) {
  const proxy = await startFaultProxy(await trackingUri());
  proxy.setDelay(250);
  try {
    const experimentName = uniqueName(`exit-${runtime}`);
    const env: Record<string, string> = {
      TRACKING_URI: proxy.uri,
      EXPERIMENT: experimentName,
      EXIT_MODE: how.signal ? "wait" : "exit",
      METRICS: String(METRICS),
    };
    if (how.exitCode !== undefined) env.EXIT_CODE = String(how.exitCode);
    if (how.flushMs !== undefined) env.EXIT_FLUSH_MS = String(how.flushMs);
    const out = await runChild(runtime, env, how.signal);
    const bound = (how.flushMs ?? DEFAULT_EXIT_FLUSH_MS) + MARGIN_MS;
    assert.ok(out.stopMs < bound, `stopped after ${out.stopMs} ms, bound ${bound} ms`);
    if (how.signal) {
      // Ended by the signal itself, or (should re-raising fail) with the conventional 128 + n.
      const code = how.signal === "SIGTERM" ? 143 : 130;
      assert.ok(
        out.signal === how.signal || out.code === code,
        `${how.signal}: got code ${out.code}, signal ${out.signal}; stderr: ${out.stderr}`,
      );
    } else {
      assert.equal(out.signal, null);
      assert.equal(out.code, how.exitCode, out.stderr);
    }

    const { run, landed } = await readBack(experimentName);
    assert.equal(run.info.status, "KILLED");
    // A slow server cannot take 50,000 metrics in the time allowed: the report must say so.
    const report = reported(out.stderr);
    assert.match(out.stderr, /\[mlflow\] (SIGTERM|SIGINT|exit\(\d*\)): the final flush could not/);
    assert.ok(report.line.includes(`(${run.info.runId})`), out.stderr);
    assert.ok(report.notSent > 0, out.stderr);
    assert.doesNotMatch(report.line, /left RUNNING/);
    // What landed is what the report says was sent; a request in flight may or may not have.
    const sent = METRICS - report.notSent;
    assert.ok(
      landed <= sent && landed >= sent - report.inFlight,
      `landed ${landed}, report: ${report.notSent} not sent, ${report.inFlight} in flight`,
    );
    assert.ok(landed > 0, "the final flush sent something");
  } finally {
    await proxy.close();
  }
}

// Each runtime's child runs from that runtime's own phase of `deno task test`: spawning both from
// both phases ran every child case twice.
for (const runtime of ["Bun" in globalThis ? "bun" : "deno"]) {
  test(`exit hooks (${runtime}): SIGTERM mid-flush: a final flush of at most 5 s, the run KILLED, the loss reported`, async () => {
    await stopMidFlush(runtime, { signal: "SIGTERM" });
  });

  test(`exit hooks (${runtime}): exit(3) mid-flush: the exit waits for the final flush and keeps its code`, async () => {
    await stopMidFlush(runtime, { exitCode: 3, flushMs: 2500 });
  });

  test(`exit hooks (${runtime}): SIGINT mid-flush: the same, ending by SIGINT`, async () => {
    await stopMidFlush(runtime, { signal: "SIGINT", flushMs: 2500 });
  });

  test(`exit hooks (${runtime}): SIGTERM with little in flight: everything lands, nothing is reported`, async () => {
    const experimentName = uniqueName(`exit-fits-${runtime}`);
    const out = await runChild(runtime, {
      TRACKING_URI: await trackingUri(),
      EXPERIMENT: experimentName,
      METRICS: "2000",
    }, "SIGTERM");
    assert.ok(out.signal === "SIGTERM" || out.code === 143, out.stderr);
    assert.ok(out.stopMs < DEFAULT_EXIT_FLUSH_MS, `stopped after ${out.stopMs} ms`);
    assert.doesNotMatch(out.stderr, /\[mlflow\]/);
    const { run, landed } = await readBack(experimentName);
    assert.equal(landed, 2000);
    assert.equal(run.info.status, "KILLED");
  });

  test(`exit hooks (${runtime}): with the hooks installed and nothing pending, the script exits at once`, async () => {
    const out = await runChild(runtime, {
      TRACKING_URI: await trackingUri(),
      EXPERIMENT: uniqueName(`exit-idle-${runtime}`),
      EXIT_MODE: "idle",
    });
    assert.equal(out.code, 0, out.stderr);
    assert.ok(out.stopMs < 1500, `exited ${out.stopMs} ms after its last line`);
    assert.doesNotMatch(out.stderr, /\[mlflow\]/);
  });

  test(`exit hooks (${runtime}): with nothing to do, a signal stops the process as it would without them`, async () => {
    const out = await runChild(runtime, {
      TRACKING_URI: await trackingUri(),
      EXPERIMENT: uniqueName(`exit-none-${runtime}`),
      EXIT_MODE: "no-runs",
    }, "SIGTERM");
    assert.ok(out.signal === "SIGTERM" || out.code === 143, out.stderr);
    assert.ok(out.stopMs < 1500, `stopped after ${out.stopMs} ms`);
    assert.doesNotMatch(out.stdout, /timer fired/);
  });

  test(`exit hooks (${runtime}): the user's own SIGTERM listener keeps control`, async () => {
    const experimentName = uniqueName(`exit-user-${runtime}`);
    const out = await runChild(runtime, {
      TRACKING_URI: await trackingUri(),
      EXPERIMENT: experimentName,
      EXIT_MODE: "user-listener",
      METRICS: "5000",
    }, "SIGTERM");
    // Their listener ran, closed the client (everything sent, the run FINISHED) and chose the code.
    assert.equal(out.signal, null, out.stderr);
    assert.equal(out.code, 7, out.stderr);
    assert.match(out.stdout, /"userListener":true/);
    assert.doesNotMatch(out.stderr, /\[mlflow\]/);
    const { run, landed } = await readBack(experimentName);
    assert.equal(run.info.status, "FINISHED");
    assert.equal(landed, 5000);
    assert.equal((await readBack(experimentName, "after")).landed, 1);
  });

  test(`exit hooks (${runtime}): exitFlushMs: 0 installs nothing: SIGTERM stops the process at once`, async () => {
    const proxy = await startFaultProxy(await trackingUri());
    proxy.setDelay(250);
    try {
      const out = await runChild(runtime, {
        TRACKING_URI: proxy.uri,
        EXPERIMENT: uniqueName(`exit-off-${runtime}`),
        EXIT_FLUSH_MS: "0",
      }, "SIGTERM");
      assert.equal(out.signal, "SIGTERM", out.stderr);
      assert.ok(out.stopMs < 1500, `stopped after ${out.stopMs} ms`);
      assert.doesNotMatch(out.stderr, /\[mlflow\]/);
    } finally {
      await proxy.close();
    }
  });
}

const here = "Bun" in globalThis ? "bun" : "deno";
const INSTALL_CHECK = new URL("./fixtures_exit/install_check.ts", import.meta.url).pathname;

test(`exit hooks (${here}): installed once per process, with the first client, removed with the last`, async () => {
  // In a process of its own: this one may hold other tests' open clients (Bun runs every file in
  // one process), and then the hooks are rightly installed before this test begins.
  const args = here === "deno" ? ["run", "-A", INSTALL_CHECK] : ["run", INSTALL_CHECK];
  const child = spawn(here, args, { stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(code, 0, stdout);
  const line = stdout.split("\n").find((l) => l.startsWith("{"));
  assert.ok(line, `the check printed its result: ${stdout}`);
  assert.deepEqual(JSON.parse(line).failed, []);
});

test("exit hooks: exitFlushMs must be a non-negative number or false", () => {
  for (const bad of [-1, Number.NaN, Infinity, "5000" as unknown as number]) {
    assert.throws(() => createMlflow({ trackingUri: "http://127.0.0.1:9", exitFlushMs: bad }), {
      name: "RangeError",
    });
  }
});

test("exit hooks: the loss report names each run and its counts, and is empty with no loss", () => {
  assert.deepEqual(formatLossReport("SIGTERM:", [{ runs: [], traces: 0 }]), []);
  assert.deepEqual(
    formatLossReport("SIGTERM: the final flush could not send everything:", [{
      runs: [
        { runName: "a", runId: "r1", notSent: 1, inFlight: 1000, artifacts: 2, leftRunning: true },
        { runName: "b", notSent: 5, inFlight: 0, artifacts: 0, leftRunning: false },
      ],
      traces: 3,
    }]),
    [
      "[mlflow] SIGTERM: the final flush could not send everything:",
      "[mlflow]   run 'a' (r1): 1 item not sent, 1000 items in flight (may have landed), " +
      "2 artifacts not uploaded, left RUNNING",
      "[mlflow]   run 'b' (never created): 5 items not sent",
      "[mlflow]   3 trace writes not finished",
    ],
  );
});

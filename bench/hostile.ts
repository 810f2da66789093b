// Copyright 2026 the evalhooks authors. MIT license.
// The hostile phase of `deno task stress` (#21): four writers race on one experiment of a real
// MLflow server of its own (two clients in this process, a Deno process and a Bun process), each
// starting runs with the same names, start times and tags as the others and as runs a fifth,
// plain client made first. Every field carries astral text (and a lone surrogate where a value
// can hold one), writes come after `end()`, ten flushes wait at once, a fault proxy injects 10 %
// mixed faults (among them a 503 that quotes the request's headers back), and the server is
// stopped for part of the run. Then everything is read back from the server itself:
//
// - lost: a logged item (run, param, tag, metric point, artifact, trace, assessment, the writes
//   after end) that is not there, or not as logged;
// - duplicated: a run, metric point, trace or assessment that is there more than once;
// - deleted by us: a deleted run that is not the twin of a live run with the same create id;
// - leaked: the API key header, the password or the Basic credential found in any error,
//   warning, console line, process output or stored value.

import { spawn } from "node:child_process";
import { createMlflow, type RunData } from "../mod.ts";
import { startLocalMlflow } from "../src/local_server/mlflow_server.ts";
import {
  type Fault,
  mixedFaults,
  seededRandom,
  startFaultProxy,
} from "../tests/harness/fault_proxy.ts";
import { astral, hostileWriter, type WriterManifest } from "./hostile_writer.ts";

/** What the phase found. */
export interface HostileReport {
  writers: string[];
  runs: number;
  itemsLogged: number;
  lost: number;
  duplicated: number;
  deletedByUs: number;
  leaked: number;
  /** Error and warning messages, console lines and process outputs searched for secrets. */
  messagesSearched: number;
  flushCalls: number;
  flushRejected: number;
  failures: string[];
  faults: Record<string, number>;
  outageSeconds: number;
  seconds: number;
  problems: string[];
}

function child(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ out: string; err: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn(command, args, { env: { ...Deno.env.toObject(), ...env } });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("error", reject);
    p.on("close", (code) => resolve({ out, err, code }));
  });
}

function hasCommand(command: string): boolean {
  try {
    return new Deno.Command(command, { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** Runs the phase; `runsPerWriter` runs for each of the four writers. */
export async function runHostile(runsPerWriter = 8, outageMs = 8_000): Promise<HostileReport> {
  const started = Date.now();
  const server = await startLocalMlflow();
  const secret = `sk-hostile-${crypto.randomUUID()}`;
  const password = `pw-${crypto.randomUUID()}`;
  const basic = btoa(`hostile:${password}`);
  const secrets = [secret, password, basic, basic.replace(/=+$/, "")];
  const kinds: Fault[] = ["reset-before", "reset-after", "503", "429", "truncate", "echo-503"];
  const proxy = await startFaultProxy(server.uri, mixedFaults(0.1, 21, kinds));
  const uri = proxy.uri.replace("http://", `http://hostile:${password}@`);
  const experimentName = `hostile-${Date.now()}`;
  const startTime = Date.now() - 3_600_000;
  const problems: string[] = [];
  const consoleLines: string[] = [];
  const original = { log: console.log, warn: console.warn, error: console.error };
  for (const level of ["warn", "error"] as const) {
    console[level] = (...args: unknown[]) => {
      consoleLines.push(args.map(String).join(" "));
      original[level](...args);
    };
  }
  let outageSeconds = 0;
  try {
    // Someone else's runs with the very names, start times and tags the writers will use.
    const other = createMlflow({ trackingUri: server.uri, experimentName, exitFlushMs: false });
    const othersIds: string[] = [];
    for (let i = 0; i < runsPerWriter; i++) {
      const run = other.startRun({
        runName: `race-${i} ${astral(seededRandom(i), 12)}`,
        startTime: startTime + i,
        tags: { round: String(i), note: astral(seededRandom(100 + i), 20) },
      });
      othersIds.push((await run.info()).runId);
    }
    await other.close();

    const here = Deno.execPath();
    const second = hasCommand("bun") ? ["bun", "bun"] : [here, "deno"];
    const script = new URL("./hostile_writer.ts", import.meta.url).pathname;
    const args = (
      label: string,
      seed: number,
    ) => [uri, experimentName, label, String(seed), String(startTime), String(runsPerWriter)];
    const processes = [
      child(here, ["run", "-A", script, ...args("deno-process", 3)], { HOSTILE_SECRET: secret }),
      child(second[0], [
        ...(second[1] === "deno" ? ["run", "-A"] : []),
        script,
        ...args(`${second[1]}-process`, 4),
      ], {
        HOSTILE_SECRET: secret,
      }),
    ];
    const writers: Promise<WriterManifest>[] = [
      hostileWriter({
        uri,
        experimentName,
        label: "client-a",
        seed: 1,
        startTime,
        secret,
        runs: runsPerWriter,
      }),
      hostileWriter({
        uri,
        experimentName,
        label: "client-b",
        seed: 2,
        startTime,
        secret,
        runs: runsPerWriter,
      }),
    ];
    // The server goes away for part of the run, and comes back on the same store.
    await new Promise((r) => setTimeout(r, 2_500));
    const down = Date.now();
    await server.stop();
    await new Promise((r) => setTimeout(r, outageMs));
    await server.start();
    outageSeconds = (Date.now() - down) / 1000;

    const manifests = await Promise.all(writers);
    const outputs = await Promise.all(processes);
    const processOutput: string[] = [];
    for (const o of outputs) {
      processOutput.push(o.out, o.err);
      const line = o.out.trim().split("\n").filter((l) => l.startsWith("{")).at(-1);
      if (o.code !== 0 || !line) {
        problems.push(`a writer process failed (exit ${o.code}): ${o.err.slice(-500)}`);
        continue;
      }
      manifests.push(JSON.parse(line) as WriterManifest);
    }

    // Read everything back from the server itself, not through the proxy.
    const reader = createMlflow({ trackingUri: server.uri, exitFlushMs: false });
    const experimentId = await reader.getOrCreateExperiment(experimentName);
    const live = await reader.searchRuns({ experimentIds: [experimentId], maxResults: 5000 });
    const deleted = await reader.searchRuns({
      experimentIds: [experimentId],
      maxResults: 5000,
      runViewType: "DELETED_ONLY",
    });
    const traces = await reader.searchTraces({ experimentIds: [experimentId], maxResults: 5000 });
    let lost = 0;
    let duplicated = 0;
    let itemsLogged = 0;
    const note = (what: string) => problems.length < 40 && problems.push(what);
    const byKey = new Map<string, RunData[]>();
    for (const r of live) {
      const key = r.params["hostile.key"];
      if (key) byKey.set(key, [...(byKey.get(key) ?? []), r]);
    }
    for (const id of othersIds) {
      if (!live.some((r) => r.info.runId === id)) note(`someone else's run ${id} is gone`);
    }
    for (const m of manifests) {
      for (const run of m.runs) {
        // run, params, long param, tags, metric points, text, trace, 2 assessments, after-end 2.
        const items = 1 + Object.keys(run.params).length + 1 + Object.keys(run.tags).length +
          run.steps + 1 + 1 + 2 + 2;
        itemsLogged += items;
        const found = byKey.get(run.key) ?? [];
        if (found.length === 0) {
          lost += items;
          note(`run ${run.key} not found`);
          continue;
        }
        duplicated += found.length - 1;
        const r = found[0];
        if (r.info.runName !== run.runName) lost++, note(`${run.key}: run name changed`);
        for (const [k, v] of Object.entries(run.params)) {
          if (r.params[k] !== v) {
            lost++, note(`${run.key}: param ${k} is ${JSON.stringify(r.params[k])?.slice(0, 40)}`);
          }
        }
        const long = r.params.long ?? "";
        if (long.length === 0 || !run.longParam.startsWith(long)) {
          lost++, note(`${run.key}: long param`);
        }
        for (const [k, v] of Object.entries(run.tags)) {
          if (r.tags[k] !== v) lost++, note(`${run.key}: tag ${k}`);
        }
        if (!r.tags.after_end) lost++, note(`${run.key}: tag after end()`);
        if (r.info.status !== "FINISHED") note(`${run.key}: status ${r.info.status}`);
        const points = await reader.getMetricHistory(r.info.runId, run.metricKey);
        const steps = new Set(points.map((p) => p.step));
        lost += run.steps - steps.size;
        duplicated += points.length - steps.size;
        if ((await reader.getMetricHistory(r.info.runId, "after_end")).length !== 1) {
          lost++, note(`${run.key}: metric after end()`);
        }
        const text = new TextDecoder().decode(
          await reader.downloadArtifact(r.info.runId, run.textPath),
        );
        if (text !== run.text) lost++, note(`${run.key}: text artifact differs`);
        const mine = traces.filter((t) => t.tags["hostile.key"] === run.key);
        if (mine.length === 0) {
          lost += 3;
          note(`${run.key}: trace not found`);
          continue;
        }
        duplicated += mine.length - 1;
        const t = mine[0];
        if (t.tags["mlflow.traceName"] !== run.traceName) lost++, note(`${run.key}: trace name`);
        for (const name of ["quality", "expected"]) {
          const a = t.assessments.filter((x) => x.name === name);
          if (a.length === 0) lost++, note(`${run.key}: assessment ${name} missing`);
          duplicated += Math.max(0, a.length - 1);
        }
        const quality = t.assessments.find((x) => x.name === "quality");
        if (quality && quality.rationale !== run.rationale) lost++, note(`${run.key}: rationale`);
        const spans = (await reader.getTrace(t.traceId)).spans;
        if (spans.length !== 2) lost++, note(`${run.key}: ${spans.length} spans`);
      }
    }
    // A deleted run is ours to have deleted only as the twin of a live run with its create id.
    const liveCreateIds = new Set(live.map((r) => r.tags["evalhooks.createId"]).filter(Boolean));
    let deletedByUs = 0;
    for (const d of deleted) {
      const id = d.tags["evalhooks.createId"];
      if (!id || !liveCreateIds.has(id)) deletedByUs++, note(`run ${d.info.runId} was deleted`);
    }
    // Secrets: in anything said or stored.
    const searched = [
      ...manifests.flatMap((m) => [...m.messages, ...m.failures]),
      ...consoleLines,
      ...processOutput.filter(Boolean),
    ];
    const said = [...searched, JSON.stringify(live), JSON.stringify(traces)].join("\n");
    let leaked = 0;
    for (const s of secrets) leaked += said.split(s).length - 1;
    await reader.close();
    return {
      writers: manifests.map((m) => m.label),
      runs: manifests.reduce((n, m) => n + m.runs.length, 0),
      itemsLogged,
      lost,
      duplicated,
      deletedByUs,
      leaked,
      messagesSearched: searched.length,
      flushCalls: manifests.reduce((n, m) => n + m.flushCalls, 0),
      flushRejected: manifests.reduce((n, m) => n + m.flushRejected, 0),
      failures: manifests.flatMap((m) => m.failures),
      faults: { ...proxy.injected },
      outageSeconds,
      seconds: (Date.now() - started) / 1000,
      problems,
    };
  } finally {
    Object.assign(console, original);
    await proxy.close();
    await server.close();
  }
}

if (import.meta.main) {
  const report = await runHostile(Number(Deno.env.get("HOSTILE_RUNS") ?? 8));
  console.log(JSON.stringify({ phase: "hostile", ...report }));
}

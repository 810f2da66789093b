// Copyright 2026 the evalhooks authors. MIT license.

// One trace across two processes through a W3C `traceparent` header, both ways, with MLflow's
// own Python client on the other side (tests/harness/python_trace_peer.py) and a real server.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createMlflow, type Mlflow, MlflowError, type SpanData } from "../mod.ts";
import { ensureMlflowVenv } from "../src/local_server/mlflow_server.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

const PEER = new URL("./harness/python_trace_peer.py", import.meta.url).pathname;

async function startPeer(experimentId: string): Promise<{ uri: string; stop(): void }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  const child = spawn(join(ensureMlflowVenv(), "python"), [PEER], {
    env: { ...env, MLFLOW_TRACKING_URI: await trackingUri(), MLFLOW_EXPERIMENT_ID: experimentId },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => stderr += d);
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(out.split("\n")[0].trim());
    });
    child.on("exit", (code) => reject(new Error(`peer exited ${code}: ${stderr.slice(-2000)}`)));
  });
  return { uri: `http://127.0.0.1:${port}`, stop: () => child.stdin!.end() };
}

async function setup(): Promise<{ mlflow: Mlflow; experimentId: string }> {
  const name = uniqueName("distributed");
  const mlflow = createMlflow({ trackingUri: await trackingUri(), experimentName: name });
  return { mlflow, experimentId: await mlflow.getOrCreateExperiment(name) };
}

function byName(spans: SpanData[]): Record<string, SpanData> {
  return Object.fromEntries(spans.map((s) => [s.name, s]));
}

test("distributed: a trace begun here and continued by a Python service is one nested trace", async () => {
  const { mlflow, experimentId } = await setup();
  const peer = await startPeer(experimentId);
  try {
    const root = mlflow.startTrace({ name: "ts-root", inputs: { question: "2+2?" } });
    const call = root.startSpan({ name: "call-python", spanType: "TOOL" });
    const headers = call.traceHeaders();
    assert.match(headers.traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const response = await fetch(`${peer.uri}/continue`, {
      method: "POST",
      headers,
      body: "2+2?",
    });
    call.end({ outputs: await response.json() });
    root.end({ outputs: "4" });
    await mlflow.flush();

    const { info, spans } = await mlflow.getTrace(root.traceId);
    const s = byName(spans);
    assert.deepEqual(Object.keys(s).sort(), [
      "call-python",
      "python-handler",
      "python-llm",
      "ts-root",
    ]);
    assert.equal(s["ts-root"].parentSpanId, undefined);
    assert.equal(s["call-python"].parentSpanId, root.spanId);
    assert.equal(s["python-handler"].parentSpanId, call.spanId, "Python's span under ours");
    assert.equal(s["python-llm"].parentSpanId, s["python-handler"].spanId);
    assert.equal(s["python-handler"].spanType, "AGENT");
    assert.deepEqual(s["python-llm"].outputs, { text: "4" });
    assert.equal(info.state, "OK");
    assert.equal(info.tags["mlflow.traceName"], "ts-root");
  } finally {
    peer.stop();
    await mlflow.close();
  }
});

test("distributed: a trace begun by a Python service continues here from the request's headers", async () => {
  const { mlflow, experimentId } = await setup();
  const peer = await startPeer(experimentId);
  let handlerTraceId = "";
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => body += d);
    req.on("end", async () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === "string") headers.set(k, v);
      }
      const span = mlflow.startTrace({
        name: "ts-handler",
        spanType: "AGENT",
        traceparent: headers,
        inputs: body,
      });
      span.startSpan({ name: "ts-llm", spanType: "LLM" }).end({ outputs: "4" });
      span.end({ outputs: { answer: "4" } });
      mlflow.logFeedback({ traceId: span.traceId, name: "quality", value: 0.9 });
      handlerTraceId = span.traceId;
      await mlflow.flush();
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ answer: "4" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const callback = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    const response = await fetch(`${peer.uri}/begin?callback=${encodeURIComponent(callback)}`, {
      method: "POST",
      body: "2+2?",
    });
    const { traceId } = await response.json() as { traceId: string };
    assert.equal(handlerTraceId, traceId, "our spans joined Python's trace");

    const { info, spans } = await mlflow.getTrace(traceId);
    const s = byName(spans);
    assert.deepEqual(Object.keys(s).sort(), ["python-root", "ts-handler", "ts-llm"]);
    assert.equal(s["python-root"].parentSpanId, undefined);
    assert.equal(s["ts-handler"].parentSpanId, s["python-root"].spanId);
    assert.equal(s["ts-llm"].parentSpanId, s["ts-handler"].spanId);
    assert.equal(s["ts-handler"].inputs, "2+2?");
    assert.deepEqual(info.assessments.map((a) => [a.name, a.value]), [["quality", 0.9]]);
    assert.equal(info.tags["mlflow.traceName"], "python-root", "the trace's info is Python's");
  } finally {
    server.close();
    peer.stop();
    await mlflow.close();
  }
});

test("distributed: a malformed traceparent is a typed error naming the option", async () => {
  const { mlflow } = await setup();
  for (
    const bad of ["", "00-abc-def-01", `00-${"0".repeat(32)}-${"1".repeat(16)}-01`, new Headers()]
  ) {
    assert.throws(
      () => mlflow.startTrace({ name: "x", traceparent: bad }),
      (e: unknown) =>
        e instanceof MlflowError && e.errorCode === "INVALID_PARAMETER_VALUE" &&
        /startTrace: traceparent must be a W3C traceparent/.test(e.message),
    );
  }
  const request = new Request("http://x/", {
    headers: { traceparent: `00-${"a".repeat(32)}-${"b".repeat(16)}-01` },
  });
  const span = mlflow.startTrace({ name: "from-request", traceparent: request });
  assert.equal(span.traceId, `tr-${"a".repeat(32)}`);
  await mlflow.close();
});

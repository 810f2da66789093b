// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import { freePort } from "../src/local_server/mlflow_server.ts";

const ROOT = new URL("../", import.meta.url).pathname;

// `deno task ui` as the README gives it: the UI over ./.mlflow, its URL printed, stopped by Ctrl-C.
// Once per test run, under Deno: the task is a Deno task whichever runtime runs the tests.
const once = "Bun" in globalThis ? "runs once, under Deno" : false;

test("tasks: deno task ui serves MLflow's UI on the demo store and stops on Ctrl-C", {
  skip: once,
}, async () => {
  const port = await freePort();
  const child = spawn("deno", ["task", "ui"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so Ctrl-C can go to the task and its children
  });
  let out = "";
  child.stdout.on("data", (chunk) => (out += chunk));
  child.stderr.on("data", (chunk) => (out += chunk));
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  const started = Date.now();
  const deadline = started + 120_000;
  while (!out.includes("MLflow UI: ") && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.match(out, new RegExp(`MLflow UI: http://127\\.0\\.0\\.1:${port}`), out);
  const page = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<html/i, "the UI's page");
  const search = await fetch(`http://127.0.0.1:${port}/api/2.0/mlflow/experiments/search`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ max_results: 10 }),
  });
  assert.equal(search.status, 200, "the REST API over the same store");
  await search.body?.cancel();

  process.kill(-child.pid!, "SIGINT"); // what a terminal sends the foreground group on Ctrl-C
  const code = await Promise.race([
    closed,
    new Promise<"hung">((r) => setTimeout(() => r("hung"), 30_000)),
  ]);
  assert.notEqual(code, "hung", `the task did not stop on SIGINT:\n${out}`);
  // `deno task` may exit at once while the script it ran is still stopping the server.
  let after = "still up";
  for (const until = Date.now() + 20_000; Date.now() < until;) {
    after = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => (r.body?.cancel(), "still up"),
      () => "down",
    );
    if (after === "down") break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(after, "down", "the server stopped with the task");
});

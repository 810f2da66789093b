// Copyright 2026 the evalhooks authors. MIT license.

// Capacity with the default options, on Deno and on Bun (#25): a real server stopped for 120 s
// under 20 logging runs loses nothing, and 1,000,000 metrics logged in one tick to a healthy
// server all land with the queue inside its documented budget. Each runtime runs in a child
// process of its own (so the memory measured is that runtime's alone), both at once, from the
// Deno phase only: the Bun phase would run the very same children again.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import type { OutageReport } from "./harness/long_outage.ts";
import type { MillionReport } from "./harness/million.ts";
import { onceFromDeno } from "./harness/checks.ts";

const CHILD = new URL("./fixtures_capacity/capacity_child.ts", import.meta.url).pathname;

function runChild(runtime: string): Promise<{ outage: OutageReport; million: MillionReport }> {
  const args = runtime === "deno" ? ["run", "-A", CHILD] : ["run", CHILD];
  const child = spawn(runtime, args, { stdio: ["ignore", "pipe", "inherit"], env: process.env });
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (code !== 0 || !line) reject(new Error(`${runtime} child exited ${code}: ${stdout}`));
      else resolve(JSON.parse(line));
    });
  });
}

// Under Bun it is listed as skipped (the Deno phase ran the Bun child), so the file still counts.
const here = onceFromDeno("with a Bun child");
test(
  "capacity (deno and bun children): a 120 s outage loses nothing; 1,000,000 metrics in one tick all land inside the memory budget",
  {
    skip: here,
  },
  async () => {
    const [deno, bun] = await Promise.all([runChild("deno"), runChild("bun")]);
    for (const [runtime, { outage, million }] of [["deno", deno], ["bun", bun]] as const) {
      assert.ok(
        outage.outageSeconds >= 120,
        `${runtime}: the server was down ${outage.outageSeconds} s`,
      );
      assert.deepEqual(
        { lost: outage.lost, duplicated: outage.duplicated, errors: outage.errors },
        { lost: 0, duplicated: 0, errors: [] },
        `${runtime}: the outage`,
      );
      assert.equal(outage.landed, outage.logged, `${runtime}: every metric of the outage landed`);
      assert.deepEqual(
        { landed: million.landed, dropped: million.dropped, errors: million.errors },
        { landed: million.metrics, dropped: 0, errors: [] },
        `${runtime}: the million`,
      );
      assert.ok(
        million.peakQueuedBytes <= million.maxQueuedBytes,
        `${runtime}: queue peaked at ${million.peakQueuedBytes} bytes`,
      );
      // The queue's budget is what the README promises; the process as a whole stays inside it.
      const grew = million.peakRssMiB - million.baseRssMiB;
      assert.ok(grew <= million.maxQueuedBytes / 2 ** 20, `${runtime}: RSS grew ${grew} MiB`);
      console.log(
        `${runtime}: outage ${outage.outageSeconds.toFixed(0)} s, ${outage.landed} landed; ` +
          `million in ${million.seconds.toFixed(0)} s, queue peak ${
            (million.peakQueuedBytes / 2 ** 20).toFixed(0)
          } MiB, RSS ${million.baseRssMiB.toFixed(0)} → ${million.peakRssMiB.toFixed(0)} MiB`,
      );
    }
  },
);

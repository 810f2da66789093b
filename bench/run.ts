// Copyright 2026 the evalhooks authors. MIT license.
// `deno task bench`: every benchmark in one run, printed as tables and written to bench/RESULTS.md.

import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";

function run(command: string, args: string[]): string {
  const out = spawnSync(command, args, {
    encoding: "utf8",
    maxBuffer: 1 << 26,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (out.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${out.status})`);
  return out.stdout;
}
const lastJsonLine = (text: string) => JSON.parse(text.trim().split("\n").at(-1)!);
const version = (cmd: string, args: string[]) =>
  spawnSync(cmd, args, { encoding: "utf8" }).stdout.split("\n")[0].trim();
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

const sections: string[] = [];
const machine =
  `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB; ` +
  `${version("deno", ["--version"])}, bun ${version("bun", ["--version"])}, node ${
    version("node", ["--version"])
  }`;

// 1. Hot path, both runtimes, medians of the same harness; plus deno bench's own view.
console.error("[bench] hot path");
const denoHot = lastJsonLine(run("deno", ["run", "-A", "bench/hot_path.ts"])) as Record<
  string,
  number
>;
const bunHot = lastJsonLine(run("bun", ["bench/hot_path.ts"])) as Record<string, number>;
const denoBench = JSON.parse(run("deno", ["bench", "--json", "bench/hot_path_bench.ts"])) as {
  benches: {
    name: string;
    results: { ok?: { avg: number; min: number; max: number; p50: number } }[];
  }[];
};
let hot = "## Hot path: cost of one logging call (network excluded)\n\n" +
  "| call | Deno ns/call | Bun ns/call | Bun / Deno |\n|---|---:|---:|---:|\n";
for (const name of Object.keys(denoHot)) {
  hot += `| ${name} | ${fmt(denoHot[name])} | ${fmt(bunHot[name])} | ${
    fmt(bunHot[name] / denoHot[name], 2)
  } |\n`;
}
hot += "\nMedian of 15 rounds (after 2 warm-up rounds) of 10,000 calls (2,000 for logMetrics), " +
  "flushing to a no-op fetch between rounds. Goal: ≤ 1,000 ns per logMetric.\n\n" +
  "`deno bench` (1,000 calls per iteration; ns per call = avg / 1,000):\n\n" +
  "| bench | avg per call | min–max per call |\n|---|---:|---:|\n";
for (const b of denoBench.benches) {
  const r = b.results[0]?.ok;
  if (r) {
    hot += `| ${b.name} | ${fmt(r.avg / 1000)} ns | ${fmt(r.min / 1000)}–${
      fmt(r.max / 1000)
    } ns |\n`;
  }
}
sections.push(hot);

// 2. Requests for N metrics in one tick, against a real server.
console.error("[bench] requests per tick (real MLflow server)");
const rows = lastJsonLine(run("deno", ["run", "-A", "bench/requests.ts"])) as {
  metrics: number;
  requests: number;
  minimum: number;
  landed: number;
  seconds: number;
}[];
let req = "## Requests: N metrics logged in one tick, real MLflow server\n\n" +
  "| metrics | log-batch requests | minimum (⌈N/1000⌉) | requests / minimum | landed | seconds to flush |\n" +
  "|---:|---:|---:|---:|---:|---:|\n";
for (const r of rows) {
  req += `| ${fmt(r.metrics)} | ${r.requests} | ${r.minimum} | ${
    fmt(r.requests / r.minimum, 2)
  } | ${fmt(r.landed)} | ${fmt(r.seconds, 2)} |\n`;
}
sections.push(req);

const report =
  `# Benchmark results\n\nMachine: ${machine}. Run: ${new Date().toISOString().slice(0, 16)}Z.\n` +
  "Regenerate with `deno task bench`.\n\n" + sections.join("\n");
Deno.writeTextFileSync(new URL("./RESULTS.md", import.meta.url), report);
console.log(report);

// Copyright 2026 the evalhooks authors. MIT license.

// Run as its own process by tests/exit_hooks_test.ts: the exit hooks are per process, and the
// test runner's own process (Bun runs every test file in one) holds other tests' open clients.
// Prints one JSON line: the checks that failed, by name (an empty list when all held).

import process from "node:process";
import { createMlflow } from "../../mod.ts";

const g = globalThis as { Deno?: { exit: unknown } };
const exitFunction = (): unknown => g.Deno ? g.Deno.exit : process.exit;
// Deno's signal listeners cannot be counted from outside; Bun's go through node:process.
const signals = (): number => g.Deno ? 0 : process.listenerCount("SIGTERM");

const failed: string[] = [];
const check = (ok: boolean, name: string): void => {
  if (!ok) failed.push(name);
};

const original = exitFunction();
const before = signals();
const options = { trackingUri: "http://127.0.0.1:9" };
const a = createMlflow(options);
const wrapped = exitFunction();
check(wrapped !== original, "installed with the first client");
const b = createMlflow(options);
check(exitFunction() === wrapped, "one wrapper for every client");
if (!g.Deno) check(signals() === before + 1, "one SIGTERM listener for every client");
const off = createMlflow({ ...options, exitFlushMs: false });
await a.close();
check(exitFunction() === wrapped, "still installed while a client is open");
await b.close();
check(exitFunction() === original, "removed with the last client");
check(signals() === before, "signal listeners removed with the last client");
await off.close();
const again = createMlflow(options);
check(exitFunction() !== original, "installed again with a new client");
await again.close();
check(exitFunction() === original, "removed again");
console.log(JSON.stringify({ failed }));

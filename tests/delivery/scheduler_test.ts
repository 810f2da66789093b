// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createTickScheduler } from "../../src/delivery/scheduler.ts";

function item(name: string, log: string[]) {
  return { drain: () => void log.push(name) };
}

test("scheduler: everything marked in one tick drains once, after the synchronous code", async () => {
  const log: string[] = [];
  const scheduler = createTickScheduler<ReturnType<typeof item>>();
  const a = item("a", log);
  const b = item("b", log);
  for (let i = 0; i < 1000; i++) scheduler.schedule(i % 2 ? a : b);
  log.push("sync done");
  await Promise.resolve();
  assert.deepEqual(log, ["sync done", "b", "a"]);
  scheduler.schedule(a);
  await Promise.resolve();
  assert.deepEqual(log.slice(3), ["a"], "a later tick drains again");
});

test("scheduler: drainNow drains at once and leaves nothing for the tick", async () => {
  const log: string[] = [];
  const scheduler = createTickScheduler<ReturnType<typeof item>>();
  scheduler.schedule(item("a", log));
  scheduler.drainNow();
  assert.deepEqual(log, ["a"]);
  await Promise.resolve();
  assert.deepEqual(log, ["a"], "the queued microtask finds nothing dirty");
});

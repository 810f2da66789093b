// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createGatherer } from "../../src/delivery/gather.ts";

function recorder(limits: { maxItems?: number; maxBytes?: number; maxWaitMs?: number } = {}) {
  const sent: string[] = [];
  const gatherer = createGatherer<string>({
    maxItems: limits.maxItems ?? 100,
    maxBytes: limits.maxBytes ?? 1_000_000,
    maxWaitMs: limits.maxWaitMs ?? 10_000,
    send: (key, items) => {
      sent.push(`${key}:${items.join(",")}`);
      return Promise.resolve();
    },
  });
  return { gatherer, sent };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test("gather: what is added in one tick with nothing on its way goes in one send per key", async () => {
  const { gatherer, sent } = recorder();
  gatherer.add("e1", "a", 1);
  gatherer.add("e2", "b", 1);
  gatherer.add("e1", "c", 1);
  assert.deepEqual(sent, [], "nothing before the tick ends");
  await Promise.resolve();
  assert.deepEqual(sent, ["e1:a,c", "e2:b"]);
});

test("gather: items wait while others are announced, and go once the last arrives", async () => {
  const { gatherer, sent } = recorder();
  const first = gatherer.expect();
  const second = gatherer.expect();
  gatherer.add("e", "a", 1);
  first();
  await tick();
  assert.deepEqual(sent, [], "the second is still on its way");
  gatherer.add("e", "b", 1);
  second();
  second(); // a second call changes nothing
  await tick();
  assert.deepEqual(sent, ["e:a,b"]);
});

test("gather: a full group goes at once, by items and by bytes", async () => {
  const byItems = recorder({ maxItems: 2 });
  const busy = byItems.gatherer.expect();
  for (const x of ["a", "b", "c"]) byItems.gatherer.add("e", x, 1);
  assert.deepEqual(byItems.sent, ["e:a,b"]);
  busy();
  await tick();
  assert.deepEqual(byItems.sent, ["e:a,b", "e:c"]);

  const byBytes = recorder({ maxBytes: 10 });
  const busy2 = byBytes.gatherer.expect();
  byBytes.gatherer.add("e", "a", 6);
  byBytes.gatherer.add("e", "b", 6);
  byBytes.gatherer.add("e", "huge", 50); // bigger than a request: goes alone
  busy2();
  await tick();
  assert.deepEqual(byBytes.sent, ["e:a", "e:b", "e:huge"]);
});

test("gather: an item never waits longer than maxWaitMs for company", async () => {
  const { gatherer, sent } = recorder({ maxWaitMs: 20 });
  const forever = gatherer.expect(); // a producer that never arrives
  gatherer.add("e", "a", 1);
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.deepEqual(sent, ["e:a"]);
  forever();
});

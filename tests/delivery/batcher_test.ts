// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  createPendingWrites,
  describeBatch,
  pendingCount,
  splitBatch,
  takeBatch,
  utf8Length,
} from "../../src/delivery/batcher.ts";
import { LIMITS } from "../../src/store/limits.ts";

const RUN = "0123456789abcdef0123456789abcdef";

function drainAll(pending = createPendingWrites()) {
  const batches = [];
  for (let b = takeBatch(pending, RUN); b; b = takeBatch(pending, RUN)) batches.push(b);
  return batches;
}

test("batcher: 5,000 metrics make exactly 5 batches of 1,000", () => {
  const pending = createPendingWrites();
  for (let i = 0; i < 5000; i++) {
    pending.metrics.push({ key: "loss", value: i, timestamp: 1_700_000_000_000, step: i });
  }
  const batches = drainAll(pending);
  assert.deepEqual(batches.map((b) => b.metrics.length), [1000, 1000, 1000, 1000, 1000]);
  // The order is kept: steps come out 0..4999.
  assert.deepEqual(batches.flatMap((b) => b.metrics.map((m) => m.step)), [...Array(5000).keys()]);
  assert.equal(pendingCount(pending), 0);
});

test("batcher: params and tags go 100 per batch, and ahead of metrics", () => {
  const pending = createPendingWrites();
  for (let i = 0; i < 250; i++) pending.params.push({ key: `p${i}`, value: "v" });
  for (let i = 0; i < 150; i++) pending.tags.set(`t${i}`, "v");
  for (let i = 0; i < 1500; i++) {
    pending.metrics.push({ key: "m", value: 1, timestamp: 1, step: i });
  }
  const batches = drainAll(pending);
  const shape = batches.map((b) => [b.params.length, b.tags.length, b.metrics.length]);
  // 1000 entities per batch in all: 100 + 100 + 800, then 100 + 50 + 850, then 50 + 0 + 0 …
  assert.deepEqual(shape, [[100, 100, 800], [100, 50, 700], [50, 0, 0]]);
  for (const [p, t, m] of shape) assert.ok(p + t + m <= LIMITS.entitiesPerBatch);
});

test("batcher: a batch body never exceeds 1,000,000 bytes, counting UTF-8", () => {
  const pending = createPendingWrites();
  // 100 tags × 8,000 two-byte characters = 1.6 MB: must be split by size, not count.
  for (let i = 0; i < 100; i++) pending.tags.set(`t${i}`, "é".repeat(8000));
  for (let i = 0; i < 100; i++) pending.params.push({ key: `p${i}`, value: '"'.repeat(6000) });
  const batches = drainAll(pending);
  assert.ok(batches.length >= 3);
  let tags = 0;
  let params = 0;
  for (const b of batches) {
    const bytes = new TextEncoder().encode(b.body).length;
    assert.ok(bytes <= LIMITS.batchBytes, `batch of ${bytes} bytes`);
    const parsed = JSON.parse(b.body);
    assert.equal(parsed.run_id, RUN);
    tags += parsed.tags.length;
    params += parsed.params.length;
  }
  assert.equal(tags, 100);
  assert.equal(params, 100);
});

test("batcher: the body is exactly the JSON of the items it holds", () => {
  const pending = createPendingWrites();
  pending.metrics.push({ key: "a", value: "NaN", timestamp: 5, step: 0 });
  pending.params.push({ key: "model", value: "gpt-4o" });
  pending.tags.set("stage", "dev");
  pending.tags.set("stage", "prod"); // a tag set twice before sending goes once, last value
  const [batch] = drainAll(pending);
  assert.deepEqual(JSON.parse(batch.body), {
    run_id: RUN,
    metrics: [{ key: "a", value: "NaN", timestamp: 5, step: 0 }],
    params: [{ key: "model", value: "gpt-4o" }],
    tags: [{ key: "stage", value: "prod" }],
  });
});

test("batcher: splitting a refused batch keeps every item exactly once", () => {
  const pending = createPendingWrites();
  for (let i = 0; i < 7; i++) {
    pending.metrics.push({ key: `m${i}`, value: i, timestamp: 1, step: 0 });
  }
  pending.params.push({ key: "p", value: "1" });
  const [batch] = drainAll(pending);
  const [a, b] = splitBatch(RUN, batch);
  const keys = [a, b].flatMap((x) => [...x.params, ...x.metrics].map((i) => i.key)).sort();
  assert.deepEqual(keys, ["m0", "m1", "m2", "m3", "m4", "m5", "m6", "p"]);
  assert.equal(a.metrics.length + a.params.length, 4);
});

test("batcher: utf8Length matches TextEncoder", () => {
  for (const s of ["", "abc", "é", "日本語", "😀x", "a\u0000b", "\ud800"]) {
    assert.equal(utf8Length(s), new TextEncoder().encode(s).length, JSON.stringify(s));
  }
});

test("batcher: a lost batch is described by run-able detail: each key with its step range", () => {
  const batch = {
    body: "",
    metrics: [
      ...Array.from(
        { length: 500 },
        (_, i) => ({ key: "m", value: 1, timestamp: 0, step: 100 + i }),
      ),
      { key: "acc", value: 1, timestamp: 0, step: 7 },
    ],
    params: [{ key: "lr", value: "0.1" }],
    tags: [{ key: "phase", value: "x" }],
  };
  assert.equal(
    describeBatch(batch),
    "metrics 'm' steps 100–599 (500), 'acc' step 7 (1); params 'lr'; tags 'phase'",
  );
  const many = {
    body: "",
    metrics: Array.from(
      { length: 12 },
      (_, i) => ({ key: `k${i}`, value: 1, timestamp: 0, step: 0 }),
    ),
    params: [],
    tags: [],
  };
  assert.match(describeBatch(many), /'k9' step 0 \(1\) and 2 more$/);
});

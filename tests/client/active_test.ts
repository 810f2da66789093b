// Copyright 2026 the evalhooks authors. MIT license.

// The active context (src/client/active.ts): mlflow.trace and mlflow.run set it for everything
// they await, concurrent work never sees a neighbour's, and a nested mlflow.trace without a
// parent nests under the active span. Read back from the real server.

import { test } from "node:test";
import assert from "node:assert/strict";
import { activeContext, createMlflow } from "../../mod.ts";
import { trackingUri, uniqueName } from "../harness/server.ts";

test("active context: outside everything there is none", () => {
  assert.equal(activeContext(), undefined);
});

test("active context: nested mlflow.trace calls nest, and 10 concurrent ones stay apart", async () => {
  const mlflow = createMlflow({
    trackingUri: await trackingUri(),
    experimentName: uniqueName("ctx"),
  });
  const roots = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      mlflow.trace(`outer-${i}`, async (outer) => {
        assert.equal(activeContext()?.span, outer);
        await new Promise((r) => setTimeout(r, 10 * (10 - i)));
        await mlflow.trace(`inner-${i}`, async (inner) => {
          await new Promise((r) => setTimeout(r, 5));
          assert.equal(activeContext()?.span, inner);
        });
        assert.equal(activeContext()?.span, outer, "back to the outer span after the inner one");
        return outer.traceId;
      })),
  );
  await mlflow.flush();
  for (const [i, traceId] of roots.entries()) {
    const { spans } = await mlflow.getTrace(traceId);
    assert.deepEqual(spans.map((s) => s.name), [`outer-${i}`, `inner-${i}`]);
    assert.equal(spans[1].parentSpanId, spans[0].spanId);
  }
  await mlflow.close();
});

test("active context: mlflow.run makes traces inside it belong to the run", async () => {
  const mlflow = createMlflow({
    trackingUri: await trackingUri(),
    experimentName: uniqueName("ctx"),
  });
  let traceId = "";
  const runId = await mlflow.run({ runName: "ctx" }, async (run) => {
    assert.equal(activeContext()?.run, run);
    traceId = await mlflow.trace("in-run", (span) => span.traceId);
    return (await run.info()).runId;
  });
  await mlflow.flush();
  const { info } = await mlflow.getTrace(traceId);
  assert.equal(info.metadata["mlflow.sourceRun"], runId);
  await mlflow.close();
});

test("active context: another client's context is not this client's parent", async () => {
  const uri = await trackingUri();
  const a = createMlflow({ trackingUri: uri, experimentName: uniqueName("ctx-a") });
  const b = createMlflow({ trackingUri: uri, experimentName: uniqueName("ctx-b") });
  let inner = "";
  const outer = await a.trace("a", async (span) => {
    inner = await b.trace("b", (s) => s.traceId);
    return span.traceId;
  });
  assert.notEqual(inner, outer, "b starts its own trace instead of nesting under a's span");
  await a.close();
  await b.close();
});

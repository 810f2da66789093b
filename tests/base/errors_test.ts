// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MlflowConfigError,
  MlflowError,
  MlflowFlushError,
  mlflowHooks,
  MlflowValidationError,
} from "../../mod.ts";
import { InspectLogError, readJsonLog } from "../../src/integrations/inspect/mod.ts";
import { asMlflowError } from "../../src/base/errors.ts";

test("errors: every error this library throws is an MlflowError, with its own code", () => {
  const flush = new MlflowFlushError([], 2);
  assert.ok(flush instanceof MlflowError);
  assert.equal(flush.errorCode, "FLUSH_FAILED");
  assert.equal(flush.dropped, 2);

  let config: unknown;
  try {
    mlflowHooks({
      env: { MLFLOW_TRACKING_URI: "http://127.0.0.1:1", INSPECT_MLFLOW_LOG_ARTIFACTS: "maybe" },
    });
  } catch (error) {
    config = error;
  }
  assert.ok(config instanceof MlflowConfigError, String(config));
  assert.ok(config instanceof MlflowError);
  assert.equal(config.errorCode, "INVALID_CONFIG");

  let log: unknown;
  try {
    readJsonLog("{ not json", "broken.json");
  } catch (error) {
    log = error;
  }
  assert.ok(log instanceof InspectLogError, String(log));
  assert.ok(log instanceof MlflowError);
  assert.equal(log.errorCode, "INVALID_INSPECT_LOG");

  const validation = new MlflowValidationError("bad key", {
    key: "k",
    rule: "key_chars",
    call: "logMetric",
  });
  assert.ok(validation instanceof MlflowError);
});

test("errors: asMlflowError keeps an MlflowError and wraps anything else with its cause", () => {
  const own = new MlflowError("refused", { errorCode: "INVALID_PARAMETER_VALUE" });
  assert.equal(asMlflowError(own, "log batch"), own);
  const cause = new TypeError("boom");
  const wrapped = asMlflowError(cause, "after_sample", { errorCode: "HOOK_ERROR", runId: "r1" });
  assert.equal(wrapped.message, "after_sample: boom");
  assert.equal(wrapped.errorCode, "HOOK_ERROR");
  assert.equal(wrapped.runId, "r1");
  assert.equal(wrapped.cause, cause);
  assert.equal(asMlflowError("text", "end run").errorCode, "INTERNAL_CLIENT_ERROR");
});

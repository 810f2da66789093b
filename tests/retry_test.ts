// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isNetworkError } from "../src/transport/network_error.ts";
import { headerValueSecrets, redactSecrets } from "../src/transport/redact.ts";
import {
  DEFAULT_RETRY,
  parseRetryAfter,
  resolveRetryOptions,
  retryDelay,
} from "../src/transport/retry_timing.ts";
import { freePort } from "../src/local_server/mlflow_server.ts";
import { createMlflow } from "../mod.ts";

test("retry: Retry-After as seconds, as an HTTP date, and garbage", () => {
  const now = Date.parse("2026-11-24T12:00:00Z");
  assert.equal(parseRetryAfter("3", now), 3000);
  assert.equal(parseRetryAfter("0", now), 0);
  assert.equal(parseRetryAfter("Tue, 24 Nov 2026 12:00:05 GMT", now), 5000);
  assert.equal(parseRetryAfter("Tue, 24 Nov 2026 11:00:00 GMT", now), 0); // past: no wait
  assert.equal(parseRetryAfter("soon", now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
  assert.equal(parseRetryAfter("-5", now), undefined);
  assert.equal(parseRetryAfter("99999", now), 120_000); // capped
});

test("retry: backoff doubles, is capped, and is jittered within ±20%", () => {
  const opts = resolveRetryOptions({ baseDelayMs: 100, maxDelayMs: 1000 });
  assert.equal(retryDelay(0, opts, undefined, () => 0.5), 100);
  assert.equal(retryDelay(3, opts, undefined, () => 0.5), 800);
  assert.equal(retryDelay(9, opts, undefined, () => 0.5), 1000);
  assert.equal(retryDelay(0, opts, undefined, () => 0), 80);
  assert.equal(retryDelay(0, opts, undefined, () => 1), 120);
  assert.equal(retryDelay(5, opts, 2500), 2500); // Retry-After wins
});

test("retry: the default budget rides out at least a 60 s outage even with unlucky jitter", () => {
  let worst = 0;
  for (let i = 0; i < DEFAULT_RETRY.maxRetries; i++) {
    worst += retryDelay(i, DEFAULT_RETRY, undefined, () => 0);
  }
  assert.ok(worst >= 60_000, `worst case ${worst} ms`);
});

test("retry: bad options are refused with the name and value", () => {
  assert.throws(() => resolveRetryOptions({ maxRetries: -1 }), /retry.maxRetries .* -1/);
  assert.throws(() => resolveRetryOptions({ timeoutMs: 0 }), /retry.timeoutMs/);
});

test("retry: a refused connection is a network error in this runtime; a bug is not", async () => {
  const port = await freePort();
  let error: unknown;
  try {
    await fetch(`http://127.0.0.1:${port}/`);
  } catch (e) {
    error = e;
  }
  assert.ok(isNetworkError(error), `not detected: ${String(error)}`);
  assert.equal(isNetworkError(new TypeError("undefined is not a function")), false);
  assert.equal(isNetworkError("string"), false);
});

test("redact: secrets and URL credentials never survive", () => {
  const text = "GET http://alice:hunter22@host/x failed with token SECRET-TOKEN-abc";
  const out = redactSecrets(text, ["SECRET-TOKEN-abc", "hunter22"]);
  assert.ok(!out.includes("SECRET-TOKEN-abc"));
  assert.ok(!out.includes("hunter22"));
  assert.ok(!out.includes("alice:"));
});

test("redact: a secret in any form it comes back in: escaped, base64 with or without padding", () => {
  const password = 'p&ss"wörd/+?';
  const basic = btoa(String.fromCharCode(...new TextEncoder().encode(`bob:${password}`)));
  const secrets = headerValueSecrets(`Basic ${basic}`);
  // The header value, the credential, what it decodes to, the password alone.
  for (const s of [`Basic ${basic}`, basic, `bob:${password}`, password]) {
    assert.ok(secrets.includes(s), `${s} not among ${secrets.join(" | ")}`);
  }
  const unpadded = basic.replace(/=+$/, "");
  const texts = [
    `Unexpected identifier "${unpadded}"`, // Bun's JSON parser drops the padding
    unpadded.replace(/\+/g, "-").replace(/\//g, "_"), // base64url
    JSON.stringify({ echo: password }), // JSON-escaped
    `https://h/?p=${encodeURIComponent(password)}`, // URL-encoded
    `<pre>${password.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}</pre>`, // HTML-escaped
    `token ${btoa("SECRET-TOKEN-abc")}`, // base64 of a token
  ];
  for (const text of texts) {
    const out = redactSecrets(text, [...secrets, "SECRET-TOKEN-abc"]);
    assert.ok(out.includes("***"), `not redacted: ${out}`);
    assert.ok(!out.includes("ss") && !out.includes(unpadded.slice(4, 12)), `left over: ${out}`);
  }
  // A Bearer value gives its token; a word that is not base64 of text is only itself.
  assert.ok(headerValueSecrets("Bearer tok-123456").includes("tok-123456"));
  assert.deepEqual(headerValueSecrets("ak_0123456789abcdef"), ["ak_0123456789abcdef"]);
});

test("retry: outages are budgeted by time, unless the caller set maxRetries alone", async () => {
  assert.equal(resolveRetryOptions().maxElapsedMs, 300_000);
  assert.equal(resolveRetryOptions().outagesCountAsRetries, false);
  assert.equal(resolveRetryOptions({ maxRetries: 0 }).outagesCountAsRetries, true);
  assert.equal(
    resolveRetryOptions({ maxRetries: 0, maxElapsedMs: 1000 }).outagesCountAsRetries,
    false,
  );
  assert.throws(() => resolveRetryOptions({ maxElapsedMs: 0 }), /retry\.maxElapsedMs/);
  // Connection refused with { maxRetries: 0 }: one attempt, a fast failure, as before.
  const dead = await freePort();
  const mlflow = createMlflow({
    trackingUri: `http://127.0.0.1:${dead}`,
    retry: { maxRetries: 0 },
    exitFlushMs: false,
  });
  const started = Date.now();
  await assert.rejects(mlflow.getExperimentByName("x"), /NETWORK|network|refused/i);
  assert.ok(Date.now() - started < 10_000);
  // With a time budget instead, the same request keeps probing until the budget is spent.
  const timed = createMlflow({
    trackingUri: `http://127.0.0.1:${dead}`,
    retry: { maxElapsedMs: 1500, baseDelayMs: 100 },
    exitFlushMs: false,
  });
  const t0 = Date.now();
  await assert.rejects(timed.getExperimentByName("x"));
  const spent = Date.now() - t0;
  assert.ok(spent >= 1400 && spent < 10_000, `gave up after ${spent} ms`);
});

// Copyright 2026 the evalhooks authors. MIT license.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow, MlflowError, MlflowFlushError } from "../mod.ts";
import {
  freePort,
  type LocalMlflowServer,
  startLocalMlflow,
} from "../src/testing/mlflow_server.ts";

// A real MLflow server running its basic-auth app, with an admin and a user "bob" who may read
// but not write the admin's experiments (default_permission = READ).
let server: LocalMlflowServer;
const ADMIN = { username: "admin", password: "admin-password-1234" };
const BOB = { username: "bob", password: "SECRET-PASSWORD-bob-7f3a" };
const TOKEN = "SECRET-TOKEN-4b1d9c2e";

before(async () => {
  server = await startLocalMlflow({ appName: "basic-auth", adminPassword: ADMIN.password });
  const created = await fetch(`${server.uri}/api/2.0/mlflow/users/create`, {
    method: "POST",
    headers: {
      Authorization: "Basic " + btoa(`${ADMIN.username}:${ADMIN.password}`),
      "Content-Type": "application/json",
    },
    body: JSON.stringify(BOB),
  });
  assert.equal(created.status, 200, await created.text());
});
after(() => server?.close());

function counting(): { fetch: typeof fetch; requests: { url: string; auth: string | null }[] } {
  const requests: { url: string; auth: string | null }[] = [];
  return {
    requests,
    fetch: (input, init) => {
      requests.push({ url: String(input), auth: new Headers(init?.headers).get("Authorization") });
      return fetch(input, init);
    },
  };
}

test("auth: Basic credentials (options, env-style URL userinfo) log and read back", async () => {
  for (
    const options of [
      { trackingUri: server.uri, ...ADMIN },
      { trackingUri: server.uri.replace("://", `://${ADMIN.username}:${ADMIN.password}@`) },
    ]
  ) {
    const mlflow = createMlflow({ ...options, experimentName: "auth-ok" });
    assert.equal(mlflow.trackingUri, server.uri); // credentials are not part of the URI any more
    const run = mlflow.startRun({ runName: "with-basic" });
    run.logMetric("m", 1).logParam("p", "v");
    run.end();
    await mlflow.flush();
    assert.equal((await mlflow.getRun(run)).params.p, "v");
  }
});

test("auth: wrong credentials are a clear 401, not retried", async () => {
  const c = counting();
  const mlflow = createMlflow({
    trackingUri: server.uri,
    username: "admin",
    password: "wrong-password",
    fetch: c.fetch,
  });
  await assert.rejects(mlflow.getExperimentByName("Default"), (error: unknown) => {
    assert.ok(error instanceof MlflowError);
    assert.equal(error.status, 401);
    assert.equal(error.errorCode, "UNAUTHENTICATED");
    assert.match(error.message, /401/);
    return true;
  });
  assert.equal(c.requests.length, 1, "a 401 is not retried");
});

test("auth: a user without write permission gets a clear 403 through flush", async () => {
  const errors: MlflowError[] = [];
  const mlflow = createMlflow({ trackingUri: server.uri, ...BOB, onError: (e) => errors.push(e) });
  mlflow.startRun({ experimentId: "0", runName: "not-allowed" }).logMetric("m", 1);
  await assert.rejects(mlflow.flush(), (error: unknown) => {
    assert.ok(error instanceof MlflowFlushError);
    assert.equal(error.errors[0].status, 403);
    assert.equal(error.errors[0].errorCode, "PERMISSION_DENIED");
    assert.equal(error.errors[0].endpoint, "/api/2.0/mlflow/runs/create");
    assert.match(error.errors[0].message, /run 'not-allowed' could not be created/);
    // The metric it could not take is said and counted, not silently gone.
    assert.equal(error.errors[1].errorCode, "RUN_NOT_CREATED");
    assert.match(error.errors[1].message, /run 'not-allowed' could not be created: 1 item\(s\) not logged/);
    assert.equal(error.dropped, 1);
    return true;
  });
  assert.equal(errors.length, 2);
});

test("auth: a token is sent as Bearer; Basic wins when both are set", async () => {
  const c = counting();
  const withToken = createMlflow({ trackingUri: server.uri, token: TOKEN, fetch: c.fetch });
  await assert.rejects(withToken.getExperimentByName("Default"), MlflowError); // this server wants Basic
  assert.equal(c.requests[0].auth, `Bearer ${TOKEN}`);
  const both = createMlflow({ trackingUri: server.uri, token: TOKEN, ...ADMIN, fetch: c.fetch });
  await both.getExperimentByName("Default");
  assert.match(c.requests[1].auth ?? "", /^Basic /);
});

test("auth: secrets never appear in errors, onError payloads or console output", async () => {
  const secrets = [TOKEN, BOB.password, btoa(`${BOB.username}:${BOB.password}`)];
  const seen: string[] = [];
  const original = {
    warn: console.warn,
    error: console.error,
    log: console.log,
    info: console.info,
  };
  for (const level of ["warn", "error", "log", "info"] as const) {
    console[level] = (...args: unknown[]) => seen.push(args.map(String).join(" "));
  }
  const record = (error: unknown) => {
    if (error instanceof Error) {
      seen.push(error.message, String(error.stack), JSON.stringify(error), String(error.cause));
      if (error instanceof MlflowFlushError) error.errors.forEach(record);
      if (error.cause instanceof Error) record(error.cause);
    } else seen.push(String(error));
  };
  try {
    const deadPort = await freePort();
    const uris = [
      server.uri.replace("://", `://${BOB.username}:${BOB.password}@`), // 403 on write
      `http://${BOB.username}:${BOB.password}@127.0.0.1:${deadPort}`, // connection refused
    ];
    for (const trackingUri of uris) {
      for (const onError of [undefined, (e: MlflowError) => record(e)]) {
        const mlflow = createMlflow({
          trackingUri,
          token: TOKEN,
          retry: { maxRetries: 1, baseDelayMs: 1, timeoutMs: 2000 },
          onError,
        });
        mlflow.startRun({ experimentId: "0", runName: "leak-check" }).logMetric("m", 1);
        await mlflow.flush().catch(record);
        await mlflow.getRun("0000000000000000000000000000dead").catch(record);
        await mlflow.getExperimentByName("x").catch(record);
      }
      // Bearer only: a 401.
      const tokenOnly = createMlflow({
        trackingUri: server.uri,
        token: TOKEN,
        retry: { maxRetries: 0 },
      });
      await tokenOnly.searchRuns({ experimentIds: ["0"] }).catch(record);
    }
    try {
      createMlflow({ trackingUri: `ftp://${BOB.username}:${BOB.password}@host` });
    } catch (error) {
      record(error);
    }
    try {
      createMlflow({ trackingUri: `not a url ${BOB.password}@x` });
    } catch (error) {
      record(error);
    }
  } finally {
    Object.assign(console, original);
  }
  assert.ok(seen.length > 20, `only ${seen.length} outputs captured`);
  for (const secret of secrets) {
    const leaks = seen.filter((s) => s.includes(secret));
    assert.deepEqual(leaks, [], `secret leaked: ${secret}`);
  }
});

// Copyright 2026 the evalhooks authors. MIT license.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { createMlflow, MlflowConfigError, MlflowError, MlflowFlushError } from "../mod.ts";
import { databricksConfig } from "../src/client/node/mod.ts";
import { createOAuthTokenSource } from "../src/transport/oauth_token.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

// A Databricks workspace in miniature: a loopback proxy in front of the real MLflow server that
// serves the OAuth token endpoint, wants a valid Bearer token on every MLflow request (401
// otherwise), records the workspace header, and forwards the rest.

const hex = () => crypto.randomUUID().replace(/-/g, "");
const CLIENT_ID = `sp-${hex().slice(0, 12)}`;
const CLIENT_SECRET = `dose${hex()}`;
const PAT = `dapi${hex()}`;

interface Proxy {
  uri: string;
  /** Seconds of life of each issued token. */
  expiresIn: number;
  /** Delay of the token endpoint, in ms. */
  tokenDelayMs: number;
  /** Answer every MLflow request with a 403 quoting the headers it got. */
  echo: boolean;
  issued: string[];
  tokenRequests: number;
  refused: number;
  mlflowRequests: number;
  workspaces: (string | undefined)[];
  authSeen: string[];
  revokeAll(): void;
  close(): Promise<void>;
}

let upstream: string;
before(async () => {
  upstream = await trackingUri();
});

function read(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    req.on("data", (c: Uint8Array) => chunks.push(c));
    req.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
  });
}

async function startProxy(): Promise<Proxy> {
  const valid = new Map<string, number>(); // token → expiry (ms)
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const auth = req.headers.authorization ?? "";
    if (req.url === "/oidc/v1/token" && req.method === "POST") {
      state.tokenRequests++;
      if (state.tokenDelayMs) await new Promise((r) => setTimeout(r, state.tokenDelayMs));
      const form = new URLSearchParams(new TextDecoder().decode(body));
      const basicOk = auth === `Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}`;
      const formOk = form.get("grant_type") === "client_credentials" &&
        form.get("scope") === "all-apis" &&
        req.headers["content-type"] === "application/x-www-form-urlencoded";
      if (!basicOk || !formOk) {
        // Like a careless identity provider, it quotes what it got.
        res.writeHead(basicOk ? 400 : 401, { "Content-Type": "application/json" });
        res.end(JSON.stringify({
          error: basicOk ? "invalid_request" : "invalid_client",
          error_description: `Client authentication failed for ${auth} (${
            atob(auth.split(" ")[1] ?? "")
          })`,
        }));
        return;
      }
      const token = `eyJ${hex()}${hex()}`;
      valid.set(token, Date.now() + state.expiresIn * 1000);
      state.issued.push(token);
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({
        access_token: token,
        token_type: "Bearer",
        expires_in: state.expiresIn,
        scope: "all-apis",
      }));
      return;
    }
    state.mlflowRequests++;
    state.authSeen.push(auth);
    const bearer = auth.startsWith("Bearer ") ? auth.slice(7) : "";
    const expiry = valid.get(bearer);
    if (bearer !== PAT && (expiry === undefined || expiry <= Date.now())) {
      state.refused++;
      res.writeHead(401, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error_code: "UNAUTHENTICATED", message: "Invalid access token." }));
      return;
    }
    const ws = req.headers["x-mlflow-workspace"];
    state.workspaces.push(typeof ws === "string" ? ws : undefined);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (
        typeof v === "string" &&
        !["host", "connection", "content-length", "authorization", "x-mlflow-workspace"]
          .includes(k)
      ) headers.set(k, v);
    }
    if (state.echo) {
      res.writeHead(403, { "Content-Type": "application/json" });
      res.end(JSON.stringify({
        error_code: "PERMISSION_DENIED",
        message: `you sent Authorization: ${auth}`,
      }));
      return;
    }
    const answer = await fetch(upstream + req.url, {
      method: req.method,
      headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
    });
    const out = new Uint8Array(await answer.arrayBuffer());
    const h: Record<string, string> = {};
    answer.headers.forEach((v, k) => {
      if (!["content-length", "transfer-encoding", "connection", "content-encoding"].includes(k)) {
        h[k] = v;
      }
    });
    res.writeHead(answer.status, h);
    res.end(out);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const state: Proxy = {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    expiresIn: 3600,
    tokenDelayMs: 0,
    echo: false,
    issued: [],
    tokenRequests: 0,
    refused: 0,
    mlflowRequests: 0,
    workspaces: [],
    authSeen: [],
    revokeAll: () => valid.clear(),
    close() {
      server.closeAllConnections?.();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}

const proxies: Proxy[] = [];
after(async () => {
  for (const p of proxies) await p.close();
});
async function proxy(): Promise<Proxy> {
  const p = await startProxy();
  proxies.push(p);
  return p;
}

const m2m = (p: Proxy, extra: Record<string, unknown> = {}) => ({
  trackingUri: "databricks",
  databricks: { host: p.uri, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
  exitFlushMs: false as const,
  ...extra,
});

async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test("databricks: a personal access token from options and from DATABRICKS_HOST/TOKEN", async () => {
  const p = await proxy();
  const fromOptions = createMlflow({
    trackingUri: "databricks",
    databricks: { host: p.uri, token: PAT },
    experimentName: uniqueName("dbx-pat"),
    exitFlushMs: false,
  });
  assert.equal(fromOptions.trackingUri, p.uri);
  const run = fromOptions.startRun({ runName: "pat" });
  run.logMetric("m", 1).logParam("p", "v");
  run.end();
  await fromOptions.flush();
  assert.equal((await fromOptions.getRun(run)).params.p, "v");
  const fromEnv = await withEnv(
    { DATABRICKS_HOST: p.uri, DATABRICKS_TOKEN: PAT, DATABRICKS_CLIENT_ID: undefined },
    () => createMlflow({ trackingUri: "databricks", exitFlushMs: false }),
  );
  await fromEnv.getExperimentByName("Default");
  assert.equal(p.refused, 0);
  assert.ok(p.authSeen.every((a) => a === `Bearer ${PAT}`));
  assert.equal(p.tokenRequests, 0);
});

test("databricks: OAuth M2M logs a run end to end, one token, workspace header on every request", async () => {
  const p = await proxy();
  const mlflow = createMlflow(
    m2m(p, { experimentName: uniqueName("dbx-m2m"), workspace: "team-a" }),
  );
  const run = mlflow.startRun({ runName: "m2m" });
  for (let i = 0; i < 50; i++) run.logMetric("score", i / 50, { step: i });
  run.logParam("model", "m").setTag("t", "x");
  run.end();
  await mlflow.flush();
  const back = await mlflow.getRun(run);
  assert.equal(back.params.model, "m");
  assert.equal(back.info.status, "FINISHED");
  assert.equal((await mlflow.getMetricHistory(run, "score")).length, 50);
  assert.equal(p.issued.length, 1);
  assert.equal(p.refused, 0);
  assert.ok(p.workspaces.length > 2);
  assert.deepEqual(new Set(p.workspaces), new Set(["team-a"]));
});

test("databricks: tokens are refreshed before they expire, across a run that outlives several", async () => {
  const p = await proxy();
  p.expiresIn = 2; // refreshed at 1.5 s (a quarter of the life before expiry)
  const mlflow = createMlflow(m2m(p, { experimentName: uniqueName("dbx-refresh") }));
  const run = mlflow.startRun({ runName: "long" });
  const start = Date.now();
  let step = 0;
  while (Date.now() - start < 5000) {
    run.logMetric("tick", step, { step });
    step++;
    await mlflow.flush();
    await new Promise((r) => setTimeout(r, 100));
  }
  run.end();
  await mlflow.flush();
  assert.equal((await mlflow.getMetricHistory(run, "tick")).length, step);
  assert.ok(p.issued.length >= 3, `${p.issued.length} tokens issued in 5 s of 2 s tokens`);
  assert.ok(p.issued.length <= 6, `${p.issued.length} tokens: refreshed too often`);
  assert.equal(p.refused, 0, "no request went out with an expired token");
});

test("databricks: concurrent requests share one token request", async () => {
  const p = await proxy();
  p.tokenDelayMs = 300;
  const mlflow = createMlflow(m2m(p, { maxInFlight: 16 }));
  await Promise.all(
    Array.from({ length: 20 }, () => mlflow.getExperimentByName("Default")),
  );
  assert.equal(p.tokenRequests, 1);
  assert.equal(p.refused, 0);
});

test("databricks: a revoked token is refreshed once and the request succeeds", async () => {
  const p = await proxy();
  const mlflow = createMlflow(m2m(p, { experimentName: uniqueName("dbx-revoke") }));
  const run = mlflow.startRun({ runName: "revoked" });
  run.logMetric("a", 1);
  await mlflow.flush();
  assert.equal(p.issued.length, 1);
  p.revokeAll();
  run.logMetric("a", 2, { step: 1 });
  run.end();
  await mlflow.flush();
  assert.equal(p.issued.length, 2);
  assert.equal(p.refused, 1, "one refusal, then the new token");
  assert.equal((await mlflow.getMetricHistory(run, "a")).length, 2);
  // A token refused even when fresh is a 401 after one refresh, not a loop of refreshes.
  const strict = createMlflow(m2m(p, { retry: { maxRetries: 0 } }));
  await strict.getExperimentByName("Default");
  const tokens0 = p.tokenRequests;
  const refused0 = p.refused;
  p.expiresIn = 0; // every token the proxy issues from now on is refused at once
  p.revokeAll();
  await assert.rejects(strict.getExperimentByName("Default"), (e: unknown) => {
    assert.ok(e instanceof MlflowError);
    assert.equal(e.status, 401);
    return true;
  });
  assert.equal(p.tokenRequests - tokens0, 1, "one refresh");
  assert.equal(p.refused - refused0, 2, "the first attempt and the one retry");
});

test("databricks: a refused client secret is a clear error, never retried, the secret nowhere", async () => {
  const p = await proxy();
  const seen: string[] = [];
  const original = { warn: console.warn, error: console.error, log: console.log };
  for (const level of ["warn", "error", "log"] as const) {
    console[level] = (...args: unknown[]) => seen.push(args.map(String).join(" "));
  }
  const record = (error: unknown) => {
    if (error instanceof Error) {
      seen.push(error.message, String(error.stack), JSON.stringify(error), String(error.cause));
      if (error instanceof MlflowFlushError) error.errors.forEach(record);
      if (error.cause instanceof Error) record(error.cause);
    } else seen.push(String(error));
  };
  const badSecret = `dose${hex()}`;
  let checked: MlflowError | undefined;
  try {
    for (const onError of [undefined, (e: MlflowError) => record(e)]) {
      const mlflow = createMlflow({
        trackingUri: "databricks",
        databricks: { host: p.uri, clientId: CLIENT_ID, clientSecret: badSecret },
        retry: { baseDelayMs: 1 },
        exitFlushMs: false,
        onError,
      });
      const before = p.tokenRequests;
      await mlflow.getExperimentByName("Default").catch((e) => {
        checked = e;
        record(e);
      });
      assert.equal(p.tokenRequests - before, 1, "a refusal is not retried");
      mlflow.startRun({ experimentId: "0", runName: "leak" }).logMetric("m", 1);
      await mlflow.flush().catch(record);
    }
    // A server that quotes the Authorization header back: the access token must not leak.
    p.echo = true;
    const echoing = createMlflow({ ...m2m(p), onError: record, retry: { baseDelayMs: 1 } });
    echoing.startRun({ experimentId: "0", runName: "echo" }).logMetric("m", 1);
    await echoing.flush().catch(record);
    await echoing.getRun("0000000000000000000000000000dead").catch(record);
    p.echo = false;
    // A PAT in a bad configuration.
    try {
      createMlflow({
        trackingUri: "databricks",
        databricks: { host: `ftp://${PAT}@x`, token: PAT },
      });
    } catch (error) {
      record(error);
    }
  } finally {
    Object.assign(console, original);
  }
  assert.ok(checked instanceof MlflowError);
  assert.equal(checked.status, 401);
  assert.equal(checked.errorCode, "UNAUTHENTICATED");
  assert.equal(checked.endpoint, "/oidc/v1/token");
  assert.match(checked.message, /refused client id/);
  assert.match(checked.message, /DATABRICKS_CLIENT_SECRET/);
  assert.ok(checked.message.includes(CLIENT_ID), "the client id is named");
  assert.ok(seen.length > 10, `only ${seen.length} outputs captured`);
  assert.ok(p.issued.length >= 1);
  const secrets = [
    badSecret,
    CLIENT_SECRET,
    PAT,
    btoa(`${CLIENT_ID}:${badSecret}`),
    btoa(`${CLIENT_ID}:${CLIENT_SECRET}`),
    ...p.issued,
  ];
  for (const secret of secrets) {
    const leaks = seen.filter((s) => s.includes(secret));
    assert.deepEqual(leaks, [], `secret leaked: ${secret.slice(0, 6)}…`);
  }
});

test("databricks: a missing host or credential names it and where it is looked for", async () => {
  const cleared = {
    DATABRICKS_HOST: undefined,
    DATABRICKS_TOKEN: undefined,
    DATABRICKS_CLIENT_ID: undefined,
    DATABRICKS_CLIENT_SECRET: undefined,
  };
  await withEnv(cleared, () => {
    assert.throws(() => createMlflow({ trackingUri: "databricks" }), (e: unknown) => {
      assert.ok(e instanceof MlflowConfigError);
      assert.equal(e.variable, "DATABRICKS_HOST");
      assert.match(e.message, /DATABRICKS_HOST/);
      assert.match(e.message, /databricksConfig/);
      return true;
    });
    assert.throws(
      () => createMlflow({ trackingUri: "databricks", databricks: { host: "example.com" } }),
      (e: unknown) => {
        assert.ok(e instanceof MlflowConfigError);
        assert.equal(e.variable, "DATABRICKS_TOKEN");
        assert.match(e.message, /DATABRICKS_TOKEN/);
        assert.match(e.message, /DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET/);
        assert.match(e.message, /https:\/\/example\.com/);
        return true;
      },
    );
    assert.throws(
      () =>
        createMlflow({
          trackingUri: "databricks",
          databricks: { host: "example.com", clientId: CLIENT_ID },
        }),
      (e: unknown) => e instanceof MlflowConfigError && e.variable === "DATABRICKS_CLIENT_SECRET",
    );
    assert.throws(() => createMlflow({ trackingUri: "databricks://staging" }), (e: unknown) => {
      assert.ok(e instanceof MlflowConfigError);
      assert.match(e.message, /profile 'staging'/);
      assert.match(e.message, /databricksConfig\("staging"\)/);
      return true;
    });
  });
});

test("databricks: databricks://profile through the node entry's ~/.databrickscfg reader", async () => {
  const p = await proxy();
  const dir = await mkdtemp(join(tmpdir(), "dbcfg-"));
  const path = join(dir, ".databrickscfg");
  try {
    await writeFile(
      path,
      [
        "; written by the Databricks CLI",
        "[DEFAULT]",
        `host = ${p.uri}`,
        `token = ${PAT}`,
        "",
        "[m2m]",
        `client_id = ${CLIENT_ID}`,
        `client_secret = ${CLIENT_SECRET}`,
        "token =",
        "",
        "[other]",
        "host = https://other.cloud.databricks.com",
        "",
      ].join("\n"),
    );
    const cfg = await databricksConfig("m2m", { path });
    assert.equal(cfg.trackingUri, "databricks://m2m");
    assert.equal(cfg.databricks.host, p.uri); // from [DEFAULT]
    assert.equal(cfg.databricks.token, undefined); // emptied in the profile
    const mlflow = createMlflow({
      ...cfg,
      experimentName: uniqueName("dbx-profile"),
      exitFlushMs: false,
    });
    assert.equal(mlflow.trackingUri, p.uri);
    const run = mlflow.startRun({ runName: "profile" });
    run.logParam("k", "v");
    run.end();
    await mlflow.flush();
    assert.equal((await mlflow.getRun(run)).params.k, "v");
    assert.equal(p.issued.length, 1);
    const def = await withEnv({
      DATABRICKS_CONFIG_FILE: path,
      DATABRICKS_CONFIG_PROFILE: undefined,
    }, () => databricksConfig());
    assert.equal(def.trackingUri, "databricks://DEFAULT");
    assert.equal(def.databricks.token, PAT);
    await createMlflow({ ...def, exitFlushMs: false }).getExperimentByName("Default");
    await assert.rejects(databricksConfig("nope", { path }), (e: unknown) => {
      assert.ok(e instanceof MlflowConfigError);
      assert.match(e.message, /no profile 'nope'/);
      assert.match(e.message, /'m2m'/);
      assert.ok(!e.message.includes(CLIENT_SECRET) && !e.message.includes(PAT));
      return true;
    });
    await assert.rejects(
      databricksConfig("x", { path: join(dir, "missing") }),
      (e: unknown) => e instanceof MlflowConfigError && /cannot read/.test(e.message),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// The token cache alone, with a fake clock and a fake token endpoint.
function fakeEndpoint(expiresIn: number, status = 200) {
  let n = 0;
  const calls: { auth: string | null; body: string }[] = [];
  const fetchFn: typeof fetch = async (_input, init) => {
    calls.push({ auth: new Headers(init?.headers).get("authorization"), body: String(init?.body) });
    await new Promise((r) => setTimeout(r, 5));
    if (status !== 200) {
      return new Response(JSON.stringify({ error: "invalid_client" }), { status });
    }
    return Response.json({ access_token: `tok-${++n}`, expires_in: expiresIn });
  };
  return { fetchFn, calls };
}

test("oauth token cache: cached, refreshed 60 s before expiry, one refresh in flight", async () => {
  let clock = 1_000_000;
  const { fetchFn, calls } = fakeEndpoint(3600);
  const source = createOAuthTokenSource({
    host: "https://ws.example.com",
    clientId: "id",
    clientSecret: "secret-xyz",
    fetch: fetchFn,
    now: () => clock,
  });
  const first = await Promise.all([source.token(), source.token(), source.token()]);
  assert.deepEqual(first, ["tok-1", "tok-1", "tok-1"]);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].auth, `Basic ${btoa("id:secret-xyz")}`);
  assert.equal(calls[0].body, "grant_type=client_credentials&scope=all-apis");
  clock += 3600_000 - 60_001;
  assert.equal(await source.token(), "tok-1");
  clock += 2;
  assert.equal(await source.token(), "tok-2", "refreshed within the last 60 s");
  // A 401 with an old token does not throw the new one away.
  source.invalidate("tok-1");
  assert.equal(await source.token(), "tok-2");
  source.invalidate("tok-2");
  assert.equal(await source.token(), "tok-3");
  assert.equal(source.issued, 3);
  assert.ok(source.secrets().includes("tok-3") && source.secrets().includes("secret-xyz"));
});

test("oauth token cache: short-lived tokens refresh at three quarters of their life", async () => {
  let clock = 0;
  const { fetchFn } = fakeEndpoint(100); // 100 s: margin 25 s
  const source = createOAuthTokenSource({
    host: "https://ws",
    clientId: "id",
    clientSecret: "s3cret-s3cret",
    fetch: fetchFn,
    now: () => clock,
  });
  assert.equal(await source.token(), "tok-1");
  clock = 74_999;
  assert.equal(await source.token(), "tok-1");
  clock = 75_000;
  assert.equal(await source.token(), "tok-2");
});

test("oauth token cache: a refusal is UNAUTHENTICATED without the secret; the next call retries", async () => {
  const { fetchFn, calls } = fakeEndpoint(3600, 400);
  const source = createOAuthTokenSource({
    host: "https://ws",
    clientId: "id",
    clientSecret: "very-secret-value",
    fetch: fetchFn,
  });
  const results = await Promise.allSettled([source.token(), source.token()]);
  assert.equal(calls.length, 1);
  for (const r of results) {
    assert.equal(r.status, "rejected");
    const e = (r as PromiseRejectedResult).reason;
    assert.ok(e instanceof MlflowError);
    assert.equal(e.errorCode, "UNAUTHENTICATED");
    assert.equal(e.status, 400);
    assert.match(e.message, /invalid_client/);
    assert.ok(!e.message.includes("very-secret-value"));
  }
  await source.token().catch(() => {});
  assert.equal(calls.length, 2, "a failed refresh is not cached");
});

// Copyright 2026 the evalhooks authors. MIT license.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { createMlflow, MlflowError, MlflowFlushError } from "../mod.ts";
import {
  freePort,
  type LocalMlflowServer,
  startLocalMlflow,
} from "../src/local_server/mlflow_server.ts";

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
    assert.match(
      error.errors[1].message,
      /run 'not-allowed' could not be created: 1 item\(s\) not logged/,
    );
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

// Secrets of the header leak hunt: random, so any 8-character window of one is a leak, and made
// of identifier characters, so a JSON parser that quotes a whole word (Bun) quotes all of it.
const hex = () => crypto.randomUUID().replace(/-/g, "");
const API_KEY = `ak_${hex()}`;
const GATEWAY_TOKEN = `gw_${hex()}`;
const BASIC_BOB = btoa(`${BOB.username}:${BOB.password}`);

/** How the echoing proxy rewrites the real server's answers. */
type EchoMode =
  | "ok-text" // 2xx answers become 200 with a text body that starts with a credential
  | "error-json" // error answers keep their status; the JSON message echoes every header
  | "error-text" // error answers become text, a secret straddling the client's 300-char excerpt
  | "gateway-html"; // every answer becomes a gateway's 502 page echoing every header

// A proxy in front of the real server that echoes what the client sent, as misconfigured
// gateways and debug endpoints do. Only the body is rewritten: every request reaches the server.
async function startEchoProxy(upstream: string) {
  let mode: EchoMode = "ok-text";
  let n = 0;
  const read = (req: IncomingMessage) =>
    new Promise<Uint8Array<ArrayBuffer>>((resolve) => {
      const chunks: Uint8Array[] = [];
      req.on("data", (c: Uint8Array) => chunks.push(c));
      req.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    });
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === "string" && !["host", "connection", "content-length"].includes(k)) {
        headers.set(k, v);
      }
    }
    const answer = await fetch(upstream + req.url, {
      method: req.method,
      headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
    });
    const upstreamBody = new Uint8Array(await answer.arrayBuffer());
    const sent = [...headers].map(([k, v]) => `${k}: ${v}`).join("\n");
    const auth = headers.get("authorization") ?? "";
    const credential = auth.split(" ")[1] ?? "";
    let decoded = "";
    try {
      decoded = atob(credential);
    } catch {
      // A Bearer token is not base64.
    }
    // Each 2xx body starts with another piece: the credential, the decoded user:password, the
    // password alone, each custom header's value.
    const starts = [
      credential,
      decoded,
      decoded.slice(decoded.indexOf(":") + 1),
      headers.get("x-api-key"),
      headers.get("x-gateway-token"),
    ].filter((s): s is string => !!s);
    const i = n++;
    if (mode === "ok-text" && answer.ok) {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end(`${starts[i % starts.length]}\n${sent}`);
    } else if (mode === "error-json" && !answer.ok) {
      res.writeHead(answer.status, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error_code: "PERMISSION_DENIED", message: `you sent:\n${sent}` }));
    } else if (mode === "error-text" && !answer.ok) {
      res.writeHead(answer.status, { "Content-Type": "text/plain" });
      res.end(`${"x".repeat(295)} ${starts[i % starts.length]}\n${sent}`);
    } else if (mode === "gateway-html") {
      res.writeHead(502, { "Content-Type": "text/html" });
      res.end(`<html><body><h1>Bad gateway</h1><pre>${sent}</pre></body></html>`);
    } else {
      const h: Record<string, string> = {};
      answer.headers.forEach((v, k) => {
        if (
          !["content-length", "transfer-encoding", "connection", "content-encoding"].includes(k)
        ) {
          h[k] = v;
        }
      });
      res.writeHead(answer.status, h);
      res.end(upstreamBody);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setMode(m: EchoMode) {
      mode = m;
    },
    close() {
      server.closeAllConnections?.();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test("auth: custom header values, and credentials echoed in any answer, never leak", async () => {
  const proxy = await startEchoProxy(server.uri);
  const secrets = {
    token: TOKEN,
    password: BOB.password,
    "user:password": `${BOB.username}:${BOB.password}`,
    "Basic credential": BASIC_BOB,
    "X-Api-Key": API_KEY,
    "X-Gateway-Token": GATEWAY_TOKEN,
  };
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
  const custom = { "X-Api-Key": API_KEY, "X-Gateway-Token": GATEWAY_TOKEN };
  const clients = [
    // Basic from the URL, plus a token (unused: Basic wins) and custom headers.
    {
      trackingUri: proxy.uri.replace("://", `://${BOB.username}:${BOB.password}@`),
      token: TOKEN,
      headers: custom,
    },
    // The caller's own Authorization header: nothing tells the client it is a credential.
    { trackingUri: proxy.uri, headers: { ...custom, Authorization: `Basic ${BASIC_BOB}` } },
    // A Bearer token (a 401 from this server) with custom headers.
    { trackingUri: proxy.uri, token: TOKEN, headers: custom },
  ];
  const codes = new Set<string>();
  try {
    let round = 0;
    for (const mode of ["ok-text", "error-json", "error-text", "gateway-html"] as const) {
      proxy.setMode(mode);
      for (const client of clients) {
        // The default onError (console.warn) and a caller's, in turn.
        const onError = round++ % 2 ? undefined : (e: MlflowError) => record(e);
        const mlflow = createMlflow({
          ...client,
          retry: { maxRetries: 1, baseDelayMs: 1, timeoutMs: 5000 },
          onError,
        });
        const keep = (error: unknown) => {
          if (error instanceof MlflowError) codes.add(error.errorCode);
          record(error);
        };
        mlflow.startRun({ experimentId: "0", runName: "leak-check" }).logMetric("m", 1);
        await mlflow.flush().catch(keep);
        await mlflow.getExperimentByName("Default").catch(keep);
        await mlflow.searchRuns({ experimentIds: ["0"] }).catch(keep);
        await mlflow.getRun("0000000000000000000000000000dead").catch(keep);
      }
    }
  } finally {
    Object.assign(console, original);
    await proxy.close();
  }
  // Not just whole secrets: any 8-character piece of one is a leak (a parser quoting the start of
  // a body, an excerpt cut mid-secret, base64 without its padding).
  const leaks = Object.entries(secrets).flatMap(([name, secret]) => {
    for (let i = 0; i + 8 <= secret.length; i++) {
      const leak = seen.find((s) => s.includes(secret.slice(i, i + 8)));
      if (leak) return [`${name} in: ${leak.slice(0, 200)}`];
    }
    return [];
  });
  assert.deepEqual(leaks, []);
  // Every kind of answer was met: a 2xx that is not JSON, the server's 401/403/404, a gateway's 502.
  for (const code of ["BAD_RESPONSE", "UNAUTHENTICATED", "PERMISSION_DENIED", "INTERNAL_ERROR"]) {
    assert.ok(codes.has(code), `no ${code} among ${[...codes].join(", ")}`);
  }
  assert.ok(seen.some((s) => s.includes("not JSON")), "2xx bodies are described, not quoted");
  // Redaction hides the secrets, not the whole echo: a harmless header stays readable.
  assert.ok(seen.some((s) => s.includes("user-agent: evalhooks-mlflow")), "harmless header hidden");
});

// Copyright 2026 the evalhooks authors. MIT license.

// A fault-injecting HTTP proxy on loopback, in front of a real MLflow server. Each request gets
// a fault or none from a policy, so a test can attack the client with what real networks do:
// connections reset before or after the server committed, 5xx and 429 answers, stalls past the
// client's timeout, bodies cut short. node:http, because socket-level faults need the socket,
// and Deno and Bun both provide it.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { seededRandom } from "../../src/base/random.ts";

const decoder = new TextDecoder();

/** What the proxy does to one request. */
export type Fault =
  | "reset-before" // drop the connection without forwarding: the server never sees it
  | "reset-after" // forward, let the server answer, then drop the connection unanswered
  | "503"
  | "502"
  | "429" // with Retry-After: 1
  | "404" // answered as a server without that route (an older MLflow) answers
  | "stall" // hold the request unforwarded until the client gives up
  | "truncate" // forward, then send half the answer and drop the connection
  | "echo-503"; // a 503 whose body quotes every request header back, as a hostile gateway might

/** Chooses a fault for request number `n` (0-based), or none; `body` is the request's text. */
export type FaultPolicy = (
  request: { method: string; path: string; n: number; body: string },
) => Fault | undefined;

/** A running proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`. */
  uri: string;
  /** Faults injected so far, by kind. */
  injected: Record<string, number>;
  /** Requests seen. */
  requests: number;
  /** Replaces the policy. */
  setPolicy(policy: FaultPolicy): void;
  /** Holds every request this long before handling it (a slow server; 0, the default, for none). */
  setDelay(ms: number): void;
  /** Stops the proxy. */
  close(): Promise<void>;
}

/** A deterministic random source (mulberry32), so a failing chaos run can be replayed. */
export { seededRandom };

/** A policy injecting each fault kind with equal odds on a `rate` share of requests. */
export function mixedFaults(rate: number, seed = 1, kinds: Fault[] = ALL_FAULTS): FaultPolicy {
  const random = seededRandom(seed);
  return () => (random() < rate ? kinds[Math.floor(random() * kinds.length)] : undefined);
}

/** Every fault kind. */
export const ALL_FAULTS: Fault[] = [
  "reset-before",
  "reset-after",
  "503",
  "502",
  "429",
  "stall",
  "truncate",
];

function readBody(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    req.on("data", (c: Uint8Array) => chunks.push(c));
    req.on("end", () => {
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let offset = 0;
      for (const c of chunks) {
        out.set(c, offset);
        offset += c.length;
      }
      resolve(out);
    });
    req.on("error", reject);
  });
}

/** Starts a proxy to `upstream` on a free loopback port. */
export async function startFaultProxy(
  upstream: string,
  policy: FaultPolicy = () => undefined,
): Promise<FaultProxy> {
  let current = policy;
  let delayMs = 0;
  let n = 0;
  const injected: Record<string, number> = {};
  const stalled = new Set<ServerResponse>();

  const forward = async (req: IncomingMessage, body: Uint8Array<ArrayBuffer>) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === "string" && k !== "host" && k !== "connection" && k !== "content-length") {
        headers.set(k, v);
      }
    }
    return await fetch(upstream + req.url, {
      method: req.method,
      headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
    });
  };

  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const fault = current({
        method: req.method ?? "GET",
        path: req.url ?? "/",
        n: n++,
        body: decoder.decode(body),
      });
      if (fault) injected[fault] = (injected[fault] ?? 0) + 1;
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      switch (fault) {
        case "reset-before":
          req.socket.destroy();
          return;
        case "stall":
          stalled.add(res);
          res.on("close", () => stalled.delete(res));
          return; // never answered; the client's timeout aborts it
        case "503":
        case "502":
          res.writeHead(Number(fault), { "Content-Type": "text/html" });
          res.end(`<html><body><h1>${fault} from the proxy</h1></body></html>`);
          return;
        case "echo-503":
          res.writeHead(503, { "Content-Type": "application/json" });
          res.end(JSON.stringify({
            error_code: "TEMPORARILY_UNAVAILABLE",
            message: `unavailable: ${req.method} ${req.url} ${JSON.stringify(req.headers)}`,
          }));
          return;
        case "404":
          res.writeHead(404, { "Content-Type": "application/json" });
          res.end(JSON.stringify({ detail: "Not Found" }));
          return;
        case "429":
          res.writeHead(429, { "Retry-After": "1", "Content-Type": "application/json" });
          res.end(JSON.stringify({ error_code: "REQUEST_LIMIT_EXCEEDED", message: "slow down" }));
          return;
      }
      const upstreamResponse = await forward(req, body);
      const answer = new Uint8Array(await upstreamResponse.arrayBuffer());
      if (fault === "reset-after") {
        req.socket.destroy();
        return;
      }
      const headers: Record<string, string> = {};
      upstreamResponse.headers.forEach((v, k) => {
        if (
          k !== "content-length" && k !== "transfer-encoding" && k !== "connection" &&
          k !== "content-encoding"
        ) headers[k] = v;
      });
      headers["content-length"] = String(answer.length);
      res.writeHead(upstreamResponse.status, headers);
      if (fault === "truncate" && answer.length > 1) {
        res.write(answer.subarray(0, Math.floor(answer.length / 2)));
        setTimeout(() => req.socket.destroy(), 10);
        return;
      }
      res.end(answer);
    } catch {
      req.socket.destroy();
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    uri: `http://127.0.0.1:${port}`,
    injected,
    get requests() {
      return n;
    },
    setPolicy(p) {
      current = p;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    close() {
      for (const res of stalled) res.socket?.destroy();
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

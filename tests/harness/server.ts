// Copyright 2026 the evalhooks authors. MIT license.

// The tracking server every integration test talks to: the one `deno task test` started (passed
// in MLFLOW_TRACKING_URI), or, when a test file runs on its own, one started for this process.

import { after } from "node:test";
import { type LocalMlflowServer, startLocalMlflow } from "../../src/local_server/mlflow_server.ts";

let own: Promise<LocalMlflowServer> | undefined;

/** The tracking URI for tests, starting a server for this process if none was given. */
export async function trackingUri(): Promise<string> {
  const given = process.env.MLFLOW_TRACKING_URI;
  if (given) return given;
  if (!own) {
    own = startLocalMlflow();
    after(async () => (await own)?.close());
  }
  return (await own).uri;
}

/** A fresh experiment name, so tests never see each other's runs. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A fetch that counts requests by endpoint, for asserting on batching. */
export function countingFetch(): {
  fetch: typeof fetch;
  count(pathPart?: string): number;
  reset(): void;
} {
  let calls: string[] = [];
  return {
    fetch: (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      calls.push(`${init?.method ?? "GET"} ${new URL(url).pathname}`);
      return fetch(input, init);
    },
    count: (pathPart) => pathPart ? calls.filter((c) => c.includes(pathPart)).length : calls.length,
    reset: () => {
      calls = [];
    },
  };
}

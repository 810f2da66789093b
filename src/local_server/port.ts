// Copyright 2026 the evalhooks authors. MIT license.

// A free loopback port for a server to listen on.

import { createServer } from "node:net";

/**
 * A free TCP port on 127.0.0.1.
 *
 * @example
 * ```ts
 * import { freePort } from "@evalhooks/mlflow/testing";
 *
 * const port = await freePort();
 * ```
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

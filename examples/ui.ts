// Copyright 2026 the evalhooks authors. MIT license.
//
// `deno task ui`: MLflow's UI over the demo's ./.mlflow/ store. Starts the same local server as
// `deno task demo` (the pinned MLflow venv, created once), prints the URL, and stops the server
// on Ctrl-C. Set PORT to choose the port (default 5000, or a free one if 5000 is taken).

import { freePort, startLocalMlflow } from "../src/local_server/mlflow_server.ts";

const storeDir = new URL("../.mlflow/", import.meta.url).pathname;
const wanted = Number(Deno.env.get("PORT") ?? 5000);
const port = await portOrFree(wanted);
const server = await startLocalMlflow({ storeDir, port });
console.log(`MLflow UI: ${server.uri}  (store: ${storeDir}; Ctrl-C stops the server)`);

const stop = async () => {
  await server.close();
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
// Keeps the process alive until a signal: the server is a child process, not an event here.
setInterval(() => {}, 1 << 30);

async function portOrFree(port: number): Promise<number> {
  try {
    const listener = Deno.listen({ hostname: "127.0.0.1", port });
    listener.close();
    return port;
  } catch {
    const other = await freePort();
    console.error(`port ${port} is taken; using ${other}`);
    return other;
  }
}

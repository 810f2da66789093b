// Copyright 2026 the evalhooks authors. MIT license.

// `mlflow server` as a child process: its command line and environment, the wait for `/health`,
// and stopping its whole process group, so a restart can serve the same store on the same port.

import { spawn } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./port.ts";
import { startLocalPostgres } from "./postgres.ts";
import { ensureMlflowVenv } from "./venv.ts";

/**
 * A running server.
 *
 * @example Ride out a restart
 * ```ts
 * import { startLocalMlflow } from "@evalhooks/mlflow/testing";
 *
 * const server = await startLocalMlflow();
 * await server.stop();
 * await server.start(); // same port, same store
 * await server.close();
 * ```
 */
export interface LocalMlflowServer {
  /** `http://127.0.0.1:<port>`. */
  readonly uri: string;
  /** The port. */
  readonly port: number;
  /** Folder with `mlflow.db` and `artifacts/`. */
  readonly storeDir: string;
  /** Stops the server (and its workers); the store stays, for `start()` to serve again. */
  stop(): Promise<void>;
  /** Stops the server and removes the store if this call made it. */
  close(): Promise<void>;
  /** Starts it again on the same port and store (after `stop`). */
  start(): Promise<void>;
  /** The `mlflow` command of the venv, for running the UI over the same store. */
  readonly mlflowBin: string;
  /** The last lines the server printed, for error messages. */
  logTail(lines?: number): string;
  /** The backend store it serves. */
  readonly backend: "sqlite" | "postgres";
  /**
   * Process ids of the server's request workers (uvicorn's worker processes), for killing one
   * mid-run. Empty on a platform without `/proc`.
   */
  workerPids(): number[];
  /**
   * Process groups of everything serving requests: the MLflow server with its workers, and the
   * PostgreSQL it started (for CPU accounting: sum `/proc/<pid>/stat` over these groups).
   */
  processGroups(): number[];
}

/**
 * Options of {@linkcode startLocalMlflow}.
 *
 * @example A server with MLflow's basic-auth app over a store you keep
 * ```ts
 * import { startLocalMlflow } from "@evalhooks/mlflow/testing";
 *
 * const server = await startLocalMlflow({ storeDir: "./.mlflow", appName: "basic-auth" });
 * ```
 */
export interface LocalMlflowOptions {
  /** Folder for the sqlite store and artifacts. @default {a new temp folder, removed on stop} */
  storeDir?: string;
  /** Port. @default {a free one} */
  port?: number;
  /**
   * `basic-auth` starts MLflow's authentication app (installing its `Flask-WTF` dependency into
   * the venv once), with its user database in `storeDir` and the admin user `admin`.
   */
  appName?: "basic-auth";
  /** Password of the `admin` user of the basic-auth app. @default {"admin-password-1234"} */
  adminPassword?: string;
  /** Worker processes (`mlflow server --workers`). @default {1} */
  workers?: number;
  /**
   * The backend store: `sqlite` (a file in `storeDir`), or `postgres`: a PostgreSQL started for
   * this server from Debian's `postgresql` package (initdb into a temp folder, a free loopback
   * port, no system service; see {@linkcode startLocalPostgres}), stopped by `close()`, with
   * `psycopg2-binary` installed into the venv once.
   * @default {"sqlite"}
   */
  backend?: "sqlite" | "postgres";
  /** Extra environment for the server (e.g. auth config). */
  env?: Record<string, string>;
  /** Milliseconds to wait for `/health`. @default {90000} */
  startTimeoutMs?: number;
}

/**
 * Starts `mlflow server` on loopback and waits until `/health` answers.
 *
 * @example
 * ```ts
 * import { startLocalMlflow } from "@evalhooks/mlflow/testing";
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const server = await startLocalMlflow();
 * const mlflow = createMlflow({ trackingUri: server.uri });
 * // ... log, flush, read back ...
 * await server.close();
 * ```
 */
export async function startLocalMlflow(
  options: LocalMlflowOptions = {},
): Promise<LocalMlflowServer> {
  const backend = options.backend ?? "sqlite";
  if (options.appName === "basic-auth") ensureMlflowVenv(["Flask-WTF<2"]);
  const bin = ensureMlflowVenv(backend === "postgres" ? ["psycopg2-binary==2.9.11"] : []);
  const postgres = backend === "postgres" ? await startLocalPostgres() : undefined;
  const ownsStore = options.storeDir === undefined;
  const storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), "evalhooks-mlflow-"));
  mkdirSync(join(storeDir, "artifacts"), { recursive: true });
  const port = options.port ?? await freePort();
  const uri = `http://127.0.0.1:${port}`;
  const logFile = join(storeDir, `server-${port}.log`);
  let child: ReturnType<typeof spawn> | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const args = [
      "server",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--backend-store-uri",
      postgres?.uri ?? `sqlite:///${join(storeDir, "mlflow.db")}`,
      "--artifacts-destination",
      join(storeDir, "artifacts"),
      "--workers",
      String(options.workers ?? 1),
    ];
    const authEnv: Record<string, string> = {};
    if (options.appName === "basic-auth") {
      args.push("--app-name", options.appName);
      const ini = join(storeDir, "basic_auth.ini");
      writeFileSync(
        ini,
        "[mlflow]\ndefault_permission = READ\n" +
          `database_uri = sqlite:///${join(storeDir, "basic_auth.db")}\n` +
          "admin_username = admin\n" +
          "authorization_function = mlflow.server.auth:authenticate_request_basic_auth\n",
      );
      Object.assign(authEnv, {
        MLFLOW_AUTH_CONFIG_PATH: ini,
        MLFLOW_AUTH_ADMIN_PASSWORD: options.adminPassword ?? "admin-password-1234",
        MLFLOW_FLASK_SERVER_SECRET_KEY: crypto.randomUUID(),
      });
    }
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v !== undefined && !k.startsWith("MLFLOW_")) env[k] = v;
    }
    Object.assign(env, {
      MLFLOW_DISABLE_TELEMETRY: "true",
      // MLflow 3.18's job runner (huey consumers for server-side scorer jobs) is 9 more Python
      // processes per server that no test uses: on a 2-core machine they cost start time and
      // memory for nothing. A caller's `env` can turn it back on.
      MLFLOW_SERVER_ENABLE_JOB_EXECUTION: "false",
      DO_NOT_TRACK: "true",
      // MLflow's SQL store holds one pooled connection through a log-batch and opens a second for
      // its metrics. With the default pool (5 + 10 overflow), 8 concurrent batches (a few slow ones
      // a client gave up on and re-sent are enough) take every connection and wait for a second
      // that never comes: the server stalls, 30 s per request, until its 40 worker threads are
      // all stuck. A pool of twice the thread count cannot run dry.
      MLFLOW_SQLALCHEMYSTORE_POOL_SIZE: "40",
      MLFLOW_SQLALCHEMYSTORE_MAX_OVERFLOW: "40",
      ...authEnv,
      ...options.env,
    });
    const out = openSync(logFile, "a");
    // Through a watchdog (WATCHDOG below), so the server never outlives this process: a test run
    // that crashes, is killed or forgets close() must not leave servers behind.
    child = spawn(join(bin, "python"), ["-c", WATCHDOG, join(bin, "mlflow"), ...args], {
      env,
      cwd: storeDir, // anything the server writes beside its store stays there
      stdio: ["ignore", out, out],
      detached: true,
    });
    const proc = child;
    exited = new Promise((resolve) => proc.on("exit", () => resolve()));
    const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
    let dead = false;
    exited.then(() => dead = true);
    while (Date.now() < deadline) {
      if (dead) throw new Error(`mlflow server exited during start:\n${tail(20)}`);
      try {
        const response = await fetch(`${uri}/health`);
        await response.body?.cancel();
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await stop();
    throw new Error(`mlflow server did not answer /health within the time allowed:\n${tail(20)}`);
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.pid === undefined) return;
    try {
      process.kill(-proc.pid, "SIGTERM"); // the whole group: uvicorn's workers too
    } catch {
      proc.kill("SIGTERM");
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-proc.pid!, "SIGKILL");
      } catch { /* gone */ }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };

  const tail = (lines = 20) => {
    try {
      return readFileSync(logFile, "utf8").split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  };

  try {
    await start();
  } catch (error) {
    await postgres?.close();
    if (ownsStore) rmSync(storeDir, { recursive: true, force: true });
    throw error;
  }
  return {
    uri,
    port,
    storeDir,
    mlflowBin: join(bin, "mlflow"),
    start,
    stop,
    backend,
    workerPids: () => child?.pid === undefined ? [] : workersOf(child.pid),
    processGroups: () =>
      [child?.pid, postgres?.processGroup].filter((p): p is number => p !== undefined),
    async close() {
      await stop();
      await postgres?.close();
      if (ownsStore) rmSync(storeDir, { recursive: true, force: true });
    },
    logTail: tail,
  };
}

/**
 * Runs the command in its arguments and waits for it; if the process that started it goes away
 * (its parent pid changes), it ends its whole process group: the server and its workers. A
 * SIGTERM to the group reaches the server directly; the watchdog's handler (not SIG_IGN, which
 * the server would inherit) keeps the watchdog until the server has exited.
 */
const WATCHDOG = `
import os, signal, subprocess, sys, threading, time
parent = os.getppid()
server = subprocess.Popen(sys.argv[1:])
def watch():
    while os.getppid() == parent:
        time.sleep(1)
    os.killpg(0, signal.SIGTERM)
    time.sleep(5)
    os.killpg(0, signal.SIGKILL)
threading.Thread(target=watch, daemon=True).start()
signal.signal(signal.SIGTERM, lambda *_: None)
sys.exit(server.wait())
`;

/**
 * uvicorn's worker processes under the server: the processes of its process group that
 * multiprocessing spawned (`spawn_main`), which uvicorn's supervisor restarts when one dies.
 */
function workersOf(groupId: number): number[] {
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // pid (comm) state ppid pgrp ...: comm may hold spaces, so read after the last ")".
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== groupId) continue;
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8");
      if (cmdline.includes("spawn_main")) found.push(Number(name));
    } catch { /* exited meanwhile */ }
  }
  return found.sort((a, b) => a - b);
}

// Copyright 2026 the evalhooks authors. MIT license.

// A throwaway PostgreSQL for the MLflow server's backend store: Debian's `postgresql` binaries,
// `initdb` into a temp folder, `postgres` on a free loopback port, no system service. Run as the
// current user, or, when that is root (which PostgreSQL refuses), as an unprivileged one.

import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { freePort } from "./port.ts";

/**
 * A running PostgreSQL.
 *
 * @example
 * ```ts
 * import { startLocalPostgres } from "@evalhooks/mlflow/testing";
 *
 * const pg = await startLocalPostgres();
 * console.log(pg.uri); // postgresql+psycopg2://mlflow@127.0.0.1:<port>/mlflow
 * await pg.close();
 * ```
 */
export interface LocalPostgres {
  /** SQLAlchemy URI of its `mlflow` database (psycopg2 driver), for `--backend-store-uri`. */
  readonly uri: string;
  /** The port. */
  readonly port: number;
  /** Process group of the postgres server and its backends (for CPU accounting). */
  readonly processGroup: number;
  /** Stops it (fast shutdown) and removes its data folder. */
  close(): Promise<void>;
}

/**
 * Where Debian (or the PATH) has PostgreSQL's server binaries, or `undefined`.
 *
 * @example Skip a PostgreSQL case where it is not installed
 * ```ts
 * import { postgresBinDir } from "@evalhooks/mlflow/testing";
 *
 * if (!postgresBinDir()) console.log("apt-get install postgresql to run this case");
 * ```
 */
export function postgresBinDir(): string | undefined {
  const candidates: string[] = [];
  const which = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  if (which.status === 0 && which.stdout.trim()) {
    candidates.push(which.stdout.trim().replace(/\/initdb$/, ""));
  }
  try {
    for (const version of readdirSync("/usr/lib/postgresql").sort().reverse()) {
      candidates.push(`/usr/lib/postgresql/${version}/bin`);
    }
  } catch { /* not Debian's layout */ }
  return candidates.find((dir) =>
    existsSync(join(dir, "initdb")) && existsSync(join(dir, "postgres"))
  );
}

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** PostgreSQL will not run as root: the user to run it as then, and how. */
function runAs(): { user: string; prefix: string[] } | undefined {
  if (!isRoot()) return undefined;
  for (const user of ["postgres", "nobody"]) {
    if (spawnSync("id", ["-u", user]).status === 0) {
      return { user, prefix: ["runuser", "-u", user, "--"] };
    }
  }
  throw new Error("running as root, and no unprivileged user (postgres, nobody) to run PostgreSQL");
}

function waitForPort(port: number, deadline: number): Promise<boolean> {
  return new Promise((resolve) => {
    const attempt = () => {
      const socket = connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) resolve(false);
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/**
 * Starts a PostgreSQL server on loopback with an `mlflow` database (user `mlflow`, trust
 * authentication on loopback only) in a new temp folder. Needs Debian's `postgresql` package
 * (`apt-get install postgresql`; its service need not run).
 *
 * @example A PostgreSQL-backed MLflow, several workers
 * ```ts
 * import { startLocalMlflow } from "@evalhooks/mlflow/testing";
 *
 * const server = await startLocalMlflow({ backend: "postgres", workers: 4 }); // starts one itself
 * await server.close();
 * ```
 */
export async function startLocalPostgres(
  options: { maxConnections?: number } = {},
): Promise<LocalPostgres> {
  const bin = postgresBinDir();
  if (!bin) {
    throw new Error(
      "PostgreSQL's server binaries (initdb, postgres) were not found: install Debian's " +
        "`postgresql` package (apt-get install postgresql)",
    );
  }
  const as = runAs();
  const dir = mkdtempSync(join(tmpdir(), "evalhooks-pg-"));
  if (as) {
    spawnSync("chown", ["-R", as.user, dir]);
    chmodSync(dir, 0o755);
  }
  const data = join(dir, "data");
  const run = (command: string, args: string[]) => {
    const [head, ...rest] = [...(as?.prefix ?? []), command, ...args];
    return spawnSync(head, rest, { encoding: "utf8" });
  };
  const init = run(join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "mlflow",
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
  ]);
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `initdb failed: ${(init.stderr || init.stdout).trim().split("\n").slice(-5).join("\n")}`,
    );
  }
  const port = await freePort();
  const logFile = join(dir, "postgres.log");
  const out = openSync(logFile, "a");
  if (as) spawnSync("chown", [as.user, logFile]);
  const args = [
    join(bin, "postgres"),
    "-D",
    data,
    "-p",
    String(port),
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    `unix_socket_directories=${dir}`,
    // MLflow pools up to 80 connections per server worker (see server.ts).
    "-c",
    `max_connections=${options.maxConnections ?? 400}`,
  ];
  const [head, ...rest] = [...(as?.prefix ?? []), ...args];
  const child = spawn(head, rest, { stdio: ["ignore", out, out], detached: true });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const tail = () => {
    try {
      return readFileSync(logFile, "utf8").split("\n").slice(-10).join("\n");
    } catch {
      return "";
    }
  };
  const close = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGINT"); // fast shutdown, the whole group
      } catch { /* gone */ }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch { /* gone */ }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  if (!await waitForPort(port, Date.now() + 30_000)) {
    await close();
    throw new Error(`postgres did not listen on port ${port}:\n${tail()}`);
  }
  // The `mlflow` database; made over a connection, so it also proves the server takes them.
  const createdb = existsSync(join(bin, "createdb")) ? join(bin, "createdb") : "createdb";
  for (let attempt = 0;; attempt++) {
    const made = run(createdb, ["-h", "127.0.0.1", "-p", String(port), "-U", "mlflow", "mlflow"]);
    if (made.status === 0) break;
    if (attempt === 50) {
      await close();
      throw new Error(`createdb failed: ${made.stderr}\n${tail()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    uri: `postgresql+psycopg2://mlflow@127.0.0.1:${port}/mlflow`,
    port,
    processGroup: child.pid!,
    close,
  };
}

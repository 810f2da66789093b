// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible: where there is no process to stop (Workers, browsers) it
// installs nothing.

import { type ClientLoss, formatLossReport, isEmptyLoss } from "./exit_report.ts";

/**
 * Default of the `exitFlushMs` option of `createMlflow`: how long a SIGINT, SIGTERM or `exit()` call
 * waits for the final flush before the process stops anyway.
 *
 * @example
 * ```ts
 * import { createMlflow, DEFAULT_EXIT_FLUSH_MS } from "@evalhooks/mlflow";
 *
 * // A CI job that is given 30 s to stop: let the final flush use most of them.
 * const mlflow = createMlflow({
 *   trackingUri: "http://127.0.0.1:5000",
 *   exitFlushMs: DEFAULT_EXIT_FLUSH_MS * 5,
 * });
 * ```
 */
export const DEFAULT_EXIT_FLUSH_MS = 5000;

/** What the exit hooks need from one client. */
export interface ExitParticipant {
  /** How long this client's final flush may take, in milliseconds. */
  readonly flushMs: number;
  /** True while the client has a run to end or something to send: only then is an exit held. */
  busy(): boolean;
  /** Ends open runs `KILLED`, sends what it can within `flushMs`, and says what is left. */
  finalFlush(): Promise<ClientLoss>;
  /** What is unsent right now (for an exit that cannot wait). */
  unsent(): ClientLoss;
}

// The signals a script is usually stopped with. SIGHUP is left alone: a listener would override
// `nohup`, which sets it to ignored.
const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;
type Signal = keyof typeof SIGNALS;

/** The few process operations the hooks use, from whichever runtime this is. */
interface ProcessApi {
  /** Replaces the runtime's exit function; returns a function that puts the original back. */
  wrapExit(wrapper: (code?: number) => void): () => void;
  /** The runtime's own exit function, as it was before `wrapExit`. */
  exit(code?: number): void;
  /** Adds a signal listener (ours, not counted as the user's); returns its removal. */
  onSignal(signal: Signal, listener: () => void): () => void;
  /** True when someone else listens for `signal`: then stopping the process is theirs to do. */
  othersListen(signal: Signal): boolean;
  /** Sends `signal` to this process (with no listener left, its default action ends it). */
  raise(signal: Signal): void;
  /** Calls `listener` synchronously as the process exits; returns its removal. */
  onExit(listener: () => void): () => void;
}

interface DenoLike {
  exit(code?: number): void;
  pid: number;
  kill(pid: number, signal: string): void;
  addSignalListener(signal: string, listener: () => void): void;
  removeSignalListener(signal: string, listener: () => void): void;
}
interface ProcessLike {
  pid: number;
  exit(code?: number): void;
  kill(pid: number, signal: string): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  off(event: string, listener: (...args: unknown[]) => void): void;
  listenerCount(event: string): number;
}
interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

// One state per process, not per copy of this module: two copies of the library in one process
// (two versions in a dependency tree) still install one set of handlers.
interface HooksState {
  participants: Set<ExitParticipant>;
  /** Set once an exit has begun; a second signal or exit() then stops at once. */
  exiting: boolean;
  /** On Deno: the signal listeners added through `Deno.addSignalListener` (Deno cannot count
   * them), and the functions it had before they were counted. */
  deno?: {
    listeners: Map<string, Set<() => void>>;
    add(signal: string, listener: () => void): void;
    remove(signal: string, listener: () => void): void;
  };
  uninstall?: () => void;
}
const KEY = Symbol.for("@evalhooks/mlflow exit hooks v1");

function hooksState(): HooksState {
  const g = globalThis as unknown as Record<symbol, HooksState | undefined>;
  return g[KEY] ??= { participants: new Set(), exiting: false };
}

/**
 * Registers a client with the process's exit hooks, installing them with the first client:
 * SIGINT and SIGTERM listeners, a wrapper around `Deno.exit`/`process.exit`, and a last-moment
 * report. Returns the unregistration; the hooks are removed with the last client. Does nothing
 * (and returns a no-op) where the runtime has no process to stop.
 */
export function registerExitParticipant(participant: ExitParticipant): () => void {
  const state = hooksState();
  if (state.participants.size === 0 && !state.uninstall) {
    const api = processApi(state);
    if (!api) return () => {};
    state.uninstall = install(state, api);
  }
  state.participants.add(participant);
  return () => {
    if (!state.participants.delete(participant)) return;
    if (state.participants.size === 0 && !state.exiting) {
      state.uninstall?.();
      state.uninstall = undefined;
    }
  };
}

function install(state: HooksState, api: ProcessApi): () => void {
  const realExit = api.exit;
  let reported = false;
  const busy = () => [...state.participants].some((p) => p.busy());

  const report = (headline: string, losses: ClientLoss[]) => {
    reported = true;
    const lines = formatLossReport(headline, losses.filter((l) => !isEmptyLoss(l)));
    if (lines.length > 0) console.error(lines.join("\n"));
  };

  // Every client's final flush, each bounded by its own deadline; a margin over the longest in
  // case one never settles (it must not hold the process).
  const finalFlush = async (): Promise<ClientLoss[]> => {
    const all = [...state.participants];
    const longest = Math.max(0, ...all.map((p) => p.flushMs));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cap = new Promise<ClientLoss[]>((resolve) => {
      timer = setTimeout(() => resolve(all.map((p) => p.unsent())), longest + 1000);
    });
    const flushed = Promise.all(all.map((p) => p.finalFlush().catch(() => p.unsent())));
    try {
      return await Promise.race([flushed, cap]);
    } finally {
      clearTimeout(timer);
    }
  };

  const wrapper = (code?: number): void => {
    if (state.exiting || !busy()) return realExit(code);
    state.exiting = true;
    // exit() returns here: the process ends once the final flush settles (within exitFlushMs).
    finalFlush().then(
      (losses) => report(`exit(${code ?? ""}): the final flush could not send everything:`, losses),
    ).finally(() => realExit(code));
  };

  const stopBy = (signal: Signal) => {
    removeAll();
    try {
      // With no listener left, the signal's default action ends the process, as it would have
      // done were we not listening: the parent sees "killed by SIGTERM", a shell shows 143.
      api.raise(signal);
    } catch {
      return realExit(128 + SIGNALS[signal]); // not allowed to signal ourselves
    }
    // Delivery may take a moment (Deno takes signals on another thread). Should it not come, the
    // conventional code is the next best thing.
    setTimeout(() => realExit(128 + SIGNALS[signal]), 200);
  };
  const onSignal = (signal: Signal) => {
    if (api.othersListen(signal)) return; // the user's listener decides what happens now
    if (state.exiting || !busy()) {
      if (state.exiting) report(`${signal} again: stopping now.`, unsentNow());
      return stopBy(signal);
    }
    state.exiting = true;
    finalFlush().then(
      (losses) => report(`${signal}: the final flush could not send everything:`, losses),
    ).finally(() => stopBy(signal));
  };

  const unsentNow = () => [...state.participants].map((p) => p.unsent());
  // An exit we could not hold (the original exit function called directly, an uncaught error
  // on Node and Bun): no network is possible any more, but the loss is still said.
  const onExit = () => {
    if (!reported) report("the process exited before everything was sent:", unsentNow());
  };

  const removals = [
    api.wrapExit(wrapper),
    api.onExit(onExit),
    ...(Object.keys(SIGNALS) as Signal[]).map((s) => api.onSignal(s, () => onSignal(s))),
  ];
  let removed = false;
  function removeAll(): void {
    if (removed) return;
    removed = true;
    for (const remove of removals) remove();
  }
  return removeAll;
}

/** The runtime's process operations, feature-detected; `undefined` where there is no process. */
function processApi(state: HooksState): ProcessApi | undefined {
  const g = globalThis as {
    Deno?: DenoLike;
    process?: ProcessLike;
    navigator?: { userAgent?: string };
  };
  // Deno 2 also has `process`, but its signals go through Deno's own listeners: use those.
  if (typeof g.Deno?.addSignalListener === "function" && typeof g.Deno.exit === "function") {
    return denoApi(g.Deno, state, g as unknown as EventTargetLike);
  }
  const p = g.process;
  if (
    p && typeof p.on === "function" && typeof p.exit === "function" &&
    typeof p.listenerCount === "function" && typeof p.pid === "number" &&
    g.navigator?.userAgent !== "Cloudflare-Workers" // nodejs_compat has a `process`, not a process
  ) {
    return nodeApi(p);
  }
  return undefined;
}

function denoApi(deno: DenoLike, state: HooksState, target: EventTargetLike): ProcessApi {
  const exit = deno.exit;
  // Deno has no listener count, so the user's listeners are counted from here on. `process.on`
  // for a signal goes through `Deno.addSignalListener` too. The counting stays installed after
  // the hooks are removed, so that the count is still right if they are installed again.
  if (!state.deno) {
    const listeners = new Map<string, Set<() => void>>();
    const add = deno.addSignalListener;
    const remove = deno.removeSignalListener;
    state.deno = { listeners, add, remove };
    deno.addSignalListener = (signal, listener) => {
      add(signal, listener);
      if (!listeners.has(signal)) listeners.set(signal, new Set());
      listeners.get(signal)!.add(listener);
    };
    deno.removeSignalListener = (signal, listener) => {
      remove(signal, listener);
      listeners.get(signal)?.delete(listener);
    };
  }
  const { listeners, add, remove } = state.deno;
  return {
    exit,
    wrapExit(wrapper) {
      deno.exit = wrapper;
      return () => {
        if (deno.exit === wrapper) deno.exit = exit;
      };
    },
    onSignal(signal, listener) {
      add(signal, listener);
      return () => remove(signal, listener);
    },
    othersListen: (signal) => (listeners.get(signal)?.size ?? 0) > 0,
    raise: (signal) => deno.kill(deno.pid, signal),
    onExit(listener) {
      target.addEventListener("unload", listener);
      return () => target.removeEventListener("unload", listener);
    },
  };
}

function nodeApi(p: ProcessLike): ProcessApi {
  const exit = p.exit;
  const realExit = (code?: number) => exit.call(p, code);
  return {
    exit: realExit,
    wrapExit(wrapper) {
      p.exit = wrapper;
      return () => {
        if (p.exit === wrapper) p.exit = exit;
      };
    },
    onSignal(signal, listener) {
      p.on(signal, listener);
      return () => p.off(signal, listener);
    },
    othersListen: (signal) => p.listenerCount(signal) > 1, // ours is one of them
    raise: (signal) => p.kill(p.pid, signal),
    onExit(listener) {
      p.on("exit", listener);
      return () => p.off("exit", listener);
    },
  };
}

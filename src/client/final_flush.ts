// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { pendingCount } from "../delivery/batcher.ts";
import type { ExitParticipant } from "./exit_hooks.ts";
import type { ClientLoss, RunLoss } from "./exit_report.ts";
import type { RestClient } from "../transport/rest.ts";
import { updateRun } from "../store/runs.ts";
import type { RunState } from "./run.ts";
import type { RunInfo } from "./types.ts";

/** The parts of a client a final flush works on. */
export interface FinalFlushContext {
  /** Transport, for ending runs ahead of their queues. */
  rest: RestClient;
  /** Runs not yet ended, or with something unsent. */
  runs: Set<RunState>;
  /** Everything `flush()` waits for. */
  background: Set<Promise<unknown>>;
  /** The trace writes among `background`. */
  traces: Set<Promise<unknown>>;
  /** Sends every run's pending writes now, as `flush()` does. */
  drainAll(): void;
  /** How long the final flush may take, in milliseconds. */
  flushMs: number;
}

/** A client's side of the exit hooks, plus `watch`, which the client calls for each new run. */
export interface FinalFlush extends ExitParticipant {
  /** Keeps the run's name and id at hand, for a report that may have to be made synchronously. */
  watch(state: RunState, runName: string | undefined): void;
}

/**
 * What a client does when the process is told to stop: end every open run `KILLED`, send what it
 * can within `flushMs`, and count what is left, by run.
 *
 * Each run's end is also sent at once, ahead of its queue: with 50,000 metrics waiting behind a
 * slow server the queued end would not be reached in time, and the run would read `RUNNING` for
 * ever. MLflow accepts writes to a run that has ended, so the rest of the queue still lands.
 */
export function createFinalFlush(ctx: FinalFlushContext): FinalFlush {
  const infos = new WeakMap<RunState, RunInfo>();
  const names = new WeakMap<RunState, string>();
  const endedOnServer = new WeakSet<RunState>();

  const endNow = async (state: RunState): Promise<void> => {
    const info = await state.created;
    const end = state.endRequest;
    if (!info || !end) return;
    try {
      if (state.endShard) await state.endShard(info.runId, end.status, end.endTime);
      else await updateRun(ctx.rest, info.runId, end.status, end.endTime);
      endedOnServer.add(state);
    } catch {
      // Said in the report ("left RUNNING"); the queued end may still get through.
    }
  };

  const lossOf = (state: RunState): RunLoss | undefined => {
    const info = infos.get(state);
    const loss: RunLoss = {
      runName: info?.runName ?? names.get(state),
      runId: info?.runId,
      notSent: pendingCount(state.pending),
      inFlight: state.sending,
      artifacts: state.uploads.size,
      leftRunning: info !== undefined && !endedOnServer.has(state),
    };
    const lost = loss.notSent + loss.inFlight + loss.artifacts > 0 || loss.leftRunning;
    return lost ? loss : undefined;
  };

  const unsent = (): ClientLoss => ({
    runs: [...ctx.runs].map(lossOf).filter((l): l is RunLoss => l !== undefined),
    traces: ctx.traces.size,
  });

  return {
    flushMs: ctx.flushMs,
    busy: () => ctx.runs.size > 0 || ctx.background.size > 0,
    watch(state, runName) {
      if (runName !== undefined) names.set(state, runName);
      state.created.then((info) => info && infos.set(state, info));
    },
    unsent,
    async finalFlush() {
      const ends: Promise<void>[] = [];
      for (const state of ctx.runs) {
        if (!state.ended) state.handle.end("KILLED");
        ends.push(endNow(state));
      }
      ctx.drainAll();
      const everything = (async () => {
        await Promise.all([...ends, ...[...ctx.runs].map((state) => state.settled())]);
        while (ctx.background.size > 0) await Promise.all([...ctx.background]);
      })();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ctx.flushMs);
      });
      try {
        await Promise.race([everything, deadline]);
      } finally {
        clearTimeout(timer);
      }
      return unsent();
    },
  };
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// What a run's parts share: the client's services (RunContext) and the run's own state.

import type { MlflowError } from "../base/errors.ts";
import type { PendingWrites } from "../delivery/batcher.ts";
import type { SerialQueue } from "../delivery/serial.ts";
import type { RunCreator } from "../store/run_create.ts";
import type { RestClient } from "../transport/rest.ts";
import type { MlflowStats, Run, RunInfo, RunStatus, StartRunOptions } from "./types.ts";

/** What a run needs from the client that owns it. */
export interface RunContext {
  /** Transport. */
  rest: RestClient;
  /** Cut long values (true) or throw (false). */
  truncateLongValues: boolean;
  /** A failure: kept for `flush()` and passed to `onError`. */
  report(error: MlflowError): void;
  /** A warning: passed to `onError` only. */
  warn(error: MlflowError): void;
  /** Reserves room for `count` queued items of `bytes`; false when full (they are dropped). */
  reserve(count: number, bytes: number): boolean;
  /** Gives room back once items left the queue. */
  release(count: number, bytes: number): void;
  /** Counts items that cannot be sent (their run was never created) as not logged. */
  lose(count: number): void;
  /** Asks for this run's pending writes to be sent at the end of the current tick. */
  schedule(state: RunState): void;
  /** Lets `flush()` wait for a background promise (which must not reject). */
  track(promise: Promise<unknown>): void;
  /** Resolves the run's experiment id. */
  experimentId(options: StartRunOptions): Promise<string>;
  /** Starts another run (for `startChildRun`). */
  startRun(options: StartRunOptions): Run;
  /** Throws once the client is closed. */
  assertOpen(call: string): void;
  /** Tags on every run this client creates, under the caller's own (source.ts). */
  sourceTags: Record<string, string>;
  /** Creates runs exactly once. */
  creator: RunCreator;
  /** A start time later than any this client gave a run before (runs are told apart by it). */
  nextStartTime(): number;
  /** What has been logged, by kind. */
  logged: MlflowStats["logged"];
  /** Forgets a run once it has ended and everything it logged is sent. */
  forget(state: RunState): void;
}

/** A tag delete waiting in the run's queue. */
export interface TagDelete {
  /** A value set after the delete, sent once the delete is done. */
  held?: string;
}

/** Everything the client keeps about one run. */
export interface RunState {
  /** The public handle. */
  handle: Run;
  /** Create → writes in order → end. */
  queue: SerialQueue;
  /** The server's info once created; `undefined` if creation failed (already reported). */
  created: Promise<RunInfo | undefined>;
  /** Writes not yet taken into a request. */
  pending: PendingWrites;
  /** A drain task is already queued and has not started. */
  drainQueued: boolean;
  /** Artifact uploads under way (they run beside the queue, bounded by `maxInFlight`). */
  uploads: Set<Promise<void>>;
  /** Param values logged, to refuse a changed value at the call and skip a repeated one. */
  params: Map<string, string>;
  /** Tables logged, for the `mlflow.loggedArtifacts` tag. */
  tables: string[];
  /** The oldest tables were left out of that tag (warned once). */
  tablesTrimmed?: boolean;
  /** Tag deletes queued and not yet sent, by key (created on the first `deleteTag`). */
  tagDeletes?: Map<string, TagDelete>;
  /** The end, once asked for. */
  ended?: Promise<void>;
  /**
   * Ends this writer's part instead of the run (a joined run's shard, run_join.ts); the run's
   * status is then set by whichever shard completes it.
   */
  endShard?: (runId: string, status: RunStatus, endTime: number) => Promise<void>;
  /** The status and end time asked for by `end()` (the exit hooks send it ahead of the queue). */
  endRequest?: { status: RunStatus; endTime: number };
  /** Items in the request in flight, not answered yet (reported as such if the process stops). */
  sending: number;
  /** Sends what is pending now (queues a drain task if none is waiting). */
  drain(): void;
  /** Settles once everything logged on this run so far is sent (reads wait for it). */
  settled(): Promise<void>;
  /** Ended, with nothing pending or uploading: the client may forget it. */
  idle(): boolean;
}

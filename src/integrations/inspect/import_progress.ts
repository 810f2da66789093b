// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// How far an import has got, counted twice: samples read from the log, and samples whose writes
// have left the client's queue. Reading is quick and delivery is not (a trace per sample is a
// request each), so a display that only counted reading would sit at 100 % while the server
// still works.

import type { MlflowClient } from "../../client/types.ts";

/**
 * Progress of an import: `read` samples handed to the hooks, `sent` of them whose writes are on
 * the server (or failed for good, and reported), out of `total` in the log.
 *
 * @example A one-line display
 * ```ts
 * import { type ImportProgress, importInspectLog } from "@evalhooks/mlflow/inspect";
 *
 * const show = (p: ImportProgress) => console.error(`read ${p.read}/${p.total} · sent ${p.sent}/${p.total}`);
 * await importInspectLog("logs/run.eval", { onProgress: show });
 * ```
 */
export interface ImportProgress {
  /** Samples read and handed to the hooks. */
  read: number;
  /** Samples whose writes have all left the client's queue; equals `read` when the import ends. */
  sent: number;
  /** Samples in the log. */
  total: number;
}

/** Tracks {@linkcode ImportProgress} against one client's delivery. */
export interface ProgressTracker {
  /** Call after each sample was handed over (its writes are queued by then). */
  read(): void;
  /** Everything was flushed: the last report, with every sample read counted as sent. */
  done(): void;
}

/** Creates a tracker that calls `onProgress`; a no-op without one. */
export function trackProgress(
  mlflow: Pick<MlflowClient, "delivered">,
  total: number,
  onProgress: ((progress: ImportProgress) => void) | undefined,
): ProgressTracker {
  let read = 0;
  let sent = 0;
  let finished = false;
  const report = () => onProgress?.({ read, sent, total });
  return {
    read() {
      if (!onProgress) return;
      const sample = ++read;
      report();
      // Sample `sample` is sent once what was logged up to its hand-over has left the queue. The
      // last sample of the log is counted with the eval's closing writes, in done(): so `sent`
      // reaches `total` only when nothing is left to send.
      void mlflow.delivered().then(() => {
        if (finished || sample <= sent || sample >= total) return;
        sent = sample;
        report();
      });
    },
    done() {
      finished = true;
      sent = read;
      report();
    },
  };
}

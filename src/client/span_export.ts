// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Where a finished trace's spans go once its info is on the server: with the spans of other
// traces of the same experiment, in one OTLP request (MLflow keeps them in its database), or, on
// a server without that endpoint, as each trace's `traces.json` artifact.

import { MlflowError } from "../base/errors.ts";
import { createGatherer } from "../delivery/gather.ts";
import { LIMITS } from "../store/limits.ts";
import { exportOtlpSpans, isOtlpUnavailable, otlpRequestBody } from "../store/otlp.ts";
import { spanToWire } from "../store/spans.ts";
import { stringifyWithBigInt } from "../store/trace_ids.ts";
import { putSpansArtifact } from "../store/traces.ts";
import type { RestClient } from "../transport/rest.ts";
import type { TraceRecord } from "./span_handle.ts";

/** Traces whose spans share one OTLP request, at most. */
const TRACES_PER_REQUEST = 100;
/** How long a finished trace's spans wait for company while other traces are still on their way. */
const MAX_WAIT_MS = 2_000;

/** One trace's spans, ready to go. */
export interface SpanShipment {
  /** The trace, for the `traces.json` fallback and for errors. */
  trace: TraceRecord;
  /** Its spans in OTLP's binary form, each as `spanToOtlp` encoded it. */
  otlpSpans: readonly Uint8Array[];
  /**
   * Where its `traces.json` goes when the server has no OTLP endpoint; absent for a trace
   * continued from another process, whose spans can only join it over OTLP.
   */
  artifactLocation?: string;
  /** Its run, for errors. */
  runId?: string;
}

/** Sends spans in bulk; see the module comment. */
export interface SpanExporter {
  /** Announces a trace whose info request is on its way, so its spans can share a request. */
  expect(): () => void;
  /** Sends `shipment` to `experimentId`; settles once its spans are on the server. */
  ship(experimentId: string, shipment: SpanShipment): Promise<void>;
}

interface Pending extends SpanShipment {
  resolve(): void;
  reject(error: unknown): void;
}

/** Creates the span exporter of one client. */
export function createSpanExporter(rest: RestClient): SpanExporter {
  // Learnt once per client: a server that has no OTLP endpoint does not grow one mid-eval.
  let otlp = true;

  async function viaArtifacts(items: Pending[]): Promise<void> {
    await Promise.all(items.map(async (item) => {
      if (item.artifactLocation === undefined) {
        item.reject(
          new MlflowError(
            "the server has no OTLP endpoint (/v1/traces), which spans that continue a trace " +
              "from another process need",
            { errorCode: "OTLP_UNAVAILABLE", key: item.trace.traceId },
          ),
        );
        return;
      }
      try {
        const text = stringifyWithBigInt({
          spans: item.trace.spans.map((s) => spanToWire(item.trace, s)),
        });
        await putSpansArtifact(rest, item.artifactLocation, text, item.trace.traceId, item.runId);
        item.resolve();
      } catch (error) {
        item.reject(error);
      }
    }));
  }

  async function viaOtlp(experimentId: string, items: Pending[]): Promise<void> {
    const key = items.length === 1 ? items[0].trace.traceId : `${items.length} traces`;
    try {
      await exportOtlpSpans(
        rest,
        experimentId,
        otlpRequestBody(items.flatMap((i) => i.otlpSpans)),
        key,
      );
      for (const item of items) item.resolve();
    } catch (error) {
      if (isOtlpUnavailable(error)) {
        otlp = false;
        return viaArtifacts(items);
      }
      // The server refused the content: MLflow stores a request all or nothing, so one bad
      // trace would sink the others. Each goes alone, and only the bad one fails.
      const refused = error instanceof MlflowError && error.status >= 400 && error.status < 500;
      if (refused && items.length > 1) {
        await Promise.all(items.map((item) => viaOtlp(experimentId, [item])));
        return;
      }
      for (const item of items) item.reject(error);
    }
  }

  const gatherer = createGatherer<Pending>({
    maxItems: TRACES_PER_REQUEST,
    maxBytes: LIMITS.batchBytes, // what a proxy in front of MLflow lets through, too
    maxWaitMs: MAX_WAIT_MS,
    send: (experimentId, items) => otlp ? viaOtlp(experimentId, items) : viaArtifacts(items),
  });

  return {
    expect: () => gatherer.expect(),
    ship(experimentId, shipment) {
      return new Promise<void>((resolve, reject) => {
        gatherer.add(
          experimentId,
          { ...shipment, resolve, reject },
          byteLength(shipment.otlpSpans),
        );
      });
    },
  };
}

function byteLength(spans: readonly Uint8Array[]): number {
  let total = 0;
  for (const s of spans) total += s.length;
  return total;
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Exporting a finished trace: the token usage summed over its spans, the previews and metadata
// MLflow's UI shows, its info request with the assessments logged so far (store/traces.ts), and
// its spans handed to the span exporter, which sends many traces' spans in one request.

import { asMlflowError, MlflowError } from "../base/errors.ts";
import { pythonJsonDumps } from "../base/python_json.ts";
import { percentile } from "../base/stats.ts";
import { spanToOtlp } from "../store/otlp.ts";
import type { SpanRecord } from "../store/spans.ts";
import { startTrace } from "../store/traces.ts";
import type { TraceRecord } from "./span_handle.ts";
import { fillSourceRuns } from "./assessment_run.ts";
import type { TraceContext } from "./trace_context.ts";
import { tracePreviews } from "./trace_preview.ts";

const PREVIEW_CHARS = 1000;

/**
 * Exports `trace` once its root span ended: serialises it (what waits in memory is counted in
 * the queue budget) and sends it in the background, with the assessments logged on it so far.
 * `ours` forgets the trace once done.
 */
export function exportOnRootEnd(
  ctx: TraceContext,
  ours: Map<string, TraceRecord>,
  trace: TraceRecord,
  root: SpanRecord,
): void {
  // Children still open when the root ends end with it, their status left unknown.
  for (const s of trace.spans) if (s.endTimeNs === undefined) s.endTimeNs = root.endTimeNs;
  // Encoded now: the bytes are what waits in memory until they are sent, and what is counted.
  const otlpSpans = trace.spans.map((s) => spanToOtlp(trace, s));
  const spanBytes = otlpSpans.map((s) => s.length);
  const bytes = spanBytes.reduce((a, b) => a + b, 0) + 4 * PREVIEW_CHARS;
  const forget = () => {
    if (ours.get(trace.traceId) === trace) ours.delete(trace.traceId);
  };
  if (!ctx.reserve(1, bytes)) {
    forget();
    trace.exported = Promise.resolve(false);
    trace.sealed = true;
    trace.riding.splice(0);
    return;
  }
  ctx.counted();
  const arrived = ctx.spans.expect();
  trace.exported = sendTrace(ctx, trace, root, otlpSpans, spanBytes, arrived).finally(() => {
    arrived();
    ctx.release(1, bytes);
  }).then(
    () => true,
    (error: unknown) => {
      ctx.report(asMlflowError(error, `export trace ${trace.traceId}`));
      return false;
    },
  );
  trace.done = trace.exported.then(() => {}).finally(forget);
  ctx.track(trace.done);
}

async function sendTrace(
  ctx: TraceContext,
  trace: TraceRecord,
  root: SpanRecord,
  otlpSpans: readonly Uint8Array[],
  spanBytes: readonly number[],
  arrived: () => void,
): Promise<void> {
  // Scores are usually logged right after the root span ends, in the same synchronous stretch:
  // one turn of the event loop lets them ride in the trace-info request.
  await Promise.resolve();
  if (trace.remote) return sendContinued(ctx, trace, otlpSpans, arrived);
  const { options } = trace;
  let experimentId = options.experimentId;
  let runId: string | undefined;
  if (options.run !== undefined) {
    const info = await ctx.runInfo(options.run);
    if (!info) throw new MlflowError("its run was not created", { errorCode: "RUN_NOT_CREATED" });
    runId = info.runId;
    experimentId ??= info.experimentId;
  }
  experimentId ??= await ctx.defaultExperimentId();

  const usage = { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
  let hasUsage = false;
  for (const s of trace.spans) {
    const u = s.attributes["mlflow.chat.tokenUsage"] as Partial<typeof usage> | undefined;
    if (u && typeof u === "object") {
      hasUsage = true;
      usage.input_tokens += Number(u.input_tokens ?? 0);
      usage.output_tokens += Number(u.output_tokens ?? 0);
      usage.total_tokens += Number(
        u.total_tokens ?? (Number(u.input_tokens ?? 0) + Number(u.output_tokens ?? 0)),
      );
    }
  }
  const previews = tracePreviews(root.inputs, root.outputs);
  const metadata: Record<string, string> = {
    ...ctx.sourceTags,
    ...options.metadata,
    ...(options.session === undefined ? {} : { "mlflow.trace.session": options.session }),
    ...(options.user === undefined ? {} : { "mlflow.trace.user": options.user }),
    ...modelMetadata(
      options.modelId ?? options.metadata?.["mlflow.modelId"] ?? ctx.activeModelId(),
    ),
    "mlflow.trace_schema.version": "3",
    "mlflow.traceInputs": previews.inputsMetadata,
    "mlflow.traceOutputs": previews.outputsMetadata,
  };
  if (runId) metadata["mlflow.sourceRun"] = runId;
  if (hasUsage) metadata["mlflow.trace.tokenUsage"] = JSON.stringify(usage);
  // The spans' bytes as sent.
  const total = spanBytes.reduce((a, b) => a + b, 0);
  metadata["mlflow.trace.sizeBytes"] = String(total);
  metadata["mlflow.trace.sizeStats"] = sizeStats(spanBytes, total);

  const assessments = seal(trace);
  await fillSourceRuns(ctx.runInfo, assessments);
  const artifactLocation = await startTrace(
    ctx.rest,
    {
      traceId: trace.traceId,
      experimentId,
      startTimeNs: root.startTimeNs,
      endTimeNs: root.endTimeNs ?? root.startTimeNs,
      state: root.status.code === "ERROR" ? "ERROR" : "OK",
      requestPreview: previews.request,
      responsePreview: previews.response,
      metadata,
      tags: { "mlflow.traceName": root.name, ...options.tags },
      assessments,
    },
    runId,
  );
  const shipped = ctx.spans.ship(experimentId, { trace, otlpSpans, artifactLocation, runId });
  arrived(); // added: the spans of traces still on their way may now join it
  await shipped;
}

/**
 * A trace begun in another process: only this process's spans go (the other process writes the
 * trace's info), then the scores logged on it, each on its own, once the trace exists.
 */
async function sendContinued(
  ctx: TraceContext,
  trace: TraceRecord,
  otlpSpans: readonly Uint8Array[],
  arrived: () => void,
): Promise<void> {
  const { options } = trace;
  let experimentId = options.experimentId;
  if (experimentId === undefined && options.run !== undefined) {
    experimentId = (await ctx.runInfo(options.run))?.experimentId;
  }
  experimentId ??= await ctx.defaultExperimentId();
  const shipped = ctx.spans.ship(experimentId, { trace, otlpSpans });
  arrived();
  await shipped;
  const assessments = seal(trace);
  await fillSourceRuns(ctx.runInfo, assessments);
  await Promise.all(
    assessments.map((assessment) =>
      ctx.assessments.send(trace.traceId, assessment).catch((error: unknown) =>
        ctx.report(
          asMlflowError(error, `log '${assessment.assessment_name}' on ${trace.traceId}`),
        )
      )
    ),
  );
}

// `mlflow.trace.sizeStats` as Python's client writes it: the total, the span count (which the
// server checks a read against: a trace with fewer spans stored is not complete yet) and the
// spans' sizes (here each span's OTLP encoding, as sent), quartiles interpolated and truncated.
function sizeStats(spanBytes: readonly number[], total: number): string {
  const sizes = [...spanBytes].sort((a, b) => a - b);
  const at = (q: number) => sizes.length === 0 ? 0 : Math.trunc(percentile(sizes, q));
  return pythonJsonDumps({
    total_size_bytes: total,
    num_spans: sizes.length,
    max: sizes.at(-1) ?? 0,
    p25: at(0.25),
    p50: at(0.5),
    p75: at(0.75),
  });
}

function modelMetadata(modelId: string | undefined): Record<string, string> {
  return modelId === undefined ? {} : { "mlflow.modelId": modelId };
}

/** The assessments that ride in the trace-info request; later ones are sent on their own. */
function seal(trace: TraceRecord): Record<string, unknown>[] {
  trace.sealed = true;
  return trace.riding.splice(0);
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Tracing: traces are built in memory span by span (span_handle.ts) and exported when their root
// ends (trace_export.ts); assessments logged before the export is built ride in its request.

import { asMlflowError, MlflowError, MlflowValidationError } from "../base/errors.ts";
import { expectationAssessment, feedbackAssessment, withTrace } from "../store/assessments.ts";
import type { SpanRecord } from "../store/spans.ts";
import { randomHex } from "../store/trace_ids.ts";
import { getTrace, searchTraces } from "../store/traces.ts";
import { activeContext, withActiveContext } from "./active.ts";
import { fillSourceRuns, markSourceRun } from "./assessment_run.ts";
import type { Run } from "./run_types.ts";
import { makeSpan, newRecord, setInputs, type TraceRecord } from "./span_handle.ts";
import type { TraceContext, Tracer } from "./trace_context.ts";
import { parseTraceparent } from "./traceparent.ts";
import { createTraceReview } from "./trace_review.ts";
import { exportOnRootEnd } from "./trace_export.ts";

export type { TraceContext, Tracer } from "./trace_context.ts";

/** Creates the tracing half of the client. */
export function createTracer(ctx: TraceContext): Tracer {
  // Traces this client made, so assessments wait for their export. Forgotten once exported.
  const ours = new Map<string, TraceRecord>();
  const onRootEnd = (trace: TraceRecord, root: SpanRecord) =>
    exportOnRootEnd(ctx, ours, trace, root);

  function logAssessment(
    traceId: string,
    assessment: Record<string, unknown>,
    what: string,
    run: Run | string | undefined,
  ): void {
    const send = () =>
      fillSourceRuns(ctx.runInfo, [assessment]).then(() =>
        ctx.assessments.send(traceId, assessment)
      ).then(
        () => {},
        (error: unknown) => ctx.report(asMlflowError(error, what)),
      );
    const trace = ours.get(traceId);
    if (trace && !trace.sealed) {
      // The trace is not on the server yet: the assessment rides in its trace-info request (a
      // continued trace has none here: it waits for the trace's spans, then goes on its own).
      // flush() does not wait for a trace whose root has not ended.
      const riding = trace.remote ? assessment : withTrace(assessment);
      if (run !== undefined) markSourceRun(riding, run);
      trace.riding.push(riding);
      return;
    }
    if (run !== undefined) markSourceRun(assessment, run);
    if (trace?.exported) {
      ctx.track(trace.exported.then((ok) => ok ? send() : undefined));
    } else {
      ctx.track(send());
    }
  }

  const tracer: Tracer = {
    startTrace(options) {
      ctx.assertOpen("startTrace");
      for (const key of ["session", "user"] as const) {
        const value = options[key];
        if (value !== undefined && (typeof value !== "string" || value === "")) {
          throw new MlflowValidationError(
            `startTrace: ${key} must be a non-empty string, got ${JSON.stringify(value)}`,
            { key, rule: "non_empty_string", call: "startTrace" },
          );
        }
      }
      const remote = options.traceparent === undefined
        ? undefined
        : parseTraceparent(options.traceparent, "startTrace");
      const hexId = remote?.hexId ?? randomHex(16);
      const trace: TraceRecord = {
        traceId: `tr-${hexId}`,
        hexId,
        options,
        spans: [],
        remote,
        riding: [],
        sealed: false,
      };
      // A trace continued in the process that began it keeps the first record for scores.
      if (!ours.has(trace.traceId)) ours.set(trace.traceId, trace);
      const root = newRecord(
        options.name,
        options.spanType ?? "CHAIN",
        options.startTimeNs,
        remote?.spanId,
      );
      if (options.inputs !== undefined) setInputs(root, options.inputs);
      Object.assign(root.attributes, options.attributes);
      trace.spans.push(root);
      return makeSpan(trace, root, onRootEnd);
    },
    async trace(name, fn, options = {}) {
      ctx.assertOpen("trace");
      // Without an explicit parent, the span nests under the one this client's code runs in.
      const active = activeContext();
      const mine = active?.mlflow === ctx.client() ? active : undefined;
      const parent = options.parent ?? (options.run === undefined ? mine?.span : undefined);
      const run = options.run ?? mine?.run;
      const span = parent
        ? parent.startSpan({
          name,
          spanType: options.spanType,
          inputs: options.inputs,
          attributes: options.attributes,
        })
        : tracer.startTrace({
          name,
          spanType: options.spanType,
          inputs: options.inputs,
          attributes: options.attributes,
          run,
          experimentId: options.experimentId,
          session: options.session,
          user: options.user,
        });
      try {
        const result = await withActiveContext(
          // A run given by id has no handle for usage metrics: those stay with the outer run.
          { mlflow: ctx.client(), span, run: typeof run === "string" ? mine?.run : run },
          () => fn(span),
        );
        span.end({ outputs: result });
        return result;
      } catch (error) {
        span.recordException(error);
        span.end();
        throw error;
      }
    },
    logFeedback(options) {
      ctx.assertOpen("logFeedback");
      checkAssessmentName(options.name, "logFeedback");
      logAssessment(
        options.traceId,
        feedbackAssessment(options),
        `log feedback '${options.name}' on ${options.traceId}`,
        options.run,
      );
    },
    logExpectation(options) {
      ctx.assertOpen("logExpectation");
      checkAssessmentName(options.name, "logExpectation");
      logAssessment(
        options.traceId,
        expectationAssessment(options),
        `log expectation '${options.name}' on ${options.traceId}`,
        options.run,
      );
    },
    async getTrace(traceId) {
      const trace = ours.get(traceId);
      if (trace?.done) await trace.done; // read your own writes
      return getTrace(ctx.rest, traceId);
    },
    searchTraces: (options) => searchTraces(ctx.rest, options),
    ...createTraceReview({
      rest: ctx.rest,
      assessments: ctx.assessments,
      assertOpen: ctx.assertOpen,
      async settled(traceId) {
        const trace = ours.get(traceId);
        if (trace === undefined) return;
        if (trace.done === undefined) {
          throw new MlflowValidationError(
            `trace ${traceId} is still open: end its root span first (or give tags to startTrace)`,
            { key: "traceId", rule: "trace_open", call: "trace review" },
          );
        }
        await trace.done;
      },
    }),
  };
  return tracer;
}

function checkAssessmentName(name: string, call: string): void {
  if (typeof name !== "string" || name === "" || name.includes(".")) {
    throw new MlflowError(
      `${call}: assessment name ${JSON.stringify(name)} must be non-empty and contain no '.'`,
      {
        errorCode: "INVALID_PARAMETER_VALUE",
        endpoint: call,
        key: String(name),
      },
    );
  }
}

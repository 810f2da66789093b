// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { MlflowError } from "../base/errors.ts";
import { cutWithEllipsis } from "../base/text.ts";
import type { RestClient } from "../transport/rest.ts";

/**
 * The metadata key that carries each assessment's write id: the one proof that an assessment on
 * the server was made by a given `logFeedback`/`logExpectation` call of this client.
 */
export const WRITE_ID_KEY = "evalhooks.writeId";

const TRACES = "/api/3.0/mlflow/traces";

// A scorer's stack is for a reader: the top frames say where it failed.
const STACK_TRACE_CHARS = 2000;

interface WireAssessmentRef {
  assessment_id?: string;
  metadata?: Record<string, string>;
}

/** Sends assessments so that each call lands exactly once; see {@linkcode createAssessmentSender}. */
export interface AssessmentSender {
  /**
   * Posts one assessment; resolves with its id once it is on the server (rejects if it failed
   * for good).
   */
  send(traceId: string, assessment: Record<string, unknown>): Promise<string>;
  /** Duplicate checks under way, for `flush()`; never rejects. */
  settled(): Promise<void>;
}

/**
 * `traces/{id}/assessments` is not idempotent: a POST that the server committed but whose answer
 * was lost makes a second assessment when repeated, and Deno's fetch repeats a POST on its own
 * when a reused connection drops. So each assessment carries a write id in its metadata. Before
 * our own retry the trace is read and an assessment with that id counts as sent. After the
 * assessments of a burst on one trace have landed, the trace is read once and any second
 * assessment with one of their ids (a silent re-send) is deleted. Only assessments with our ids
 * are ever deleted.
 */
export function createAssessmentSender(
  rest: RestClient,
  onCheckError: (error: MlflowError) => void,
): AssessmentSender {
  // Trace id → write id → the assessment id the server answered with.
  const toCheck = new Map<string, Map<string, string>>();
  const inFlight = new Map<string, number>();
  const checks = new Set<Promise<void>>();

  const readAssessments = async (traceId: string, check = false): Promise<WireAssessmentRef[]> => {
    const response = await rest.request<
      { trace?: { trace_info?: { assessments?: WireAssessmentRef[] } } }
    >({ method: "GET", endpoint: `${TRACES}/${encodeURIComponent(traceId)}`, check });
    return response.trace?.trace_info?.assessments ?? [];
  };

  const removeDuplicates = async (traceId: string, sent: Map<string, string>): Promise<void> => {
    try {
      const keep = new Map(sent);
      for (const a of await readAssessments(traceId)) {
        const writeId = a.metadata?.[WRITE_ID_KEY];
        if (!writeId || !a.assessment_id || !keep.has(writeId)) continue;
        // Without an id in the answer, the first one found is kept.
        if (!keep.get(writeId)) keep.set(writeId, a.assessment_id);
        if (keep.get(writeId) === a.assessment_id) continue;
        await rest.request({
          method: "DELETE",
          endpoint: `${TRACES}/${encodeURIComponent(traceId)}/assessments/${
            encodeURIComponent(a.assessment_id)
          }`,
        });
      }
    } catch (error) {
      onCheckError(error as MlflowError);
    }
  };

  const settle = (traceId: string) => {
    const left = (inFlight.get(traceId) ?? 1) - 1;
    if (left > 0) {
      inFlight.set(traceId, left);
      return;
    }
    inFlight.delete(traceId);
    const sent = toCheck.get(traceId);
    toCheck.delete(traceId);
    if (!sent || sent.size === 0) return;
    const check = removeDuplicates(traceId, sent);
    checks.add(check);
    check.finally(() => checks.delete(check));
  };

  return {
    async send(traceId, assessment) {
      const { metadata, writeId } = withWriteId(assessment);
      inFlight.set(traceId, (inFlight.get(traceId) ?? 0) + 1);
      let landed: string | undefined;
      try {
        const response = await rest.request<{ assessment?: WireAssessmentRef }>({
          method: "POST",
          endpoint: `${TRACES}/${encodeURIComponent(traceId)}/assessments`,
          json: { assessment: { trace_id: traceId, ...assessment, metadata } },
          key: String(assessment.assessment_name),
          beforeRetry: async () => {
            const found = (await readAssessments(traceId, true).catch(() => []))
              .find((a) => a.metadata?.[WRITE_ID_KEY] === writeId);
            landed = found?.assessment_id;
            return landed ? "stop" : "retry";
          },
        }).catch((error: unknown) => {
          if (landed === undefined) throw error;
          return { assessment: { assessment_id: landed } };
        });
        const id = response.assessment?.assessment_id ?? "";
        const sent = toCheck.get(traceId) ?? new Map<string, string>();
        sent.set(writeId, id);
        toCheck.set(traceId, sent);
        return id;
      } finally {
        settle(traceId);
      }
    },
    async settled() {
      while (checks.size > 0) await Promise.all(checks);
    },
  };
}

/** The assessment's metadata with a new write id: what proves an assessment is this client's. */
function withWriteId(
  assessment: Record<string, unknown>,
): { metadata: Record<string, string>; writeId: string } {
  const writeId = crypto.randomUUID();
  const metadata = { ...(assessment.metadata as Record<string, string> | undefined) };
  metadata[WRITE_ID_KEY] = writeId;
  return { metadata, writeId };
}

/**
 * An assessment to store with its trace, in the trace-info request: with an assessment id of
 * ours, so a re-sent request upserts it (MLflow keys assessments by id), and a write id, as every
 * assessment this client writes carries one.
 */
export function withTrace(assessment: Record<string, unknown>): Record<string, unknown> {
  const hex = crypto.randomUUID().replace(/-/g, "");
  return { ...assessment, metadata: withWriteId(assessment).metadata, assessment_id: `a-${hex}` };
}

/** Who made an assessment, as the caller names it. */
interface SourceOption {
  sourceType: "CODE" | "HUMAN" | "LLM_JUDGE";
  sourceId: string;
}

function wireSource(source: SourceOption) {
  return { source_type: source.sourceType, source_id: source.sourceId };
}

/** A feedback assessment's JSON (a value, or the error that kept the scorer from giving one). */
export function feedbackAssessment(options: {
  name: string;
  spanId?: string;
  source?: SourceOption;
  value?: unknown;
  error?: { errorCode?: string; errorMessage: string; stackTrace?: string };
  rationale?: string;
  metadata?: Record<string, string>;
}): Record<string, unknown> {
  const feedback: Record<string, unknown> = options.error
    ? {
      error: {
        error_code: options.error.errorCode ?? "ERROR",
        error_message: options.error.errorMessage,
        stack_trace: options.error.stackTrace === undefined
          ? undefined
          : cutWithEllipsis(options.error.stackTrace, STACK_TRACE_CHARS),
      },
    }
    : { value: options.value };
  return {
    assessment_name: options.name,
    span_id: options.spanId,
    source: wireSource(options.source ?? { sourceType: "CODE", sourceId: "evalhooks" }),
    feedback,
    rationale: options.rationale,
    metadata: options.metadata,
  };
}

/** An expectation assessment's JSON; structured values travel serialised, as MLflow's own do. */
export function expectationAssessment(options: {
  name: string;
  spanId?: string;
  source?: SourceOption;
  value: unknown;
  metadata?: Record<string, string>;
}): Record<string, unknown> {
  const value = options.value;
  const expectation = value !== null && typeof value === "object"
    ? { serialized_value: { serialization_format: "JSON_FORMAT", value: JSON.stringify(value) } }
    : { value };
  return {
    assessment_name: options.name,
    span_id: options.spanId,
    source: wireSource(options.source ?? { sourceType: "HUMAN", sourceId: "evalhooks" }),
    expectation,
    metadata: options.metadata,
  };
}

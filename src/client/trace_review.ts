// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Traces after the fact: what a reviewer does to traces already logged, as MLflow's human review
// flow does it. Unlike logging, these are awaited calls that reject on failure: the caller asked
// for one change and needs to know it was made. A trace this client is still sending is waited
// for first, so a tag or override never races the trace it is about.

import { MlflowValidationError } from "../base/errors.ts";
import type { AssessmentSender } from "../store/assessments.ts";
import { expectationAssessment, feedbackAssessment } from "../store/assessments.ts";
import {
  deleteTraces as deleteTracesRequest,
  deleteTraceTag as deleteTraceTagRequest,
  getAssessment,
  setTraceTag as setTraceTagRequest,
  updateAssessment as updateAssessmentRequest,
} from "../store/trace_edits.ts";
import type { Assessment, AssessmentSource } from "../store/trace_types.ts";
import type { RestClient } from "../transport/rest.ts";

const TAG_KEY_CHARS = 250;
const TAG_VALUE_CHARS = 8000;

/**
 * Which traces `deleteTraces` removes: the listed ones, or every trace of the experiment that
 * started before `maxTimestampMs` (at most `maxTraces` of them).
 *
 * @example
 * ```ts
 * import type { DeleteTracesOptions } from "@evalhooks/mlflow";
 *
 * const olderThanAWeek: DeleteTracesOptions = {
 *   experimentId: "1",
 *   maxTimestampMs: Date.now() - 7 * 24 * 3600_000,
 *   maxTraces: 1000,
 * };
 * ```
 */
export type DeleteTracesOptions =
  | { experimentId: string; traceIds: string[]; maxTimestampMs?: never; maxTraces?: never }
  | { experimentId: string; maxTimestampMs: number; maxTraces?: number; traceIds?: never };

/**
 * An in-place change to an assessment: the fields given are replaced, the others kept.
 *
 * @example
 * ```ts
 * import type { UpdateAssessmentOptions } from "@evalhooks/mlflow";
 *
 * const fix: UpdateAssessmentOptions = {
 *   traceId: "tr-0123456789abcdef0123456789abcdef",
 *   assessmentId: "a-0123456789abcdef0123456789abcdef",
 *   value: false,
 *   rationale: "the answer names the wrong city",
 * };
 * ```
 */
export interface UpdateAssessmentOptions {
  /** The trace. */
  traceId: string;
  /** The assessment. */
  assessmentId: string;
  /** New name (no `.`). */
  name?: string;
  /** New value: a feedback's value or an expectation's expected value. */
  value?: unknown;
  /** New rationale (feedback only). */
  rationale?: string;
  /** Metadata to add (keys given replace the same keys). */
  metadata?: Record<string, string>;
}

/**
 * A correction of a feedback: a new feedback on the same trace and span, which MLflow marks as
 * overriding the old one (the old one is kept, marked invalid), as `mlflow.override_feedback`.
 *
 * @example
 * ```ts
 * import type { OverrideFeedbackOptions } from "@evalhooks/mlflow";
 *
 * const correction: OverrideFeedbackOptions = {
 *   traceId: "tr-0123456789abcdef0123456789abcdef",
 *   assessmentId: "a-0123456789abcdef0123456789abcdef",
 *   value: true,
 *   rationale: "Canberra is right; the judge misread it",
 *   source: { sourceType: "HUMAN", sourceId: "reviewer@example.com" },
 * };
 * ```
 */
export interface OverrideFeedbackOptions {
  /** The trace. */
  traceId: string;
  /** The feedback to override. */
  assessmentId: string;
  /** The corrected value. */
  value: unknown;
  /** Why. */
  rationale?: string;
  /** Who corrects it. @default {{ sourceType: "HUMAN", sourceId: "evalhooks" }} */
  source?: AssessmentSource;
  /** Metadata of the new feedback. */
  metadata?: Record<string, string>;
}

/** The review half of the client: these methods of `MlflowClient`, documented there. */
export interface TraceReview {
  /** See `MlflowClient.setTraceTag`. */
  setTraceTag(traceId: string, key: string, value: string): Promise<void>;
  /** See `MlflowClient.deleteTraceTag`. */
  deleteTraceTag(traceId: string, key: string): Promise<void>;
  /** See `MlflowClient.deleteTraces`. */
  deleteTraces(options: DeleteTracesOptions): Promise<number>;
  /** See `MlflowClient.updateAssessment`. */
  updateAssessment(options: UpdateAssessmentOptions): Promise<Assessment>;
  /** See `MlflowClient.overrideFeedback`. */
  overrideFeedback(options: OverrideFeedbackOptions): Promise<Assessment>;
}

/** What the review calls need: the transport, the assessment sender, and a wait for own traces. */
export interface TraceReviewContext {
  /** Transport. */
  rest: RestClient;
  /** Sends assessments exactly once. */
  assessments: AssessmentSender;
  /** Resolves once a trace this client is sending is on the server (at once for any other). */
  settled(traceId: string): Promise<void>;
  /** Throws once the client is closed. */
  assertOpen(call: string): void;
}

/** Creates the review calls. */
export function createTraceReview(ctx: TraceReviewContext): TraceReview {
  return {
    async setTraceTag(traceId, key, value) {
      ctx.assertOpen("setTraceTag");
      checkId(traceId, "traceId", "setTraceTag");
      checkTagKey(key, "setTraceTag");
      if (typeof value !== "string") {
        throw invalid(
          "value",
          "value_type",
          "setTraceTag",
          `must be a string, got ${typeof value}`,
        );
      }
      if (value.length > TAG_VALUE_CHARS) {
        throw invalid(
          "value",
          "max_length",
          "setTraceTag",
          `has ${value.length} characters; trace tag values hold at most ${TAG_VALUE_CHARS}`,
        );
      }
      await ctx.settled(traceId);
      await setTraceTagRequest(ctx.rest, traceId, key, value);
    },
    async deleteTraceTag(traceId, key) {
      ctx.assertOpen("deleteTraceTag");
      checkId(traceId, "traceId", "deleteTraceTag");
      checkTagKey(key, "deleteTraceTag");
      await ctx.settled(traceId);
      await deleteTraceTagRequest(ctx.rest, traceId, key);
    },
    async deleteTraces(options) {
      ctx.assertOpen("deleteTraces");
      checkId(options?.experimentId, "experimentId", "deleteTraces");
      const byIds = options.traceIds !== undefined;
      const byTime = options.maxTimestampMs !== undefined;
      // Exactly one selection: with neither the server would delete nothing, with both it is
      // unclear which the caller meant; a delete must never be a guess.
      if (byIds === byTime) {
        throw invalid(
          "traceIds",
          "one_of",
          "deleteTraces",
          "give either traceIds or maxTimestampMs, not both and not neither",
        );
      }
      if (byIds) {
        if (!Array.isArray(options.traceIds) || options.traceIds.length === 0) {
          throw invalid("traceIds", "non_empty", "deleteTraces", "must list at least one trace");
        }
        for (const id of options.traceIds) checkId(id, "traceIds", "deleteTraces");
        await Promise.all(options.traceIds.map((id) => ctx.settled(id)));
        return await deleteTracesRequest(ctx.rest, {
          experimentId: options.experimentId,
          traceIds: options.traceIds,
        });
      }
      if (!Number.isSafeInteger(options.maxTimestampMs) || options.maxTimestampMs! < 0) {
        throw invalid(
          "maxTimestampMs",
          "non_negative_integer",
          "deleteTraces",
          `must be a non-negative integer of milliseconds, got ${options.maxTimestampMs}`,
        );
      }
      if (
        options.maxTraces !== undefined &&
        (!Number.isSafeInteger(options.maxTraces) || options.maxTraces < 1)
      ) {
        throw invalid(
          "maxTraces",
          "positive_integer",
          "deleteTraces",
          `must be a positive integer, got ${options.maxTraces}`,
        );
      }
      return await deleteTracesRequest(ctx.rest, {
        experimentId: options.experimentId,
        maxTimestampMillis: options.maxTimestampMs,
        maxTraces: options.maxTraces,
      });
    },
    async updateAssessment(options) {
      ctx.assertOpen("updateAssessment");
      checkId(options?.traceId, "traceId", "updateAssessment");
      checkId(options.assessmentId, "assessmentId", "updateAssessment");
      if (options.name !== undefined) checkName(options.name, "updateAssessment");
      await ctx.settled(options.traceId);
      // The value's wire form depends on the kind, which only the stored assessment tells.
      const current = await getAssessment(ctx.rest, options.traceId, options.assessmentId);
      const wire: Record<string, unknown> = {};
      const fields: string[] = [];
      if (options.name !== undefined) {
        wire.assessment_name = options.name;
        fields.push("assessment_name");
      }
      if (options.value !== undefined) {
        if (current.kind === "feedback") {
          wire.feedback = feedbackAssessment({ name: current.name, value: options.value }).feedback;
          fields.push("feedback");
        } else {
          wire.expectation =
            expectationAssessment({ name: current.name, value: options.value }).expectation;
          fields.push("expectation");
        }
      }
      if (options.rationale !== undefined) {
        wire.rationale = options.rationale;
        fields.push("rationale");
      }
      if (options.metadata !== undefined) {
        wire.metadata = options.metadata;
        fields.push("metadata");
      }
      if (fields.length === 0) return current;
      return await updateAssessmentRequest(
        ctx.rest,
        options.traceId,
        options.assessmentId,
        wire,
        fields,
      );
    },
    async overrideFeedback(options) {
      ctx.assertOpen("overrideFeedback");
      checkId(options?.traceId, "traceId", "overrideFeedback");
      checkId(options.assessmentId, "assessmentId", "overrideFeedback");
      await ctx.settled(options.traceId);
      const old = await getAssessment(ctx.rest, options.traceId, options.assessmentId);
      if (old.kind !== "feedback") {
        throw invalid(
          "assessmentId",
          "feedback_only",
          "overrideFeedback",
          `${options.assessmentId} is an expectation; only feedback can be overridden`,
        );
      }
      const assessment = {
        ...feedbackAssessment({
          name: old.name,
          spanId: old.spanId,
          value: options.value,
          rationale: options.rationale,
          metadata: options.metadata,
          source: options.source ?? { sourceType: "HUMAN", sourceId: "evalhooks" },
        }),
        overrides: old.assessmentId,
      };
      // Sent as every assessment is: a lost answer is checked by write id, never sent twice.
      const id = await ctx.assessments.send(options.traceId, assessment);
      return await getAssessment(ctx.rest, options.traceId, id);
    },
  };
}

function invalid(key: string, rule: string, call: string, what: string): MlflowValidationError {
  return new MlflowValidationError(`${call}: ${key} ${what}`, { key, rule, call });
}

function checkId(id: unknown, key: string, call: string): void {
  if (typeof id !== "string" || id === "") {
    throw invalid(key, "non_empty_string", call, `must be a non-empty string, got ${String(id)}`);
  }
}

function checkTagKey(key: unknown, call: string): void {
  checkId(key, "key", call);
  if ((key as string).length > TAG_KEY_CHARS) {
    throw invalid("key", "max_length", call, `is longer than ${TAG_KEY_CHARS} characters`);
  }
}

function checkName(name: string, call: string): void {
  checkId(name, "name", call);
  if (name.includes(".")) throw invalid("name", "key_chars", call, `may not contain '.'`);
}

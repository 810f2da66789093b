// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { DEFAULT_EXIT_FLUSH_MS } from "./exit_hooks.ts";
import type { MlflowOptions } from "./types.ts";

/**
 * Default of {@linkcode MlflowOptions.maxInFlight}.
 *
 * @example
 * ```ts
 * import { createMlflow, DEFAULT_MAX_IN_FLIGHT } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", maxInFlight: DEFAULT_MAX_IN_FLIGHT * 2 });
 * ```
 */
export const DEFAULT_MAX_IN_FLIGHT = 6;
/**
 * Default of {@linkcode MlflowOptions.maxQueuedItems}.
 *
 * @example
 * ```ts
 * import { createMlflow, DEFAULT_MAX_QUEUED_ITEMS } from "@evalhooks/mlflow";
 *
 * // A memory-tight edge function: keep at most a tenth of the default waiting.
 * const mlflow = createMlflow({
 *   trackingUri: "http://127.0.0.1:5000",
 *   maxQueuedItems: DEFAULT_MAX_QUEUED_ITEMS / 10,
 * });
 * ```
 */
export const DEFAULT_MAX_QUEUED_ITEMS = 500_000;

/**
 * Default of {@linkcode MlflowOptions.maxQueuedBytes}: 256 MiB, where a process can hold a burst
 * of a million metrics (about 70 MB) with room to spare; 32 MiB inside Cloudflare Workers, whose
 * isolates have 128 MB in all.
 *
 * @example
 * ```ts
 * import { createMlflow, DEFAULT_MAX_QUEUED_BYTES } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({
 *   trackingUri: "http://127.0.0.1:5000",
 *   maxQueuedBytes: DEFAULT_MAX_QUEUED_BYTES / 4,
 * });
 * ```
 */
export const DEFAULT_MAX_QUEUED_BYTES: number =
  (globalThis.navigator?.userAgent ?? "").startsWith("Cloudflare-Workers")
    ? 32 * 1024 * 1024
    : 256 * 1024 * 1024;

/** The client's capacity options, checked, with their defaults. */
export interface ClientLimits {
  maxInFlight: number;
  maxQueuedItems: number;
  maxQueuedBytes: number;
  exitFlushMs: number;
}

/** Checks the capacity options and fills in their defaults; a bad value is a RangeError. */
export function resolveClientLimits(options: MlflowOptions): ClientLimits {
  const maxQueuedItems = options.maxQueuedItems ?? Infinity;
  if (maxQueuedItems !== Infinity && (!Number.isInteger(maxQueuedItems) || maxQueuedItems < 1)) {
    throw new RangeError(
      `maxQueuedItems must be a positive integer: current value is ${maxQueuedItems}`,
    );
  }
  const maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
  if (!Number.isSafeInteger(maxQueuedBytes) || maxQueuedBytes < 1) {
    throw new RangeError(
      `maxQueuedBytes must be a positive integer: current value is ${maxQueuedBytes}`,
    );
  }
  return {
    maxInFlight: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    maxQueuedItems,
    maxQueuedBytes,
    exitFlushMs: resolveExitFlushMs(options.exitFlushMs),
  };
}

function resolveExitFlushMs(value: number | false | undefined): number {
  if (value === undefined) return DEFAULT_EXIT_FLUSH_MS;
  if (value === false) return 0;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `exitFlushMs must be a non-negative number of milliseconds or false: current value is ${value}`,
    );
  }
  return value;
}

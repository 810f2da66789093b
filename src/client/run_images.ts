// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// `run.logImage`: an image at a path of the caller's choosing, or one step of an image series
// laid out as MLflow 3 lays it out (src/store/images.ts). Everything is checked at the call, before
// anything is queued, so a refused image leaves nothing half-logged.

import { MlflowValidationError } from "../base/errors.ts";
import {
  IMAGE_KEY_CHARS,
  imageContentType,
  type ImageFormat,
  imageFormatOfType,
  IMAGES_DIR,
  imageSeriesPaths,
  LOGGED_IMAGES_TAG,
  LOGGED_IMAGES_VALUE,
  MAX_FILE_NAME_BYTES,
  sniffImageFormat,
} from "../store/images.ts";
import { validateArtifactPath, validateTimestamp } from "./validate.ts";

const CALL = "logImage";

/** What `logImage` needs from its run: the artifact upload and the tag path. */
export interface RunImageSinks {
  /** Queues an upload (run_artifacts.ts). */
  upload(path: string, body: Uint8Array | Blob, contentType: string): void;
  /** Queues a tag (run_writes.ts). */
  addTag(key: string, value: string): void;
}

/** The `logImage` of one run. */
export function createRunImages(sinks: RunImageSinks): (image: unknown, target: unknown) => void {
  let tagged = false;
  return (image, target) => {
    if (typeof target === "string") {
      const path = validateArtifactPath(target, CALL);
      const format = imageFormat(image, path);
      checkPathFitsImage(path, format);
      sinks.upload(path, image as Uint8Array | Blob, contentTypeOf(format, path));
      return;
    }
    if (target === null || typeof target !== "object") {
      throw new MlflowValidationError(
        `${CALL}: target must be an artifact path or { key, step?, timestamp? }, got ${
          target === null ? "null" : typeof target
        }`,
        { key: String(target), rule: "value_type", call: CALL },
      );
    }
    const { key, step, timestamp } = target as {
      key?: unknown;
      step?: unknown;
      timestamp?: unknown;
    };
    const checkedKey = checkKey(key);
    const format = imageFormat(image, checkedKey);
    const checkedStep = step === undefined ? 0 : checkStep(checkedKey, step);
    const ms = timestamp === undefined
      ? Date.now()
      : validateTimestamp(checkedKey, timestamp, CALL);
    const paths = imageSeriesPaths(checkedKey, checkedStep, ms, crypto.randomUUID());
    // The key is ASCII (IMAGE_KEY_CHARS), so characters are bytes.
    const fileName = paths.thumbnail.slice(IMAGES_DIR.length + 1);
    if (fileName.length > MAX_FILE_NAME_BYTES) {
      throw new MlflowValidationError(
        `${CALL}: image key '${checkedKey.slice(0, 40)}…' (${checkedKey.length} characters) ` +
          `makes a file name of ${fileName.length} bytes; file systems allow ${MAX_FILE_NAME_BYTES}`,
        { key: checkedKey, rule: "key_length", call: CALL },
      );
    }
    // Python uploads a 256-pixel WebP as the thumbnail. A web-only client has no image codec, so
    // the thumbnail is the image itself: the UI loads it through a blob URL, and browsers decode
    // images by their bytes, so it shows either way (at twice the storage).
    const contentType = contentTypeOf(format, paths.image);
    sinks.upload(paths.image, image as Uint8Array | Blob, contentType);
    sinks.upload(paths.thumbnail, image as Uint8Array | Blob, contentType);
    if (!tagged) {
      tagged = true;
      sinks.addTag(LOGGED_IMAGES_TAG, LOGGED_IMAGES_VALUE);
    }
  };
}

/**
 * The image's format: PNG or JPEG by its signature for bytes, by its type for a Blob that has
 * one. A Blob without a type cannot be read at the call (that takes a promise), so it is taken as
 * it is (undefined).
 */
function imageFormat(image: unknown, key: string): ImageFormat | undefined {
  if (image instanceof Uint8Array) {
    const format = sniffImageFormat(image);
    if (format) return format;
    throw new MlflowValidationError(
      `${CALL}: image for '${key}' is not a PNG or JPEG (its first bytes are ${
        hexStart(image)
      }); the client uploads image bytes as they are and cannot convert other formats`,
      { key, rule: "image_format", call: CALL },
    );
  }
  if (image instanceof Blob) {
    if (image.type === "") return undefined;
    const format = imageFormatOfType(image.type);
    if (format) return format;
    throw new MlflowValidationError(
      `${CALL}: image Blob for '${key}' has type '${image.type}'; it must be image/png or image/jpeg`,
      { key, rule: "image_format", call: CALL },
    );
  }
  throw new MlflowValidationError(
    `${CALL}: image for '${key}' must be a Uint8Array or Blob of PNG or JPEG bytes, got ${
      image === null ? "null" : typeof image
    }`,
    { key, rule: "value_type", call: CALL },
  );
}

/**
 * A path image is stored as given, so its extension must say what it holds (MLflow's artifact
 * view previews images by extension). A direct child of `images/` is refused: the UI parses every
 * file there as a series image, and one name it cannot parse hides the run's whole image view.
 */
function checkPathFitsImage(path: string, format: ImageFormat | undefined): void {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  const fits = format === "png"
    ? ext === "png"
    : format === "jpeg"
    ? ext === "jpg" || ext === "jpeg"
    : ext === "png" || ext === "jpg" || ext === "jpeg";
  if (!fits || !path.includes(".")) {
    const wanted = format === "png"
      ? ".png"
      : format === "jpeg"
      ? ".jpg or .jpeg"
      : ".png, .jpg or .jpeg";
    throw new MlflowValidationError(
      `${CALL}: path '${path}' must end in ${wanted} for ${
        format ? `a ${format.toUpperCase()} image` : "an image"
      } (the client cannot convert images)`,
      { key: path, rule: "artifact_path", call: CALL },
    );
  }
  if (path.startsWith(`${IMAGES_DIR}/`) && path.split("/").length === 2) {
    throw new MlflowValidationError(
      `${CALL}: path '${path}' is directly in '${IMAGES_DIR}/', where MLflow's UI keeps image ` +
        "series and cannot read other names; log it with { key, step } or under another folder",
      { key: path, rule: "artifact_path", call: CALL },
    );
  }
}

function checkKey(key: unknown): string {
  if (typeof key !== "string") {
    throw new MlflowValidationError(`${CALL}: key must be a string, got ${typeof key}`, {
      key: String(key),
      rule: "key_type",
      call: CALL,
    });
  }
  if (!IMAGE_KEY_CHARS.test(key)) {
    throw new MlflowValidationError(
      key === ""
        ? `${CALL}: key must not be empty`
        : `${CALL}: image key ${
          JSON.stringify(key)
        } may only contain ASCII letters, digits, '_', '-', '.', ' ' and '/' (MLflow's rule for image keys)`,
      { key, rule: "key_chars", call: CALL },
    );
  }
  return key;
}

function checkStep(key: string, step: unknown): number {
  if (typeof step !== "number" || !Number.isSafeInteger(step) || step < 0) {
    throw new MlflowValidationError(
      `${CALL}: step of image '${key}' must be a non-negative integer within 2^53, got ${
        typeof step === "string" ? JSON.stringify(step) : String(step)
      }`,
      { key, rule: "step", call: CALL },
    );
  }
  return step;
}

function contentTypeOf(format: ImageFormat | undefined, path: string): string {
  if (format) return imageContentType(format);
  return /\.jpe?g$/i.test(path) ? "image/jpeg" : "image/png";
}

function hexStart(bytes: Uint8Array): string {
  if (bytes.length === 0) return "none (it is empty)";
  return [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// How MLflow 3 stores an image series (Python's `MlflowClient.log_image(image, key=, step=,
// timestamp=)` in mlflow/tracking/client.py, 3.18): two files per image under `images/`, and the
// run tag `mlflow.loggedImages` that makes the UI list that folder. The UI
// (mlflow/server/js/build, reducer `imagesByRunUuid`) splits each file name on `+` (or the older
// `%`), reads `<key>`, `step`, `timestamp`, pairs the full image with its `+compressed` thumbnail
// by the rest of the name, and keeps only `.png` and `.webp` files.

/** The run tag whose presence makes MLflow's UI fetch the run's image series. */
export const LOGGED_IMAGES_TAG = "mlflow.loggedImages";

/** Its value, as Python writes it (`set_tag(..., True)` stores `str(True)`). */
export const LOGGED_IMAGES_VALUE = "True";

/** The folder of a run's image series. */
export const IMAGES_DIR = "images";

/**
 * The characters of an image key, as Python's `log_image` checks them
 * (`^[a-zA-Z0-9_\-./ ]+$`): ASCII letters and digits, `_ - . /` and space. Narrower than a
 * metric key: no `:` and no other letters, so the key survives in a file name.
 */
export const IMAGE_KEY_CHARS: RegExp = /^[a-zA-Z0-9_\-./ ]+$/;

/** The longest file name most file systems (and so local artifact stores) accept, in bytes. */
export const MAX_FILE_NAME_BYTES = 255;

/** The two image formats the client accepts (it cannot decode or re-encode images). */
export type ImageFormat = "png" | "jpeg";

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

/** The format of image bytes from their signature, or undefined for anything else. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  const starts = (magic: number[]) =>
    bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
  if (starts(PNG_MAGIC)) return "png";
  if (starts(JPEG_MAGIC)) return "jpeg";
  return undefined;
}

/** The format a MIME type names (`image/png`, `image/jpeg`, and the common `image/jpg`). */
export function imageFormatOfType(type: string): ImageFormat | undefined {
  const essence = type.split(";")[0].trim().toLowerCase();
  if (essence === "image/png") return "png";
  if (essence === "image/jpeg" || essence === "image/jpg") return "jpeg";
  return undefined;
}

/** The content type of a format. */
export function imageContentType(format: ImageFormat): string {
  return format === "png" ? "image/png" : "image/jpeg";
}

/** Where one image of a series goes: the full image and the thumbnail the UI's grid loads. */
export interface ImageSeriesPaths {
  /** `images/<key>+step+<step>+timestamp+<ms>+<id>.png` */
  image: string;
  /** The same name with `+compressed` before the extension. */
  thumbnail: string;
}

/**
 * The artifact paths of one image of the series `key` at `step` and `timestamp`; `id` (a UUID)
 * keeps two images of the same key and step apart. `/` in the key becomes `~` (one file, not a
 * folder; the UI turns it back). Python names the full image `.png` and its 256-pixel thumbnail
 * `+compressed.webp`; the UI keeps both extensions, and, since this client cannot encode WebP,
 * the thumbnail here is `+compressed.png`.
 */
export function imageSeriesPaths(
  key: string,
  step: number,
  timestamp: number,
  id: string,
): ImageSeriesPaths {
  const base = `${IMAGES_DIR}/${
    key.replaceAll("/", "~")
  }+step+${step}+timestamp+${timestamp}+${id}`;
  return { image: `${base}.png`, thumbnail: `${base}+compressed.png` };
}

/** One file of an image series, as MLflow's UI reads its name. */
export interface ImageSeriesFile {
  /** The image key (`~` and `#` read back as `/`). */
  key: string;
  /** The step. */
  step: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** What tells images of one key and step apart (Python's and ours: a UUID). */
  id: string;
  /** True for the thumbnail. */
  compressed: boolean;
  /** `png` or `webp` (the only extensions the UI lists). */
  extension: string;
}

/**
 * Reads a file name under `images/` the way MLflow's UI does, with either delimiter (`+`, or
 * `%` of MLflow before 3.x); undefined for a name the UI would not list as a series image. (A
 * name the UI cannot parse at all makes it drop the whole run's image view.)
 */
export function parseImageSeriesPath(path: string): ImageSeriesFile | undefined {
  const name = path.startsWith(`${IMAGES_DIR}/`) ? path.slice(IMAGES_DIR.length + 1) : path;
  const dot = name.lastIndexOf(".");
  if (dot < 0) return undefined;
  const extension = name.slice(dot + 1);
  const stem = name.slice(0, dot);
  const delimiter = stem.includes("%") ? "%" : stem.includes("+") ? "+" : undefined;
  if (delimiter === undefined || (extension !== "png" && extension !== "webp")) return undefined;
  const [key, stepWord, step, timestampWord, timestamp, id, last] = stem.split(delimiter);
  if (stepWord !== "step" || timestampWord !== "timestamp" || id === undefined) return undefined;
  return {
    key: key.replace(/[~#]/g, "/"),
    step: Number.parseInt(step, 10),
    timestamp: Number.parseInt(timestamp, 10),
    id,
    compressed: last === "compressed",
    extension,
  };
}

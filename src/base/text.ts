// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// MLflow's server parses a JSON body into protobuf; a string holding a lone UTF-16 surrogate
// makes that parse fail part way, the handler swallows the error and acts on what was parsed so
// far with HTTP 200, so every field after the bad string is silently lost. Every string this
// client sends must therefore be well-formed, and every cut it makes must fall between code
// points. These helpers are the one place that knows how.

/** True when `text` holds no lone surrogate. */
export function isWellFormed(text: string): boolean {
  return text.isWellFormed();
}

/** `text` with each lone surrogate replaced by U+FFFD, the way `TextEncoder` would send it. */
export function toWellFormed(text: string): string {
  return text.toWellFormed();
}

/**
 * The first `max` UTF-16 units of `text`, one fewer when the cut would split a surrogate pair,
 * so the result is never longer than `max` and never ends in half a character.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return "";
  const last = text.charCodeAt(max - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
  return text.slice(0, end);
}

/** `text` cut to at most `max` units with `ellipsis` at the end when it was longer. */
export function cutWithEllipsis(text: string, max: number, ellipsis = "..."): string {
  return text.length > max ? cutText(text, max - ellipsis.length) + ellipsis : text;
}

// JSON.stringify escapes a lone surrogate as `\udXXX` (and emits pairs as they are), so in its
// output every such escape not itself preceded by an escaping backslash is a lone surrogate.
const ESCAPED_LONE_SURROGATE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/gi;

/**
 * JSON text (as `JSON.stringify` writes it) with every escaped lone surrogate replaced by the
 * escape of U+FFFD. Same length, so byte counts made before stay true. The check for `\ud` is
 * what keeps this free on the hot path: it is rare in JSON text.
 */
export function wellFormedJson(json: string): string {
  if (!json.includes("\\ud") && !json.includes("\\uD")) return json;
  return json.replace(ESCAPED_LONE_SURROGATE, "$1\\ufffd");
}

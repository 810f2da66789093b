// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Where runs and traces come from, as Python's MLflow records it: the script
// (`mlflow.source.name`), its kind (`mlflow.source.type`, LOCAL for a script) and the user
// (`mlflow.user`), so the UI's Source and User columns are filled. Git needs a file system and
// lives in the `./node` entry; the core only detects what the runtime tells without one.

import { MlflowValidationError } from "../base/errors.ts";
import { readEnv } from "./env.ts";
import { validateKey } from "./validate.ts";

interface RuntimeLike {
  Deno?: { mainModule?: string };
  process?: { argv?: string[] };
}

/**
 * Source tags for runs and traces, from the `sourceTags` option: `false` gives none, `true` (the
 * default) those detected, a record those detected with the record's on top (an empty value
 * removes a detected tag).
 */
export function resolveSourceTags(
  option: boolean | Record<string, string> | undefined,
): Record<string, string> {
  if (option === false) return {};
  if (option !== undefined && option !== true) {
    if (typeof option !== "object" || option === null || Array.isArray(option)) {
      throw new MlflowValidationError("createMlflow: sourceTags must be a boolean or a record", {
        key: "sourceTags",
        rule: "value_type",
        call: "createMlflow",
      });
    }
    for (const [key, value] of Object.entries(option)) {
      validateKey(key, "createMlflow");
      if (typeof value !== "string") {
        throw new MlflowValidationError(
          `createMlflow: sourceTags['${key}'] must be a string, got ${typeof value}`,
          { key, rule: "value_type", call: "createMlflow" },
        );
      }
    }
  }
  const tags = { ...detectSourceTags(), ...(option === true ? {} : option) };
  for (const [key, value] of Object.entries(tags)) if (value === "") delete tags[key];
  return tags;
}

/** What the runtime tells without a file system: the main script and the user, where known. */
export function detectSourceTags(): Record<string, string> {
  const tags: Record<string, string> = {};
  const script = mainScript();
  if (script !== undefined) {
    tags["mlflow.source.name"] = script;
    tags["mlflow.source.type"] = "LOCAL";
  }
  const user = readEnv("USER") ?? readEnv("LOGNAME") ?? readEnv("USERNAME");
  if (user !== undefined) tags["mlflow.user"] = user;
  return tags;
}

/** The main script's path (Deno's main module, or Node's and Bun's `argv[1]`), if any. */
function mainScript(): string | undefined {
  const g = globalThis as RuntimeLike;
  let script: string | undefined;
  try {
    script = g.Deno ? g.Deno.mainModule : g.process?.argv?.[1];
  } catch {
    return undefined; // a sandbox that forbids asking
  }
  if (typeof script !== "string" || script === "") return undefined;
  if (script.startsWith("file:")) {
    try {
      return decodeURIComponent(new URL(script).pathname);
    } catch {
      return script;
    }
  }
  return script;
}

const GIT_TAG_PREFIX = "mlflow.source.git.";

/**
 * The source tags a new run gets besides its own `tags`: each one the caller did not set. Git
 * tags go as a set: a caller who names any (an imported log's own revision) decides them all,
 * rather than mixing in this process's branch or repository.
 */
export function sourceTagsForRun(
  sourceTags: Record<string, string>,
  own: Record<string, string> | undefined,
): [string, string][] {
  const ownKeys = Object.keys(own ?? {});
  const ownGit = ownKeys.some((key) => key.startsWith(GIT_TAG_PREFIX));
  return Object.entries(sourceTags).filter(([key]) =>
    !ownKeys.includes(key) && !(ownGit && key.startsWith(GIT_TAG_PREFIX))
  );
}

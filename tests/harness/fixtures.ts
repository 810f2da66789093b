// Copyright 2026 the evalhooks authors. MIT license.

// The real Inspect AI logs in tests/fixtures/inspect/, written by tests/fixtures/generate.py
// (inspect-ai 0.3.285) and committed: a test reads nothing outside the clone.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type EvalLog, parseInspectJson } from "../../mod.ts";

/** The fixtures folder. */
export const FIXTURES = new URL("../fixtures/inspect/", import.meta.url).pathname;

/** Every fixture file name with this extension. */
export function fixtureNames(ext: ".json" | ".eval"): string[] {
  return readdirSync(FIXTURES).filter((f) => f.endsWith(ext)).sort();
}

/** A `.json` fixture, parsed the way Inspect writes it (bare NaN allowed). */
export function readJsonFixture(name: string): EvalLog {
  return parseInspectJson(readFileSync(join(FIXTURES, name), "utf8")) as EvalLog;
}

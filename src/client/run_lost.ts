// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { MlflowError } from "../base/errors.ts";
import type { RunContext } from "./run_context.ts";

/**
 * An item queued on a run the server never created (or would not resume): counted as not
 * logged and said so, by run and by what it was. `name` names the run, `what` the item
 * (`artifact 'a.json'`), `key` goes into the error for the caller to act on.
 */
export function reportNotLogged(ctx: RunContext, name: string, what: string, key: string): void {
  ctx.lose(1);
  ctx.report(
    new MlflowError(`run ${name} could not be created: ${what} not logged`, {
      errorCode: "RUN_NOT_CREATED",
      key,
    }),
  );
}

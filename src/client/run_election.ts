// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Find-or-create of one run by a key, race-safe across processes. MLflow cannot create a run
// atomically by a name or a tag (experiment creation is atomic; run creation is not), so writers
// that may race each create a *candidate* carrying the key and the time they claimed it, search
// every run of the key, rank them the same way, and the first one, after a settle wait long
// enough for a rival's create to land, confirms itself; every other candidate deletes itself
// (each deletes only its own, which nothing is under yet) and waits for the winner's
// confirmation. Used by `joinRun` and by the Inspect importer's parent runs. The README's
// "Scaling out" section states the failure modes.

import type { RunData } from "../store/types.ts";
import { CREATE_ID_TAG } from "../store/run_create.ts";

/** What the election needs from a client; `joinRun` and the Inspect importer each provide it. */
export interface ElectionStore {
  /** Every run of the experiment matching the MLflow filter. */
  search(filter: string): Promise<RunData[]>;
  /** Creates our candidate with these tags; resolves with its id. */
  create(tags: Record<string, string>): Promise<string>;
  /** Sets the state tag to `confirmed` on our candidate, and reads it back. */
  confirm(runId: string): Promise<void>;
  /** Deletes our own losing candidate. */
  remove(runId: string): Promise<void>;
}

/** Timings of an election (tests shorten them). */
export interface ElectionTimings {
  /**
   * Wait after our candidate looked like the winner, before confirming it.
   * @default {three times our own create-and-search round trip, between 150 ms and 1 s}
   */
  settleMs?: number;
  /** How long to wait for another writer's candidate to be confirmed. @default {30000} */
  waitMs?: number;
  /** A candidate older than this was left by a writer that died: ignored. @default {120000} */
  staleMs?: number;
}

/** What is elected: the key, the tags that carry it, and the search that scopes it. */
export interface Election extends ElectionTimings {
  /** The caller's key. */
  key: string;
  /** Tag holding the key. */
  keyTag: string;
  /** Tag holding `candidate:<ms>` while undecided, `confirmed` once decided. */
  stateTag: string;
  /** Extra filter clauses ANDed to the key's (e.g. the parent run). */
  scope?: string;
}

/** The elected run, and whether this writer created it. */
export interface Elected {
  /** The run's id. */
  runId: string;
  /** True when our candidate won (we made the run); false when we found someone else's. */
  created: boolean;
}

interface Candidate {
  run: RunData;
  confirmed: boolean;
  claimedAt: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An MLflow filter string literal. */
export function filterLiteral(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/**
 * The runs of the key this client made (they carry the key tag and a create id of ours; a run
 * someone else made by hand or with another client has no create id and is never taken), fresh
 * candidates and confirmed ones, best first.
 */
async function candidatesOf(store: ElectionStore, e: Required<Election>): Promise<Candidate[]> {
  const filter = `tags.\`${e.keyTag}\` = ${filterLiteral(e.key)}` +
    (e.scope ? ` and ${e.scope}` : "");
  const now = Date.now();
  const found: Candidate[] = [];
  for (const run of await store.search(filter)) {
    if (run.tags[e.keyTag] !== e.key || !run.tags[CREATE_ID_TAG]) continue;
    if (run.info.lifecycleStage === "deleted") continue;
    const state = run.tags[e.stateTag] ?? "confirmed";
    const confirmed = state === "confirmed";
    const claimedAt = confirmed ? run.info.startTime : Number(state.slice("candidate:".length));
    if (!confirmed && !(now - claimedAt < e.staleMs)) continue;
    found.push({ run, confirmed, claimedAt });
  }
  return found.sort(byRank);
}

// Confirmed runs first (the earliest start, then the lowest id), then candidates by the time
// they were claimed, then id: every writer ranks the same set the same way.
function byRank(a: Candidate, b: Candidate): number {
  if (a.confirmed !== b.confirmed) return a.confirmed ? -1 : 1;
  const ta = a.confirmed ? a.run.info.startTime : a.claimedAt;
  const tb = b.confirmed ? b.run.info.startTime : b.claimedAt;
  if (ta !== tb) return ta - tb;
  return a.run.info.runId < b.run.info.runId ? -1 : a.run.info.runId > b.run.info.runId ? 1 : 0;
}

async function waitForConfirmed(
  store: ElectionStore,
  e: Required<Election>,
): Promise<string | undefined> {
  const deadline = Date.now() + e.waitMs;
  while (Date.now() < deadline) {
    const found = await candidatesOf(store, e);
    if (found[0]?.confirmed) return found[0].run.info.runId;
    // Nobody left racing (their candidates were deleted or went stale): run our own.
    if (found.length === 0) return undefined;
    await sleep(100 + Math.random() * 150);
  }
  return undefined;
}

/**
 * The run of the key: a confirmed one this client made, else one created now. Only our own
 * unconfirmed candidate is ever deleted; callers put nothing under a run until it is returned.
 */
export async function electRun(store: ElectionStore, election: Election): Promise<Elected> {
  const e: Required<Election> = {
    ...election,
    settleMs: election.settleMs ?? -1, // -1: from the round trip, below
    waitMs: election.waitMs ?? 30_000,
    staleMs: election.staleMs ?? 120_000,
    scope: election.scope ?? "",
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await candidatesOf(store, e);
    if (found[0]?.confirmed) return { runId: found[0].run.info.runId, created: false };
    if (found.length > 0) {
      // Another writer is deciding: wait for its verdict rather than add a twin.
      const confirmed = await waitForConfirmed(store, e);
      if (confirmed) return { runId: confirmed, created: false };
    }
    const claimedAt = Date.now();
    const ownId = await store.create({
      [e.keyTag]: e.key,
      [e.stateTag]: `candidate:${claimedAt}`,
    });
    let first = await candidatesOf(store, e);
    if (first[0]?.run.info.runId === ownId) {
      // A rival that claimed before us shows up once its create lands, which takes about as long
      // as ours did: three of our round trips cover it, without making every new key (the
      // common case: no rival) wait a fixed second.
      const roundTripMs = Date.now() - claimedAt;
      await sleep(e.settleMs >= 0 ? e.settleMs : Math.min(1000, Math.max(150, 3 * roundTripMs)));
      first = await candidatesOf(store, e);
    }
    if (first[0]?.run.info.runId === ownId) {
      await store.confirm(ownId);
      return { runId: ownId, created: true };
    }
    // We lost: our candidate is a twin we made and nothing is under it. Remove it.
    await store.remove(ownId);
    const winner = first.find((c) => c.run.info.runId !== ownId);
    if (winner?.confirmed) return { runId: winner.run.info.runId, created: false };
    const confirmed = await waitForConfirmed(store, e);
    if (confirmed) return { runId: confirmed, created: false };
  }
  throw new Error(`no run could be settled for key ${e.key}`);
}

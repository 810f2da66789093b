// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Creating something the server does not make idempotent (a dataset, a logged model: names are
// not unique) exactly once. The create carries an id of this call (a tag); a create can still
// reach the server twice, by our retry after a lost answer or by the runtime's fetch re-sending a
// POST on a dropped keep-alive connection (Deno does). So before our retry, a thing carrying the
// id is taken as made; after the create, any other thing carrying it is a twin and is removed.
// Only things with this call's id are ever adopted or removed: that id is the proof they are ours.

/** How to create one kind of thing, find this call's own, and remove a twin. */
export interface CreateOnce<T> {
  /** Sends the create with `createId` in it; `beforeRetry` goes to the request as is. */
  create(createId: string, beforeRetry: () => Promise<"retry" | "stop">): Promise<T>;
  /** What carries `createId` (`check`: asked from `beforeRetry`, so no outage wait). */
  findOwn(createId: string, check: boolean): Promise<T[]>;
  /** The thing's id. */
  idOf(made: T): string;
  /** Removes a twin. */
  remove(twin: T): Promise<void>;
}

/** Creates one thing through `kind`, once even when the create lands twice. */
export async function createOnce<T>(kind: CreateOnce<T>): Promise<T> {
  const createId = crypto.randomUUID();
  let adopted: T | undefined;
  let made: T;
  try {
    made = await kind.create(createId, async () => {
      adopted = (await kind.findOwn(createId, true).catch(() => []))[0];
      return adopted === undefined ? "retry" : "stop";
    });
  } catch (error) {
    if (adopted === undefined) throw error;
    made = adopted;
  }
  try {
    for (const twin of await kind.findOwn(createId, false)) {
      if (kind.idOf(twin) !== kind.idOf(made)) await kind.remove(twin);
    }
  } catch {
    // What we got is fine; a twin not removed is an empty thing, not lost data.
  }
  return made;
}

// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/** One page of a listing: its items, and the token of the next page (empty or absent at the end). */
export interface Page<T> {
  /** The page's items, already in the library's shape. */
  items: T[];
  /** MLflow's `next_page_token`. */
  next?: string;
}

/**
 * Reads every page of a listing, following `next_page_token` until the server gives none or
 * `limit` items are read. `readPage` gets the token of the page to read (`undefined` first) and
 * how many items are still wanted, for its `max_results`.
 */
export async function readAllPages<T>(
  readPage: (pageToken: string | undefined, wanted: number) => Promise<Page<T>>,
  limit = Infinity,
): Promise<T[]> {
  const out: T[] = [];
  let pageToken: string | undefined;
  do {
    const page = await readPage(pageToken, limit - out.length);
    for (const item of page.items) out.push(item);
    pageToken = page.next || undefined;
  } while (pageToken && out.length < limit);
  return out;
}

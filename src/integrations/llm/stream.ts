// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Watching a streamed LLM response without touching it: the stream object the SDK returned is
// the one the caller gets, every chunk passes through as it came, and the watcher only sees
// them go by. The iteration methods are replaced on that one instance (not on its class), so
// `for await`, `.next()`, and an SDK's own helpers built on the iterator (`tee()`,
// `toReadableStream()`) are all seen.

/** How a watched stream ended. */
export type StreamEnd =
  | { kind: "done" }
  | { kind: "cancelled" }
  | { kind: "error"; error: unknown };

interface AsyncIter {
  next(...args: unknown[]): Promise<IteratorResult<unknown>>;
  return?(value?: unknown): Promise<IteratorResult<unknown>>;
  throw?(error?: unknown): Promise<IteratorResult<unknown>>;
}

function watchIterator(
  it: AsyncIter,
  onChunk: (chunk: unknown) => void,
  onEnd: (end: StreamEnd) => void,
): AsyncIter {
  let ended = false;
  const end = (e: StreamEnd) => {
    if (ended) return;
    ended = true;
    onEnd(e);
  };
  const next = it.next.bind(it);
  const ret = it.return?.bind(it);
  const thr = it.throw?.bind(it);
  return {
    async next(...args) {
      let r: IteratorResult<unknown>;
      try {
        r = await next(...args);
      } catch (error) {
        end({ kind: "error", error });
        throw error;
      }
      if (r.done) end({ kind: "done" });
      else if (!ended) onChunk(r.value);
      return r;
    },
    return(value) {
      end({ kind: "cancelled" });
      return ret ? ret(value) : Promise.resolve({ done: true, value });
    },
    throw(error) {
      end({ kind: "error", error });
      return thr ? thr(error) : Promise.reject(error);
    },
  };
}

/**
 * Watches the chunks of `stream`, an async iterator (a generator) or an async iterable (the
 * OpenAI and Anthropic SDKs' `Stream`). Returns false when it is neither, and nothing is watched.
 */
export function watchStream(
  stream: unknown,
  onChunk: (chunk: unknown) => void,
  onEnd: (end: StreamEnd) => void,
): boolean {
  if (typeof stream !== "object" || stream === null) return false;
  const s = stream as Partial<AsyncIter> & { [Symbol.asyncIterator]?: () => AsyncIter };
  if (typeof s.next === "function") {
    // A generator is its own iterator: its methods are wrapped in place.
    const watched = watchIterator(s as AsyncIter, onChunk, onEnd);
    for (const key of ["next", "return", "throw"] as const) {
      Object.defineProperty(stream, key, {
        value: watched[key],
        configurable: true,
        writable: true,
      });
    }
    return true;
  }
  const iterate = s[Symbol.asyncIterator];
  if (typeof iterate !== "function") return false;
  Object.defineProperty(stream, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value: () => {
      const it = iterate.call(stream);
      const watched = watchIterator(it, onChunk, onEnd);
      return {
        ...watched,
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    },
  });
  return true;
}

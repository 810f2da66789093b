// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * One shared recovery per client while the server is unreachable. The first request that meets
 * an outage (no connection, no answer in time, a 502/503/504 from a proxy) becomes the probe and
 * keeps retrying with backoff; every other request that meets one waits here, spending neither
 * attempts nor requests, until the probe gets through. So a long outage costs one request per
 * backoff step, not one per pending batch, and the oldest batches do not run out of attempts
 * while newer ones land.
 */
export interface Recovery {
  /** True while an outage is being ridden out. */
  readonly down: boolean;
  /**
   * Reports an outage seen by a request. Returns true when that request is (now) the probe: it
   * keeps retrying on its own backoff. Otherwise the request should {@linkcode Recovery.wait}.
   */
  outage(): boolean;
  /**
   * Waits until the server answered again (`"up"`), until this request must take over as the
   * probe because the previous one gave up (`"probe"`), or until `deadline` (`"deadline"`).
   */
  wait(deadline: number): Promise<"up" | "probe" | "deadline">;
  /** A request got an answer: the outage is over, and every waiter goes on at once. */
  answered(): void;
  /** The probe stopped without an answer (it gave up): a waiter takes over. */
  probeGone(): void;
}

/** Creates a {@linkcode Recovery}. */
export function createRecovery(): Recovery {
  let down = false;
  let probing = false;
  const waiters = new Set<(result: "up" | "probe") => void>();

  const handOver = () => {
    probing = false;
    const next = waiters.values().next();
    if (next.done) return;
    waiters.delete(next.value);
    probing = true;
    next.value("probe");
  };

  return {
    get down() {
      return down;
    },
    outage() {
      down = true;
      if (probing) return false;
      probing = true;
      return true;
    },
    wait(deadline) {
      if (!down) return Promise.resolve("up");
      if (!probing) {
        probing = true;
        return Promise.resolve("probe");
      }
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(wake);
          resolve("deadline");
        }, Math.max(0, deadline - Date.now()));
        const wake = (result: "up" | "probe") => {
          clearTimeout(timer);
          resolve(result);
        };
        waiters.add(wake);
      });
    },
    answered() {
      if (!down && !probing) return;
      down = false;
      probing = false;
      const all = [...waiters];
      waiters.clear();
      for (const wake of all) wake("up");
    },
    probeGone() {
      if (down) handOver();
      else probing = false;
    },
  };
}

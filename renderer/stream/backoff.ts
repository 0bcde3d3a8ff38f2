// Reconnect delays: exponential with jitter, so that many tabs do not all return to a restarted server
// in the same instant.

export const BACKOFF = {
  /** The first retry waits about this long. */
  firstDelayMs: 500,
  /** Delays double up to this ceiling. */
  maxDelayMs: 15_000,
} as const;

export class Backoff {
  private attempt = 0;

  /** The next delay: a random point in the upper half of the current step, then the step doubles. */
  next(random: () => number = Math.random): number {
    const step = Math.min(BACKOFF.maxDelayMs, BACKOFF.firstDelayMs * 2 ** this.attempt);
    if (step < BACKOFF.maxDelayMs) this.attempt++;
    return step / 2 + random() * (step / 2);
  }

  reset(): void {
    this.attempt = 0;
  }
}

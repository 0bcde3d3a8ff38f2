// Reconnect delays: exponential with jitter, so that many tabs do not all return to a restarted server
// in the same instant. The delays are the stream client's options (firstRetryDelayMs, maxRetryDelayMs).

export class Backoff {
  private attempt = 0;

  /** `firstDelayMs`: the first retry waits about this long; delays double up to `maxDelayMs`. */
  constructor(
    private readonly firstDelayMs: number,
    private readonly maxDelayMs: number,
  ) {}

  /** The next delay: a random point in the upper half of the current step, then the step doubles. */
  next(random: () => number = Math.random): number {
    const step = Math.min(this.maxDelayMs, this.firstDelayMs * 2 ** this.attempt);
    if (step < this.maxDelayMs) this.attempt++;
    return step / 2 + random() * (step / 2);
  }

  reset(): void {
    this.attempt = 0;
  }
}

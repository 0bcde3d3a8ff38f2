// When the process list is read: only while some client wants the `processes` topic. A streaming client
// says so by its subscription; a long-poll client holds none between its requests, so its asking keeps the
// list going for a while (it asks again at least every POLL_MAX_WAIT_S).
import type { Listener } from '../server/listener';
import { POLL_MAX_WAIT_S } from '../server/poll';

/** How long a long-poll client's asking for `processes` keeps the list going. */
const POLLED_PROCESSES_HOLD_MS = (POLL_MAX_WAIT_S + 30) * 1000;

export class ProcessDemand {
  private askedAt = -Infinity;

  constructor(private readonly listeners: ReadonlySet<Listener>) {}

  /** A subscription asked for `processes` now. */
  asked(): void {
    this.askedAt = Date.now();
  }

  wanted(): boolean {
    if (Date.now() - this.askedAt < POLLED_PROCESSES_HOLD_MS) return true;
    for (const listener of this.listeners) for (const client of listener.clients) if (client.wants('processes')) return true;
    return false;
  }
}

// Long-poll clients hold no connection between two requests, so they are not in the listener's set of open
// streams. One counts as connected while a request of it waits, and for POLLER_GONE_MS after its last answer
// (the client asks again at once, or within its back-off after an error). A poller has no id of its own:
// requests are grouped by address, so two tabs on one machine show as one client.
import type { ClientInfo } from './client-stream';

/** Past this since its last answer with no request waiting, a poller has left. */
export const POLLER_GONE_MS = 15_000;
/** Addresses kept; the least recently seen goes first (a bound for a flood from many addresses). */
export const MAX_POLLERS = 256;

interface Poller {
  since: number;
  lastSeen: number;
  waiting: number;
}

export class RecentPollers {
  private readonly byAddress = new Map<string, Poller>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A poll request from `address` began; call the function returned when it ends (answered or cut). */
  begin(address: string): () => void {
    const now = this.now();
    let poller = this.byAddress.get(address);
    if (poller && !this.present(poller, now)) poller = undefined; // left and came back: a new client
    poller ??= { since: now, lastSeen: now, waiting: 0 };
    poller.waiting++;
    poller.lastSeen = now;
    // Re-inserted: the map's order is least recently seen first.
    this.byAddress.delete(address);
    this.byAddress.set(address, poller);
    if (this.byAddress.size > MAX_POLLERS) this.byAddress.delete(this.byAddress.keys().next().value!);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      poller.waiting--;
      poller.lastSeen = this.now();
    };
  }

  list(): ClientInfo[] {
    const now = this.now();
    const out: ClientInfo[] = [];
    for (const [address, poller] of this.byAddress) {
      if (this.present(poller, now)) out.push({ kind: 'poll', remoteAddress: address, since: poller.since });
      else if (poller.waiting === 0) this.byAddress.delete(address);
    }
    return out;
  }

  /** Forgets every poller (a revoked token: their next request is refused). */
  clear(): void {
    this.byAddress.clear();
  }

  private present(poller: Poller, now: number): boolean {
    return poller.waiting > 0 || now - poller.lastSeen < POLLER_GONE_MS;
  }
}

// The charts' stores per host. Without --redis every sample is the server's own. With --redis (samples carry
// `host`) each host has its own hour at 1 s and day at 1 min, so samples of several machines never mix in one
// series: the server's own host is filled by the metrics history too, another host only from its live samples
// (GET /api/metrics/history holds the server's own samples only).
//
// Memory. A host's stores are two MetricStores (3,600 + 1,442 rows × 4 B per column). A typical host (8 cores,
// 2 interfaces, 2 disks, 10 sources: about 60 columns) holds about 1.2 MB; the name caps bound one host at
// about 9.3 MB. At most MAX_CHART_HOSTS hosts are kept: past it, the other host heard from longest ago (never
// the server's own, nor the one shown) is let go, and starts again empty if it comes back.
import { HISTORY_NAME_CAPS } from '../../protocol/metrics-history';
import { MetricStore } from './metric-store';
import { MinuteFolder, minuteStore } from './minute-rows';

/** Hosts whose samples are kept, the server's own included (typically about 40 MB at this bound). */
export const MAX_CHART_HOSTS = 32;

/** One host's series: the last hour at 1 s, and the last day at 1 min kept current by folding the samples. */
export class HostStores {
  readonly fine = new MetricStore({ nameCaps: HISTORY_NAME_CAPS });
  readonly minutes = minuteStore(HISTORY_NAME_CAPS);
  readonly folder = new MinuteFolder(this.minutes);
  /** When its last sample came (page clock): the longest silent goes first past the bound. */
  heardAt = 0;
}

export class HostMetrics {
  /** The server's own samples (and its history): every sample without a host, or with the server's. */
  readonly own = new HostStores();
  private readonly others = new Map<string, HostStores>();
  private ownHost: string | undefined;

  constructor(private readonly maxHosts = MAX_CHART_HOSTS) {}

  /** The server's own host name (`hello.host`); undefined without --redis. */
  setOwnHost(host: string | undefined): void {
    this.ownHost = host;
    if (host !== undefined) this.others.delete(host);
  }

  /** The server's own host name as the picker shows it. */
  get ownName(): string | undefined {
    return this.ownHost;
  }

  /** Where a sample of `host` goes; `keep`: the host shown, never let go to make room. */
  storesFor(host: string | undefined, keep: string): HostStores {
    if (host === undefined || host === this.ownHost) return this.own;
    let stores = this.others.get(host);
    if (stores === undefined) {
      if (this.others.size + 1 >= this.maxHosts) this.letOneGo(keep);
      stores = new HostStores();
      this.others.set(host, stores);
    }
    stores.heardAt = performance.now();
    return stores;
  }

  /** The stores of `host` ('' = the server's own); the server's own when that host has none. */
  shown(host: string): HostStores {
    return (host === '' ? undefined : this.others.get(host)) ?? this.own;
  }

  /** The other hosts with samples, by name. */
  otherHosts(): string[] {
    return [...this.others.keys()].sort((a, b) => a.localeCompare(b));
  }

  private letOneGo(keep: string): void {
    let oldest: string | null = null;
    let oldestAt = Infinity;
    for (const [host, stores] of this.others) {
      if (host !== keep && stores.heardAt < oldestAt) {
        oldest = host;
        oldestAt = stores.heardAt;
      }
    }
    if (oldest !== null) this.others.delete(oldest);
  }
}

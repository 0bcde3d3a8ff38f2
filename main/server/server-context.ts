// What the routes and transports of one server share. Built by the composition root (main/app/).
import type { HelloData, MetricsData, SourceInfo, Topic } from '../../protocol/events';
import type { EventHub } from '../core/event-hub';
import type { HistoryAnswer, HistoryStep } from '../../protocol/metrics-history';
import type { Subscription } from '../core/subscription';
import type { AccessControl } from './access';
import type { LinesReader } from './lines-route';
import type { Searcher } from './search-route';
import type { ClientsPerAddress } from './address-limit';
import type { ClientStream, TransportStats } from './client-stream';
import type { RecentPollers } from './recent-pollers';
import type { ServerOptions } from './server-options';

/** The system metrics, for /api/metrics/history and /metrics. The app feeds `history` every sample. */
export interface ServerMetrics {
  readonly history: { query(seconds: number, step: HistoryStep): HistoryAnswer };
  /** The newest sample; null before the first one. */
  latest(): MetricsData | null;
}

export interface ServerContext {
  readonly options: ServerOptions;
  readonly version: string;
  readonly hub: EventHub;
  readonly access: AccessControl;
  readonly stats: TransportStats;
  /** Every open SSE and WebSocket client (for the stall sweep, statistics and shutdown). */
  readonly clients: Set<ClientStream>;
  /** Long-poll clients seen lately (they hold no connection between requests). */
  readonly pollers: RecentPollers;
  /** Streams open per client address, and their bound. */
  readonly perAddress: ClientsPerAddress;
  readonly metrics: ServerMetrics;
  sources(): SourceInfo[];
  /** A source's lines read again from disk (GET /api/lines). */
  readonly lines: LinesReader;
  /** A search of the sources' files on disk (GET /api/search). */
  readonly search: Searcher;
  hello(): Omit<HelloData, 'epoch'>;
  /** A new subscription with the configured per-client bound. */
  subscribe(topics: Iterable<Topic>, sources: Iterable<string> | null): Subscription;
  /** Where the built dashboard is (dist/renderer). */
  readonly staticDir: string;
}

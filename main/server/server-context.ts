// What the routes and transports of one server share. Built by the app wiring (main/core/app.ts).
import type { HelloData, SourceInfo, Topic } from '../../protocol/events';
import type { TailwatchConfig } from '../core/config';
import type { EventHub } from '../core/event-hub';
import type { Subscription } from '../core/subscription';
import type { AccessControl } from './access';
import type { ClientStream, TransportStats } from './client-stream';

export interface ServerContext {
  readonly config: TailwatchConfig;
  readonly version: string;
  readonly hub: EventHub;
  readonly access: AccessControl;
  readonly stats: TransportStats;
  /** Every open SSE and WebSocket client (for the stall sweep, statistics and shutdown). */
  readonly clients: Set<ClientStream>;
  sources(): SourceInfo[];
  hello(): Omit<HelloData, 'epoch'>;
  /** A new subscription with the configured per-client bound. */
  subscribe(topics: Iterable<Topic>, sources: Iterable<string> | null): Subscription;
  /** Where the built dashboard is (dist/renderer). */
  readonly staticDir: string;
}

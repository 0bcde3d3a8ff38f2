// What the stream client tells the page about its connection (sent from the log worker to the page).
import type { TransportKind } from './transports/transport';

export type StreamStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface StreamState {
  status: StreamStatus;
  transport: TransportKind;
  /** Why the last connection ended, while not connected. */
  detail: string | null;
  /** Our clock minus the server's at `hello`: clock skew plus one-way latency. */
  clockOffsetMs: number | null;
  /** When the last event arrived (Date.now()), for "last event N s ago". */
  lastEventAt: number | null;
}

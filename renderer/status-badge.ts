// The connection indicator in the header: status, transport, and how fresh the data is.
import type { StreamState } from './stream-client';
import type { TransportKind } from './transports/transport';

const TRANSPORT_NAMES: Record<TransportKind, string> = { sse: 'SSE', ws: 'WebSocket', poll: 'long-poll' };

export class StatusBadge {
  constructor(
    private readonly badge: HTMLElement,
    private readonly label: HTMLElement,
  ) {}

  render(state: Readonly<StreamState>, now: number = Date.now()): void {
    // Tests and styles key on these attributes, never on the wording.
    this.badge.dataset.status = state.status;
    this.badge.dataset.transport = state.transport;
    const parts: string[] = [state.status, TRANSPORT_NAMES[state.transport]];
    if (state.status === 'connected') {
      if (state.clockOffsetMs !== null) parts.push(`clock offset ${formatDuration(state.clockOffsetMs)}`);
      if (state.lastEventAt !== null) parts.push(`last event ${formatDuration(now - state.lastEventAt)} ago`);
    }
    this.label.textContent = parts.join(' · ');
    this.badge.title = state.detail ?? '';
  }
}

function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${Math.round(ms)} ms`;
  if (abs < 120_000) return `${Math.round(ms / 1_000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

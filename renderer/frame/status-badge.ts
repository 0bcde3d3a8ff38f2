// The connection indicator in the top bar (status, transport, and what is shown: live, a lag, paused,
// viewing history, zoomed charts) and the banner that says what is wrong while the stream is down.
import type { StreamState, TransportKind } from '../worker-channel/worker-protocol';

const TRANSPORT_NAMES: Record<TransportKind, string> = { sse: 'SSE', ws: 'WebSocket', poll: 'long-poll' };
/** Below this the lag is noise (timer and clock jitter): not worth a number. */
const LAG_SHOWN_FROM_MS = 1_500;

/**
 * What the page shows, beside the connection: the live tail, the log paused, the log scrolled off its tail,
 * or the charts on a range the user chose.
 */
export type ViewHold = 'live' | 'paused' | 'history' | 'zoomed';

const HOLD_WORDS: Record<Exclude<ViewHold, 'live'>, string> = { paused: 'paused', history: 'viewing history', zoomed: 'charts zoomed' };

/** The last word of a connected badge: what is held, else the lag when it is worth saying, else "live". */
export function viewWord(hold: ViewHold, lagMs: number | null): string {
  if (hold !== 'live') return HOLD_WORDS[hold];
  return lagMs !== null && lagMs >= LAG_SHOWN_FROM_MS ? `lag ${formatDuration(lagMs)}` : 'live';
}

export class StatusBadge {
  constructor(
    private readonly badge: HTMLElement,
    private readonly label: HTMLElement,
    private readonly banner: HTMLElement,
  ) {}

  render(state: Readonly<StreamState>, lagMs: number | null, hold: ViewHold = 'live', now: number = Date.now()): void {
    // Tests and styles key on these attributes, never on the wording.
    this.badge.dataset.status = state.status;
    this.badge.dataset.transport = state.transport;
    this.badge.dataset.view = hold;
    const parts: string[] = [state.status, TRANSPORT_NAMES[state.transport]];
    if (state.status === 'connected') parts.push(viewWord(hold, lagMs));
    else if (hold !== 'live') parts.push(HOLD_WORDS[hold]);
    this.label.textContent = parts.join(' · ');
    const details = [state.detail];
    if (state.clockOffsetMs !== null) details.push(`clock offset to the server: ${formatDuration(state.clockOffsetMs)}`);
    if (state.lastEventAt !== null) details.push(`last event ${formatDuration(now - state.lastEventAt)} ago`);
    this.badge.title = details.filter((d) => d !== null).join('\n');
    this.renderBanner(state);
  }

  private renderBanner(state: Readonly<StreamState>): void {
    const down = state.status === 'reconnecting' || state.status === 'offline';
    this.banner.hidden = !down;
    if (!down) return;
    this.banner.dataset.status = state.status;
    this.banner.textContent =
      state.status === 'offline'
        ? `Connection lost: ${state.detail ?? 'the server does not answer'}. Retrying by itself; lines shown so far stay here.`
        : `Connection lost (${state.detail ?? 'no reason given'}). Reconnecting by itself; the log resumes where it stopped.`;
  }
}

function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${Math.round(ms)} ms`;
  if (abs < 120_000) return `${(ms / 1_000).toFixed(abs < 10_000 ? 1 : 0)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

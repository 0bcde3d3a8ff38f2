// The words of the marker rows that stand in for lines a view never got (the e2e tests assert them).
import type { GapData } from '../../protocol/events';

export const RESET_MARKER_TEXT = 'server restarted: earlier lines were cleared';

/** "42 lines of app.log not received (this view fell behind)"; `sourceName` null for a gap of any events. */
export function gapMarkerText(gap: GapData, sourceName: string | null): string {
  const why = gap.reason === 'slow-client' ? 'this view fell behind' : 'disconnected too long to resume';
  const what = sourceName === null ? `${gap.missed.toLocaleString()} events` : `${gap.missed.toLocaleString()} lines of ${sourceName}`;
  return `${what} not received (${why})`;
}

/** "42 lines of app.log no longer on disk": what stays of a gap the disk could not fill. */
export function goneMarkerText(missed: number, sourceName: string, why: string): string {
  return `${missed.toLocaleString()} lines of ${sourceName} not received (${why})`;
}

// Reading a ViewUpdate as a pane draws it: slots [lo, hi) are the rows held, with a mark just above the oldest
// of them (firstIndex − 1) when there is something to say there: older lines loading from disk, the start of
// the file, why older lines did not come, or that the view dropped lines to keep its bound.
import type { Row, ViewUpdate } from '../worker-channel/worker-protocol';

const hasTopMark = (update: ViewUpdate): boolean => update.dropped > 0 || update.history !== undefined;

export function slotRange(update: ViewUpdate): { lo: number; hi: number } {
  return { lo: update.firstIndex - (hasTopMark(update) ? 1 : 0), hi: update.firstIndex + update.total };
}

/** The slot of the mark above the oldest row (see the top of this file). */
export function isTopSlot(update: ViewUpdate, slot: number): boolean {
  return hasTopMark(update) && slot === update.firstIndex - 1;
}

/** May the pane ask for older lines (none on their way, the start not reached, no failure being shown)? */
export function canLoadOlder(update: ViewUpdate): boolean {
  const history = update.history;
  return history === undefined || (!history.loading && !history.start && history.note === undefined);
}

/** The row at absolute `index`, when the update's window holds it. */
export function rowAt(update: ViewUpdate, index: number): Row | undefined {
  const row = update.window.rows[index - update.window.first];
  return row?.index === index ? row : undefined;
}

/** False when the view shows no log line: nothing at all, or only markers (which every filter lets through). */
export function hasLines(update: ViewUpdate): boolean {
  if (update.total > update.window.rows.length) return true;
  return update.window.rows.some((row) => row.kind === 'line');
}

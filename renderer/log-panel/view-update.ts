// Reading a ViewUpdate as a pane draws it: slots [lo, hi) are the rows held, with the "older lines dropped"
// marker just above the oldest of them (firstIndex − 1) when the view dropped lines to keep its bound.
import type { Row, ViewUpdate } from '../worker-channel/worker-protocol';

export function slotRange(update: ViewUpdate): { lo: number; hi: number } {
  return { lo: update.firstIndex - (update.dropped > 0 ? 1 : 0), hi: update.firstIndex + update.total };
}

export function isDroppedSlot(update: ViewUpdate, slot: number): boolean {
  return update.dropped > 0 && slot === update.firstIndex - 1;
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

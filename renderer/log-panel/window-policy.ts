// Which rows a pane asks the worker for, and which of the rows at hand it draws. The worker sends a pane only
// the window of rows it asked for, so the window must reach past what is on screen (scrolling rarely waits
// for data) without being asked again at every frame. Plain arithmetic over row indexes: no DOM.
import type { ViewUpdate, WindowMessage } from '../worker-channel/worker-protocol';
import { LOG_PANEL_LIMITS } from './panel-limits';
import { isTopSlot, rowAt } from './view-update';

export type WindowRequest = Omit<WindowMessage, 'type' | 'view'>;

/** Where a pane is, as the policy needs it. */
export interface PanePlace {
  following: boolean;
  /** The slot at the viewport's top (see ScrollModel). */
  anchor: number;
  /** Rows that fill the viewport for sure. */
  screenRows: number;
}

interface WindowLimits {
  /** Rows drawn beyond each edge of the viewport. */
  domOverscanRows: number;
  /** Screens of rows asked for beyond the visible one, each way. */
  dataOverscanScreens: number;
}

/**
 * The window to ask for, or null when the one asked for last (`sent`) still covers what is about to be
 * drawn. Following: the last rows. Held: rows around the anchor, asked again only when the rows to draw,
 * with some slack, run past the edges of the window held.
 */
export function nextWindow(
  place: PanePlace,
  rows: Pick<ViewUpdate, 'firstIndex' | 'total'> | null,
  sent: WindowRequest | null,
  limits: WindowLimits = LOG_PANEL_LIMITS,
): WindowRequest | null {
  const screen = place.screenRows;
  const over = limits.domOverscanRows;
  const spare = screen * limits.dataOverscanScreens;
  if (place.following || rows === null) {
    const count = screen + spare + over;
    return sent?.follow === true && sent.count === count ? null : { follow: true, first: 0, count };
  }
  const count = screen + 2 * (spare + over);
  const anchor = place.anchor;
  if (sent !== null && !sent.follow && sent.count === count) {
    const margin = over + Math.ceil(spare / 2);
    const needFirst = Math.max(rows.firstIndex, anchor - margin);
    const needLast = Math.min(rows.firstIndex + rows.total - 1, anchor + screen + margin);
    if (needFirst >= Math.max(rows.firstIndex, sent.first) && needLast <= sent.first + sent.count - 1) return null;
  }
  return { follow: false, first: Math.max(rows.firstIndex, anchor - spare - over), count };
}

/** Where a held pane is about to move: pixels of a pending scroll, and the shortest row (see ScrollModel). */
interface PendingScroll {
  pendingPx: number;
  minHeight: number;
}

/**
 * The slots [first, last] to draw of slots [lo, hi): around the anchor (or up from the end when following),
 * as far as rows are at hand; null when not even the anchor's row is (a jump far away: the last frame stays
 * until the worker sends it).
 */
export function slotsToDraw(
  place: PanePlace,
  scroll: PendingScroll,
  update: ViewUpdate,
  lo: number,
  hi: number,
  limits: Pick<WindowLimits, 'domOverscanRows'> = LOG_PANEL_LIMITS,
): { first: number; last: number } | null {
  const fill = place.screenRows;
  const over = limits.domOverscanRows;
  let first: number;
  let last: number;
  let pivot: number;
  if (place.following) {
    last = hi - 1;
    first = Math.max(lo, hi - fill - over);
    pivot = last;
  } else {
    pivot = place.anchor;
    // The rows a pending scroll crosses are drawn too, so that it moves over measured heights.
    const up = Math.min(2 * fill, Math.ceil(Math.max(0, -scroll.pendingPx) / scroll.minHeight));
    const down = Math.min(2 * fill, Math.ceil(Math.max(0, scroll.pendingPx) / scroll.minHeight));
    // Near the end, enough rows above the anchor to fill the viewport when the block settles at the bottom.
    first = Math.max(lo, Math.min(pivot - over - up, hi - fill - over));
    last = Math.min(hi - 1, pivot + fill + over + down);
  }
  const available = (slot: number): boolean => isTopSlot(update, slot) || rowAt(update, slot) !== undefined;
  if (!available(pivot)) return null;
  let from = pivot;
  while (from > first && available(from - 1)) from--;
  let to = pivot;
  while (to < last && available(to + 1)) to++;
  return { first: from, last: to };
}

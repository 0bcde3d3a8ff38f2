// What the user does to a pane, turned into what the pane should do: the wheel, touch, the keys of the
// shortcut table's `log` scope, presses and clicks on rows, the pointer over a row. The pane decides what
// each means for its place; nothing here knows rows or the worker.
import { shortcutAction } from '../services/shortcuts';

interface PaneActions {
  /** Scrolls by `dy` pixels (down when positive). */
  scrollBy(dy: number): void;
  /** Pixels of one line (the shortest row) and of one screen. */
  lineHeight(): number;
  pageHeight(): number;
  scrollToTop(): void;
  follow(): void;
  /** The pane was used: toolbar actions then apply to it. */
  activate(): void;
  /** A press on the rows: moving rows cannot be read, clicked or selected, so a following pane holds. */
  pressed(): void;
  /** A click on the row drawn for `slot`; `extend`: shift-click. */
  clickRow(slot: number, extend: boolean): void;
  /** The toggle of the row's pretty-printed JSON. */
  toggleJson(slot: number): void;
  /** The fold toggle (or "+N more lines") of a multi-line entry. */
  toggleFold(slot: number): void;
  /** The pointer is over the row of `slot`, or over no row of the pane. */
  hover(slot: number | null): void;
}

/** Listens on the pane's viewport (focusable, role="log"), its list of rows and its body. */
export function listenToPane(viewport: HTMLElement, rows: HTMLElement, body: HTMLElement, pane: PaneActions): void {
  let touchY: number | null = null;
  viewport.addEventListener(
    'wheel',
    (event) => {
      // Sideways scrolling (long lines without wrap; shift+wheel is sideways too) and ctrl+wheel (zoom)
      // stay the browser's.
      if (event.ctrlKey || event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) return;
      event.preventDefault();
      const unit = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? pane.lineHeight() : event.deltaMode === WheelEvent.DOM_DELTA_PAGE ? pane.pageHeight() : 1;
      pane.scrollBy(event.deltaY * unit);
    },
    { passive: false },
  );
  viewport.addEventListener('keydown', (event) => {
    switch (shortcutAction('log', event)) {
      case 'lineUp':
        pane.scrollBy(-pane.lineHeight());
        break;
      case 'lineDown':
        pane.scrollBy(pane.lineHeight());
        break;
      case 'pageUp':
        pane.scrollBy(-pane.pageHeight());
        break;
      case 'pageDown':
        pane.scrollBy(pane.pageHeight());
        break;
      case 'oldest':
        pane.scrollToTop();
        break;
      case 'newest':
        pane.follow();
        break;
      default:
        // The panel's own keys of this scope (copy, clear the filter) are handled around the panes.
        return;
    }
    event.preventDefault();
  });
  viewport.addEventListener('touchstart', (event) => (touchY = event.touches[0]?.clientY ?? null), { passive: true });
  viewport.addEventListener(
    'touchmove',
    (event) => {
      const y = event.touches[0]?.clientY;
      if (y === undefined || touchY === null) return;
      event.preventDefault();
      pane.scrollBy(touchY - y);
      touchY = y;
    },
    { passive: false },
  );
  viewport.addEventListener('touchend', () => (touchY = null));
  // The list is placed by a transform, never by scrollTop; undo what focus or find-in-page may scroll.
  viewport.addEventListener('scroll', () => {
    if (viewport.scrollTop !== 0) viewport.scrollTop = 0;
  });
  viewport.addEventListener('focus', () => pane.activate());
  viewport.addEventListener('mousedown', (event) => {
    if (event.button !== 0) return;
    // Shift-click extends the row selection; the browser would extend a text selection as well.
    if (event.shiftKey) event.preventDefault();
    pane.pressed();
  });
  rows.addEventListener('click', (event) => {
    const target = event.target as Element;
    const row = target.closest<HTMLElement>('[data-index]');
    if (row === null) return;
    const slot = Number(row.dataset.index);
    if (target.closest('.json-toggle') !== null) {
      pane.toggleJson(slot);
      return;
    }
    if (target.closest('.fold-toggle, .fold-more') !== null) {
      pane.toggleFold(slot);
      return;
    }
    if (target.closest('a, button') !== null) return;
    // The end of a drag that selected text is a click too: it must not also pick the row.
    const text = document.getSelection();
    if (text !== null && !text.isCollapsed && !event.shiftKey) return;
    pane.clickRow(slot, event.shiftKey);
  });
  rows.addEventListener('pointerover', (event) => {
    const row = (event.target as Element).closest<HTMLElement>('.row[data-index]');
    if (row !== null) pane.hover(Number(row.dataset.index));
  });
  body.addEventListener('pointerleave', () => pane.hover(null));
}

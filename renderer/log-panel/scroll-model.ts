// Where a pane is in its rows: following the newest, or held at an anchor — an absolute row index and the
// pixels of that row above the viewport's top — so the reader's line stays put while lines arrive below
// and old ones drop off above. Plain arithmetic over the row heights the pane measured; no DOM.

/** `follow`: moves with new lines. `scrolled`: the user scrolled away (reaching the end again follows).
 *  `paused`: the user paused (only Resume, End or G follows again). */
export type FollowState = 'follow' | 'scrolled' | 'paused';

/** Thumb of a scrollbar: `position` 0 (top) … 1 (bottom) of its travel, `size` the visible share. */
export interface Thumb {
  position: number;
  size: number;
}

/** Sub-pixel slack when deciding that the last row touches the viewport's bottom. */
const BOTTOM_SLACK_PX = 0.5;

export class ScrollModel {
  private stateValue: FollowState = 'follow';
  private anchorValue = 0;
  private offset = 0;
  /** Pixels scrolled but not yet moved: moved at the next layout, over rows drawn and measured by then. */
  private pending = 0;
  /** Slots [lo, hi): lo may be the "older lines dropped" marker just above the oldest row held. */
  private lo = 0;
  private hi = 0;
  private minMeasured = Number.POSITIVE_INFINITY;
  /** From the last layout: rows at least partly visible, and whether anything lies beyond the viewport. */
  private visible = 0;
  private overflowing = false;
  /** The user scrolled down since the last layout: reaching the end then follows again. */
  private scrolledDown = false;
  /** The end (hi) when following stopped: "N new lines" counts from it. */
  private endWhenHeld = 0;

  constructor(private readonly defaultHeight: number) {}

  get state(): FollowState {
    return this.stateValue;
  }

  /** The slot at the viewport's top. */
  get anchor(): number {
    return this.anchorValue;
  }

  /** Pixels waiting to be scrolled (negative: up): the pane draws that much more on that side. */
  get pendingPx(): number {
    return this.pending;
  }

  /** The shortest row seen: no row is shorter, so this many fill a viewport for sure. */
  get minHeight(): number {
    return Number.isFinite(this.minMeasured) ? this.minMeasured : this.defaultHeight;
  }

  /** Something lies beyond the viewport: there is somewhere to scroll. */
  get canScroll(): boolean {
    return this.overflowing;
  }

  /** Rows that arrived since following stopped. */
  get newLines(): number {
    return this.stateValue === 'follow' ? 0 : Math.max(0, this.hi - this.endWhenHeld);
  }

  /** The view now holds slots [lo, hi). An anchor that fell off the front moves to the oldest slot left. */
  setRange(lo: number, hi: number): void {
    this.lo = lo;
    this.hi = hi;
    if (this.anchorValue < lo) {
      this.anchorValue = lo;
      this.offset = 0;
    } else if (hi > lo && this.anchorValue > hi - 1) {
      this.anchorValue = hi - 1;
      this.offset = 0;
    }
  }

  follow(): void {
    this.stateValue = 'follow';
    this.pending = 0;
  }

  hold(state: 'scrolled' | 'paused'): void {
    if (this.stateValue === 'follow') this.endWhenHeld = this.hi;
    this.stateValue = state;
  }

  /** Counts new lines from now on (the filter changed: the old count means nothing). */
  restartCount(): void {
    this.endWhenHeld = this.hi;
  }

  /** Puts `slot` at the viewport's top. */
  jumpTo(slot: number): void {
    this.anchorValue = Math.max(this.lo, Math.min(slot, this.hi - 1));
    this.offset = 0;
    this.pending = 0;
  }

  /**
   * Moves a held view down by `dy` px at the next layout. Unlike a scroll it never follows again: it brings
   * into sight a row that grew under the reader (its JSON opened), which must not then be carried away.
   */
  reveal(dy: number): void {
    if (this.stateValue !== 'follow' && dy > 0) this.pending += dy;
  }

  /** The slot a scrollbar fraction (0 … 1) points at. */
  slotAt(fraction: number): number {
    return this.lo + Math.round(Math.min(1, Math.max(0, fraction)) * Math.max(0, this.hi - this.lo - this.visible));
  }

  /** Scrolls by `dy` pixels (down when positive). Scrolling up stops following; false when nothing can move. */
  scrollBy(dy: number): boolean {
    if (dy === 0 || !this.overflowing) return false;
    if (this.stateValue === 'follow') {
      if (dy > 0) return false;
      this.hold('scrolled');
    }
    if (dy > 0) this.scrolledDown = true;
    this.pending += dy;
    return true;
  }

  /** Heights no longer hold (wrap, columns or width changed): measure the shortest row again. */
  forgetHeights(): void {
    this.minMeasured = Number.POSITIVE_INFINITY;
  }

  /**
   * Lays out the drawn slots [first, first + heights.length) in a viewport `viewport` px tall and returns
   * the drawn block's top (px from the viewport's top, ≤ 0). Following, the last row sits at the bottom.
   * Held, the anchor row sits at the top, moved by the pending scroll as far as drawn rows reach (the rest
   * waits for the next layout) — unless that leaves space under the last row, when the block settles at
   * the bottom (and a user scrolling down follows again). The anchor is then read back from the layout.
   */
  place(first: number, heights: readonly number[], viewport: number): number {
    let total = 0;
    for (const height of heights) {
      total += height;
      if (height > 0 && height < this.minMeasured) this.minMeasured = height;
    }
    const atEnd = first + heights.length >= this.hi;
    let top: number;
    if (this.stateValue === 'follow') {
      top = Math.min(0, viewport - total);
    } else {
      // The anchor's top in the drawn block, then where the pending scroll takes it, as far as rows are drawn.
      let anchorY = this.offset;
      for (let slot = first; slot < this.anchorValue; slot++) anchorY += heights[slot - first] ?? 0;
      const wanted = anchorY + this.pending;
      let y = wanted;
      if (y < 0) y = 0;
      else if (this.pending > 0 && !atEnd) y = Math.min(y, Math.max(anchorY, total - viewport));
      // What the drawn rows could not take waits for more rows; at the top of the list it is spent.
      this.pending = wanted < 0 && first === this.lo ? 0 : wanted - y;
      top = -y;
      if (atEnd && top + total <= viewport + BOTTOM_SLACK_PX) {
        top = Math.min(0, viewport - total);
        if (this.scrolledDown && this.stateValue === 'scrolled') this.stateValue = 'follow';
      }
    }
    this.scrolledDown = false;
    this.overflowing = first > this.lo || !atEnd || total > viewport + BOTTOM_SLACK_PX;
    this.readAnchor(first, heights, top, viewport);
    return top;
  }

  thumb(): Thumb | null {
    const count = this.hi - this.lo;
    if (!this.overflowing || count <= 0) return null;
    const visible = Math.max(1, this.visible);
    const travel = Math.max(1, count - visible);
    const position = this.stateValue === 'follow' ? 1 : Math.min(1, (this.anchorValue - this.lo) / travel);
    return { position, size: Math.min(1, visible / count) };
  }

  /** The anchor is the first drawn slot reaching below the viewport's top; also counts the visible rows. */
  private readAnchor(first: number, heights: readonly number[], top: number, viewport: number): void {
    this.visible = 0;
    let y = top;
    let anchored = false;
    for (let i = 0; i < heights.length; i++) {
      const height = heights[i]!;
      if (!anchored && y + height > 0) {
        this.anchorValue = first + i;
        this.offset = -y;
        anchored = true;
      }
      if (y < viewport && y + height > 0) this.visible++;
      y += height;
    }
  }
}

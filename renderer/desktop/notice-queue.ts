// Shows notices one after another, each for as long as a toast stays: several can come at once (at start,
// those from before the page loaded) and the toast holds one line, so the last would hide the others.
import { TOAST_SHOWN_MS } from '../services/toast';

/** More than this waiting and new ones are dropped: a flood of them would take minutes to show anyway. */
const MAX_WAITING = 20;

export class NoticeQueue {
  private readonly waiting: (() => void)[] = [];
  private showing = false;

  constructor(private readonly shownMs = TOAST_SHOWN_MS) {}

  /** Runs `show` (which puts up one toast) once the ones before it have been seen. */
  push(show: () => void): void {
    if (this.waiting.length >= MAX_WAITING) return;
    this.waiting.push(show);
    this.next();
  }

  private next(): void {
    if (this.showing) return;
    const show = this.waiting.shift();
    if (!show) return;
    this.showing = true;
    show();
    setTimeout(() => {
      this.showing = false;
      this.next();
    }, this.shownMs);
  }
}

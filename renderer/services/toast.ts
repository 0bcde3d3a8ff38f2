// A short confirmation in the toolbar ("Copied 12 lines", "Copy was blocked…"), read out politely and gone
// after a moment.
import { visibleName } from '../../protocol/visible-text';
import { el } from './dom-builder';

/** How long a toast stays: long enough to read a short sentence, short enough not to cover the next. */
export const TOAST_SHOWN_MS = 2_500;

/** Short feedback for the user: `bad` when something did not work. */
export type Notify = (message: string, tone?: 'ok' | 'bad') => void;

export class Toast {
  readonly element = el('span', 'lp-toast');
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.element.setAttribute('role', 'status');
    this.element.setAttribute('aria-live', 'polite');
  }

  show(message: string, tone: 'ok' | 'bad' = 'ok'): void {
    clearTimeout(this.timer);
    // Messages quote paths and the desktop app's errors (a file not added, a folder not removed): shown
    // with their bidi and invisible characters as `⟨U+XXXX⟩`, like every other path on the page.
    this.element.textContent = visibleName(message);
    this.element.dataset.tone = tone;
    this.element.classList.add('shown');
    this.timer = setTimeout(() => {
      this.element.classList.remove('shown');
      this.element.textContent = '';
    }, TOAST_SHOWN_MS);
  }
}

// A pane's own scrollbar: the list is not natively scrolled (it is anchored to a row index), so the thumb
// shows where the anchor is among the rows held; dragging it jumps there, a click on the track pages.
import { el } from '../services/dom-builder';
import type { Thumb } from './scroll-model';

/** The thumb never gets shorter than this, or it could not be grabbed in a 100k-row view. */
const MIN_THUMB_PX = 24;

interface ScrollbarActions {
  /** The thumb was dragged to `fraction` (0 = top, 1 = bottom) of its travel. */
  drag(fraction: number): void;
  /** The track was clicked above (−1) or below (+1) the thumb. */
  page(direction: -1 | 1): void;
}

export class Scrollbar {
  readonly element = el('div', 'lp-scrollbar');
  private readonly thumbElement = el('div', 'lp-thumb');
  private shown: Thumb | null = null;

  constructor(private readonly actions: ScrollbarActions) {
    this.element.setAttribute('aria-hidden', 'true');
    this.element.append(this.thumbElement);
    this.element.hidden = true;
    this.element.addEventListener('pointerdown', (event) => this.pointerDown(event));
  }

  show(thumb: Thumb | null): void {
    if (thumb?.position === this.shown?.position && thumb?.size === this.shown?.size) return;
    this.shown = thumb;
    this.element.hidden = thumb === null;
    if (thumb === null) return;
    const height = `max(${MIN_THUMB_PX}px, ${(thumb.size * 100).toFixed(3)}%)`;
    this.thumbElement.style.height = height;
    this.thumbElement.style.top = `calc((100% - ${height}) * ${thumb.position.toFixed(5)})`;
  }

  private pointerDown(event: PointerEvent): void {
    if (event.button !== 0 || this.shown === null) return;
    event.preventDefault();
    const track = this.element.getBoundingClientRect();
    const thumb = this.thumbElement.getBoundingClientRect();
    if (event.target !== this.thumbElement) {
      this.actions.page(event.clientY < thumb.top ? -1 : 1);
      return;
    }
    const travel = Math.max(1, track.height - thumb.height);
    const startY = event.clientY;
    const startPosition = this.shown.position;
    this.element.setPointerCapture(event.pointerId);
    this.element.classList.add('dragging');
    const move = (moveEvent: PointerEvent): void => {
      this.actions.drag(Math.min(1, Math.max(0, startPosition + (moveEvent.clientY - startY) / travel)));
    };
    const end = (): void => {
      this.element.classList.remove('dragging');
      this.element.removeEventListener('pointermove', move);
      this.element.removeEventListener('pointerup', end);
      this.element.removeEventListener('pointercancel', end);
    };
    this.element.addEventListener('pointermove', move);
    this.element.addEventListener('pointerup', end);
    this.element.addEventListener('pointercancel', end);
  }
}

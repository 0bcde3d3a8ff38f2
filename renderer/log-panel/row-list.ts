// The drawn rows of a pane: a keyed list of row elements that moves as one block. A row still in view keeps
// its element (and any text selection in it); only rows that came into view are built, only gone ones removed.
import { el } from '../services/dom-builder';

export interface RowItem {
  /** Names the row's content: the same key means the same element can stay. */
  key: string;
  build(): HTMLElement;
}

export class RowList {
  readonly element = el('div', 'rows');
  private mounted = new Map<string, HTMLElement>();
  private top = Number.NaN;

  /** Makes the block hold exactly `items`, in order; returns their elements. */
  sync(items: readonly RowItem[]): HTMLElement[] {
    const next = new Map<string, HTMLElement>();
    const elements: HTMLElement[] = [];
    for (const item of items) {
      const element = this.mounted.get(item.key) ?? item.build();
      next.set(item.key, element);
      elements.push(element);
    }
    for (const [key, element] of this.mounted) if (!next.has(key)) element.remove();
    // What is left is in order already (rows are sorted by index either way): insert the new ones between.
    let cursor = this.element.firstElementChild;
    for (const element of elements) {
      if (element === cursor) cursor = cursor.nextElementSibling;
      else this.element.insertBefore(element, cursor);
    }
    this.mounted = next;
    return elements;
  }

  /** Heights of `elements`: one layout for all of them, after every write of the frame. */
  measure(elements: readonly HTMLElement[]): number[] {
    return elements.map((element) => element.offsetHeight);
  }

  /** Whole pixels: a block moved by a fraction of a pixel draws its text blurred. */
  moveTo(top: number): void {
    top = Math.round(top);
    if (top === this.top) return;
    this.top = top;
    this.element.style.transform = `translateY(${top}px)`;
  }

  get offset(): number {
    return Number.isNaN(this.top) ? 0 : this.top;
  }

  clear(): void {
    this.element.replaceChildren();
    this.mounted.clear();
  }
}

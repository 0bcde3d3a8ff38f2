// The charts' tooltip, in HTML rather than on the canvas: a chart 150 px high cannot hold ten rows, and an
// element can overflow its card. One element serves every chart (one is hovered at a time).
import { currentTimeZone } from '../services/time-zone';
import type { TooltipRow } from './chart-definition';

/** Rows beyond this are summed up as "+N more". */
const MAX_ROWS = 10;
/** Gap between the pointer and the tooltip, and between the tooltip and the window's edges. */
const GAP_PX = 12;

export class ChartTooltip {
  /** Placed by the owner outside any scrolling box (it is positioned against the viewport). */
  readonly element: HTMLElement;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'chart-tooltip';
    this.element.hidden = true;
    // The same values are in the chart's header for assistive technology; this follows the mouse.
    this.element.setAttribute('aria-hidden', 'true');
  }

  /** Shows the tooltip next to (`x`, `y`), a point in the viewport. */
  show(x: number, y: number, title: string, rows: readonly TooltipRow[], hint: string | undefined): void {
    const shown = rows.slice(0, MAX_ROWS);
    const columns = Math.max(1, ...shown.map((row) => row.values.length));
    const table = document.createElement('div');
    table.className = 'chart-tooltip-table';
    table.style.gridTemplateColumns = `8px minmax(0, 1fr) repeat(${columns}, auto)`;
    for (const row of shown) {
      const swatch = document.createElement('span');
      swatch.className = 'chart-tooltip-swatch';
      swatch.style.background = row.colour;
      table.append(swatch, cell('chart-tooltip-label', row.label));
      for (let i = 0; i < columns; i++) {
        const part = row.values[i];
        table.append(cell(`chart-tooltip-value${part?.tone === undefined ? '' : ` ${part.tone}`}`, part?.text ?? ''));
      }
    }
    // The time is on the clock chosen in Settings: UTC says so (local time is what a reader assumes).
    const children: HTMLElement[] = [cell('chart-tooltip-title', currentTimeZone() === 'utc' ? `${title} UTC` : title), table];
    if (rows.length > MAX_ROWS) children.push(cell('chart-tooltip-more', `+${rows.length - MAX_ROWS} more`));
    if (hint !== undefined) children.push(cell('chart-tooltip-hint', hint));
    this.element.replaceChildren(...children);
    this.element.hidden = false;
    const { width, height } = this.element.getBoundingClientRect();
    const right = x + GAP_PX;
    const left = right + width + GAP_PX > window.innerWidth ? Math.max(GAP_PX, x - GAP_PX - width) : right;
    const top = Math.min(Math.max(GAP_PX, y - height / 2), window.innerHeight - height - GAP_PX);
    this.element.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}

function cell(className: string, text: string): HTMLElement {
  const element = document.createElement('div');
  element.className = className;
  element.textContent = text;
  return element;
}

// A chart card's legend, in HTML: a toggle button per legend entry (a source's lines and errors, an interface's
// in and out share one), reachable by keyboard, wrapping to a second line rather than shrinking the plot unseen.

export interface LegendEntry {
  id: string;
  label: string;
  colour: string;
}

export class ChartLegend {
  readonly element: HTMLElement;
  /** Entries the user switched off, by id; kept as datasets come and go. */
  private readonly hidden = new Set<string>();
  private renderedKey = '';

  constructor(
    chartTitle: string,
    private readonly onToggle: () => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'chart-legend';
    this.element.setAttribute('role', 'group');
    this.element.setAttribute('aria-label', `${chartTitle} series`);
  }

  isHidden(id: string): boolean {
    return this.hidden.has(id);
  }

  render(entries: readonly LegendEntry[]): void {
    const key = entries.map((e) => `${e.id}\u0000${e.label}\u0000${e.colour}\u0000${this.hidden.has(e.id)}`).join('\n');
    if (key === this.renderedKey) return;
    this.renderedKey = key;
    // Rebuilt entries replace the focused one: keyboard focus moves to its successor with the same id.
    const active = document.activeElement;
    const focused = active instanceof HTMLElement && this.element.contains(active) ? active.dataset.legendId : undefined;
    this.element.replaceChildren(...entries.map((entry) => this.button(entry)));
    if (focused === undefined) return;
    for (const child of this.element.children) if (child instanceof HTMLElement && child.dataset.legendId === focused) child.focus();
  }

  private button(entry: LegendEntry): HTMLButtonElement {
    const shown = !this.hidden.has(entry.id);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'chart-legend-item';
    button.dataset.legendId = entry.id;
    button.setAttribute('aria-pressed', String(shown));
    button.title = `${shown ? 'Hide' : 'Show'} ${entry.label}`;
    const swatch = document.createElement('span');
    swatch.className = 'chart-legend-swatch';
    swatch.style.background = entry.colour;
    const label = document.createElement('span');
    label.className = 'chart-legend-label';
    label.textContent = entry.label;
    button.append(swatch, label);
    button.addEventListener('click', () => {
      if (!this.hidden.delete(entry.id)) this.hidden.add(entry.id);
      this.onToggle();
    });
    return button;
  }
}

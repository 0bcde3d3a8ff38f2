// The sources menu: which sources the log shows (an unticked source is hidden in every pane), and in the
// side-by-side layout which sources get a pane (the busiest shown sources up to the pane limit, until the user picks).
// A source that is deleted or removed is marked so; a removed one is listed while the log holds lines of it.
import { el } from '../services/dom-builder';
import type { SettingsStore } from '../services/settings-store';
import type { SourceDirectory } from '../services/source-directory';
import { toolButton } from './controls';
import { Popover } from './popover';

interface SourceItem {
  element: HTMLLIElement;
  name: HTMLElement;
  /** `deleted` or `removed`, else empty. */
  state: HTMLElement;
  shown: HTMLInputElement;
  pane: HTMLInputElement;
}

export class SourcesMenu {
  private readonly popover: Popover;
  private readonly badge = el('span', 'lp-badge');
  private readonly list = el('ul', 'lp-source-list');
  private readonly none = el('p', 'hint', 'No source yet.');
  private readonly paneHint = el('p', 'hint');
  private readonly columnsHead = el('div', 'lp-source-head');
  private items = new Map<string, SourceItem>();

  constructor(
    private readonly settings: SettingsStore,
    private readonly sources: SourceDirectory,
    private readonly panes: {
      /** The sources with a pane now, in pane order (see pane-layout). */
      panedSources(): string[];
      /** Panes side by side that the panel's width keeps readable. */
      paneLimit(): number;
    },
  ) {
    const button = toolButton({ icon: 'sources', text: 'Sources', title: 'Sources to show, and which get a pane side by side' });
    button.append(this.badge);
    this.popover = new Popover(button, 'Sources', () => this.render());
    const showAll = el('button', 'tool', 'Show all');
    showAll.type = 'button';
    showAll.addEventListener('click', () => this.settings.update({ filter: { ...this.settings.value.filter, hiddenSources: [] } }));
    this.columnsHead.append(el('span', undefined, 'Show'), el('span', undefined, 'Pane'));
    this.popover.panel.append(el('h3', undefined, 'Sources'), this.none, this.columnsHead, this.list, this.paneHint, showAll);
  }

  get element(): HTMLElement {
    return this.popover.element;
  }

  render(): void {
    const all = this.sources.list();
    const { filter, logLayout } = this.settings.value;
    const hidden = filter.hiddenSources.filter((id) => all.some((source) => source.id === id)).length;
    this.badge.textContent = hidden > 0 ? `${all.length - hidden}/${all.length}` : '';
    this.badge.hidden = hidden === 0;
    const split = logLayout === 'per-source';
    const ids = all.map((source) => source.id);
    if (ids.join('\n') !== [...this.items.keys()].join('\n')) this.rebuild(ids);
    const paned = new Set(split ? this.panes.panedSources() : []);
    const limit = this.panes.paneLimit();
    for (const [id, item] of this.items) {
      item.name.textContent = this.sources.nameOf(id);
      const state = this.sources.get(id)?.state;
      const gone = state === 'deleted' || state === 'removed' ? state : '';
      if (item.state.textContent !== gone) item.state.textContent = gone;
      item.state.hidden = gone === '';
      item.element.classList.toggle('gone', gone !== '');
      item.shown.checked = !filter.hiddenSources.includes(id);
      item.pane.hidden = !split;
      item.pane.checked = paned.has(id);
      item.pane.disabled = !paned.has(id) && paned.size >= limit;
    }
    this.none.hidden = all.length > 0;
    this.columnsHead.hidden = !split || all.length === 0;
    this.paneHint.hidden = !split;
    this.paneHint.textContent = `Side by side: ${limit === 1 ? '1 pane fits' : `up to ${limit} panes fit`} this width, one per ticked source; the busiest until you pick. A pane's name picks its source.`;
  }

  private rebuild(ids: readonly string[]): void {
    this.items = new Map();
    for (const id of ids) {
      const shown = el('input');
      shown.type = 'checkbox';
      shown.addEventListener('change', () => this.toggleShown(id));
      const name = el('span', 'name');
      const state = el('span', 'lp-source-state');
      const label = el('label', 'lp-source-shown');
      label.append(shown, el('span', `swatch src-${this.sources.colour(id)}`), name, state);
      const pane = el('input');
      pane.type = 'checkbox';
      pane.title = 'Give this source its own pane';
      pane.setAttribute('aria-label', 'Own pane');
      pane.addEventListener('change', () => this.togglePane(id));
      const element = el('li');
      element.append(label, pane);
      this.items.set(id, { element, name, state, shown, pane });
    }
    this.list.replaceChildren(...[...this.items.values()].map((item) => item.element));
  }

  private toggleShown(id: string): void {
    const filter = this.settings.value.filter;
    const hidden = filter.hiddenSources.includes(id) ? filter.hiddenSources.filter((s) => s !== id) : [...filter.hiddenSources, id];
    this.settings.update({ filter: { ...filter, hiddenSources: hidden } });
  }

  /** The first pick starts from the panes shown now (every source), so one untick removes one pane. */
  private togglePane(id: string): void {
    const current = this.panes.panedSources();
    const next = current.includes(id) ? current.filter((s) => s !== id) : [...current, id];
    this.settings.update({ paneSources: next });
  }
}

// The header of a per-source pane: the source's colour and name, its state (live, waiting, error, with the
// error as tooltip), how many lines the pane holds, and a picker that puts any other source in this pane.
import { el, setText } from '../services/dom-builder';
import type { SourceDirectory } from '../services/source-directory';
import { countOf } from './log-format';
import { pickableSources } from './pane-layout';

export class PaneHeader {
  readonly element: HTMLElement;
  private readonly name = el('span', 'lp-pane-name');
  private readonly state = el('span', 'lp-pane-state');
  private readonly count = el('span', 'lp-pane-count');
  /** Over the name (transparent): a click on the name opens the list of sources. */
  private readonly picker = el('select', 'lp-pane-pick');
  /** The options' ids and names as last built: rebuilt only when they change (rates change every second). */
  private offered = '';

  constructor(
    private readonly source: string,
    private readonly sources: SourceDirectory,
    /** The user picked `to` for this pane. */
    pick: (to: string) => void,
  ) {
    this.element = el('header', `lp-pane-header src-${sources.colour(source)}`);
    this.picker.title = 'Show another source in this pane';
    this.picker.setAttribute('aria-label', 'Source shown in this pane');
    this.picker.addEventListener('change', () => {
      if (this.picker.value !== this.source) pick(this.picker.value);
    });
    const which = el('span', 'lp-pane-source');
    which.append(this.name, el('span', 'lp-pane-caret', '▾'), this.picker);
    this.element.append(el('span', 'swatch'), which, this.state, this.count);
  }

  /** `buffered`: lines the pane's view holds, null before its first update. */
  render(buffered: number | null): void {
    const info = this.sources.get(this.source);
    const state = info?.state ?? '';
    const error = info?.error ?? '';
    setText(this.name, this.sources.nameOf(this.source));
    setText(this.state, state);
    if (this.state.dataset.state !== state) this.state.dataset.state = state;
    if (this.state.title !== error) this.state.title = error;
    setText(this.count, buffered === null ? '' : countOf(buffered, 'line'));
    this.renderPicker();
  }

  private renderPicker(): void {
    const offered = pickableSources(this.sources).map(({ id, name }) => ({ id, name }));
    // A removed source keeps its pane while the user leaves it there: it is offered too.
    if (!offered.some((source) => source.id === this.source)) offered.unshift({ id: this.source, name: this.sources.nameOf(this.source) });
    const key = offered.map((source) => `${source.id}\t${source.name}`).join('\n');
    if (key !== this.offered) {
      this.offered = key;
      this.picker.replaceChildren(
        ...offered.map((source) => {
          const option = el('option', undefined, source.name);
          option.value = source.id;
          return option;
        }),
      );
    }
    if (this.picker.value !== this.source) this.picker.value = this.source;
  }
}

// The header of a per-source pane: the source's colour and name, its state (live, waiting, error, with the
// error as tooltip) and how many lines the pane holds.
import { el, setText } from '../services/dom-builder';
import type { SourceDirectory } from '../services/source-directory';
import { countOf } from './log-format';

export class PaneHeader {
  readonly element: HTMLElement;
  private readonly name = el('span', 'lp-pane-name');
  private readonly state = el('span', 'lp-pane-state');
  private readonly count = el('span', 'lp-pane-count');

  constructor(
    private readonly source: string,
    private readonly sources: SourceDirectory,
  ) {
    this.element = el('header', `lp-pane-header src-${sources.colour(source)}`);
    this.element.append(el('span', 'swatch'), this.name, this.state, this.count);
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
  }
}

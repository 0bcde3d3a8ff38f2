// What a pane shows when it has no line to show: the connection is not up yet, no line came yet, or the
// filter hides every line (then with a button that clears the filter).
import type { SourceDirectory } from '../shell/source-directory';
import type { ViewSpec, ViewUpdate } from '../worker-protocol';
import { el, setText } from './dom-builder';
import { countOf } from './log-format';
import { hasLines } from './view-update';

export class PaneEmptyState {
  readonly element = el('div', 'lp-empty');
  private readonly text = el('p', 'lp-empty-text');
  private readonly clear = el('button', 'tool', 'Clear filter');

  constructor(
    private readonly spec: ViewSpec,
    private readonly sources: SourceDirectory,
    clearFilter: () => void,
  ) {
    this.clear.type = 'button';
    this.clear.addEventListener('click', clearFilter);
    this.element.append(this.text, this.clear);
    this.element.hidden = true;
  }

  render(update: ViewUpdate | null): void {
    const empty = update === null || !hasLines(update);
    const filtered = empty && update !== null && update.buffered > 0;
    this.element.hidden = !empty;
    this.clear.hidden = !filtered;
    if (empty) setText(this.text, filtered ? 'No line matches the filter' : this.waiting());
  }

  private waiting(): string {
    const { sources, spec } = this;
    if (!sources.known) return 'Connecting…';
    if (spec.sources === null) return `Waiting for lines from ${countOf(sources.list().length, 'source')}…`;
    return `Waiting for lines from ${spec.sources.map((id) => sources.nameOf(id)).join(', ')}…`;
  }
}

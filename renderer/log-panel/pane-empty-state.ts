// What a pane shows when it has no line to show: the connection is not up yet, no line came yet (with the
// pane's sources that are missing or unreadable, and why: the reason lines are not coming), or the filter
// hides every line (then with a button that clears the filter).
import type { SourceInfo } from '../../protocol/events';
import { el, setText } from '../services/dom-builder';
import type { SourceDirectory } from '../services/source-directory';
import type { ViewSpec, ViewUpdate } from '../worker-channel/worker-protocol';
import { countOf } from './log-format';
import { LOG_PANEL_LIMITS } from './panel-limits';
import { hasLines } from './view-update';

export class PaneEmptyState {
  readonly element = el('div', 'lp-empty');
  private readonly text = el('p', 'lp-empty-text');
  private readonly problems = el('ul', 'lp-empty-problems');
  private readonly clear = el('button', 'tool', 'Clear filter');
  /** What the problem list was built from: it is rebuilt only when that changes. */
  private shownProblems = '';

  constructor(
    private readonly spec: ViewSpec,
    private readonly sources: SourceDirectory,
    clearFilter: () => void,
  ) {
    this.clear.type = 'button';
    this.clear.addEventListener('click', clearFilter);
    this.element.append(this.text, this.problems, this.clear);
    this.element.hidden = true;
    this.problems.hidden = true;
  }

  render(update: ViewUpdate | null): void {
    const empty = update === null || !hasLines(update);
    const filtered = empty && update !== null && update.buffered > 0;
    this.element.hidden = !empty;
    this.clear.hidden = !filtered;
    if (empty) setText(this.text, filtered ? 'No line matches the filter' : this.waiting());
    this.renderProblems(empty && !filtered ? this.paneSources().filter((source) => source.state === 'waiting' || source.state === 'deleted' || source.state === 'error') : []);
  }

  private waiting(): string {
    const { sources, spec } = this;
    if (!sources.known) return 'Connecting…';
    if (spec.sources === null) return `Waiting for lines from ${countOf(sources.list().length, 'source')}…`;
    return `Waiting for lines from ${spec.sources.map((id) => sources.nameOf(id)).join(', ')}…`;
  }

  private paneSources(): SourceInfo[] {
    const { sources, spec } = this;
    if (spec.sources === null) return sources.list();
    return spec.sources.map((id) => sources.get(id)).filter((info): info is SourceInfo => info !== undefined);
  }

  private renderProblems(problems: readonly SourceInfo[]): void {
    const key = problems.map((source) => `${source.id}\t${source.name}\t${source.state}\t${source.error ?? ''}`).join('\n');
    if (key === this.shownProblems) return;
    this.shownProblems = key;
    const listed = LOG_PANEL_LIMITS.maxListedProblemSources;
    const items = problems.slice(0, listed).map((source) => {
      const item = el('li', `state-${source.state}`);
      const why =
        source.state === 'waiting' ? 'not there yet: shown as soon as it appears'
        : source.state === 'deleted' ? 'deleted: shown again if it comes back'
        : (source.error ?? 'cannot be read');
      item.append(el('span', 'name', source.name), el('span', 'why', why));
      item.title = source.path;
      return item;
    });
    const more = problems.length - listed;
    if (more > 0) items.push(el('li', 'more', `and ${countOf(more, 'more source')} waiting, deleted or unreadable`));
    this.problems.replaceChildren(...items);
    this.problems.hidden = items.length === 0;
  }
}

// Searching the files on disk from the log panel: the offer under the toolbar when a filter finds fewer lines
// than the disk may hold, and the drawer that shows the search as it streams (progress, Cancel), its results,
// and, for the result clicked, the lines around it read from disk with the match marked. Log text reaches the
// DOM only through appendLineText (text nodes; invisible characters as visible marks).
import { wallTime } from '../services/time-zone';
import type { SearchMatchLine } from '../../protocol/search';
import { el, setText } from '../services/dom-builder';
import type { SourceDirectory } from '../services/source-directory';
import { toolButton } from './controls';
import { DISK_SEARCH_LIMITS, fetchContext, runSearch, type ServerRequest } from './disk-search';
import { appendLineText } from './line-text';
import { stripAnsi } from '../services/ansi';
import { countOf, formatClock } from './log-format';
import { searchDoneText, searchOfferText } from './search-answer';

/** Characters of a line drawn in the drawer; the rest is left out with an ellipsis (the pane shows it whole). */
const MAX_RESULT_CHARS = 2_000;

/** What the panel knows when it draws a frame: the filter's query and count, and the sources it searches. */
export interface SearchScope {
  /** The filter's query; '' or an invalid one offers nothing. */
  query: string;
  valid: boolean;
  /** Entries the filter finds in the lines held, over every pane. */
  matches: number;
  /** Lines held, over every pane. */
  heldLines: number;
  /** The sources shown (not hidden by the user), with their files' sizes. */
  sources: { id: string; size: number }[];
}

export interface SearchDrawerDeps {
  request: ServerRequest;
  sources: SourceDirectory;
  /** Shows the match in the panes when one holds it (scrolled to and marked); true when one did. */
  showHeld: (match: SearchMatchLine) => Promise<boolean>;
}

export class SearchDrawer {
  /** The offer, then the drawer: placed under the toolbar. */
  readonly element = el('div', 'lp-search-area');
  private readonly offer = el('button', 'lp-search-offer');
  private readonly drawer = el('section', 'lp-search');
  private readonly status = el('p', 'lp-search-status');
  private readonly cancel = toolButton({ text: 'Cancel', title: 'Stop the search' });
  private readonly back = toolButton({ text: 'Back to results', title: 'Show the search results again' });
  private readonly close = toolButton({ text: 'Close', title: 'Close the search results' });
  private readonly results = el('ol', 'lp-search-results');
  private readonly context = el('div', 'lp-search-context');
  private scope: SearchScope | null = null;
  /** The search on its way: Cancel and Close abort it. */
  private searching: AbortController | null = null;
  /** The lines around a result on their way: Back and Close abort them. */
  private reading: AbortController | null = null;
  private found = 0;
  /** What the status line says of the search (shown again on Back). */
  private summary = '';
  /** The query the drawer shows the results of: a different filter is offered again above them. */
  private searched = '';

  constructor(private readonly deps: SearchDrawerDeps) {
    this.offer.type = 'button';
    this.offer.hidden = true;
    this.drawer.hidden = true;
    this.drawer.setAttribute('aria-label', 'Search on disk');
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    const head = el('div', 'lp-search-head');
    head.append(this.status, this.cancel, this.back, this.close);
    this.back.hidden = true;
    this.context.hidden = true;
    this.drawer.append(head, this.results, this.context);
    this.element.append(this.offer, this.drawer);
    this.offer.addEventListener('click', () => void this.search());
    this.cancel.addEventListener('click', () => this.searching?.abort());
    this.close.addEventListener('click', () => this.hide());
    this.back.addEventListener('click', () => this.showResults());
  }

  /** Called every frame: the offer follows the filter (writes only what changed). */
  update(scope: SearchScope): void {
    this.scope = scope;
    const offered = scope.valid && scope.query !== '' && scope.sources.length > 0 && (this.drawer.hidden || scope.query !== this.searched);
    if (this.offer.hidden === offered) this.offer.hidden = !offered;
    if (!offered) return;
    const bytes = scope.sources.reduce((sum, source) => sum + source.size, 0);
    setText(this.offer, searchOfferText(scope.matches, scope.heldLines, bytes));
  }

  /** Runs the filter's query over the files of the sources shown; matches are listed as they come. */
  private async search(): Promise<void> {
    const scope = this.scope;
    if (scope === null || scope.query === '') return;
    this.searching?.abort();
    const searching = new AbortController();
    this.searching = searching;
    this.found = 0;
    this.results.replaceChildren();
    this.showResults();
    this.drawer.hidden = false;
    this.offer.hidden = true;
    this.cancel.hidden = false;
    this.drawer.dataset.search = 'running';
    const query = scope.query;
    this.searched = query;
    this.say(`Searching the files on disk for ${query}…`);
    const outcome = await runSearch(this.deps.request, { q: query, sources: scope.sources.map((source) => source.id), limit: DISK_SEARCH_LIMITS.matches }, searching.signal, (match) => {
      this.found++;
      this.results.append(this.resultItem(match));
      this.say(`Searching the files on disk for ${query}… ${countOf(this.found, 'match', 'matches')} so far`);
    });
    if (this.searching !== searching) return;
    this.searching = null;
    this.cancel.hidden = true;
    this.drawer.dataset.search = outcome.kind;
    if (outcome.kind === 'done') this.say(searchDoneText(outcome.done));
    else if (outcome.kind === 'cancelled') this.say(`Search cancelled: ${countOf(this.found, 'match', 'matches')} found before it stopped`);
    else this.say(`The search failed: ${outcome.message}`);
  }

  /** The search's progress or outcome, on the status line unless a result's lines are shown. */
  private say(text: string): void {
    this.summary = text;
    if (this.context.hidden) setText(this.status, text);
  }

  private resultItem(match: SearchMatchLine): HTMLLIElement {
    const item = el('li');
    const button = el('button', 'lp-search-result');
    button.type = 'button';
    button.append(el('span', 'lp-search-source', this.deps.sources.nameOf(match.source)), el('time', 'lp-search-time', `${dayOf(match.ts)} ${formatClock(match.ts)}`), lineText(match.text));
    button.addEventListener('click', () => void this.open(match));
    item.append(button);
    return item;
  }

  /** A result clicked: marked in a pane that holds it, and shown among its neighbours read from disk. */
  private async open(match: SearchMatchLine): Promise<void> {
    this.reading?.abort();
    const reading = new AbortController();
    this.reading = reading;
    this.results.hidden = true;
    this.back.hidden = false;
    this.context.hidden = false;
    // Not its seq: lines older than this run are counted back from 0, a number that means nothing to a reader.
    const where = `${this.deps.sources.nameOf(match.source)}, ${dayOf(match.ts)} ${formatClock(match.ts)}`;
    setText(this.status, `Reading the lines around the match (${where}) from disk…`);
    this.context.replaceChildren();
    const held = this.deps.showHeld(match);
    const result = await fetchContext(this.deps.request, match.source, match.seq, reading.signal);
    if (this.reading !== reading) return;
    this.reading = null;
    if (!result.ok) {
      setText(this.status, `The lines around the match could not be read: ${result.message}`);
      return;
    }
    const list = el('ol', 'lp-search-lines');
    let hit: HTMLElement | null = null;
    for (const line of result.lines) {
      const row = el('li', 'lp-search-line');
      row.append(el('time', 'lp-search-time', formatClock(line.ts)), lineText(line.text));
      if (line.seq === match.seq) {
        row.classList.add('lp-search-hit');
        row.setAttribute('aria-current', 'true');
        hit = row;
      }
      list.append(row);
    }
    this.context.replaceChildren(list);
    hit?.scrollIntoView({ block: 'center' });
    const inPane = (await held) ? '; also marked in the log' : '';
    setText(this.status, `${countOf(result.lines.length, 'line')} around the match (${where}), read from disk${inPane}`);
  }

  private showResults(): void {
    this.reading?.abort();
    this.reading = null;
    this.results.hidden = false;
    this.context.hidden = true;
    this.context.replaceChildren();
    this.back.hidden = true;
    setText(this.status, this.summary);
  }

  private hide(): void {
    this.searching?.abort();
    this.searching = null;
    this.reading?.abort();
    this.reading = null;
    this.drawer.hidden = true;
    this.results.replaceChildren();
    this.context.replaceChildren();
    if (this.scope !== null) this.update(this.scope);
  }
}

/** A found line as text: its colour codes taken out (as the log view does), cut at MAX_RESULT_CHARS. */
function lineText(raw: string): HTMLElement {
  const span = el('span', 'lp-search-text');
  const text = stripAnsi(raw);
  appendLineText(span, text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}…` : text);
  return span;
}

/** YYYY-MM-DD in local time: a match may be days old, which the pane's clock column does not say. */
function dayOf(ts: number): string {
  if (!Number.isFinite(ts)) return '';
  // On the clock the time beside it is in (local or UTC).
  const d = wallTime(ts);
  return `${d.year}-${String(d.month + 1).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

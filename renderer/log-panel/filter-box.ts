// The filter field: the query as the user types it (sent after a short pause), the match count beside it,
// and the invert and filter/highlight switches. A query that does not compile marks the field invalid and
// says why beside it (the browser's reason, trimmed), the whole message as its tooltip.
import { el, setText } from '../services/dom-builder';
import { icon } from '../services/icons';
import type { SettingsStore } from '../services/settings-store';
import { shortcutAction } from '../services/shortcuts';
import type { FilterSpec } from '../worker-channel/worker-protocol';
import { segmented, setPressed, toolButton } from './controls';
import { countOf } from './log-format';
import { LOG_PANEL_LIMITS } from './panel-limits';
import { queryErrorReason } from './query-error';

export interface FilterResult {
  /** Lines matching the query, over every pane. */
  matches: number;
  error: string | undefined;
}

export class FilterBox {
  readonly element = el('div', 'field lp-filter');
  private readonly input = el('input', 'lp-query');
  private readonly count = el('span', 'lp-count');
  private readonly invert = toolButton({ icon: 'invert', title: 'Invert: show the lines that do not match', pressed: false, className: 'lp-flat' });
  private readonly modeFilter = toolButton({ icon: 'filter', title: 'Filter: hide the lines that do not match', pressed: true, className: 'lp-flat' });
  private readonly modeHighlight = toolButton({ icon: 'highlight', title: 'Highlight: keep every line, mark the matches', pressed: false, className: 'lp-flat' });
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Escape left the field: a second Escape (now outside it) clears the query. */
  private escaped = false;

  /** `leave`: where focus goes when Escape leaves the field (the log, so its keys work at once). */
  constructor(private readonly settings: SettingsStore, private readonly leave: () => void) {
    this.input.type = 'search';
    this.input.placeholder = 'Filter — text or /regex/i';
    this.input.spellcheck = false;
    this.input.autocomplete = 'off';
    this.input.setAttribute('aria-label', 'Filter the log: text, or /regex/flags');
    this.element.append(icon('search'), this.input, this.count, this.invert, segmented('Filter or highlight', this.modeFilter, this.modeHighlight));
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.change({}), LOG_PANEL_LIMITS.queryDebounceMs);
    });
    this.input.addEventListener('keydown', (event) => {
      const action = shortcutAction('filter', event);
      if (action === 'applyFilter') this.flush();
      if (action !== 'leaveFilter') return;
      event.preventDefault();
      this.flush();
      this.escaped = true;
      this.leave();
    });
    this.input.addEventListener('focus', () => (this.escaped = false));
    this.invert.addEventListener('click', () => this.change({ invert: !this.settings.value.filter.invert }));
    this.modeFilter.addEventListener('click', () => this.change({ mode: 'filter' }));
    this.modeHighlight.addEventListener('click', () => this.change({ mode: 'highlight' }));
  }

  focus(): void {
    this.input.focus();
    this.input.select();
  }

  /**
   * A key reached the panel outside the field: the log's `clearFilter` key (Escape) right after the field's
   * `leaveFilter` clears the query; any other key ends that chance.
   */
  keyOutside(clearsFilter: boolean): void {
    if (!clearsFilter || !this.escaped) {
      this.escaped = false;
      return;
    }
    this.escaped = false;
    if (this.settings.value.filter.query === '') return;
    this.input.value = '';
    this.change({});
  }

  /** Shows the settings' filter (another control, or another tab's clear, may have changed it). */
  sync(filter: FilterSpec): void {
    if (document.activeElement !== this.input && this.timer === undefined) this.input.value = filter.query;
    setPressed(this.invert, filter.invert);
    setPressed(this.modeFilter, filter.mode === 'filter');
    setPressed(this.modeHighlight, filter.mode === 'highlight');
  }

  /** Called every frame: writes only what changed, so an idle toolbar costs no style work. */
  showResult(result: FilterResult): void {
    const hasQuery = this.settings.value.filter.query !== '';
    const error = result.error ?? '';
    if (error !== this.element.title) {
      this.element.title = error;
      this.element.classList.toggle('invalid', error !== '');
      this.input.setAttribute('aria-invalid', String(error !== ''));
    }
    const text = error !== '' ? queryErrorReason(error) : !hasQuery ? '' : result.matches === 0 ? 'no match' : countOf(result.matches, 'match', 'matches');
    setText(this.count, text);
  }

  /** Sends what was typed now instead of after the pause. */
  private flush(): void {
    if (this.timer !== undefined) this.change({});
  }

  /** Every change carries the query as typed: a switch flipped during the typing pause must not drop it. */
  private change(change: Partial<FilterSpec>): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.settings.update({ filter: { ...this.settings.value.filter, query: this.input.value, ...change } });
  }
}

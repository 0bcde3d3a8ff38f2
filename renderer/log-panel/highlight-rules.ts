// Highlight rules: queries that only mark their matches (never hide a line), each in its colour, with how
// many lines of the buffer match it. The colours reach the marks as --hl-k variables set on the panel.
import { el, setText } from '../services/dom-builder';
import { SETTINGS_LIMITS, type SettingsStore } from '../services/settings-store';
import type { HighlightRule } from '../worker-channel/worker-protocol';
import { setPressed, toolButton } from './controls';
import { countOf } from './log-format';
import { LOG_PANEL_LIMITS } from './panel-limits';
import { Popover } from './popover';

/** Readable as a tint on both themes; a new rule takes the first colour no rule uses yet. */
const HIGHLIGHT_COLOURS = ['#e3b341', '#f0883e', '#f85149', '#3fb950', '#4493f8', '#a371f7'] as const;

interface RuleItem {
  element: HTMLLIElement;
  query: HTMLInputElement;
  swatches: HTMLButtonElement[];
  count: HTMLElement;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class HighlightRulesMenu {
  private readonly popover: Popover;
  private readonly badge = el('span', 'lp-badge');
  private readonly list = el('ul', 'lp-rule-list');
  private readonly add: HTMLButtonElement;
  private items: RuleItem[] = [];

  constructor(private readonly settings: SettingsStore) {
    const button = toolButton({ icon: 'rules', text: 'Highlights', title: 'Highlight rules: mark matches in colour, hide nothing' });
    button.append(this.badge);
    this.popover = new Popover(button, 'Highlight rules');
    this.add = toolButton({ icon: 'plus', text: 'Add rule', title: 'Add a highlight rule' });
    this.add.addEventListener('click', () => this.addRule());
    const help = el('p', 'hint', 'Text or /regex/flags. Matches are marked in the rule’s colour; no line is hidden.');
    this.popover.panel.append(el('h3', undefined, 'Highlight rules'), help, this.list, this.add);
    this.popover.panel.classList.add('lp-rules');
  }

  get element(): HTMLElement {
    return this.popover.element;
  }

  sync(rules: readonly HighlightRule[]): void {
    if (rules.length !== this.items.length) this.rebuild(rules.length);
    rules.forEach((rule, k) => {
      const item = this.items[k]!;
      if (document.activeElement !== item.query && item.timer === undefined) item.query.value = rule.query;
      item.swatches.forEach((swatch, c) => setPressed(swatch, HIGHLIGHT_COLOURS[c] === rule.color));
    });
    this.add.disabled = rules.length >= SETTINGS_LIMITS.maxHighlights;
    this.badge.textContent = rules.length > 0 ? String(rules.length) : '';
    this.badge.hidden = rules.length === 0;
  }

  showCounts(counts: readonly number[]): void {
    this.items.forEach((item, k) => {
      const count = counts[k];
      setText(item.count, count === undefined ? '' : countOf(count, 'line'));
    });
  }

  private rebuild(length: number): void {
    this.items = Array.from({ length }, (_, k) => this.buildItem(k));
    this.list.replaceChildren(...this.items.map((item) => item.element));
  }

  private buildItem(k: number): RuleItem {
    const element = el('li', 'lp-rule');
    const swatchGroup = el('div', 'lp-swatches');
    swatchGroup.setAttribute('role', 'group');
    swatchGroup.setAttribute('aria-label', 'Colour');
    const swatches = HIGHLIGHT_COLOURS.map((colour) => {
      const swatch = el('button', 'lp-swatch');
      swatch.type = 'button';
      swatch.title = colour;
      swatch.setAttribute('aria-label', `Colour ${colour}`);
      swatch.style.backgroundColor = colour;
      swatch.addEventListener('click', () => this.edit(k, { color: colour }));
      return swatch;
    });
    swatchGroup.append(...swatches);
    const query = el('input', 'field');
    query.type = 'text';
    query.spellcheck = false;
    query.placeholder = 'text or /regex/';
    query.setAttribute('aria-label', `Rule ${k + 1} query`);
    const count = el('span', 'lp-rule-count');
    const remove = toolButton({ icon: 'close', title: 'Remove this rule', className: 'lp-flat' });
    remove.addEventListener('click', () => this.remove(k));
    element.append(swatchGroup, query, count, remove);
    const item: RuleItem = { element, query, swatches, count, timer: undefined };
    query.addEventListener('input', () => {
      clearTimeout(item.timer);
      item.timer = setTimeout(() => {
        item.timer = undefined;
        this.edit(k, { query: query.value });
      }, LOG_PANEL_LIMITS.queryDebounceMs);
    });
    return item;
  }

  private edit(k: number, change: Partial<HighlightRule>): void {
    const rules = this.settings.value.highlights.map((rule, i) => (i === k ? { ...rule, ...change } : rule));
    this.settings.update({ highlights: rules });
  }

  private addRule(): void {
    const rules = this.settings.value.highlights;
    const used = new Set(rules.map((rule) => rule.color));
    const color = HIGHLIGHT_COLOURS.find((c) => !used.has(c)) ?? HIGHLIGHT_COLOURS[rules.length % HIGHLIGHT_COLOURS.length]!;
    this.settings.update({ highlights: [...rules, { query: '', color }] });
    this.items[this.items.length - 1]?.query.focus();
  }

  private remove(k: number): void {
    this.settings.update({ highlights: this.settings.value.highlights.filter((_, i) => i !== k) });
  }
}

// The log panel's toolbar: filter, levels, sources, highlight rules, layout, columns, wrap, pause, and the
// copy, download and clear actions. Controls write the settings; the panel hands settings and counts back.
import { shortcutAction } from '../services/shortcuts';
import { el } from '../services/dom-builder';
import { icon } from '../services/icons';
import type { Settings, SettingsStore } from '../services/settings-store';
import type { SourceDirectory } from '../services/source-directory';
import { Toast } from '../services/toast';
import { ColumnsMenu } from './columns-menu';
import { segmented, setPressed, toolButton } from './controls';
import { FilterBox, type FilterResult } from './filter-box';
import { HighlightRulesMenu } from './highlight-rules';
import { LevelChips } from './level-chips';
import { SourcesMenu } from './sources-menu';

interface ToolbarActions {
  togglePause(): void;
  copy(): void;
  download(): void;
  clear(): void;
  /** Escape left the filter field: focus the log. */
  leaveFilter(): void;
  /** The sources with a pane of their own now (side by side), in pane order. */
  panedSources(): string[];
  /** Panes side by side that the panel's width keeps readable. */
  paneLimit(): number;
}

export interface ToolbarCounts extends FilterResult {
  highlightCounts: number[];
}

export class PanelToolbar {
  readonly element = el('div', 'lp-toolbar');
  readonly filter: FilterBox;
  readonly toast = new Toast();
  private readonly levels: LevelChips;
  private readonly sourcesMenu: SourcesMenu;
  private readonly highlights: HighlightRulesMenu;
  private readonly columns: ColumnsMenu;
  private readonly merged = toolButton({ icon: 'merged', title: 'One pane: every source, merged by time', pressed: true });
  private readonly split = toolButton({ icon: 'split', title: 'Side by side: one pane per source', pressed: false });
  private readonly wrap = toolButton({ icon: 'wrap', title: 'Wrap long lines', pressed: false });
  private readonly pause: HTMLButtonElement;
  private paused = false;

  constructor(settings: SettingsStore, sources: SourceDirectory, actions: ToolbarActions) {
    this.filter = new FilterBox(settings, actions.leaveFilter);
    this.levels = new LevelChips(settings);
    this.sourcesMenu = new SourcesMenu(settings, sources, actions);
    this.highlights = new HighlightRulesMenu(settings);
    this.columns = new ColumnsMenu(settings);
    this.pause = toolButton({ icon: 'pause', text: 'Pause', title: 'Pause or resume the log (Space)', pressed: false, className: 'lp-pause' });
    // A toggle keeps one name; its state is aria-pressed (the visible word switches to "Resume").
    this.pause.setAttribute('aria-label', 'Pause');
    this.pause.addEventListener('click', () => actions.togglePause());
    this.merged.addEventListener('click', () => settings.update({ logLayout: 'merged' }));
    this.split.addEventListener('click', () => settings.update({ logLayout: 'per-source' }));
    this.wrap.addEventListener('click', () => settings.update({ wrap: !settings.value.wrap }));
    // Side by side, these act on the pane used last (clicked, scrolled or focused).
    const copy = toolButton({ icon: 'copy', title: 'Copy the selected lines (or every line the filter shows)' });
    copy.addEventListener('click', () => actions.copy());
    const download = toolButton({ icon: 'download', title: 'Download the lines the filter shows' });
    download.addEventListener('click', () => actions.download());
    const clear = toolButton({ icon: 'clear', title: 'Clear the log (new lines keep coming)' });
    clear.addEventListener('click', () => actions.clear());

    // A group, not role=toolbar: that role promises arrow-key navigation between its controls.
    this.element.setAttribute('role', 'group');
    this.element.setAttribute('aria-label', 'Log tools');
    // The less-used tools: in the row on a wide panel (their box is display: contents there); on a phone, folded
    // behind "⋯" so the toolbar takes one row and the log keeps its height (log-panel.css decides the width).
    const lines = group(segmented('Lines', copy, download, clear));
    lines.classList.add('lp-lines');
    const more = el('div', 'lp-more');
    more.id = 'log-tools-more';
    more.append(
      group(this.levels.element),
      group(this.sourcesMenu.element, this.highlights.element),
      group(segmented('Layout', this.merged, this.split), this.columns.element, this.wrap),
      lines,
    );
    const moreButton = toolButton({ text: '⋯', title: 'More log tools', pressed: false, className: 'lp-more-button' });
    moreButton.setAttribute('aria-label', 'More log tools');
    moreButton.setAttribute('aria-controls', more.id);
    moreButton.removeAttribute('aria-pressed');
    moreButton.setAttribute('aria-expanded', 'false');
    const showMore = (open: boolean): void => {
      more.classList.toggle('open', open);
      moreButton.setAttribute('aria-expanded', String(open));
    };
    moreButton.addEventListener('click', () => showMore(!more.classList.contains('open')));
    // A press outside the folded tools (and outside a menu they opened) closes them, as Escape does.
    document.addEventListener('pointerdown', (event) => {
      if (more.classList.contains('open') && event.target instanceof Node && !more.contains(event.target) && !moreButton.contains(event.target)) showMore(false);
    });
    this.element.addEventListener('keydown', (event) => {
      if (shortcutAction('menu', event) === 'closeMenu' && more.classList.contains('open') && !event.defaultPrevented) showMore(false);
    });
    const pauseGroup = group(this.pause);
    pauseGroup.classList.add('lp-pause-group');
    this.element.append(this.filter.element, more, el('span', 'lp-spacer'), pauseGroup, moreButton, this.toast.element);
  }

  sync(settings: Readonly<Settings>): void {
    this.filter.sync(settings.filter);
    this.levels.sync(settings.filter.hiddenLevels);
    this.highlights.sync(settings.highlights);
    this.columns.sync(settings.columns);
    this.sourcesMenu.render();
    setPressed(this.merged, settings.logLayout === 'merged');
    setPressed(this.split, settings.logLayout === 'per-source');
    setPressed(this.wrap, settings.wrap);
  }

  syncSources(): void {
    this.sourcesMenu.render();
  }

  showCounts(counts: ToolbarCounts): void {
    this.filter.showResult(counts);
    this.highlights.showCounts(counts.highlightCounts);
  }

  showPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    setPressed(this.pause, paused);
    this.pause.replaceChildren(icon(paused ? 'play' : 'pause'), el('span', 'label', paused ? 'Resume' : 'Pause'));
  }
}

function group(...children: HTMLElement[]): HTMLElement {
  const element = el('div', 'lp-group');
  element.append(...children);
  return element;
}

// The top bar's chart time control: a segmented 1 min / 5 min / 15 min / 1 h / 6 h / 24 h choice shared by every
// chart (past an hour, from the server's minute tier) and, while a range is selected, that range and a "Back to
// live" button. On a narrow screen the six buttons are one drop-down instead (charts.css).
import { TIME_WINDOWS, type TimeWindowMinutes } from '../services/settings-store';
import type { TimeRange } from './chart-definition';
import { formatRange } from './time-axis';

const LABELS: Readonly<Record<TimeWindowMinutes, string>> = { 1: '1m', 5: '5m', 15: '15m', 60: '1h', 360: '6h', 1440: '24h' };
const TITLES: Readonly<Record<TimeWindowMinutes, string>> = {
  1: 'Charts: the last minute',
  5: 'Charts: the last 5 minutes',
  15: 'Charts: the last 15 minutes',
  60: 'Charts: the last hour',
  360: 'Charts: the last 6 hours (a point a minute)',
  1440: 'Charts: the last 24 hours (a point a minute)',
};

interface TimeWindowActions {
  choose(minutes: TimeWindowMinutes): void;
  backToLive(): void;
}

export class TimeWindowControl {
  private readonly buttons = new Map<TimeWindowMinutes, HTMLButtonElement>();
  /** The same choice as a drop-down, for a narrow screen; "" while a range is selected. */
  private readonly select: HTMLSelectElement;
  private readonly selection: HTMLElement;
  private readonly rangeText: HTMLElement;
  private renderedKey = '';

  constructor(host: HTMLElement, actions: TimeWindowActions) {
    const group = document.createElement('div');
    group.className = 'segmented chart-window';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Chart time window');
    for (const minutes of TIME_WINDOWS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'tool';
      button.textContent = LABELS[minutes];
      button.title = TITLES[minutes];
      button.addEventListener('click', () => actions.choose(minutes));
      this.buttons.set(minutes, button);
      group.append(button);
    }

    this.select = document.createElement('select');
    this.select.className = 'chart-window-select';
    this.select.setAttribute('aria-label', 'Chart time window');
    const zoomed = document.createElement('option');
    zoomed.value = '';
    zoomed.textContent = 'range';
    zoomed.hidden = true;
    this.select.append(zoomed);
    for (const minutes of TIME_WINDOWS) {
      const option = document.createElement('option');
      option.value = String(minutes);
      option.textContent = LABELS[minutes];
      option.title = TITLES[minutes];
      this.select.append(option);
    }
    this.select.addEventListener('change', () => {
      const minutes = TIME_WINDOWS.find((m) => String(m) === this.select.value);
      if (minutes !== undefined) actions.choose(minutes);
    });

    this.selection = document.createElement('div');
    this.selection.className = 'chart-selection';
    this.selection.hidden = true;
    this.rangeText = document.createElement('span');
    this.rangeText.className = 'chart-selection-range';
    const live = document.createElement('button');
    live.type = 'button';
    live.className = 'tool chart-live';
    live.textContent = 'Back to live';
    live.title = 'Follow the latest samples again (Esc, or double-click a chart)';
    live.addEventListener('click', () => actions.backToLive());
    this.selection.append(this.rangeText, live);
    host.append(group, this.select, this.selection);
  }

  render(minutes: TimeWindowMinutes, selection: TimeRange | null): void {
    const key = `${minutes}:${selection?.min}:${selection?.max}`;
    if (key === this.renderedKey) return;
    this.renderedKey = key;
    for (const [value, button] of this.buttons) button.setAttribute('aria-pressed', String(value === minutes && selection === null));
    this.select.value = selection === null ? String(minutes) : '';
    this.selection.hidden = selection === null;
    if (selection !== null) this.rangeText.textContent = formatRange(selection.min, selection.max);
  }
}

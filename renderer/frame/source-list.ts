// The sidebar: every followed file with its colour, state, line count and rate, and what to do about a
// file that is waiting, deleted or unreadable (a removed one stays while lines of it are shown); in the
// desktop app, a button that shows the file in its folder. A click on a source (or Enter on it) shows only
// that source in the log; a second click shows every source again. With sources of more than one host
// (serve --redis), they are grouped under a heading per host (the server's own first), which says when the
// host is not reachable (every source of it `disconnected`).
// Redrawn from the SourceDirectory, at most once a frame.
import { pressesControl } from '../services/shortcuts';
import type { SourceInfo } from '../../protocol/events';
import { icon } from '../services/icons';
import type { SourceDirectory } from '../services/source-directory';

export interface SoloActions {
  /** The source shown alone in the log, if one is. */
  soloed(): string | null;
  /** Show only `sourceId`, or every source when it is already alone. */
  toggle(sourceId: string): void;
}

export class SourceList {
  /**
   * `reveal` shows a source's file in the system's file manager: the desktop app only (null in a browser,
   * which cannot).
   */
  constructor(
    private readonly list: HTMLElement,
    private readonly emptyHint: HTMLElement,
    private readonly sources: SourceDirectory,
    private readonly reveal: ((sourceId: string) => void) | null,
    private readonly solo: SoloActions,
  ) {}

  render(): void {
    const items = this.sources.list();
    // Rows are rebuilt every second (their rates): a focused button is focused again in its new row.
    const active = document.activeElement;
    const focused = active instanceof HTMLElement && this.list.contains(active) ? active.closest<HTMLElement>('[data-source]')?.dataset.source : undefined;
    const soloed = this.solo.soloed();
    const rows = items.map((info) => this.row(info, info.id === soloed));
    this.list.replaceChildren(...(this.sources.manyHosts ? this.grouped(items, rows) : rows));
    if (focused !== undefined) {
      const row = rows.find((r) => r.dataset.source === focused);
      (active instanceof HTMLButtonElement ? row?.querySelector('button') : row)?.focus();
    }
    this.emptyHint.hidden = !this.sources.known || items.length > 0;
    this.emptyHint.textContent = this.reveal !== null
      ? 'No sources yet: use Add folder… or drop a folder on the window.'
      : 'No sources yet: start the server with --dir /var/log or --file PATH.';
  }

  /** The rows under one heading per host, in the directory's order of hosts; rows keep their name order within. */
  private grouped(items: readonly SourceInfo[], rows: readonly HTMLLIElement[]): HTMLLIElement[] {
    const out: HTMLLIElement[] = [];
    for (const host of this.sources.hosts()) {
      const own = host === this.sources.ownHost;
      // The server's own sources carry its host; one without a host is counted as its own.
      const members = items.flatMap((info, index) => ((info.host ?? this.sources.ownHost) === host ? [index] : []));
      if (members.length === 0 && !own) continue;
      const followed = members.filter((index) => items[index]!.state !== 'removed');
      const away = followed.length > 0 && followed.every((index) => items[index]!.state === 'disconnected');
      out.push(hostHeading(host, own, away), ...members.map((index) => rows[index]!));
    }
    return out;
  }

  private row(info: SourceInfo, soloed: boolean): HTMLLIElement {
    const row = document.createElement('li');
    row.className = `source-item state-${info.state}`;
    row.dataset.source = info.id;
    row.title = info.error ? `${info.path}\n${info.error}` : info.path;
    // A row is a toggle: pressed while its source is the only one shown.
    row.tabIndex = 0;
    row.setAttribute('aria-pressed', String(soloed));
    row.style.cursor = 'pointer';
    row.addEventListener('click', (event) => {
      if (!(event.target instanceof Element && event.target.closest('button') !== null)) this.solo.toggle(info.id);
    });
    row.addEventListener('keydown', (event) => {
      // Enter and Space press it, as they press a button.
      if (event.target !== row || !pressesControl(event)) return;
      event.preventDefault();
      this.solo.toggle(info.id);
    });
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = `var(--source-${this.sources.colour(info.id)})`;
    const name = text('name', info.name);
    const state = text('state', info.state);
    const detail = text('detail', detailOf(info));
    // Tests and users read the line count; the rate says whether the file is busy right now.
    const lines = text('lines', `${info.lines.toLocaleString()} ${info.lines === 1 ? 'line' : 'lines'}`);
    detail.prepend(lines, info.state === 'live' && info.linesPerSec > 0 ? ` · ${formatRate(info.linesPerSec)}/s` : '', ' ');
    row.append(swatch, name, state);
    // The app knows where a followed file is, not a removed one (listed only for its lines still shown).
    if (this.reveal !== null && info.state !== 'removed') row.append(revealButton(info, this.reveal));
    row.append(detail);
    return row;
  }
}

function hostHeading(host: string, own: boolean, away: boolean): HTMLLIElement {
  const heading = document.createElement('li');
  heading.className = `source-host${away ? ' disconnected' : ''}`;
  heading.dataset.host = host;
  heading.setAttribute('role', 'presentation');
  const state = away ? 'disconnected: shown again when its agent is heard from' : own ? 'this server' : 'connected';
  heading.title = `${host}: ${state}`;
  heading.append(text('host-name', host), text('host-state', away ? 'disconnected' : own ? 'this server' : ''));
  return heading;
}

function revealButton(info: SourceInfo, reveal: (sourceId: string) => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'reveal';
  button.title = 'Show in folder';
  button.setAttribute('aria-label', `Show ${info.name} in its folder`);
  button.append(icon('folder'));
  button.addEventListener('click', () => reveal(info.id));
  return button;
}

function detailOf(info: SourceInfo): string {
  switch (info.state) {
    case 'waiting':
      return '· not there yet: shown as soon as it appears';
    case 'deleted':
      return '· deleted: shown again if it comes back';
    case 'error':
      return `· ${info.error ?? 'unreadable'}: check its permissions (retried every second)`;
    case 'removed':
      return '· removed: no longer followed; listed while lines of it are shown';
    case 'disconnected':
      return `· ${info.host ?? 'its host'} is not reachable: shown again when its agent is heard from`;
    case 'live':
      return info.errorsPerSec > 0 ? `· ${formatRate(info.errorsPerSec)} errors/s` : '';
  }
}

function formatRate(perSec: number): string {
  return perSec >= 10 ? Math.round(perSec).toLocaleString() : perSec.toFixed(1);
}

function text(className: string, value: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = value;
  return span;
}

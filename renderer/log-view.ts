// The live log: lines of all sources merged in arrival order, with markers for lost and cleared lines.
// Rows are plain DOM for now, bounded and trimmed from the top; log text only ever goes in via textContent.
import type { LogLevel, LogLine } from '../protocol/events';

export const LOG_VIEW_LIMITS = {
  /** Rows (lines and markers) kept in the DOM; the oldest go first. */
  maxRows: 5_000,
  /** Characters of one line shown; the server already caps lines in bytes, this caps layout work. */
  maxLineChars: 10_000,
  /** Within this distance of the bottom the view counts as "at the bottom" and keeps following. */
  followSlackPx: 24,
} as const;

export type MarkerKind = 'gap' | 'reset';

type Row =
  | { kind: 'line'; source: string; line: LogLine }
  | { kind: 'marker'; marker: MarkerKind; text: string };

const LEVELS: ReadonlySet<LogLevel> = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

export class LogView {
  /** Rows received but not yet drawn; never more than a screenful of history is worth keeping. */
  private pending: Row[] = [];
  private follow = true;

  constructor(
    private readonly container: HTMLElement,
    private readonly followButton: HTMLButtonElement,
  ) {
    container.addEventListener('scroll', () => this.onScroll(), { passive: true });
    followButton.addEventListener('click', () => {
      this.setFollow(true);
      this.scrollToEnd();
    });
  }

  appendLines(source: string, lines: readonly LogLine[]): void {
    for (const line of lines) this.pending.push({ kind: 'line', source, line });
    this.boundPending();
  }

  appendMarker(marker: MarkerKind, text: string): void {
    this.pending.push({ kind: 'marker', marker, text });
    this.boundPending();
  }

  /** Drops every row, drawn or not (the server restarted: its line numbers start over). */
  clear(): void {
    this.pending = [];
    this.container.replaceChildren();
  }

  /** Draws the pending rows in one batch; call once per frame. */
  render(): void {
    if (this.pending.length === 0) return;
    // Only the newest maxRows can survive the trim below: build no element for the others.
    const rows = this.pending.length > LOG_VIEW_LIMITS.maxRows ? this.pending.slice(-LOG_VIEW_LIMITS.maxRows) : this.pending;
    this.pending = [];
    const fragment = document.createDocumentFragment();
    for (const row of rows) fragment.append(row.kind === 'line' ? lineElement(row.source, row.line) : markerElement(row.marker, row.text));
    this.container.append(fragment);
    let excess = this.container.childElementCount - LOG_VIEW_LIMITS.maxRows;
    // Removing rows above the viewport does not move what the reader looks at: CSS scroll anchoring.
    while (excess-- > 0) this.container.firstElementChild!.remove();
    if (this.follow) this.scrollToEnd();
  }

  /** Keeps the undrawn queue bounded while frames are not running (hidden tab). */
  private boundPending(): void {
    if (this.pending.length > 2 * LOG_VIEW_LIMITS.maxRows) this.pending = this.pending.slice(-LOG_VIEW_LIMITS.maxRows);
  }

  private onScroll(): void {
    const { scrollHeight, scrollTop, clientHeight } = this.container;
    this.setFollow(scrollHeight - scrollTop - clientHeight <= LOG_VIEW_LIMITS.followSlackPx);
  }

  private setFollow(follow: boolean): void {
    if (follow === this.follow) return;
    this.follow = follow;
    this.followButton.hidden = follow;
  }

  private scrollToEnd(): void {
    this.container.scrollTop = this.container.scrollHeight;
  }
}

function lineElement(source: string, line: LogLine): HTMLElement {
  const row = document.createElement('div');
  row.className = line.level !== undefined && LEVELS.has(line.level) ? `row level-${line.level}` : 'row';
  const text =
    line.text.length > LOG_VIEW_LIMITS.maxLineChars
      ? `${line.text.slice(0, LOG_VIEW_LIMITS.maxLineChars)} … (${line.text.length - LOG_VIEW_LIMITS.maxLineChars} more characters)`
      : line.text;
  row.append(
    cell('time', formatTime(line.ts)),
    cell('source', source),
    cell('text', line.cut ? `${text} … (cut by the server)` : text),
  );
  return row;
}

function markerElement(marker: MarkerKind, text: string): HTMLElement {
  const row = document.createElement('div');
  row.className = `row marker marker-${marker}`;
  row.setAttribute('role', 'separator');
  row.textContent = text;
  return row;
}

function cell(className: string, text: string): HTMLElement {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = text;
  return span;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Local wall-clock time with milliseconds: log lines of one burst differ only there. */
function formatTime(ts: number): string {
  const d = new Date(ts);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

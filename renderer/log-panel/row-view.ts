// One row of a pane as DOM: an entry (time, level, source, its first line, and its JSON when expanded; under
// it the lines that continue it, all of them or a folded entry's preview) or a marker separator. A row is
// built when it comes into view; the pane reuses it while it stays there.
import { el } from '../services/dom-builder';
import type { ContLine, LineRow, MarkerRow } from '../worker-channel/worker-protocol';
import { formatJson, type FormattedJson, JsonSyntaxError } from './json-format';
import { buildJsonLead } from './json-lead-view';
import { appendLineText, appendMessage } from './line-text';
import { countOf } from './log-format';
import { formatLogTime, timeTooltip } from './log-time';
import { LOG_PANEL_LIMITS } from './panel-limits';

interface LineLook {
  sourceName: string;
  /** For the time's tooltip (`path:seq`); the name when the path is not known. */
  sourcePath?: string | undefined;
  /** 0 … SOURCE_COLOURS − 1: the `--source-N` colour. */
  sourceColour: number;
  jsonExpanded: boolean;
  /** JSON keys shown as columns before a JSON line's message. */
  jsonKeys: readonly string[];
}

export function buildLineRow(row: LineRow, look: LineLook): HTMLElement {
  const element = el('div', `row lvl-${row.level ?? 'none'} src-${look.sourceColour}`);
  element.dataset.index = String(row.index);
  // The column cuts a long name (`host: name` with --redis): the whole of it on hover.
  const source = el('span', 'source', look.sourceName);
  source.title = look.sourceName;
  element.append(timeCell(row, look), el('span', 'level', row.level ?? ''), source);
  const folding = hiddenLines(row) > 0 || row.unfolded === true;
  if (row.lines !== undefined) element.classList.add('entry');
  if (folding) element.append(foldToggle(row));
  if (row.json) element.append(jsonToggle(look.jsonExpanded));
  // A JSON line leads with its chosen keys and its message.
  const lead = row.json ? buildJsonLead(row.text, look.jsonKeys) : null;
  if (lead !== null) element.append(lead);
  const message = el('span', 'text');
  // The mark is generated content: it stays out of copied selections.
  if (row.cont) message.append(continuesMark());
  appendLine(message, row);
  element.append(message);
  if (row.json && look.jsonExpanded) element.append(prettyJson(row.text));
  if (row.lines !== undefined) element.append(moreLines(row, folding));
  return element;
}

/** The time, with its date when not today (`dated`: the pane's time column widens to it); the full time and file:line on hover. */
function timeCell(row: LineRow, look: LineLook): HTMLElement {
  const { text, form } = formatLogTime(row.ts, Date.now());
  const cell = el('span', form === 'clock' ? 'time' : `time dated dated-${form}`, text);
  cell.title = timeTooltip(row.ts, look.sourcePath ?? look.sourceName, row.seq);
  return cell;
}

/** Lines of the entry neither drawn nor sent: what a folded entry's "+N more lines" unfolds. */
function hiddenLines(row: LineRow): number {
  return row.lines === undefined || row.unfolded ? 0 : row.lines - 1 - (row.more?.length ?? 0);
}

/** A line's text with its notes: the characters not drawn, a cut by the server. */
function appendLine(parent: HTMLElement, line: Pick<LineRow, 'text' | 'styles' | 'marks' | 'links' | 'cut'>): void {
  appendMessage(parent, line, LOG_PANEL_LIMITS.maxDrawnChars);
  const undrawn = line.text.length - LOG_PANEL_LIMITS.maxDrawnChars;
  if (undrawn > 0) parent.append(el('span', 'note', ` … (${countOf(undrawn, 'more character')})`));
  if (line.cut) parent.append(el('span', 'note', ' … (cut by the server)'));
}

/** The ▸/▾ before the first line (CSS draws the glyph, so it stays out of copied text). */
function foldToggle(row: LineRow): HTMLButtonElement {
  const toggle = el('button', 'fold-toggle');
  toggle.type = 'button';
  const unfolded = row.unfolded === true;
  const words = unfolded ? 'Fold this entry to its first line' : `Show all ${countOf(row.lines ?? 1, 'line')} of this entry`;
  toggle.title = words;
  toggle.setAttribute('aria-label', words);
  toggle.setAttribute('aria-expanded', String(unfolded));
  return toggle;
}

function continuesMark(): HTMLElement {
  const mark = el('span', 'cont-mark');
  mark.title = 'This entry began before its first line here (those lines were dropped or never received)';
  return mark;
}

/**
 * Under the first line, indented to it: the lines drawn (a place skipped before one is marked), then a
 * folded entry's "+N more lines", or an unfolded one's count of lines not sent.
 */
function moreLines(row: LineRow, folding: boolean): HTMLElement {
  const block = el('div', 'more');
  let previous = 0;
  for (const line of row.more ?? []) {
    block.append(contLine(line, line.at !== previous + 1));
    previous = line.at;
  }
  const hidden = hiddenLines(row);
  if (folding && hidden > 0) {
    // The toggle is the keyboard's way to unfold: this larger target is for the pointer only.
    const more = el('button', 'fold-more', `+${countOf(hidden, 'more line')}`);
    more.type = 'button';
    more.tabIndex = -1;
    more.title = `Show all ${countOf(row.lines ?? 1, 'line')} of this entry`;
    block.append(more);
  } else if (row.unfolded) {
    const unsent = (row.lines ?? 1) - 1 - (row.more?.length ?? 0);
    if (unsent > 0) block.append(el('div', 'cont-line note', `… ${countOf(unsent, 'more line')} (Copy or Download has every line)`));
  }
  return block;
}

function contLine(line: ContLine, skipped: boolean): HTMLElement {
  const element = el('div', skipped ? 'cont-line skipped' : 'cont-line');
  // Not `.text`: that is the entry's first line, the cell a row is found by.
  const text = el('span', 'cont-text');
  appendLine(text, line);
  element.append(text);
  return element;
}

/** A lost-lines (`gap`) or restart (`reset`) marker: its text exactly as the worker worded it. */
export function buildMarkerRow(row: MarkerRow): HTMLElement {
  const element = el('div', `row marker marker-${row.marker}`, row.text);
  element.setAttribute('role', 'separator');
  element.dataset.index = String(row.index);
  return element;
}

/** The marker above the oldest row held when older ones were dropped to keep the page's bound (all sources together). */
export function buildDroppedMarker(dropped: number, kept: number): HTMLElement {
  const element = el('div', 'marker marker-dropped', `${countOf(dropped, 'older line')} dropped (the page keeps the last ${kept.toLocaleString()} of all sources)`);
  element.setAttribute('role', 'separator');
  return element;
}

/** The mark above the oldest row about older lines from disk: loading, the file's start, or why they did not come. */
export function buildHistoryMarker(kind: 'loading' | 'start' | 'note', text: string): HTMLElement {
  const element = el('div', `marker marker-history marker-${kind}`, text);
  element.setAttribute('role', kind === 'loading' ? 'status' : 'separator');
  return element;
}

function jsonToggle(expanded: boolean): HTMLButtonElement {
  // The `{}` glyph is CSS generated content: it stays out of the row's text and out of copied selections.
  const toggle = el('button', 'json-toggle');
  toggle.type = 'button';
  toggle.title = expanded ? 'Hide the formatted JSON' : 'Show the line as formatted JSON';
  toggle.setAttribute('aria-label', 'Formatted JSON');
  toggle.setAttribute('aria-expanded', String(expanded));
  return toggle;
}

/** The line re-indented, its literals as written (times noted, stack traces as lines); its strings' bidi and zero-width characters as marks, as in the line. */
function prettyJson(text: string): HTMLPreElement {
  const pre = el('pre', 'json');
  let pretty: FormattedJson;
  try {
    pretty = formatJson(text, LOG_PANEL_LIMITS.maxJsonChars, { readable: true });
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    pre.textContent = `(this line is not valid JSON: ${error.message})`;
    return pre;
  }
  appendLineText(pre, pretty.text);
  if (pretty.omitted > 0) pre.append(`\n… (${countOf(pretty.omitted, 'more character')})`);
  return pre;
}

// One row of a pane as DOM: a log line (time, level, source, message, and its JSON when expanded) or a
// marker separator. A row is built when it comes into view; the pane reuses it while it stays there.
import { el } from '../services/dom-builder';
import type { LineRow, MarkerRow } from '../worker-channel/worker-protocol';
import { formatJson, type FormattedJson, JsonSyntaxError } from './json-format';
import { appendLineText, appendMessage } from './line-text';
import { countOf, formatClock } from './log-format';
import { LOG_PANEL_LIMITS } from './panel-limits';

interface LineLook {
  sourceName: string;
  /** 0 … 9: the `--source-N` colour. */
  sourceColour: number;
  jsonExpanded: boolean;
}

export function buildLineRow(row: LineRow, look: LineLook): HTMLElement {
  const element = el('div', `row lvl-${row.level ?? 'none'} src-${look.sourceColour}`);
  element.dataset.index = String(row.index);
  element.append(el('span', 'time', formatClock(row.ts)), el('span', 'level', row.level ?? ''), el('span', 'source', look.sourceName));
  if (row.json) element.append(jsonToggle(look.jsonExpanded));
  const message = el('span', 'text');
  appendMessage(message, row, LOG_PANEL_LIMITS.maxDrawnChars);
  const undrawn = row.text.length - LOG_PANEL_LIMITS.maxDrawnChars;
  if (undrawn > 0) message.append(el('span', 'note', ` … (${countOf(undrawn, 'more character')})`));
  if (row.cut) message.append(el('span', 'note', ' … (cut by the server)'));
  element.append(message);
  if (row.json && look.jsonExpanded) element.append(prettyJson(row.text));
  return element;
}

/** A lost-lines (`gap`) or restart (`reset`) marker: its text exactly as the worker worded it. */
export function buildMarkerRow(row: MarkerRow): HTMLElement {
  const element = el('div', `row marker marker-${row.marker}`, row.text);
  element.setAttribute('role', 'separator');
  element.dataset.index = String(row.index);
  return element;
}

/** The marker above the oldest row held when older ones were dropped to keep the view's bound. */
export function buildDroppedMarker(dropped: number, kept: number): HTMLElement {
  const element = el('div', 'marker marker-dropped', `${countOf(dropped, 'older line')} dropped (this view keeps the last ${kept.toLocaleString()})`);
  element.setAttribute('role', 'separator');
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

/** The line re-indented, its literals as written; its strings' bidi and zero-width characters as marks, as in the line. */
function prettyJson(text: string): HTMLPreElement {
  const pre = el('pre', 'json');
  let pretty: FormattedJson;
  try {
    pretty = formatJson(text, LOG_PANEL_LIMITS.maxJsonChars);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    pre.textContent = `(this line is not valid JSON: ${error.message})`;
    return pre;
  }
  appendLineText(pre, pretty.text);
  if (pretty.omitted > 0) pre.append(`\n… (${countOf(pretty.omitted, 'more character')})`);
  return pre;
}

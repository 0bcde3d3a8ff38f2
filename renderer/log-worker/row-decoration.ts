// A held row as the page draws it: text, SGR style runs, query and highlight marks, links and the JSON
// hint. Computed only for the rows in a view's window, never on ingest.
import { styleRuns } from './ansi';
import { Marker, type HeldRow } from './held-rows';
import type { LineFilter } from './line-filter';
import { findLinks } from './links';
import type { LineRow, Row } from '../worker-channel/worker-protocol';

export const DECORATION_LIMITS = {
  /** Longer lines are not offered for pretty-printing: parsing them for every drawn frame costs too much. */
  maxJsonChars: 64 * 1024,
} as const;

export function decorateRow(row: HeldRow, index: number, filter: LineFilter): Row {
  if (row instanceof Marker) return { kind: 'marker', index, marker: row.kind, ts: row.ts, text: row.text };
  const decorated: LineRow = { kind: 'line', index, source: row.source, seq: row.seq, ts: row.ts, text: row.text };
  if (row.level !== undefined) decorated.level = row.level;
  if (row.cut) decorated.cut = true;
  if (row.raw !== null) {
    const styles = styleRuns(row.raw);
    if (styles.length > 0) decorated.styles = styles;
  }
  const marks = filter.marks(row.text);
  if (marks !== undefined) decorated.marks = marks;
  const links = findLinks(row.text);
  if (links !== undefined) decorated.links = links;
  if (isJson(row.text)) decorated.json = true;
  return decorated;
}

/**
 * A JSON object or array, blanks around it allowed. The bracket check spares JSON.parse most lines. JSON.parse
 * takes what the page's formatJson (log-panel/json-format) takes, one grammar (RFC 8259), at any depth: V8's
 * parser keeps its nesting off the call stack.
 */
function isJson(text: string): boolean {
  if (text.length > DECORATION_LIMITS.maxJsonChars) return false;
  let first = 0;
  while (first < text.length && isBlank(text.charCodeAt(first))) first++;
  let last = text.length - 1;
  while (last > first && isBlank(text.charCodeAt(last))) last--;
  const open = text[first];
  const close = text[last];
  if (!((open === '{' && close === '}') || (open === '[' && close === ']'))) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** JSON's own whitespace (RFC 8259 §2): what JSON.parse skips around a value. */
function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

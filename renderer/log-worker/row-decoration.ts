// A held row as the page draws it: text, SGR style runs, query and highlight marks, links and the JSON
// hint; for an entry of several lines, the lines drawn under its first (all, or a folded entry's preview).
// Computed only for the rows in a view's window, never on ingest.
import { styleRuns } from '../services/ansi';
import { Marker, type HeldLine } from './held-rows';
import type { LineFilter } from './line-filter';
import { findLinks } from './links';
import type { ContLine, LineRow, Row } from '../worker-channel/worker-protocol';

export const DECORATION_LIMITS = {
  /** Longer lines are not offered for pretty-printing: parsing them for every drawn frame costs too much. */
  maxJsonChars: 64 * 1024,
  /** Lines of an unfolded entry sent after its first; the page says how many more there are (copy and download have them all). */
  maxUnfoldedLines: 2_000,
  /** Lines a folded entry shows under its first: its summary line and lines the query or a rule finds something in. */
  maxPreviewLines: 3,
} as const;

/** How an event is drawn: from its line `first` (past the cut at the buffer's start), folded or not. */
export interface EventLook {
  first: number;
  unfolded: boolean;
}

export function decorateRow(row: HeldLine | Marker, index: number, filter: LineFilter, look: EventLook | null = null): Row {
  if (row instanceof Marker) return { kind: 'marker', index, marker: row.kind, ts: row.ts, text: row.text };
  const first = look?.first ?? 0;
  const line = row.lineAt(first);
  const decorated: LineRow = { kind: 'line', index, source: row.source, seq: line.seq, ts: row.ts, text: line.text };
  if (row.level !== undefined) decorated.level = row.level;
  decorateText(decorated, line, filter);
  if (isJson(line.text)) decorated.json = true;
  if (line.cont) decorated.cont = true;
  const held = row.lineCount - first;
  if (held === 1) return decorated;
  decorated.lines = held;
  let more: ContLine[];
  if (look?.unfolded) {
    decorated.unfolded = true;
    const last = Math.min(held - 1, DECORATION_LIMITS.maxUnfoldedLines);
    more = [];
    for (let at = 1; at <= last; at++) more.push(decorateCont(row.lineAt(first + at), at, filter));
  } else {
    more = preview(row, first, filter).map((at) => decorateCont(row.lineAt(first + at), at, filter));
  }
  if (more.length > 0) decorated.more = more;
  return decorated;
}

function decorateCont(line: HeldLine, at: number, filter: LineFilter): ContLine {
  const decorated: ContLine = { at, seq: line.seq, text: line.text };
  decorateText(decorated, line, filter);
  return decorated;
}

/** What a line's text gets drawn with, on an entry's first line and on each continuation line alike. */
function decorateText(decorated: LineRow | ContLine, line: HeldLine, filter: LineFilter): void {
  if (line.cut) decorated.cut = true;
  if (line.raw !== null) {
    const styles = styleRuns(line.raw);
    if (styles.length > 0) decorated.styles = styles;
  }
  const marks = filter.marks(line.text);
  if (marks !== undefined) decorated.marks = marks;
  const links = findLinks(line.text);
  if (links !== undefined) decorated.links = links;
}

/**
 * What a folded event shows under its first line (places after `first`, in order): its summary line, and the
 * first lines in which the query or a highlight rule finds something, so a filter that matched a frame shows
 * that frame. At most DECORATION_LIMITS.maxPreviewLines.
 */
function preview(event: HeldLine, first: number, filter: LineFilter): number[] {
  const held = event.lineCount - first;
  const summary = summaryLine(event, first);
  const room = DECORATION_LIMITS.maxPreviewLines - (summary === null ? 0 : 1);
  const picked: number[] = [];
  if (filter.foundIn(event)) {
    for (let at = 1; at < held && picked.length < room; at++) {
      if (at !== summary && filter.finds(event.lineAt(first + at).text)) picked.push(at);
    }
  }
  if (summary !== null) picked.push(summary);
  return picked.sort((a, b) => a - b);
}

/**
 * The place (after `first`) of the event's last line that starts with neither a blank nor a tab: in the common
 * traces, the line that says what went wrong (Java's root `Caused by:`, or its exception when there is no
 * cause; Python's exception after the frames). Frames are indented, so a trace without such a line (Node's,
 * .NET's) has none.
 */
function summaryLine(event: HeldLine, first: number): number | null {
  for (let at = event.lineCount - 1; at > first; at--) {
    const lead = event.lineAt(at).text[0];
    if (lead !== undefined && lead !== ' ' && lead !== '\t') return at - first;
  }
  return null;
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

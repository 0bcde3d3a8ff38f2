// What a JSON line's row shows before its text: the values of the keys the user chose as columns (Columns
// menu), then its message (`msg`, `message` or `@message`), so a pino or bunyan line reads as a message
// rather than as a brace. Pure: the row view draws it (json-lead-view.ts).
import { timeOf } from './json-format';

/** Longer lines are not parsed for their lead (a row is built as it scrolls into view: keep that cheap). */
export const MAX_LEAD_PARSE_CHARS = 16_384;
/** A value or message longer than this is cut: the line's text and its expanded JSON have all of it. */
export const MAX_LEAD_VALUE_CHARS = 200;
/** Keys a user may choose as columns. */
export const MAX_JSON_KEYS = 8;

const MESSAGE_KEYS = ['msg', 'message', '@message'] as const;
const TIME_KEYS: ReadonlySet<string> = new Set(['time', 'ts', '@timestamp', 'timestamp']);

export interface JsonLead {
  /** One per chosen key, in the user's order; `value` null when the line has no such key. */
  columns: { key: string; value: string | null }[];
  message: string | null;
}

/**
 * The lead of a JSON object line; null when the line is not one (or is too long to parse here), or when it
 * has neither a message nor any chosen key. `formatTime` writes a time-key column's time.
 */
export function jsonLead(text: string, keys: readonly string[], formatTime: (ms: number) => string): JsonLead | null {
  if (text.length > MAX_LEAD_PARSE_CHARS || !text.trimStart().startsWith('{')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const messageKey = MESSAGE_KEYS.find((key) => key in record && record[key] !== null && record[key] !== '');
  const message = messageKey === undefined ? null : show(record[messageKey]);
  const columns = keys.map((key) => {
    const found = lookUp(record, key);
    if (found === undefined) return { key, value: null };
    const last = key.slice(key.lastIndexOf('.') + 1);
    const ms = TIME_KEYS.has(last) && (typeof found === 'number' || typeof found === 'string') ? timeOf(JSON.stringify(found)) : null;
    return { key, value: ms !== null ? formatTime(ms) : show(found) };
  });
  if (message === null && columns.every((c) => c.value === null)) return null;
  return { columns, message };
}

/** `a.b.c` into nested objects; a key that itself holds dots (`req.id` as one key) is found first. */
function lookUp(record: Record<string, unknown>, path: string): unknown {
  if (path in record) return record[path];
  let at: unknown = record;
  for (const part of path.split('.')) {
    if (typeof at !== 'object' || at === null || !(part in at)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  // One line: a message's own line breaks (a stack trace in `msg`) show in the expanded JSON.
  const line = text.replace(/\r?\n/g, ' ⏎ ');
  return line.length <= MAX_LEAD_VALUE_CHARS ? line : `${line.slice(0, MAX_LEAD_VALUE_CHARS - 1)}…`;
}

/** The keys a user typed ("req.method, status"): trimmed, no empties or repeats, at most MAX_JSON_KEYS. */
export function parseJsonKeys(typed: string): string[] {
  const keys = typed
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '' && key.length <= 64);
  return [...new Set(keys)].slice(0, MAX_JSON_KEYS);
}

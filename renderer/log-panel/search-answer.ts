// The answer of GET /api/search read as it streams: NDJSON cut into lines as the bytes come (a line may be
// split across reads), each line checked into a match or the closing `done`; and how the panel words it.
import type { SearchDoneLine, SearchLine, SearchMatchLine } from '../../protocol/search';
import { countOf } from './log-format';

/**
 * The longest NDJSON line taken: a match carries one log line (the server cuts those at --max-line-bytes,
 * 64 KiB by default), JSON-escaped at most 6 characters per character. Past this the answer is refused
 * instead of growing a string without end.
 */
export const MAX_ANSWER_LINE_CHARS = 6 * (1 << 20);

export class AnswerLineTooLong extends Error {
  readonly code = 'answer-line-too-long';
  constructor(chars: number) {
    super(`a line of the answer was longer than ${MAX_ANSWER_LINE_CHARS.toLocaleString()} characters (${chars.toLocaleString()} so far)`);
  }
}

/** Cuts decoded text into lines at `\n`, keeping an unfinished last line for the next push. */
export class NdjsonSplitter {
  private rest = '';

  /** The whole lines that `text` completes, without their `\n` (blank lines left out). */
  push(text: string): string[] {
    const joined = this.rest + text;
    const last = joined.lastIndexOf('\n');
    if (last < 0) {
      if (joined.length > MAX_ANSWER_LINE_CHARS) throw new AnswerLineTooLong(joined.length);
      this.rest = joined;
      return [];
    }
    this.rest = joined.slice(last + 1);
    if (this.rest.length > MAX_ANSWER_LINE_CHARS) throw new AnswerLineTooLong(this.rest.length);
    return joined
      .slice(0, last)
      .split('\n')
      .filter((line) => line.trim() !== '');
  }

  /** The answer ended: its last line, when it had no `\n`. */
  end(): string[] {
    const rest = this.rest;
    this.rest = '';
    return rest.trim() === '' ? [] : [rest];
  }
}

const REASONS: readonly NonNullable<SearchDoneLine['reason']>[] = ['matches', 'bytes', 'deadline', 'aborted', 'slow-regex'];

/** One NDJSON line as a match or `done`; null for anything else (not JSON, another shape, a type unknown here). */
export function parseSearchLine(line: string): SearchLine | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const o = value as Record<string, unknown>;
  if (o.type === 'match') {
    if (typeof o.source !== 'string' || !Number.isSafeInteger(o.seq) || typeof o.ts !== 'number' || typeof o.text !== 'string') return null;
    return { type: 'match', source: o.source, seq: o.seq as number, ts: o.ts, text: o.text } satisfies SearchMatchLine;
  }
  if (o.type === 'done') {
    if (!Number.isSafeInteger(o.matches) || typeof o.scannedBytes !== 'number' || typeof o.truncated !== 'boolean') return null;
    const done: SearchDoneLine = { type: 'done', matches: o.matches as number, scannedBytes: o.scannedBytes, truncated: o.truncated };
    if (REASONS.includes(o.reason as SearchDoneLine['reason'] & string)) done.reason = o.reason as SearchDoneLine['reason'];
    return done;
  }
  return null;
}

/** "3.1 GB": decimal units, as file managers and `ls -lh --si` show a file's size. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value).toString()} ${units[unit]}`;
}

/**
 * The offer beside the filter's count: "2 matches in the 100,000 lines held — search the files on disk
 * (3.1 GB)?". The size is of the files followed; their rotations on disk are searched too and add to it.
 */
export function searchOfferText(matches: number, heldLines: number, diskBytes: number): string {
  const found = matches === 0 ? '0 matches' : countOf(matches, 'match', 'matches');
  return `${found} in the ${countOf(heldLines, 'line')} held — search the files on disk (${formatSize(diskBytes)} and their rotations)?`;
}

/** What a finished search says under its results. */
export function searchDoneText(done: SearchDoneLine): string {
  const found = done.matches === 0 ? 'No match' : countOf(done.matches, 'match', 'matches');
  const scanned = `${found} in ${formatSize(done.scannedBytes)} searched`;
  if (!done.truncated) return `${scanned}: every line on disk`;
  switch (done.reason) {
    case 'matches':
      return `${scanned}: these are the newest ${countOf(done.matches, 'match', 'matches')}; narrow the search (more words, a regex, fewer sources) to reach older ones`;
    case 'bytes':
      return `${scanned}: stopped at the server's limit of bytes per search, older lines were not searched`;
    case 'deadline':
      return `${scanned}: stopped at the server's time limit, older lines were not searched`;
    case 'slow-regex':
      return `${scanned}: stopped, the regular expression took too long on a line`;
    case 'aborted':
      return `${scanned}: cancelled`;
    default:
      return `${scanned}: stopped before the oldest line`;
  }
}

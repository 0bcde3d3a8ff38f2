// Searches a log's files on disk for the lines a query matches, newest first (GET /api/search): the file from
// where the live tail stands back to its start, then its rotations, newest first, `.gz` ones included. One search
// is bounded by matches, bytes, time and its client going away, and says which bound stopped it.
import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import { LineMatcher, runWithin } from './matching-lines';
import type { RegionSearch } from './matching-lines';
import { openLogFile } from './open-log-file';
import { isCompressed, isGzip } from './path-filter';
import { rotationsOf } from './rotated-siblings';
import type { SearchQuery } from './search-query';

/** Bytes read at a time: large enough that a read costs little beside the scan, small enough to stop promptly. */
export const SEARCH_CHUNK_BYTES = 1024 * 1024;
/** Defaults of the bounds of one search (SearchBounds). */
export const SEARCH_MAX_MATCHES = 1000;
export const SEARCH_MAX_SCAN_BYTES = 4 * 1024 * 1024 * 1024;
export const SEARCH_TIMEOUT_MS = 10_000;
/**
 * A regex scan gives the event loop back at least this often (the live tail and other clients go on), and a
 * regex that takes longer than this on one line (at most maxLineBytes of text) stops the search: 'slow-regex'.
 */
export const REGEX_SLICE_MS = 100;
/** Rotations of one log searched at most, newest first: a directory of thousands of `app.log.N` is not read whole. */
export const SEARCH_ROTATIONS_LOOKED_AT = 100;

const NEWLINE = 0x0a;

export interface SearchBounds {
  /** Matching lines given out at most (default SEARCH_MAX_MATCHES). */
  maxMatches?: number;
  /** Bytes looked at, over all files, at most; uncompressed bytes for a `.gz` (default SEARCH_MAX_SCAN_BYTES). */
  maxScanBytes?: number;
  /** The whole search stops after this long (default SEARCH_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Aborted when the client went away. */
  signal?: AbortSignal;
}

export interface SearchOptions extends SearchBounds {
  /** The tailer's line cap: a longer line is cut, and only its first maxLineBytes bytes are matched. */
  maxLineBytes: number;
  chunkBytes?: number;
}

/** What stopped a search before it looked at every line: the bound reached, or the client gone. */
export type SearchStop = 'matches' | 'bytes' | 'deadline' | 'aborted' | 'slow-regex';

export interface SearchSummary {
  matches: number;
  /** Bytes of the files looked at: of a `.gz`, its uncompressed bytes. */
  scannedBytes: number;
  /** Bytes of `.gz` files read (compressed), besides. */
  compressedBytes: number;
  /** Lines looked at (the matching ones included). */
  lines: number;
  truncated: boolean;
  reason?: SearchStop;
  /** Files not searched: gone, unreadable, a compression other than gzip, or a corrupt `.gz`. */
  skipped: { path: string; error: string }[];
}

/** A matching line of one file. */
export interface LineMatch {
  text: string;
  /** Where the line starts in the file (in the uncompressed bytes of a `.gz`). */
  offset: number;
  /** Lines after it in the file, up to where the search began: 0 for the last whole line. */
  fromEnd: number;
  /** Longer than maxLineBytes: `text` (and what was matched) is its first maxLineBytes bytes. */
  cut: boolean;
}

/** What one search may still spend, shared by the files it looks at, and what it spent: its summary. */
export class SearchBudget {
  matches = 0;
  scannedBytes = 0;
  compressedBytes = 0;
  lines = 0;
  stopped: SearchStop | null = null;
  readonly skipped: { path: string; error: string }[] = [];
  private readonly maxMatches: number;
  private readonly maxScanBytes: number;
  private readonly deadline: number;
  private readonly signal: AbortSignal | undefined;

  constructor({ maxMatches = SEARCH_MAX_MATCHES, maxScanBytes = SEARCH_MAX_SCAN_BYTES, timeoutMs = SEARCH_TIMEOUT_MS, signal }: SearchBounds = {}) {
    for (const [name, value] of [['maxMatches', maxMatches], ['maxScanBytes', maxScanBytes], ['timeoutMs', timeoutMs]] as const) {
      if (!(value >= 0) || (value !== Infinity && !Number.isSafeInteger(value))) {
        throw new RangeError(`search: ${name}: expected a whole number >= 0, got ${value}`);
      }
    }
    this.maxMatches = maxMatches;
    this.maxScanBytes = maxScanBytes;
    this.deadline = performance.now() + timeoutMs;
    this.signal = signal;
  }

  get matchesLeft(): number {
    return this.maxMatches - this.matches;
  }

  get bytesLeft(): number {
    return this.maxScanBytes - this.scannedBytes;
  }

  get msLeft(): number {
    return this.deadline - performance.now();
  }

  /** Notes what stopped the search (the first reason stays). */
  stop(reason: SearchStop): void {
    this.stopped ??= reason;
  }

  /** False, with the reason noted, once the search must stop: stopped already, client gone, or out of time. */
  goOn(): boolean {
    if (this.stopped) return false;
    if (this.signal?.aborted) this.stop('aborted');
    else if (this.msLeft <= 0) this.stop('deadline');
    return this.stopped === null;
  }

  summary(): SearchSummary {
    const { matches, scannedBytes, compressedBytes, lines, skipped } = this;
    const summary: SearchSummary = { matches, scannedBytes, compressedBytes, lines, truncated: this.stopped !== null, skipped };
    if (this.stopped) summary.reason = this.stopped;
    return summary;
  }
}

export interface FileSearchOptions {
  maxLineBytes: number;
  chunkBytes?: number;
  /**
   * Search only the bytes before this offset (where the live tail stands). Bytes after the last '\n' before it
   * are the live tail's partial line: not searched. Without `end` the file is searched to its size and an
   * unterminated last line is a line (a rotated file is finished: the tailer gave that line out when it went quiet).
   */
  end?: number;
}

/** Matching lines of one file, newest first: read backwards from `end` in chunks, lines found around hits. */
export async function* searchFileBackwards(file: FileHandle, query: SearchQuery, budget: SearchBudget, options: FileSearchOptions): AsyncGenerator<LineMatch> {
  const matcher = new LineMatcher(query, options.maxLineBytes);
  for await (const { search, start, linesAfter } of regionsBackwards(file, matcher, budget, options, true)) {
    for (const hit of search.hits) {
      budget.matches++;
      yield { text: hit.text, offset: start + hit.start, fromEnd: linesAfter + hit.fromEnd, cut: hit.cut };
    }
  }
}

/** How many lines of a (not compressed) file match, as `grep -c` counts: the same scan, without the lines' text. */
export async function countMatches(file: FileHandle, query: SearchQuery, options: SearchBounds & FileSearchOptions): Promise<SearchSummary> {
  const budget = new SearchBudget({ ...options, maxMatches: Infinity });
  const matcher = new LineMatcher(query, options.maxLineBytes);
  for await (const { search } of regionsBackwards(file, matcher, budget, options, false)) budget.matches += search.found;
  return budget.summary();
}

/**
 * The regions of whole lines of a file, newest first, each searched (its hits kept when `withText`), with the
 * lines of the file after it. A region is the whole lines of one chunk; a line longer than a chunk is a region
 * of its own, of its first maxLineBytes (+1, to know it is cut) bytes.
 */
async function* regionsBackwards(
  file: FileHandle,
  matcher: LineMatcher,
  budget: SearchBudget,
  { chunkBytes = SEARCH_CHUNK_BYTES, end }: FileSearchOptions,
  withText: boolean,
): AsyncGenerator<{ search: RegionSearch; start: number; linesAfter: number }> {
  checkChunkBytes(chunkBytes);
  const size = (await file.stat()).size;
  // Two buffers: the next (older) chunk is read while this one is searched.
  let buffer = Buffer.allocUnsafeSlow(chunkBytes);
  let spare = Buffer.allocUnsafeSlow(chunkBytes);
  let pos = Math.min(end ?? size, size);
  if (end !== undefined && pos > 0) {
    const before = await lineStartBefore(file, pos, buffer, budget);
    if (before === null) return;
    budget.scannedBytes += pos - before;
    pos = before;
  }
  let ahead: { pos: number; length: number; chunk: Promise<boolean> } | null = null;
  const readAhead = (at: number, length: number) => {
    const chunk = file.read(spare, 0, length, at - length).then(({ bytesRead }) => bytesRead === length);
    chunk.catch(() => undefined); // one not waited for (the search stopped) must not be an unhandled rejection
    return { pos: at, length, chunk };
  };
  let linesAfter = 0;
  while (pos > 0) {
    if (!budget.goOn()) return;
    if (withText && budget.matchesLeft <= 0) return budget.stop('matches');
    const length = Math.min(chunkBytes, pos, budget.bytesLeft);
    if (length <= 0) return budget.stop('bytes');
    const start = pos - length;
    let whole: boolean;
    if (ahead && ahead.pos === pos && ahead.length === length) {
      whole = await ahead.chunk;
      [buffer, spare] = [spare, buffer];
    } else whole = (await file.read(buffer, 0, length, start)).bytesRead === length;
    ahead = null;
    if (!whole) return; // truncated while we read: its older bytes are gone (to a rotation)
    // The first line of the chunk may have begun before it: it is read again with the next chunk.
    const newline = start > 0 ? buffer.indexOf(NEWLINE) : -1;
    let region = { bytes: buffer, from: newline + 1, to: length, start };
    if (start > 0 && (newline === -1 || newline === length - 1)) {
      // No line starts in the chunk: one line longer than it ends at `pos`. Only its first maxLineBytes bytes
      // are matched (it is cut), so find its start, then read just those.
      if (length < chunkBytes) return budget.stop('bytes');
      const lineStart = await lineStartBefore(file, start, buffer, budget, length);
      if (lineStart === null) return;
      const head = Buffer.allocUnsafeSlow(Math.min(pos - lineStart, matcher.maxLineBytes + 1));
      if ((await file.read(head, 0, head.length, lineStart)).bytesRead < head.length) return;
      region = { bytes: head, from: 0, to: head.length, start: lineStart };
      budget.scannedBytes += pos - lineStart - head.length; // the head itself is counted with the region
    } else if (region.from > 0) {
      ahead = readAhead(start + region.from, Math.min(chunkBytes, start + region.from, budget.bytesLeft - (length - region.from)));
    }
    const left = budget.matchesLeft;
    const search = matcher.region(region.bytes, region.from, region.to, {
      fileStart: region.start + region.from === 0,
      keep: withText ? left : 0,
      stopAfter: withText ? left : Infinity,
      withText,
    });
    const done = await runRegion(matcher, search, budget);
    budget.lines += done ? search.lines : search.looked;
    budget.scannedBytes += region.to - region.from;
    // A search stopped by time still gives its hits: the newest of the region, so still newest first.
    yield { search, start: region.start, linesAfter };
    if (!done) return;
    if (withText && (search.found > search.hits.length || !search.complete)) return budget.stop('matches');
    linesAfter += search.lines;
    pos = region.start + region.from;
  }
}

function checkChunkBytes(chunkBytes: number): void {
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) throw new RangeError(`search: chunkBytes: expected a positive whole number, got ${chunkBytes}`);
}

/**
 * Where the line that holds the byte before `pos` starts: `pos` itself after a '\n', else just after the '\n'
 * before it, or 0. Reads backwards through `buffer`; null (the budget stopped) when that takes more than the
 * bytes left (`spent` of them are spent already), or the time is up.
 */
async function lineStartBefore(file: FileHandle, pos: number, buffer: Buffer, budget: SearchBudget, spent = 0): Promise<number | null> {
  for (let end = pos; end > 0; ) {
    if (!budget.goOn()) return null;
    const length = Math.min(buffer.length, end, budget.bytesLeft - spent - (pos - end));
    if (length <= 0) {
      budget.stop('bytes');
      return null;
    }
    const start = end - length;
    if ((await file.read(buffer, 0, length, start)).bytesRead < length) return null;
    if (end === pos && buffer[length - 1] === NEWLINE) return pos;
    const newline = buffer.subarray(0, length).lastIndexOf(NEWLINE);
    if (newline !== -1) return start + newline + 1;
    end = start;
  }
  return 0;
}

/** Runs a region search; a regex one in slices under a hard time limit. False when the budget stopped it. */
async function runRegion(matcher: LineMatcher, search: RegionSearch, budget: SearchBudget): Promise<boolean> {
  if (!matcher.timeBound) return search.run();
  for (;;) {
    const slice = Math.min(REGEX_SLICE_MS, budget.msLeft);
    const looked = search.looked;
    if (slice <= 0) {
      budget.stop('deadline');
      return false;
    }
    if (runWithin(slice, () => search.run())) return true;
    if (slice < REGEX_SLICE_MS) {
      budget.stop('deadline');
      return false;
    }
    if (search.looked === looked) {
      budget.stop('slow-regex');
      return false;
    }
    await nextTurn();
    if (!budget.goOn()) return false;
  }
}

/**
 * Matching lines of a gzip file, newest first. A `.gz` cannot be read backwards: it is read forward to its end,
 * the newest matches kept in a ring (at most the matches left, each at most maxLineBytes), then given out. When
 * a bound stops it before its end, none are given out: its newest lines were not reached. `offset` is in the
 * uncompressed bytes; the bytes counted (scannedBytes, maxScanBytes) are uncompressed ones.
 */
export async function* searchGzipFile(file: FileHandle, query: SearchQuery, budget: SearchBudget, options: Omit<FileSearchOptions, 'end'>): AsyncGenerator<LineMatch> {
  const matcher = new LineMatcher(query, options.maxLineBytes);
  const chunkBytes = options.chunkBytes ?? SEARCH_CHUNK_BYTES;
  checkChunkBytes(chunkBytes);
  const capacity = budget.matchesLeft;
  const bytesLeft = budget.bytesLeft;
  if (capacity <= 0) return budget.stop('matches');
  // The gzip trailer holds the uncompressed size mod 2^32, never more than the true size: enough to skip a file
  // the bytes left could never cover.
  const { size } = await file.stat();
  if (size >= 18) {
    const trailer = Buffer.alloc(4);
    await file.read(trailer, 0, 4, size - 4);
    if (trailer.readUInt32LE(0) > bytesLeft) return budget.stop('bytes');
  }
  const ring = new MatchRing(capacity);
  const work = Buffer.allocUnsafeSlow(Math.max(chunkBytes, matcher.maxLineBytes + 1));
  let fill = 0;
  /** Uncompressed offset of work[0]. */
  let base = 0;
  let lines = 0;
  /** Dropping the rest of a line already cut. */
  let discarding = false;
  const scan = async (to: number): Promise<boolean> => {
    const search = matcher.region(work, 0, to, { fileStart: base === 0, keep: capacity, stopAfter: capacity, withText: true });
    if (!(await runRegion(matcher, search, budget))) return false;
    for (let i = search.hits.length - 1; i >= 0; i--) {
      const hit = search.hits[i]!;
      ring.push({ text: hit.text, offset: base + hit.start, fromEnd: lines + search.lines - 1 - hit.fromEnd, cut: hit.cut });
    }
    // Older matches of this region left out, or lines not looked at: more may match than are given out.
    if (search.found > search.hits.length || !search.complete) ring.dropped = true;
    lines += search.lines;
    return true;
  };

  const source = file.createReadStream({ start: 0, autoClose: false, highWaterMark: 256 * 1024 });
  const gunzip = pipeline(source, createGunzip({ chunkSize: 256 * 1024 }), () => undefined);
  let uncompressed = 0;
  try {
    for await (const out of gunzip as AsyncIterable<Buffer>) {
      if (!budget.goOn()) return;
      if (uncompressed + out.length > bytesLeft) return budget.stop('bytes');
      uncompressed += out.length;
      for (let at = 0; at < out.length; ) {
        if (discarding) {
          const newline = out.indexOf(NEWLINE, at);
          const next = newline === -1 ? out.length : newline + 1;
          base += next - at;
          at = next;
          discarding = newline === -1;
          continue;
        }
        const n = Math.min(work.length - fill, out.length - at);
        out.copy(work, fill, at, at + n);
        fill += n;
        at += n;
        if (fill < work.length) continue;
        const lastNewline = work.lastIndexOf(NEWLINE);
        // A full buffer without a '\n' is one line longer than the cap: matched cut, its rest dropped.
        const to = lastNewline === -1 ? fill : lastNewline + 1;
        if (!(await scan(to))) return;
        discarding = lastNewline === -1;
        work.copyWithin(0, to, fill);
        base += to;
        fill -= to;
      }
    }
    if (fill > 0 && !(await scan(fill))) return;
  } finally {
    gunzip.destroy();
    budget.compressedBytes += source.bytesRead;
    budget.scannedBytes += uncompressed;
    budget.lines += lines;
  }
  for (const match of ring.newestFirst()) {
    budget.matches++;
    yield { ...match, fromEnd: lines - 1 - match.fromEnd };
  }
  if (ring.dropped) budget.stop('matches');
}

/** The last `capacity` matches pushed (their `fromEnd` still counted from the file's start). */
class MatchRing {
  private readonly items: LineMatch[] = [];
  private next = 0;
  dropped = false;

  constructor(private readonly capacity: number) {}

  push(match: LineMatch): void {
    if (this.items.length < this.capacity) this.items.push(match);
    else {
      this.items[this.next] = match;
      this.next = (this.next + 1) % this.capacity;
      this.dropped = true;
    }
  }

  *newestFirst(): Generator<LineMatch> {
    const n = this.items.length;
    for (let i = 1; i <= n; i++) yield this.items[(this.next - i + n) % n]!;
  }
}

/** A file to search: the log itself (up to `end`, where its live tail stands) or one of its rotations. */
export interface FileToSearch {
  path: string;
  end?: number;
  /** Refuse a symlink at the path (a rotation is never one; see rotated-siblings.ts). */
  noFollow?: boolean;
}

export type SearchEvent =
  | {
      type: 'match';
      file: string;
      /** Lines after it in all the files searched, from the first file's `end`: 0 for the newest line searched. */
      fromEnd: number;
      match: LineMatch;
    }
  | ({ type: 'done' } & SearchSummary);

/**
 * Matching lines of `files` (newest first, as filesOfLog lists them) with shared bounds, newest first overall,
 * then one `done` with the summary. A file that cannot be read is skipped and named in the summary.
 */
export async function* searchFiles(files: readonly FileToSearch[], query: SearchQuery, options: SearchOptions): AsyncGenerator<SearchEvent> {
  const budget = new SearchBudget(options);
  new LineMatcher(query, options.maxLineBytes); // checks maxLineBytes here, not as an error of each file
  checkChunkBytes(options.chunkBytes ?? SEARCH_CHUNK_BYTES);
  for (const file of files) {
    if (!budget.goOn()) break;
    if (budget.matchesLeft <= 0 || budget.bytesLeft <= 0) {
      budget.stop(budget.matchesLeft <= 0 ? 'matches' : 'bytes');
      break;
    }
    const gzip = isGzip(file.path);
    if (isCompressed(file.path) && !gzip) {
      budget.skipped.push({ path: file.path, error: 'compressed, not with gzip' });
      continue;
    }
    const linesAfter = budget.lines;
    try {
      const { handle } = await openLogFile(file.path, { noFollow: file.noFollow });
      try {
        const matches = gzip
          ? searchGzipFile(handle, query, budget, options)
          : searchFileBackwards(handle, query, budget, { ...options, end: file.end });
        for await (const match of matches) yield { type: 'match', file: file.path, fromEnd: linesAfter + match.fromEnd, match };
      } finally {
        await handle.close().catch(() => undefined);
      }
    } catch (err) {
      budget.skipped.push({ path: file.path, error: (err as Error).message });
    }
  }
  yield { type: 'done', ...budget.summary() };
}


/**
 * The files of the log at `path`, newest first: itself, then the rotations beside it (regular files only, plain or
 * `.gz`) by last write, at most SEARCH_ROTATIONS_LOOKED_AT.
 */
export async function filesOfLog(path: string): Promise<FileToSearch[]> {
  const rotations = await rotationsOf(path, { gzip: true, max: SEARCH_ROTATIONS_LOOKED_AT });
  return [{ path }, ...rotations.map((r) => ({ path: r.path, noFollow: true }))];
}

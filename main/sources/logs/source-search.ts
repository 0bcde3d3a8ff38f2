// A search of several sources' files on disk (GET /api/search), newest first across them: each source's files
// are searched newest first (file-search.ts), and the matches are merged by time. A match's seq is counted back
// from the source's last line, as GET /api/lines counts older lines.
import type { SearchDoneLine, SearchLine, SearchMatchLine } from '../../../protocol/search';
import { filesOfLog, searchFiles, type SearchEvent } from './file-search';
import type { SearchQuery } from './search-query';
import { parseLineTimestamp } from './timestamp';

/** A source to search: its path, and where its live tail stands (the end of its last line given out, and that line's seq). */
export interface SearchedSource {
  id: string;
  path: string;
  end: number | undefined;
  lastSeq: number;
}

interface Head {
  source: SearchedSource;
  events: AsyncGenerator<SearchEvent>;
  match: SearchMatchLine | null;
  /** The time of the last match given out: a line without a time of its own is no newer. */
  ts: number;
}

export async function* searchSources(
  sources: readonly SearchedSource[],
  query: SearchQuery,
  options: { limit: number; maxLineBytes: number; signal: AbortSignal },
): AsyncGenerator<SearchLine> {
  const now = Date.now();
  const done: SearchDoneLine = { type: 'done', matches: 0, scannedBytes: 0, truncated: false };
  const heads: Head[] = [];
  const advance = async (head: Head) => {
    const next = await head.events.next();
    head.match = null;
    if (next.done) return;
    const event = next.value;
    if (event.type === 'done') {
      done.scannedBytes += event.scannedBytes;
      if (event.truncated) {
        done.truncated = true;
        done.reason ??= event.reason;
      }
      return;
    }
    const ts = parseLineTimestamp(event.match.text, now) ?? head.ts;
    head.ts = ts;
    head.match = { type: 'match', source: head.source.id, seq: head.source.lastSeq - event.fromEnd, ts, text: event.match.text };
  };
  for (const source of sources) {
    const files = await filesOfLog(source.path);
    if (files[0]) files[0].end = source.end;
    const events = searchFiles(files, query, { maxLineBytes: options.maxLineBytes, maxMatches: options.limit, signal: options.signal });
    const head: Head = { source, events, match: null, ts: now };
    await advance(head);
    heads.push(head);
  }
  for (;;) {
    let newest: Head | null = null;
    for (const head of heads) if (head.match && (!newest || head.match.ts > newest.match!.ts)) newest = head;
    if (!newest) break;
    if (done.matches >= options.limit) {
      done.truncated = true;
      done.reason = 'matches';
      break;
    }
    yield newest.match!;
    done.matches++;
    await advance(newest);
  }
  // Matches not given out (past the limit): their searches end here.
  await Promise.all(heads.map((head) => head.events.return(undefined)));
  yield done;
}

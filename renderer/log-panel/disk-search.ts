// The page's requests for the whole log on disk: a search (GET /api/search), read as it streams so each match
// shows as the server finds it, and the lines around one match (GET /api/lines). No DOM here: the unit tests
// drive it with a fake server. Requests go through `ServerRequest`, which the page entry builds with the
// server's address and proof (cookie or token), as the worker's own requests are made.
import type { LinesAnswer } from '../../protocol/lines';
import type { SearchDoneLine, SearchMatchLine } from '../../protocol/search';
import { NdjsonSplitter, parseSearchLine } from './search-answer';

export type ServerRequest = (path: '/api/search' | '/api/lines', query: URLSearchParams, signal: AbortSignal) => Promise<Response>;

export const DISK_SEARCH_LIMITS = {
  /** Matches asked for per search (the server gives at most 1,000, MAX_SEARCH_MATCHES). */
  matches: 500,
  /** Lines read either side of a match to show it in its context. */
  contextLines: 50,
} as const;

export interface SearchQuery {
  q: string;
  /** null: every source. */
  sources: string[] | null;
  limit: number;
}

export type SearchOutcome =
  | { kind: 'done'; done: SearchDoneLine }
  | { kind: 'cancelled' }
  /** `code`: the server's (`bad-search`, …) or the page's (`network`, `http`, `bad-answer`). */
  | { kind: 'error'; code: string; message: string };

/** Runs a search; `onMatch` is called for each match as it arrives. Never rejects. */
export async function runSearch(request: ServerRequest, query: SearchQuery, signal: AbortSignal, onMatch: (match: SearchMatchLine) => void): Promise<SearchOutcome> {
  const params = new URLSearchParams({ q: query.q, limit: String(query.limit) });
  if (query.sources !== null) params.set('sources', query.sources.join(','));
  let response: Response;
  try {
    response = await request('/api/search', params, signal);
  } catch {
    return signal.aborted ? { kind: 'cancelled' } : { kind: 'error', code: 'network', message: 'the server did not answer' };
  }
  if (!response.ok) return refusal(response, signal, 'the search');
  if (response.body === null) return { kind: 'error', code: 'bad-answer', message: 'the answer was empty' };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const splitter = new NdjsonSplitter();
  let done: SearchDoneLine | null = null;
  const take = (lines: string[]): void => {
    for (const line of lines) {
      // Cancelled in the middle of a read: nothing after the click is shown.
      if (signal.aborted) return;
      const parsed = parseSearchLine(line);
      if (parsed?.type === 'match') onMatch(parsed);
      else if (parsed?.type === 'done') done = parsed;
    }
  };
  try {
    for (;;) {
      const chunk = await reader.read();
      if (signal.aborted) {
        void reader.cancel().catch(() => {});
        return { kind: 'cancelled' };
      }
      if (chunk.done) break;
      take(splitter.push(decoder.decode(chunk.value, { stream: true })));
    }
    take(splitter.push(decoder.decode()));
    take(splitter.end());
  } catch (error) {
    if (signal.aborted) return { kind: 'cancelled' };
    const message = error instanceof Error && 'code' in error ? error.message : 'the answer stopped before it ended';
    return { kind: 'error', code: 'network', message };
  }
  if (done === null) return { kind: 'error', code: 'bad-answer', message: 'the answer ended before the search did' };
  return { kind: 'done', done };
}

export type ContextResult = { ok: true; lines: LinesAnswer['lines'] } | { ok: false; message: string };

/** The lines around `seq` of `source` (contextLines either side, fewer at the ends of what is on disk). */
export async function fetchContext(request: ServerRequest, source: string, seq: number, signal: AbortSignal): Promise<ContextResult> {
  const params = new URLSearchParams({ source, from: String(seq - DISK_SEARCH_LIMITS.contextLines), to: String(seq + DISK_SEARCH_LIMITS.contextLines) });
  let response: Response;
  try {
    response = await request('/api/lines', params, signal);
  } catch {
    return { ok: false, message: signal.aborted ? 'cancelled' : 'the server did not answer' };
  }
  if (response.status === 410) return { ok: false, message: 'these lines are no longer on disk' };
  if (response.status === 404) return { ok: false, message: 'this source is not followed any more' };
  if (!response.ok) {
    const outcome = await refusal(response, signal, 'the request for these lines');
    return { ok: false, message: outcome.kind === 'error' ? outcome.message : 'cancelled' };
  }
  try {
    const answer = (await response.json()) as Partial<LinesAnswer>;
    if (!Array.isArray(answer.lines)) return { ok: false, message: 'the answer had an unexpected shape' };
    return { ok: true, lines: answer.lines };
  } catch {
    return { ok: false, message: signal.aborted ? 'cancelled' : 'the answer was not JSON' };
  }
}

/** A non-2xx answer in words: the server's own `error` for a 400 (`bad-search`: why the query was refused). */
async function refusal(response: Response, signal: AbortSignal, what: string): Promise<SearchOutcome> {
  if (response.status === 401 || response.status === 403) return { kind: 'error', code: 'unauthorized', message: `the server refused the request (HTTP ${response.status})` };
  let body: { code?: unknown; error?: unknown } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    if (signal.aborted) return { kind: 'cancelled' };
  }
  const code = typeof body.code === 'string' ? body.code : 'http';
  if (response.status === 400 && typeof body.error === 'string') return { kind: 'error', code, message: `${what} was refused: ${body.error}` };
  return { kind: 'error', code, message: `the server answered HTTP ${response.status}` };
}

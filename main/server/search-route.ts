// GET /api/search: the query, and the answer streamed as NDJSON (one JSON object a line) as matches are found;
// the search stops when its client goes away.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import { ClientMessageError, parseSourceIds } from '../../protocol/client-messages';
import { MAX_SEARCH_MATCHES, type SearchLine, type SearchRequest } from '../../protocol/search';

/** Where the server searches: the app wires it to the log sources. Throws ClientMessageError for a bad query. */
export type Searcher = (request: SearchRequest, signal: AbortSignal) => AsyncGenerator<SearchLine>;

const DEFAULT_LIMIT = 100;

/** Throws ClientMessageError (answered with 400) for anything malformed. */
export function parseSearchRequest(url: URL): SearchRequest {
  const params = url.searchParams;
  const q = params.get('q');
  if (q === null || q === '') throw new ClientMessageError('bad-search', 'q is required: the text, or /regex/flags, to look for');
  const rawSources = params.get('sources');
  const list = rawSources === null ? [] : rawSources.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const rawLimit = params.get('limit');
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== null) {
    if (!/^\d{1,6}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > MAX_SEARCH_MATCHES) {
      throw new ClientMessageError('bad-search', `limit must be from 1 to ${MAX_SEARCH_MATCHES}`);
    }
    limit = Number(rawLimit);
  }
  return { q, sources: list.length === 0 ? null : parseSourceIds(list), limit };
}

/** Streams the search's lines; a client that goes away (or stops reading) stops the search. */
export async function streamSearch(req: IncomingMessage, res: ServerResponse, search: Searcher, request: SearchRequest): Promise<void> {
  const abort = new AbortController();
  const lines = search(request, abort.signal); // throws a bad query before any header goes out
  res.once('close', () => abort.abort());
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
  if (req.method === 'HEAD') {
    abort.abort();
    await lines.return(undefined);
    return void res.end();
  }
  for await (const line of lines) {
    if (res.destroyed) break;
    if (!res.write(`${JSON.stringify(line)}\n`)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  res.end();
}

// GET /api/lines from the worker: a source's lines read again from disk, older than those held or in a gap
// (contract: "The whole log, beyond the live tail"). Authorised as every request of the page (server-endpoint.ts).
import type { LinesAnswer, LinesQuery } from '../../protocol/lines';
import { apiUrl, requestCredentials } from '../stream/server-endpoint';
import type { ServerEndpoint } from '../worker-channel/worker-protocol';

/** The answer, or why there is none: `gone` (410, no longer on disk), or another failure in words. */
export type LinesResult = { ok: true; answer: LinesAnswer } | { ok: false; gone: boolean; reason: string };

export type FetchLines = (query: LinesQuery) => Promise<LinesResult>;

export function linesFetcher(server: ServerEndpoint): FetchLines {
  return async (query) => {
    const params = new URLSearchParams({ source: query.source });
    if ('before' in query) {
      params.set('before', String(query.before));
      params.set('limit', String(query.limit));
    } else {
      params.set('from', String(query.from));
      params.set('to', String(query.to));
    }
    let response: Response;
    try {
      response = await fetch(apiUrl(server, '/api/lines', params.toString()), { credentials: requestCredentials(server) });
    } catch {
      return { ok: false, gone: false, reason: 'the server did not answer' };
    }
    if (response.status === 410) return { ok: false, gone: true, reason: 'no longer on disk' };
    if (!response.ok) return { ok: false, gone: false, reason: `the server answered HTTP ${response.status}` };
    try {
      const answer = (await response.json()) as LinesAnswer;
      if (!Array.isArray(answer.lines)) return { ok: false, gone: false, reason: 'the answer had an unexpected shape' };
      return { ok: true, answer };
    } catch {
      return { ok: false, gone: false, reason: 'the answer was not JSON' };
    }
  };
}

// GET /api/lines: the query, and the answer from the log sources (older lines, or a gap's lines).
import type { ServerResponse } from 'node:http';
import { ClientMessageError, parseSourceIds } from '../../protocol/client-messages';
import { MAX_LINES_PER_ANSWER, type LinesAnswer, type LinesQuery, type LinesRefusal } from '../../protocol/lines';

/** Where the server gets lines from disk: the app wires it to the log sources. */
export type LinesReader = (query: LinesQuery) => Promise<LinesAnswer | LinesRefusal>;

/** A seq: a whole number, negative for lines older than the first read in this run. */
function seqParam(q: URLSearchParams, name: string): number | null {
  const raw = q.get(name);
  if (raw === null) return null;
  if (!/^-?\d{1,15}$/.test(raw)) throw new ClientMessageError('bad-lines-query', `${name} must be a whole number (a seq)`);
  return Number(raw);
}

/** Throws ClientMessageError (answered with 400) for anything malformed. */
export function parseLinesQuery(url: URL): LinesQuery {
  const q = url.searchParams;
  const raw = q.get('source');
  if (raw === null || raw === '') throw new ClientMessageError('bad-lines-query', 'source is required');
  const [source] = parseSourceIds([raw], 'source');
  const before = seqParam(q, 'before');
  const from = seqParam(q, 'from');
  const to = seqParam(q, 'to');
  if (before !== null && from === null && to === null) {
    const limit = seqParam(q, 'limit') ?? 1000;
    if (limit < 1 || limit > MAX_LINES_PER_ANSWER) {
      throw new ClientMessageError('bad-lines-query', `limit must be from 1 to ${MAX_LINES_PER_ANSWER}`);
    }
    return { source: source!, before, limit };
  }
  if (before === null && from !== null && to !== null) {
    if (to < from || to - from + 1 > MAX_LINES_PER_ANSWER) {
      throw new ClientMessageError('bad-lines-query', `from..to must name 1 to ${MAX_LINES_PER_ANSWER} lines`);
    }
    return { source: source!, from, to };
  }
  throw new ClientMessageError('bad-lines-query', 'give before (and limit), or from and to');
}

export async function sendLines(res: ServerResponse, read: LinesReader, query: LinesQuery, send: (res: ServerResponse, status: number, body: unknown) => void): Promise<void> {
  const answer = await read(query);
  if ('code' in answer) return send(res, answer.code === 'gone' ? 410 : 404, answer);
  send(res, 200, answer);
}

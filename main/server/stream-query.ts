// The query of the SSE and long-poll routes: `topics`, `sources`, `backfill`, and the resume id.
import type { IncomingMessage } from 'node:http';
import { DEFAULT_TOPICS, type Topic } from '../../protocol/events';
import { ClientMessageError, parseBackfill, parseSince, parseSourceIds, parseTopics } from '../../protocol/client-messages';

export interface StreamQuery {
  topics: Topic[];
  /** null: every source. */
  sources: string[] | null;
  backfill: number;
  since: string | undefined;
}

function list(value: string | null): string[] | null {
  if (value === null) return null;
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Throws ClientMessageError (answered with 400) for anything malformed. */
export function parseStreamQuery(url: URL, req: IncomingMessage, defaultBackfill: number): StreamQuery {
  const q = url.searchParams;
  const topics = list(q.get('topics'));
  const sources = list(q.get('sources'));
  let backfill = defaultBackfill;
  const rawBackfill = q.get('backfill');
  if (rawBackfill !== null) {
    if (!/^\d+$/.test(rawBackfill)) throw new ClientMessageError('bad-backfill', 'backfill must be a whole number');
    backfill = parseBackfill(Number(rawBackfill));
  }
  // EventSource sends the header on its own reconnects, to the URL it first opened: the header is
  // then newer than a `lastEventId=` in that URL (which is for the dashboard's own reconnects).
  const header = req.headers['last-event-id'];
  const rawSince = (typeof header === 'string' && header !== '' ? header : null) ?? q.get('since') ?? q.get('lastEventId');
  return {
    topics: topics === null || topics.length === 0 ? [...DEFAULT_TOPICS] : parseTopics(topics),
    sources: sources === null || sources.length === 0 ? null : parseSourceIds(sources),
    backfill,
    since: rawSince === null ? undefined : parseSince(rawSince),
  };
}

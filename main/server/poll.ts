// GET /api/poll: the long-poll fallback for proxies that buffer streams or block WebSocket. One
// request answers a JSON array of the events after `since`, waiting up to `wait` s for the first.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClientMessageError } from '../../protocol/client-messages';
import type { Outgoing, Subscription } from '../core/subscription';
import type { ServerContext } from './server-context';
import type { StreamQuery } from './stream-query';

export const POLL_DEFAULT_WAIT_S = 25;
export const POLL_MAX_WAIT_S = 60;
/** One answer carries about this much; the client asks again at once for the rest. */
export const POLL_MAX_BYTES = 1024 * 1024;
/** The id to pass as `since` next: it also covers events that did not match the filter. */
export const NEXT_ID_HEADER = 'X-Tailwatch-Next';
const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

export function parseWait(url: URL): number {
  const raw = url.searchParams.get('wait');
  if (raw === null) return POLL_DEFAULT_WAIT_S;
  const wait = Number(raw);
  if (raw === '' || !Number.isFinite(wait) || wait < 0 || wait > POLL_MAX_WAIT_S) {
    throw new ClientMessageError('bad-message', `wait must be a number of seconds from 0 to ${POLL_MAX_WAIT_S}`);
  }
  return wait;
}

export function handlePoll(req: IncomingMessage, res: ServerResponse, ctx: ServerContext, query: StreamQuery, waitS: number): void {
  const sub = ctx.subscribe(query.topics, query.sources);
  // Without `since` the client is new: hello and backfill at once, as on the other transports.
  if (query.since === undefined) sub.start({ backfill: query.backfill }, ctx.hello());
  else sub.reposition({ since: query.since, backfill: query.backfill });

  const answer = (events: Outgoing[]) => {
    ctx.stats.eventsSent += events.length;
    const parts: Buffer[] = [OPEN];
    for (const [i, o] of events.entries()) {
      if (i > 0) parts.push(COMMA);
      parts.push(o.wire);
    }
    parts.push(CLOSE);
    const body = Buffer.concat(parts);
    ctx.stats.bytesSent += body.length;
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      [NEXT_ID_HEADER]: sub.positionId,
    });
    res.end(body);
    sub.close();
  };
  const first = take(sub, ctx);
  if (first.length > 0 || waitS === 0) return answer(first);

  let done = false;
  const finish = (events: Outgoing[]) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    stop();
    if (!res.destroyed) answer(events);
  };
  const stop = ctx.hub.onEvents(() => {
    if (!sub.ready) return;
    const events = take(sub, ctx);
    if (events.length > 0) finish(events);
  });
  const timer = setTimeout(() => finish([]), waitS * 1000);
  req.on('close', () => {
    done = true;
    clearTimeout(timer);
    stop();
    sub.close();
  });
}

function take(sub: Subscription, ctx: ServerContext): Outgoing[] {
  const dropped = sub.linesDropped;
  const events = sub.take(POLL_MAX_BYTES);
  ctx.stats.linesDropped += sub.linesDropped - dropped;
  return events;
}

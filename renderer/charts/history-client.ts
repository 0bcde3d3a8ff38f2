// Fetches the last hour of metrics at 1 s steps, and the last day at 1 min steps (GET /api/metrics/history),
// so charts opened late start full. Authorised as the stream is: the page's cookie, or the token in the URL
// (see ServerEndpoint).
import { HISTORY_LIMITS, type CoarseHistory, type FineHistory, type HistoryAnswer } from '../../protocol/metrics-history';
import { apiUrl, requestCredentials } from '../stream/server-endpoint';
import type { ServerEndpoint } from '../worker-channel/worker-protocol';

const FINE_QUERY = `seconds=${HISTORY_LIMITS.maxSeconds[1]}&step=1`;
const COARSE_QUERY = `seconds=${HISTORY_LIMITS.maxSeconds[60]}&step=60`;

type HistoryErrorCode = 'unauthorized' | 'http' | 'network' | 'bad-answer';

export class HistoryError extends Error {
  constructor(
    readonly code: HistoryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The last hour at 1 s. Rejects with a HistoryError (or the AbortError of `signal`). */
export function fetchHistory(server: ServerEndpoint, signal: AbortSignal): Promise<FineHistory> {
  return fetchAnswer(server, FINE_QUERY, signal, isFineHistory);
}

/** The last day at 1 min (min/avg/max per minute). Rejects as fetchHistory does. */
export function fetchMinuteHistory(server: ServerEndpoint, signal: AbortSignal): Promise<CoarseHistory> {
  return fetchAnswer(server, COARSE_QUERY, signal, isCoarseHistory);
}

async function fetchAnswer<T extends HistoryAnswer>(server: ServerEndpoint, query: string, signal: AbortSignal, valid: (body: unknown) => body is T): Promise<T> {
  let response: Response;
  try {
    response = await fetch(apiUrl(server, '/api/metrics/history', query), { credentials: requestCredentials(server), cache: 'no-store', signal });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new HistoryError('network', 'the server did not answer');
  }
  if (response.status === 401 || response.status === 403) {
    throw new HistoryError('unauthorized', `the server refused the request (HTTP ${response.status})`);
  }
  if (!response.ok) throw new HistoryError('http', `the server answered HTTP ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (signal.aborted) throw error;
    throw new HistoryError('bad-answer', 'the answer was not JSON');
  }
  if (!valid(body)) throw new HistoryError('bad-answer', 'the answer had an unexpected shape');
  return body;
}

/** The shape checks that keep a wrong answer from reaching the store; values are checked one by one there. */
function isFineHistory(body: unknown): body is FineHistory {
  if (typeof body !== 'object' || body === null) return false;
  const { step, ts, series } = body as Partial<FineHistory>;
  if (step !== 1 || !Array.isArray(ts) || typeof series !== 'object' || series === null) return false;
  return Object.values(series).every((values) => Array.isArray(values) && values.length === ts.length);
}

function isCoarseHistory(body: unknown): body is CoarseHistory {
  if (typeof body !== 'object' || body === null) return false;
  const { step, ts, samples, series } = body as Partial<CoarseHistory>;
  if (step !== 60 || !Array.isArray(ts) || !Array.isArray(samples) || samples.length !== ts.length || typeof series !== 'object' || series === null) return false;
  return Object.values(series).every((s) => typeof s === 'object' && s !== null && Array.isArray(s.avg) && s.avg.length === ts.length);
}

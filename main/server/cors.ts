// CORS (the Fetch standard's CORS protocol) for the page origins allowed with --allow-origin, such as the desktop window
// at app://tailwatch, which reads this server's API and streams cross-origin with `?token=`. Every other
// origin gets no CORS header at all (and a 403 from the Origin check before it gets here).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NEXT_ID_HEADER } from './poll';

/** How long a browser may reuse a preflight's answer. */
export const PREFLIGHT_MAX_AGE_S = 600;
const ALLOWED_METHODS = 'GET, HEAD';
/** What the dashboard's stream client sends besides the safelisted headers. */
const ALLOWED_HEADERS = 'Authorization, Last-Event-ID, Cache-Control';

/**
 * Marks the answer readable by `origin` (an allowed one) and answers a preflight. Returns true when the
 * request was a preflight and is answered: a preflight never carries credentials (Fetch, CORS-preflight fetch), so no token is asked for.
 *
 * `Cross-Origin-Resource-Policy: same-origin` stays on: it only blocks no-cors loads (an <img> or <script>
 * of another page), never a CORS-mode fetch or EventSource (Fetch, "cross-origin resource policy check"; the WPT
 * fetch/cross-origin-resource-policy tests read such responses cross-origin).
 */
export function answerCors(req: IncomingMessage, res: ServerResponse, origin: string): boolean {
  res.setHeader('Access-Control-Allow-Origin', origin);
  // The long-poll's next id is in a header a cross-origin page may otherwise not read.
  res.setHeader('Access-Control-Expose-Headers', NEXT_ID_HEADER);
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, {
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_S),
    'Cache-Control': 'no-store',
  });
  res.end();
  return true;
}

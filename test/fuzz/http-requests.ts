// Family `http`: requests to every route of the contract over a bare TCP socket, so anything goes: paths
// (traversal, `//`, encoded bytes, very long), methods, Host, Origin, Cookie, Authorization, Last-Event-ID,
// Accept-Encoding, huge and many headers, query strings, bodies, and requests cut into pieces.
// Oracles: every request gets an answer or a closed socket in time; never a 5xx; a 303 never sends the
// browser off-site; the token is never in a Set-Cookie header nor anywhere else in an answer; a foreign
// Host or Origin never gets a 2xx/3xx; nothing but /api/health answers 2xx/3xx without the token.
import fc from 'fast-check';
import { expect, type AnyProperty, type Family, type FuzzOptions, type Property } from './harness';
import { exchange, header, isStream, requestBytes, splitAt, type RawAnswer } from './raw-http';
import { expectAlive, expectNoClients, startInProcess, type Target } from './targets';
import { serverSession } from './ws-messages';

const ROUTES = [
  '/',
  '/api/health',
  '/api/sources',
  '/api/events',
  '/api/poll',
  '/api/ws',
  '/api/metrics/history',
  '/metrics',
  '/index.html',
  '/app.js',
  '/app.css',
  '/log-worker.js',
  '/icon.svg',
  '/app.js.map',
  '/favicon.ico',
  '/api/lines',
  '/api/search',
  '/api/',
  '/api/nope',
];

/** The bytes of a string whose every char is one byte (what raw-http writes). */
const utf8AsLatin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

const percentByte = fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`);
const pathPiece = fc.oneof(
  fc.constantFrom('/', '//', '/./', '/../', '/.', '/..', '\\', '/%2e%2e/', '%2F', '%2f%2f', '%5C', '%00', '%', '%zz', '%e2%80%ae', '.', '..', ';', '?', '#', '@', ':'),
  fc.constantFrom('evil.com', '/evil.com', '//evil.com/x', '/.//evil.com/x', '/\\evil.com', '/%2F%2Fevil.com', 'etc/passwd', '../../../../etc/passwd', '..%2f..%2fetc%2fpasswd'),
  percentByte,
  fc.string({ unit: 'binary-ascii', maxLength: 12 }).map((s) => s.replace(/[\r\n ]/g, '')),
  fc.string({ unit: 'grapheme', maxLength: 6 }).map(utf8AsLatin1),
);

interface PathInput {
  route: string;
  pieces: string[];
  /** Where the pieces go: before the route, after it, or instead of it. */
  at: 'before' | 'after' | 'instead';
  /** Pad the path to this many characters (0: no padding). */
  padTo: number;
}

const pathInput: fc.Arbitrary<PathInput> = fc.record({
  route: fc.constantFrom(...ROUTES),
  pieces: fc.array(pathPiece, { maxLength: 4 }),
  at: fc.constantFrom('before' as const, 'after' as const, 'after' as const, 'instead' as const),
  padTo: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1000, max: 100_000 }) }),
});

function pathOf(p: PathInput): string {
  const extra = p.pieces.join('');
  let path = p.at === 'before' ? extra + p.route : p.at === 'after' ? p.route + extra : extra || '/';
  if (p.padTo > path.length) path += 'a'.repeat(p.padTo - path.length);
  return path;
}

/** The route a path lands on, as the server's URL parser sees it (for the oracles that depend on it). */
function routeOf(path: string): string {
  try {
    return new URL(path, 'http://localhost').pathname;
  } catch {
    return '';
  }
}

const queryKey = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('topics', 'sources', 'backfill', 'since', 'lastEventId', 'wait', 'seconds', 'step', 'source', 'before', 'from', 'to', 'limit', 'q') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 8 }) },
);
const queryValue = fc.oneof(
  fc.constantFrom('', 'logs', 'metrics,logs', 'sources,processes', 'nope', ',,,', '0', '1', '-1', '1e3', '1.5', 'NaN', '9007199254740993', '99999999999999999999', 'x'.repeat(70)),
  fc.integer().map(String),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), { minLength: 1, maxLength: 1200 }).map((ids) => ids.join(',')),
);
/** `wait` is bounded (or malformed) so a long-poll answers within a step. */
const waitValue = fc.constantFrom('0', '1', '0.5', '-1', '61', '1e3', 'NaN', '', 'abc', '0x1', 'Infinity');

function queryOf(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

type Auth = 'bearer' | 'bearer-lower' | 'query' | 'cookie' | 'none' | 'bearer-wrong' | 'query-wrong' | 'cookie-wrong' | 'basic' | 'bearer+query-wrong' | 'query+bearer-wrong';

interface RequestInput {
  method: string;
  path: PathInput;
  query: [string, string][];
  wait: string | null;
  auth: Auth;
  host: string;
  origin: string | null;
  headers: [string, string][];
  version: string;
  body: Uint8Array;
  cuts: number[];
}

/** Host values: ours, foreign ones, and ones that only look like ours. `PORT` is replaced by the port. */
const GOOD_HOSTS = ['127.0.0.1:PORT', 'localhost:PORT', 'localhost', '127.0.0.1', '[::1]:PORT', 'LOCALHOST:PORT', 'app.localhost:PORT', 'localhost.:PORT', '127.0.0.1:1'];
const BAD_HOSTS = [
  'evil.com',
  'evil.com:PORT',
  'localhost:PORT@evil.com',
  'localhost@evil.com',
  '[::1]evil.com',
  '[::1]:PORT.evil.com',
  '127.0.0.1.evil.com',
  'localhost:PORT.evil.com',
  'localhost.evil.com',
  'localhost:abc',
  'localhost:PORT:PORT',
  'localhost evil.com',
  '127.0.0.1:PORT, evil.com',
  '',
  'evil.com#localhost',
  'localhost/evil.com',
  'localhost\\evil.com',
  '127.1',
  '2130706433',
  '0x7f000001',
  '[::ffff:127.0.0.1]:PORT',
  'evil.com\u0000localhost',
];
const ORIGINS = ['http://127.0.0.1:PORT', 'http://evil.com', 'null', 'http://127.0.0.1:PORT.evil.com', 'http://127.0.0.1:PORT@evil.com', 'https://127.0.0.1:PORT', 'file://', 'app://tailwatch', 'garbage'];

/** The contract's own names (loopback names and addresses, any port); anything else must be refused. */
function isOwnHost(value: string): boolean | 'unsure' {
  if (/^(localhost|127\.0\.0\.1|\[::1\]|[a-z0-9-]+\.localhost)\.?(:\d{1,5})?$/i.test(value)) return true;
  // Other spellings of a loopback address: no browser sends them for a rebinding name, either answer is fine.
  if (/^(127\.1|2130706433|0x7f000001|\[::ffff:127\.0\.0\.1\])(:\d+)?$/i.test(value)) return 'unsure';
  return false;
}

function requestInput(extraHeader: fc.Arbitrary<[string, string]>): fc.Arbitrary<RequestInput> {
  return fc.record({
    method: fc.oneof(
      { weight: 10, arbitrary: fc.constantFrom('GET', 'GET', 'GET', 'HEAD') },
      { weight: 2, arbitrary: fc.constantFrom('POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'PRI', 'get', 'MKCOL', 'PROPFIND', 'SEARCH', 'QUERY') },
      { weight: 1, arbitrary: fc.stringMatching(/^[A-Z!#$%&'*+.^_`|~-]{1,20}$/) },
    ),
    path: pathInput,
    query: fc.array(fc.tuple(queryKey, queryValue), { maxLength: 5 }),
    wait: fc.option(waitValue, { nil: null }),
    auth: fc.constantFrom<Auth>('bearer', 'bearer', 'bearer', 'bearer-lower', 'query', 'cookie', 'none', 'bearer-wrong', 'query-wrong', 'cookie-wrong', 'basic', 'bearer+query-wrong', 'query+bearer-wrong'),
    host: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...GOOD_HOSTS) }, { weight: 3, arbitrary: fc.constantFrom(...BAD_HOSTS) }),
    origin: fc.option(fc.constantFrom(...ORIGINS), { freq: 4, nil: null }),
    headers: fc.array(extraHeader, { maxLength: 4 }),
    version: fc.oneof({ weight: 20, arbitrary: fc.constant('HTTP/1.1') }, { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.2', 'HTTP/1', 'http/1.1', '') }),
    body: fc.oneof({ weight: 10, arbitrary: fc.constant(new Uint8Array()) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) }),
    cuts: fc.oneof({ weight: 4, arbitrary: fc.constant<number[]>([]) }, { weight: 1, arbitrary: fc.array(fc.nat(), { maxLength: 5 }) }),
  });
}

/** Headers of every kind: what browsers and proxies send, and what nobody should. */
function extraHeaders(target: Target): fc.Arbitrary<[string, string]> {
  const id = fc.oneof(fc.nat({ max: 500 }).map((n) => `${target.epoch}-${n}`), fc.string({ unit: 'grapheme', maxLength: 80 }).map(utf8AsLatin1), fc.constantFrom('', '-1', `${target.epoch}-9999999999999999`));
  return fc.oneof(
    fc.tuple(fc.constant('Last-Event-ID'), id),
    fc.tuple(fc.constant('Accept-Encoding'), fc.constantFrom('gzip', 'gzip;q=0', '*', 'br, gzip, deflate', 'identity', 'x'.repeat(5000), 'gzip, gzip, gzip')),
    fc.tuple(fc.constant('Cookie'), fc.oneof(fc.constantFrom(`tailwatch_token_${target.port}=%`, `tailwatch_token_${target.port}=%E0%A4%A`, 'a=b; '.repeat(500), '=;=;='), fc.string({ unit: 'binary-ascii', maxLength: 100 }))),
    fc.tuple(fc.constantFrom('Accept', 'Connection', 'Upgrade', 'Expect', 'Content-Length', 'Transfer-Encoding', 'X-Forwarded-For', 'X-Forwarded-Host', 'Range', 'If-None-Match', 'Content-Type'), fc.constantFrom('text/event-stream', 'close', 'keep-alive', 'Upgrade', 'websocket', '100-continue', '0', '-1', 'abc', '99999999999999999999', 'chunked', 'gzip, chunked', 'evil.com', 'bytes=0-0', '*', '')),
    fc.tuple(fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,30}$/), fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, ''))),
    fc.tuple(fc.constant('X-Huge'), fc.integer({ min: 1000, max: 40_000 }).map((n) => 'h'.repeat(n))),
    fc.tuple(fc.constant('X-Bytes'), fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('latin1'))),
  );
}

interface Sent {
  path: string;
  route: string;
  method: string;
  host: string;
  authorized: boolean;
  request: Buffer;
}

function buildRequest(target: Target, input: RequestInput, manyHeaders: [string, string][] = []): Sent {
  const port = String(target.port);
  const path = pathOf(input.path);
  const route = routeOf(path);
  const token = target.token;
  const query = [...input.query];
  if (input.auth === 'query' || input.auth === 'query+bearer-wrong') query.push(['token', token]);
  if (input.auth === 'query-wrong' || input.auth === 'bearer+query-wrong') query.push(['token', 'wrong']);
  if (route === '/api/poll' && !query.some(([k]) => k === 'wait')) query.push(['wait', input.wait ?? '1']);
  const q = queryOf(query);
  const requestTarget = q && !path.includes('?') ? `${path}?${q}` : q ? `${path}&${q}` : path;
  const host = input.host.replaceAll('PORT', port);
  const headers: [string, string][] = [];
  if (host !== '' || input.host === '') headers.push(['Host', host]);
  if (input.origin !== null) headers.push(['Origin', input.origin.replaceAll('PORT', port)]);
  const authHeader: Partial<Record<Auth, string>> = {
    bearer: `Bearer ${token}`,
    'bearer-lower': `bearer   ${token}  `,
    'bearer-wrong': 'Bearer wrong',
    basic: `Basic ${Buffer.from(`u:${token}`).toString('base64')}`,
    'bearer+query-wrong': `Bearer ${token}`,
    'query+bearer-wrong': 'Bearer wrong',
  };
  if (authHeader[input.auth]) headers.push(['Authorization', authHeader[input.auth]!]);
  if (input.auth === 'cookie') headers.push(['Cookie', `other=1; tailwatch_token_${port}=${token}`]);
  if (input.auth === 'cookie-wrong') headers.push(['Cookie', `tailwatch_token_${port}=wrong`]);
  headers.push(...input.headers.map(([k, v]) => [k, v.replaceAll('PORT', port)] as [string, string]), ...manyHeaders);
  // Header precedence: Authorization, then ?token=, then the cookie (main/server/access.ts, the contract's three ways).
  const authorized = ['bearer', 'bearer-lower', 'bearer+query-wrong', 'query', 'cookie'].includes(input.auth);
  return { path, route, method: input.method, host, authorized, request: requestBytes(input.method, requestTarget, headers, input.body, input.version) };
}

/** The oracles on one answer. */
function judge(target: Target, sent: Sent, answer: RawAnswer, input: { origin: string | null }): void {
  const what = () => `${sent.method} ${sent.path.slice(0, 200)} (Host ${JSON.stringify(sent.host.slice(0, 80))}) → ${answer.status ?? 'closed'}`;
  if (answer.status === null) return;
  expect(answer.status >= 100, 'status line', () => `not an HTTP status line: ${what()}`);
  expect(answer.status < 500, '5xx', () => `${what()}: ${answer.body.subarray(0, 300).toString()}`);
  const ok = answer.status < 400;
  for (const location of header(answer, 'location')) {
    expect(location.startsWith('/') && !/^\/[/\\]/.test(location) && !/[\r\n]/.test(location), 'off-site redirect', () => `${what()} Location: ${location}`);
  }
  const tokenForms = [target.token, encodeURIComponent(target.token)];
  for (const cookie of header(answer, 'set-cookie')) {
    expect(!tokenForms.some((t) => cookie.includes(t)), 'token in cookie', () => `${what()} Set-Cookie: ${cookie}`);
  }
  const otherHeaders = answer.headers.filter(([k]) => k !== 'set-cookie').map(([k, v]) => `${k}: ${v}`).join('\n');
  expect(!otherHeaders.includes(target.token) && !answer.body.includes(target.token), 'token echoed', () => `${what()} has the token in its headers or body`);
  const own = isOwnHost(sent.host);
  if (own === false) expect(!ok, 'foreign Host', () => `${what()} was served`);
  const origin = input.origin?.replaceAll('PORT', String(target.port));
  if (origin !== undefined && origin !== `http://${sent.host.toLowerCase()}` && origin !== `https://${sent.host.toLowerCase()}`) expect(!ok, 'foreign Origin', () => `${what()} with Origin ${origin} was served`);
  if (!sent.authorized && sent.route !== '/api/health') expect(!ok, 'no token', () => `${what()} was served without the token`);
}

/** Sends one request and judges its answer; a long-poll may take its `wait` (at most 2 s here) on top. */
async function send(target: Target, sent: Sent, input: RequestInput, options: FuzzOptions): Promise<RawAnswer> {
  const answer = await exchange(target.port, splitAt(sent.request, input.cuts), {
    timeoutMs: options.stepTimeoutMs + (sent.route === '/api/poll' ? 2000 : 0),
    head: sent.method === 'HEAD',
    // A stream has no end: its head is the answer.
    until: (_body, a) => isStream(a),
    maxBodyBytes: 1 << 20,
  });
  expectAlive(target);
  expect(answer.status !== null || answer.closed, 'hang', () => `no answer within ${options.stepTimeoutMs} ms: ${sent.method} ${sent.path.slice(0, 200)}`);
  judge(target, sent, answer, input);
  return answer;
}

/** The properties of this family against `target` (also used by the `cli` family). */
export function httpProperties(target: Target, options: FuzzOptions): AnyProperty[] {
  const requests: Property<RequestInput> = {
    name: 'requests',
    arbitrary: requestInput(extraHeaders(target)),
    run: async (input) => {
      await send(target, buildRequest(target, input), input, options);
      await expectNoClients(target);
    },
  };

  /** Requests made only of what browsers send, with ?token=: the redirect and the cookie. */
  const pageWithToken: Property<{ path: PathInput; query: [string, string][] }> = {
    name: 'token-in-query',
    arbitrary: fc.record({ path: pathInput, query: fc.array(fc.tuple(queryKey, queryValue), { maxLength: 3 }) }),
    run: async ({ path, query }) => {
      const input: RequestInput = { method: 'GET', path, query, wait: '0', auth: 'query', host: '127.0.0.1:PORT', origin: null, headers: [], version: 'HTTP/1.1', body: new Uint8Array(), cuts: [] };
      await send(target, buildRequest(target, input), input, options);
      await expectNoClients(target);
    },
  };

  const manyHeaders: Property<{ input: RequestInput; count: number; size: number }> = {
    name: 'many-headers',
    arbitrary: fc.record({ input: requestInput(extraHeaders(target)), count: fc.integer({ min: 50, max: 3000 }), size: fc.integer({ min: 1, max: 200 }) }),
    run: async ({ input, count, size }) => {
      const many = Array.from({ length: count }, (_, i) => [`X-H${i}`, 'v'.repeat(size)] as [string, string]);
      await send(target, buildRequest(target, input, many), input, options);
      await expectNoClients(target);
    },
  };

  /** Bytes that are not HTTP at all, or nearly: the server must close or answer, and live on. */
  const garbage: Property<{ bytes: Uint8Array; cuts: number[] }> = {
    name: 'malformed',
    arbitrary: fc.record({
      bytes: fc.oneof(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom(
          'GET / HTTP/1.1\r\n\r\n',
          'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
          'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.com\r\n\r\n',
          'GET /api/health HTTP/1.1\nHost: 127.0.0.1\n\n',
          'GET /api/health HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n',
          'GET /api/health HTTP/1.1\r\n Host: 127.0.0.1\r\n\r\n',
          'GET\t/api/health\tHTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
          'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\nGET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
          'GET http://evil.com/api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
          'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
          'GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
          'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
          '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003',
        ).map((s) => Buffer.from(s, 'latin1')),
      ),
      cuts: fc.array(fc.nat(), { maxLength: 4 }),
    }),
    run: async ({ bytes, cuts }) => {
      // Not a whole request, maybe: the server may wait for the rest (up to its headers timeout), so a
      // missing answer is no finding here; a 5xx or a dead server is.
      const answer = await exchange(target.port, splitAt(bytes, cuts), { timeoutMs: 300, until: () => true });
      expectAlive(target);
      if (answer.status !== null) expect(answer.status < 500, '5xx', () => `${answer.status} for ${JSON.stringify(Buffer.from(bytes).toString('latin1')).slice(0, 200)}`);
      await expectNoClients(target);
    },
  };

  return [requests, pageWithToken, manyHeaders, garbage];
}

export const httpFamily: Family = {
  name: 'http',
  summary: 'raw HTTP requests to every route of an in-process server',
  async open(options) {
    // gzip on: a request with Accept-Encoding: gzip gets the compressed stream, from loopback too.
    const target = await startInProcess({ gzip: 'on' });
    return serverSession(target, httpProperties(target, options));
  },
};

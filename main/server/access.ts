// Who may talk to this server: the token (Bearer header or ?token=), the session cookie that ?token= gives
// a browser, the Host header allow-list against DNS rebinding, and the Origin check. Only the origins
// allowed with --allow-origin (the desktop window's app://tailwatch) are cross-origin callers: they get CORS
// headers (cors.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import type { IncomingMessage } from 'node:http';
import { SessionKey } from './session-key';

export type TokenSource = 'header' | 'query' | 'cookie';

export interface AccessDenied {
  status: 401 | 403;
  code: 'no-token' | 'bad-token' | 'bad-session' | 'bad-host' | 'bad-origin';
  message: string;
}

/** A checked request: where its proof came from, and whether its session cookie should be renewed. */
export interface AccessGranted {
  ok: true;
  source: TokenSource;
  renewSession: boolean;
}

/** `::ffff:1.2.3.4`: an IPv4 client of a dual-stack socket. */
export function isIPv4MappedAddress(address: string): boolean {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4;
}

export function isLoopbackAddress(address: string): boolean {
  const a = isIPv4MappedAddress(address) ? address.slice(7) : address;
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return isLoopbackAddress(h) || h === 'localhost' || h.endsWith('.localhost');
}

/**
 * A Host header as RFC 9110 §7.2 allows it (`name[:port]`, `[v6][:port]`, IPv4), split; null for anything
 * else (`localhost:7717@evil.com`, `[::1]evil.com`, spaces, userinfo), which no browser sends.
 */
const HOST_HEADER = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?\.?))(?::(\d{1,5}))?$/;

/** The host name of a Host header or URL host (`name:port`, `[v6]:port`), lower-cased, without port or final dot; null when malformed. */
export function hostName(hostHeader: string): string | null {
  const m = HOST_HEADER.exec(hostHeader.trim().toLowerCase());
  if (!m) return null;
  if (m[1] !== undefined) return isIP(m[1]) === 6 ? m[1] : null;
  const name = m[2]!;
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/**
 * `value` as a browser sends it in `Origin` (RFC 6454 §6.2, §7): `scheme://host[:port]`, lower-case, without a
 * trailing slash or a default port. Null when it is not one: a path, `*`, or `null` (the opaque origin of
 * sandboxed frames and files, which any page can take on, so it may never be allowed).
 */
export function canonicalOrigin(value: string): string | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#@\s]+)\/?$/i.exec(value.trim());
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return `${scheme}://${m[2]!.toLowerCase()}`;
  try {
    // URL drops the default port and normalises the host (IDNA, IPv6) as the browser does.
    const origin = new URL(`${scheme}://${m[2]}`).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

export interface AccessOptions {
  token: string;
  /** The address the server is bound to. */
  host: string;
  port: number;
  allowHost: readonly string[];
  allowOrigin: readonly string[];
}

export class AccessControl {
  private readonly tokenDigest: Buffer;
  private readonly hosts: Set<string>;
  private readonly wildcard: boolean;
  private readonly origins: Set<string>;
  private readonly sessions: SessionKey;
  /** Per port, so two servers on one machine do not overwrite each other's cookie (cookies ignore ports). */
  readonly cookieName: string;

  constructor(private readonly options: AccessOptions) {
    this.tokenDigest = digest(options.token);
    this.cookieName = `tailwatch_session_${options.port}`;
    this.sessions = new SessionKey(options.token, `port ${options.port}`);
    const bound = hostName(options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host);
    this.wildcard = bound === '0.0.0.0' || bound === '::';
    const names = [bound, ...options.allowHost.map((h) => hostName(h))].filter((h): h is string => h !== null);
    this.hosts = new Set(['localhost', '127.0.0.1', '::1', ...names]);
    this.origins = new Set(
      options.allowOrigin.map((o) => {
        const origin = canonicalOrigin(o);
        if (origin === null) throw new RangeError(`AccessControl: allowOrigin ${JSON.stringify(o)} is not an origin (scheme://host[:port])`);
        return origin;
      }),
    );
  }

  get token(): string {
    return this.options.token;
  }

  /** Host names that reach this server when bound to every interface: the machine's own names and addresses. */
  private machineNames(): Set<string> {
    const names = new Set<string>([hostname().toLowerCase(), `${hostname().toLowerCase()}.local`]);
    for (const list of Object.values(networkInterfaces())) {
      for (const i of list ?? []) names.add(i.address.toLowerCase().split('%')[0]!);
    }
    return names;
  }

  checkHost(req: IncomingMessage): AccessDenied | null {
    const header = req.headers.host;
    if (!header) return { status: 403, code: 'bad-host', message: 'missing Host header' };
    const name = hostName(header);
    if (name === null) return { status: 403, code: 'bad-host', message: `malformed Host header ${JSON.stringify(header.slice(0, 100))}` };
    if (this.hosts.has(name) || name.endsWith('.localhost')) return null;
    if (this.wildcard && this.machineNames().has(name)) return null;
    return {
      status: 403,
      code: 'bad-host',
      message: `Host "${name.slice(0, 100)}" is not a name of this server (add it with --allow-host)`,
    };
  }

  /** A present Origin must be this server's own (the same host:port as the request) or an allowed one. */
  checkOrigin(req: IncomingMessage): AccessDenied | null {
    const origin = req.headers.origin;
    if (origin === undefined) return null;
    if (this.origins.has(origin.toLowerCase())) return null;
    let url: URL | null = null;
    try {
      url = new URL(origin);
    } catch {
      url = null;
    }
    if (url && (url.protocol === 'http:' || url.protocol === 'https:') && url.host === (req.headers.host ?? '').toLowerCase()) {
      return null;
    }
    return { status: 403, code: 'bad-origin', message: `Origin "${origin.slice(0, 100)}" may not use this server` };
  }

  /** The request's Origin when it is one allowed with --allow-origin (a cross-origin caller), else null. */
  allowedCrossOrigin(req: IncomingMessage): string | null {
    const origin = req.headers.origin?.toLowerCase();
    return origin !== undefined && this.origins.has(origin) ? origin : null;
  }

  /**
   * Finds and checks the proof: the token (Bearer header, ?token=) or a session cookie. Says where it came
   * from, so the caller can give a browser its session cookie.
   */
  checkToken(req: IncomingMessage, url: URL): AccessGranted | AccessDenied {
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      return this.tokenGrant(m ? m[1]! : '', 'header');
    }
    if (url.searchParams.has('token')) return this.tokenGrant(url.searchParams.get('token') ?? '', 'query');
    const session = readCookie(req.headers.cookie, this.cookieName);
    if (session === undefined) {
      return { status: 401, code: 'no-token', message: 'a token is required (Authorization: Bearer, ?token= or the session cookie)' };
    }
    // A page of another site, or of another port of this host (the same site to a browser), may make the
    // browser send the cookie along; only our own pages and typed-in addresses may use it (Fetch Metadata).
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return { status: 401, code: 'bad-session', message: 'the session cookie works only from this server\'s own pages' };
    }
    const age = this.sessions.ageOf(session);
    if (age === null) return { status: 401, code: 'bad-session', message: 'the session has expired or its token was changed: open the dashboard link again' };
    return { ok: true, source: 'cookie', renewSession: age > SESSION_RENEW_AFTER_MS };
  }

  private tokenGrant(given: string, source: 'header' | 'query'): AccessGranted | AccessDenied {
    if (!this.tokenMatches(given)) return { status: 401, code: 'bad-token', message: 'wrong token' };
    return { ok: true, source, renewSession: false };
  }

  /** Constant time: both sides are hashed first, so neither content nor length leaks through timing. */
  tokenMatches(given: string): boolean {
    return timingSafeEqual(digest(given), this.tokenDigest);
  }

  /**
   * A new session cookie. It holds a value made from the token, never the token itself: browsers send a
   * host's cookies to every port of it, and what another port's service gets must not open this one's API
   * by Bearer or ?token=, nor any other listener; changing the token ends every session (see SessionKey).
   */
  sessionCookie(secure = false): string {
    return `${this.cookieName}=${this.sessions.issue()}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  }
}

/** A session cookie older than this is replaced on its next use, so a dashboard in use never sees it expire. */
export const SESSION_RENEW_AFTER_MS = 24 * 3600 * 1000;

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return '';
      }
    }
  }
  return undefined;
}

/** Is this a bound address that only this machine can reach? */
export function isLoopbackBind(host: string): boolean {
  return isLoopbackHost(host) && (isIP(host.replace(/^\[|\]$/g, '')) !== 0 || host === 'localhost');
}

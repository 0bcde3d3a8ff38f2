// Who may talk to this server: the token (Bearer header, ?token=, or our cookie), the Host header
// allow-list against DNS rebinding, and the Origin check. Only the origins allowed with --allow-origin
// (the desktop window's app://tailwatch) are cross-origin callers: they get CORS headers (cors.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import type { IncomingMessage } from 'node:http';

export type TokenSource = 'header' | 'query' | 'cookie';

export interface AccessDenied {
  status: 401 | 403;
  code: 'no-token' | 'bad-token' | 'bad-host' | 'bad-origin';
  message: string;
}

export function isLoopbackAddress(address: string): boolean {
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return isLoopbackAddress(h) || h === 'localhost' || h.endsWith('.localhost');
}

/** The host name of a Host header or URL host (`name:port`, `[v6]:port`), lower-cased, without port. */
export function hostName(hostHeader: string): string {
  let h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end === -1 ? h : h.slice(1, end);
  }
  const colon = h.lastIndexOf(':');
  if (colon !== -1 && h.indexOf(':') === colon) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
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
  /** Per port, so two servers on one machine do not overwrite each other's cookie (cookies ignore ports). */
  readonly cookieName: string;

  constructor(private readonly options: AccessOptions) {
    this.tokenDigest = digest(options.token);
    this.cookieName = `tailwatch_token_${options.port}`;
    const bound = hostName(options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host);
    this.wildcard = bound === '0.0.0.0' || bound === '::';
    this.hosts = new Set(['localhost', '127.0.0.1', '::1', bound, ...options.allowHost.map((h) => hostName(h))]);
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

  /** Finds and checks the token; says where it came from so the caller can set the cookie. */
  checkToken(req: IncomingMessage, url: URL): { ok: true; source: TokenSource } | AccessDenied {
    const auth = req.headers.authorization;
    let given: string | undefined;
    let source: TokenSource = 'header';
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      given = m ? m[1] : '';
    } else if (url.searchParams.has('token')) {
      given = url.searchParams.get('token') ?? '';
      source = 'query';
    } else {
      given = readCookie(req.headers.cookie, this.cookieName);
      source = 'cookie';
    }
    if (given === undefined) return { status: 401, code: 'no-token', message: 'a token is required (Authorization: Bearer, ?token= or the cookie)' };
    if (!this.tokenMatches(given)) return { status: 401, code: 'bad-token', message: 'wrong token' };
    return { ok: true, source };
  }

  /** Constant time: both sides are hashed first, so neither content nor length leaks through timing. */
  tokenMatches(given: string): boolean {
    return timingSafeEqual(digest(given), this.tokenDigest);
  }

  cookieHeader(secure = false): string {
    return `${this.cookieName}=${encodeURIComponent(this.options.token)}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  }
}

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

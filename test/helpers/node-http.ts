// node:http(s) clients for what fetch hides or forbids: any Host header, OPTIONS, a test CA for HTTPS,
// and an SSE stream over HTTPS.
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WireEvent } from '../../protocol/events';
import { SseParser } from '../../protocol/sse-parser';
import { waitFor } from './wait';

export interface RawRequestOptions {
  method?: string;
  /** A `Host` given here is sent as it is. */
  headers?: Record<string, string>;
  /** The CA to trust for https: URLs (the test's self-signed certificate). */
  ca?: string;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(url: string, options: RawRequestOptions, onResponse: (res: IncomingMessage) => void): ClientRequest {
  const u = new URL(url);
  const headers = options.headers ?? {};
  const common = {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port,
    path: u.pathname + u.search,
    method: options.method ?? 'GET',
    headers,
    setHost: !('Host' in headers),
  };
  const req = u.protocol === 'https:' ? httpsRequest({ ...common, ca: options.ca }, onResponse) : httpRequest(common, onResponse);
  req.end();
  return req;
}

/** One request; the whole body as text. Rejects when the connection fails. */
export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = send(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

export interface RawSse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly events: WireEvent[];
  /** Resolves when the stream ends, from either side. */
  readonly ended: Promise<void>;
  waitFor<T>(check: (events: WireEvent[]) => T | undefined | false | null, what: string, timeoutMs?: number): Promise<T>;
  close(): void;
}

/** An SSE stream over node:http(s); resolves once the response headers are in. */
export function openRawSse(url: string, options: RawRequestOptions = {}): Promise<RawSse> {
  return new Promise((resolve, reject) => {
    const events: WireEvent[] = [];
    const parser = new SseParser((m) => events.push({ type: m.event, id: m.id, ...(JSON.parse(m.data) as object) } as WireEvent));
    let markEnded!: () => void;
    const ended = new Promise<void>((r) => (markEnded = r));
    const req = send(url, { ...options, headers: { Accept: 'text/event-stream', ...options.headers } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => parser.push(chunk));
      res.on('close', markEnded);
      res.on('error', markEnded); // the server dropped the connection
      resolve({
        status: res.statusCode!,
        headers: res.headers,
        events,
        ended,
        waitFor: (check, what, timeoutMs) => waitFor(() => check(events), what, timeoutMs),
        close: () => req.destroy(),
      });
    });
    req.on('error', (err) => {
      markEnded();
      reject(err);
    });
  });
}

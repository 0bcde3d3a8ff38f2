// A `ws` client for tests that collects every event it receives.
import WebSocket from 'ws';
import type { WireEvent } from '../../protocol/events';
import { waitFor } from './wait';

export interface TestWs {
  ws: WebSocket;
  events: WireEvent[];
  closed: Promise<{ code: number; reason: string }>;
  send(msg: unknown): void;
  waitFor<T>(check: (events: WireEvent[]) => T | undefined | false | null, what: string, timeoutMs?: number): Promise<T>;
}

export async function openWs(url: string, headers: Record<string, string> = {}): Promise<TestWs> {
  const ws = new WebSocket(url, { headers });
  const events: WireEvent[] = [];
  ws.on('message', (data) => events.push(JSON.parse(data.toString()) as WireEvent));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    events,
    closed,
    send: (msg) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)),
    waitFor: (check, what, timeoutMs) => waitFor(() => check(events), what, timeoutMs),
  };
}

/** Tries an upgrade and returns the HTTP status of a refusal (or 101). */
export function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.on('error', () => {});
  });
}

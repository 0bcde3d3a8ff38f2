// A streaming-fetch SSE client for tests: real HTTP, parsed with the protocol's WHATWG parser.
import { SseParser } from '../../protocol/sse-parser';
import type { WireEvent } from '../../protocol/events';
import { waitFor } from './wait';

export interface SseReader {
  readonly events: WireEvent[];
  readonly status: number;
  readonly headers: Headers;
  readonly parser: SseParser;
  /** Resolves when the stream ends (or is closed). */
  readonly ended: Promise<void>;
  waitFor<T>(check: (events: WireEvent[]) => T | undefined | false | null, what: string, timeoutMs?: number): Promise<T>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: WireEvent[] = [];
  const parser = new SseParser((m) => {
    const data = JSON.parse(m.data) as object;
    events.push({ type: m.event, id: m.id, ...data } as WireEvent);
  });
  const ended = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) parser.push(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch {
      // aborted by close()
    }
  })();
  return {
    events,
    status: res.status,
    headers: res.headers,
    parser,
    ended,
    waitFor: (check, what, timeoutMs) => waitFor(() => check(events), what, timeoutMs),
    close: () => controller.abort(),
  };
}

/** All log lines received, per source, in order. */
export function linesOf(events: WireEvent[], source?: string): { seq: number; text: string }[] {
  const out: { seq: number; text: string }[] = [];
  for (const e of events) if (e.type === 'log' && (!source || e.source === source)) out.push(...e.lines);
  return out;
}

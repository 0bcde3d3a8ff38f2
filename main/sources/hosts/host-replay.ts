// A resuming client's hosts' entries, read again from Redis (XRANGE, exclusive of where the client stands) up
// to where this server's reader stood when the client came (docs/many-hosts.md, "Ids"). Hosts in name order,
// pages of PAGE_ENTRIES, read only when the client has taken the last one: a slow client holds one page.
// Entries that Redis trimmed (MAXLEN) after the client's position become a `gap`.
import type { GapData } from '../../../protocol/events';
import { compareStreamIds, type StreamCursor } from '../../../protocol/event-id';
import { hostKeys } from '../../../protocol/host-streams';
import type { RedisClient } from '../../hosts/redis/redis-connection';
import { parseEntry } from './stream-entries';

/** Entries per page of a replay: at most 50 × 64 KiB of lines held per replaying client. */
export const REPLAY_PAGE_ENTRIES = 50;

export interface ReplayedEvent {
  type: 'log' | 'source' | 'gap';
  json: string;
  host: string;
  entryId?: string;
}

export class RedisHostReplay {
  constructor(
    private readonly client: () => RedisClient | null,
    private readonly known: (host: string) => boolean,
  ) {}

  open(from: StreamCursor, to: StreamCursor): { next(): Promise<ReplayedEvent[]>; close(): void } {
    const hosts = [...to.keys()]
      .filter((host) => this.known(host))
      .filter((host) => {
        const held = from.get(host);
        return held === undefined || compareStreamIds(held, to.get(host)!) < 0;
      })
      .sort();
    let i = 0;
    /** Where the current host's next page starts (XRANGE start), null before its first. */
    let start: string | null = null;
    let closed = false;
    const next = async (): Promise<ReplayedEvent[]> => {
      while (i < hosts.length && !closed) {
        const host = hosts[i]!;
        const end = to.get(host)!;
        const client = this.client();
        if (!client) throw new Error('Redis is not connected');
        if (start === null) {
          const held = from.get(host);
          const gap = held === undefined ? null : await trimmedAfter(client, host, held);
          start = held === undefined ? '-' : `(${held}`;
          if (gap) return [{ type: 'gap', json: JSON.stringify(gap), host }];
        }
        const page = (await client.xRange(hostKeys(host).logs, start, end, { COUNT: REPLAY_PAGE_ENTRIES })) ?? [];
        if (page.length < REPLAY_PAGE_ENTRIES) {
          i++;
          start = null;
        } else {
          start = `(${page[page.length - 1]!.id}`;
        }
        const events: ReplayedEvent[] = [];
        for (const entry of page) {
          const parsed = parseEntry(host, entry.message as Record<string, string>);
          if (parsed?.type === 'log' || parsed?.type === 'source') events.push({ type: parsed.type, json: parsed.json, host, entryId: entry.id });
        }
        if (events.length > 0) return events;
      }
      return [];
    };
    return { next, close: () => void (closed = true) };
  }
}

/**
 * Did Redis drop entries after `held` (MAXLEN trims the oldest)? Redis does not say how many entries came after
 * a given id before a trim: the stream's first entry lies beyond `held` and the stream has lost entries, so some
 * after `held` are gone, unless exactly those up to `held` were (then the gap is one that lost nothing).
 * `missed` counts every entry the stream has lost: an upper bound.
 */
async function trimmedAfter(client: RedisClient, host: string, held: string): Promise<GapData | null> {
  const info = (await client.sendCommand(['XINFO', 'STREAM', hostKeys(host).logs])) as unknown;
  const field = (name: string): unknown => {
    if (Array.isArray(info)) {
      const at = info.indexOf(name);
      return at >= 0 ? info[at + 1] : undefined;
    }
    return (info as Record<string, unknown> | null)?.[name];
  };
  const lost = Number(field('entries-added') ?? 0) - Number(field('length') ?? 0);
  if (!(lost > 0)) return null;
  const deleted = String(field('max-deleted-entry-id') ?? '0-0');
  const first = field('first-entry');
  const firstId = Array.isArray(first) ? String(first[0]) : typeof first === 'object' && first !== null ? String((first as { id?: unknown }).id) : null;
  const trimmed = compareStreamIds(deleted, held) > 0 || (firstId !== null && compareStreamIds(firstId, held) > 0);
  return trimmed ? { missed: lost, reason: 'expired' } : null;
}

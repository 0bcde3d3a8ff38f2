// One round of an agent's publishing (host-publisher.ts): the `log` and `source` entries it adds to the host's
// logs stream, and the position of each source after its last line in it, all sent in one MULTI/EXEC.
import type { LogData, LogLine, SourceEventData } from '../../../protocol/events';
import type { LogsStreamEntry, SourcePosition } from '../../../protocol/host-streams';

export const ENTRY_LIMITS = Object.freeze({
  /** One `log` entry: at most this many lines and this much text. */
  lines: 1000,
  bytes: 64 * 1024,
});

/** What a line counts for beyond its characters (seq, ts, level, JSON), in entries and in what is held. */
export const LINE_OVERHEAD_BYTES = 64;

/** The entries and positions of one round: each source's lines in entries of at most ENTRY_LIMITS. */
export class RoundBuilder {
  readonly entries: LogsStreamEntry[] = [];
  readonly positions = new Map<string, SourcePosition>();
  /** The entry of each source that more of its lines may join (none once a `source` entry of it follows). */
  private readonly open = new Map<string, { data: LogData; bytes: number }>();

  addSource(data: SourceEventData): void {
    this.open.delete(data.source.id);
    this.entries.push({ t: 'source', d: data });
  }

  addLines(source: string, lines: LogLine[]): void {
    let entry = this.open.get(source);
    for (const line of lines) {
      const bytes = line.text.length + LINE_OVERHEAD_BYTES;
      if (!entry || entry.data.lines.length >= ENTRY_LIMITS.lines || (entry.bytes + bytes > ENTRY_LIMITS.bytes && entry.data.lines.length > 0)) {
        entry = { data: { source, lines: [] }, bytes: 0 };
        this.open.set(source, entry);
        this.entries.push({ t: 'log', d: entry.data });
      }
      entry.data.lines.push(line);
      entry.bytes += bytes;
    }
  }

  setPosition(source: string, position: SourcePosition): void {
    this.positions.set(source, position);
  }
}


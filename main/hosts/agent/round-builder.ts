// One round of an agent's publishing (host-publisher.ts): the `log` and `source` entries it adds to the host's
// logs stream, and the position of each source after its last line in it, all sent in one MULTI/EXEC.
import { plainLogDataJson } from '../../../protocol/encode';
import type { LogData, LogLine, SourceEventData } from '../../../protocol/events';
import type { LogsStreamEntry, SourcePosition } from '../../../protocol/host-streams';

export const ENTRY_LIMITS = Object.freeze({
  /** One `log` entry: at most this many lines and this much text. */
  lines: 1000,
  bytes: 64 * 1024,
});

/** What a line counts for beyond its characters (seq, ts, level, JSON), in entries and in what is held. */
export const LINE_OVERHEAD_BYTES = 64;

/** An entry of a round; a `log` one knows whether all its texts are plain (protocol/encode.ts PLAIN_TEXT). */
export type RoundEntry = { t: 'log'; d: LogData; plain: boolean } | Extract<LogsStreamEntry, { t: 'source' }>;

/** The entry's `d` field as sent: a plain batch's JSON by hand, as the hub writes it (about half the cost). */
export function entryJson(entry: RoundEntry): string {
  return entry.t === 'log' && entry.plain ? plainLogDataJson(entry.d.source, entry.d.lines) : JSON.stringify(entry.d);
}

/** The entries and positions of one round: each source's lines in entries of at most ENTRY_LIMITS. */
export class RoundBuilder {
  readonly entries: RoundEntry[] = [];
  readonly positions = new Map<string, SourcePosition>();
  /** The entry of each source that more of its lines may join (none once a `source` entry of it follows), and its bytes. */
  private readonly open = new Map<string, { entry: Extract<RoundEntry, { t: 'log' }>; bytes: number }>();

  addSource(data: SourceEventData): void {
    this.open.delete(data.source.id);
    this.entries.push({ t: 'source', d: data });
  }

  /** `plain`: every text of `lines` is known plain (the splitter says so of a live batch). */
  addLines(source: string, lines: LogLine[], plain = false): void {
    let open = this.open.get(source);
    for (const line of lines) {
      const bytes = line.text.length + LINE_OVERHEAD_BYTES;
      if (!open || open.entry.d.lines.length >= ENTRY_LIMITS.lines || (open.bytes + bytes > ENTRY_LIMITS.bytes && open.entry.d.lines.length > 0)) {
        open = { entry: { t: 'log', d: { source, lines: [] }, plain }, bytes: 0 };
        this.open.set(source, open);
        this.entries.push(open.entry);
      }
      open.entry.d.lines.push(line);
      open.entry.plain &&= plain;
      open.bytes += bytes;
    }
  }

  setPosition(source: string, position: SourcePosition): void {
    this.positions.set(source, position);
  }
}


// What the hosts figure writes and how a dashboard's client checks it: 100-byte lines that name their host and
// their seq, and a check per source (each host's one file) that every line arrives once, in order, as written.
import { LINE_CHARS } from './log-lines';
import { hrNow } from './util';
import type { GapData, LogData } from '../protocol/events';

const FILLER = 'every host publishes into Redis and each dashboard gets every line exactly once from the server '.repeat(2);

/** Line `seq` (1-based) of host `host`: `<host> #000000042 ` + filler, 99 characters. */
export function hostLine(host: string, seq: number): string {
  return `${host} #${String(seq).padStart(9, '0')} ${FILLER}`.slice(0, LINE_CHARS);
}

interface SourceCount {
  host: string;
  nextSeq: number;
}

/**
 * One dashboard's count of every host's lines: per source, seq must go up one by one from where it starts
 * (missing and repeated lines are counted, not fatal) and each text must be the one written for it. The host is
 * read from the first line of each source, so the check needs no list of source ids.
 */
export class HostLinesCheck {
  received = 0;
  missing = 0;
  repeated = 0;
  badText = 0;
  firstBadText: string | null = null;
  gapMissed = 0;
  resets = 0;
  /** Events of any type, each one's data parsed. */
  events = 0;
  /** The id of the last event: what the client would resume with. */
  lastId = '';
  /** hrNow() of the last line received. */
  lastAt = 0;
  private readonly sources = new Map<string, SourceCount>();

  /** `firstSeq`: the seq each source is expected to start at (a resumed client: one past what it had). */
  constructor(private readonly firstSeq: (host: string) => number = () => 1) {}

  event(type: string, data: unknown, id: string): void {
    this.events++;
    if (id) this.lastId = id;
    if (type === 'log') this.log(data as LogData);
    else if (type === 'gap') this.gapMissed += (data as GapData).missed;
    else if (type === 'reset') this.resets++;
  }

  /** The highest seq received of each host. */
  highestSeqs(): Map<string, number> {
    return new Map([...this.sources.values()].map((s) => [s.host, s.nextSeq - 1]));
  }

  /** Whether every host of `perHost` has its lines up to that seq. */
  hasAll(perHost: ReadonlyMap<string, number>): boolean {
    const seqs = this.highestSeqs();
    for (const [host, last] of perHost) if ((seqs.get(host) ?? 0) < last) return false;
    return true;
  }

  private log(data: LogData): void {
    const at = hrNow();
    let count = this.sources.get(data.source);
    for (const line of data.lines) {
      if (!count) {
        const host = line.text.slice(0, line.text.indexOf(' '));
        count = { host, nextSeq: this.firstSeq(host) };
        this.sources.set(data.source, count);
      }
      if (line.seq < count.nextSeq) {
        this.repeated++;
        continue;
      }
      if (line.seq > count.nextSeq) this.missing += line.seq - count.nextSeq;
      count.nextSeq = line.seq + 1;
      this.received++;
      if (line.text !== hostLine(count.host, line.seq)) {
        this.badText++;
        this.firstBadText ??= `${count.host} seq ${line.seq}: got ${JSON.stringify(line.text.slice(0, 40))}`;
      }
    }
    this.lastAt = at;
  }
}

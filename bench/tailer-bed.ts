// The tailer's own figures run in this process: the real LogSources feeding the real EventHub, wired as
// main/core/app.ts wires them, with every line checked on its way from the sources to the hub.
import { DEFAULTS } from '../main/app/options';
import { EventHub } from '../main/core/event-hub';
import { LogSources, type LogSourcesOptions } from '../main/sources/logs/log-sources';
import type { LogLine } from '../protocol/events';

/** What the sink got from one source. */
export interface SourceTally {
  /** Lines with the next expected seq or later (each seq counted once). */
  lines: number;
  /** Seqs skipped over. */
  missing: number;
  /** Lines with a seq already passed (a repeat or out of order). */
  repeated: number;
  /** Lines whose text carries another seq than the one they came with. */
  badText: number;
  firstBadText: string | null;
  /** Lines whose `ts` is the time written in their text (the tailer read it), rather than the time read. */
  tsFromText: number;
  /** The text of the last line. */
  lastText: string;
  nextSeq: number;
}

export interface LineExpectations {
  /** The seq written in a line's text: for a file followed from empty, the seq the tailer must give it. */
  seqOfText(text: string): number;
  /** The time written in line `seq`'s text. */
  timeOfSeq(seq: number): number;
}

/**
 * Checks the sink's contract (per source, seq goes 1, 2, 3… with no gap or repeat) and, given `expect`,
 * that each line's text is the one written with its seq, and whether its `ts` is the time in its text.
 */
export class SinkCheck {
  readonly bySource = new Map<string, SourceTally>();
  sourceEvents = 0;
  readonly warnings: string[] = [];

  constructor(private readonly expect: LineExpectations | null = null) {}

  get lines(): number {
    let n = 0;
    for (const t of this.bySource.values()) n += t.lines;
    return n;
  }

  sum(field: 'missing' | 'repeated' | 'badText' | 'tsFromText'): number {
    let n = 0;
    for (const t of this.bySource.values()) n += t[field];
    return n;
  }

  firstBadText(): string | null {
    for (const t of this.bySource.values()) if (t.firstBadText) return t.firstBadText;
    return null;
  }

  appendLines(source: string, lines: readonly LogLine[]): void {
    let t = this.bySource.get(source);
    if (!t) this.bySource.set(source, (t = { lines: 0, missing: 0, repeated: 0, badText: 0, firstBadText: null, tsFromText: 0, lastText: '', nextSeq: 1 }));
    for (const line of lines) {
      if (line.seq < t.nextSeq) {
        t.repeated++;
        continue;
      }
      if (line.seq > t.nextSeq) t.missing += line.seq - t.nextSeq;
      t.nextSeq = line.seq + 1;
      t.lines++;
      if (!this.expect) continue;
      if (this.expect.seqOfText(line.text) !== line.seq) {
        t.badText++;
        t.firstBadText ??= `seq ${line.seq}: ${JSON.stringify(line.text.slice(0, 70))}`;
      } else if (line.ts === this.expect.timeOfSeq(line.seq)) {
        t.tsFromText++;
      }
    }
    const last = lines[lines.length - 1];
    if (last) t.lastText = last.text;
  }
}

export interface Tailer {
  readonly sources: LogSources;
  readonly hub: EventHub;
  readonly check: SinkCheck;
  /** Lines the hub has put in log events so far, all sources. */
  published(): number;
  /** Closes the sources (every fd and watcher), then the hub. */
  close(): Promise<void>;
}

/** The server's defaults for whatever `options` leaves out. Constructs; the caller calls `sources.start()`. */
export function createTailer(options: Partial<LogSourcesOptions>, check = new SinkCheck()): Tailer {
  const config: LogSourcesOptions = { ...DEFAULTS, ...options };
  const hub = new EventHub({ ringEvents: DEFAULTS.ringEvents, ringBytes: DEFAULTS.ringBytes });
  const sources = new LogSources(config, {
    appendLines: (source, lines, _live, place) => {
      check.appendLines(source, lines);
      hub.appendLines(source, lines, place.plain);
    },
    sourceChanged: (op, source) => {
      check.sourceEvents++;
      hub.publish('source', { op, source }, source.id);
    },
    warn: (message) => check.warnings.push(message),
  });
  return {
    sources,
    hub,
    check,
    published: () => {
      let n = 0;
      for (const count of hub.linesPublished.values()) n += count;
      return n;
    },
    close: async () => {
      await sources.close();
      hub.close();
    },
  };
}

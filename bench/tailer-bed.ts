// The tailer's own figures run in this process: the real LogSources feeding the real EventHub, wired as
// main/core/app.ts wires them, with every line checked on its way from the sources to the hub.
import { DEFAULTS } from '../main/app/options';
import { EventHub } from '../main/core/event-hub';
import { LogSources, type LogSourcesOptions } from '../main/sources/logs/log-sources';
import { linesOfJson } from '../main/sources/logs/line-kernel';
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
/** What came to the sink of one source and waits to be checked (see SinkCheck.appendEncoded). */
type Queued = { lines: readonly LogLine[] } | { json: Buffer; count: number };

export class SinkCheck {
  private readonly tallies = new Map<string, SourceTally>();
  /**
   * Per source, what came since its first batch of lines written by the line kernel, in order: those are JSON,
   * parsed and checked only when a figure is read (settle), outside its timed window.
   */
  private readonly queued = new Map<string, Queued[]>();
  /** Where kernel lines are kept until checked, when reserved (see reserveEncoded); else each batch is kept. */
  private store: Buffer | null = null;
  private stored = 0;
  sourceEvents = 0;
  readonly warnings: string[] = [];

  constructor(private readonly expect: LineExpectations | null = null) {}

  /**
   * Room, made now, for `bytes` of kernel lines to be kept until checked: a figure then times no allocation
   * of the check's and no garbage collection of what it keeps (hundreds of MB held on would cost collections).
   */
  reserveEncoded(bytes: number): void {
    this.store = Buffer.alloc(bytes);
    this.stored = 0;
  }

  get bySource(): ReadonlyMap<string, SourceTally> {
    this.settle();
    return this.tallies;
  }

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
    const queue = this.queued.get(source);
    if (queue) queue.push({ lines });
    else this.check(source, lines);
  }

  /** Lines the line kernel wrote (their `{"seq":…}` objects, comma-separated): checked, in order, by settle. */
  appendEncoded(source: string, json: Buffer, count: number): void {
    let queue = this.queued.get(source);
    if (!queue) this.queued.set(source, (queue = []));
    if (this.store && this.stored + json.length <= this.store.length) {
      json.copy(this.store, this.stored);
      queue.push({ json: this.store.subarray(this.stored, (this.stored += json.length)), count });
    } else {
      queue.push({ json, count });
    }
  }

  /** Checks what is queued. */
  settle(): void {
    for (const [source, queue] of this.queued) {
      for (const item of queue) {
        if ('lines' in item) {
          this.check(source, item.lines);
          continue;
        }
        const lines = linesOfJson(item.json);
        if (lines.length !== item.count) this.warnings.push(`${source}: a kernel batch said ${item.count} lines and held ${lines.length}`);
        this.check(source, lines);
      }
    }
    this.queued.clear();
  }

  private check(source: string, lines: readonly LogLine[]): void {
    let t = this.tallies.get(source);
    if (!t) this.tallies.set(source, (t = { lines: 0, missing: 0, repeated: 0, badText: 0, firstBadText: null, tsFromText: 0, lastText: '', nextSeq: 1 }));
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
    // As the server's sink (main/app/start-tailwatch.ts), with no taps.
    appendEncoded: (source, lines) => {
      check.appendEncoded(source, lines.json, lines.count);
      hub.appendEncoded(source, lines.json, lines.count);
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
